"""The one "did you mean" hint: every unknown key, rule, option or selector is answered the same way."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean `close`?)` for the closest of `choices`, or "" when none is close."""
    import difflib  # only on an error path: a clean run never pays for it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean `{close[0]}`?)" if close else ""
