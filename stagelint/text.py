"""How a value is written in a message: the one text form every decoder and rule uses.

`"0.5"` for strings (quoted, so an empty or padded value is visible), `true`/`false` for booleans,
numbers without a spurious `.0`, and the user's own spelling where it is known (`raw`).
"""

from __future__ import annotations

from typing import Any


def number_text(number: int | float) -> str:
    """`300`, `0.5`, `1e-07`: an integral float loses its `.0` (HCL and JSON do not distinguish)."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


# Longer values are cut in messages: a 5 MiB stage name printed whole (twice per finding line) helps
# nobody and makes reports unbounded. Fingerprints and baselines still see the whole value.
MAX_SHOWN_CHARS = 120


def shortened(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """`text`, or its first `limit` characters, an ellipsis and the full length when it is longer."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def shown(value: Any, raw: str | None = None) -> str:
    """A value as a message shows it; `raw` is how the file spells a non-string scalar (`1.50`)."""
    if isinstance(value, str):
        if len(value) > MAX_SHOWN_CHARS:
            return f'"{value[:MAX_SHOWN_CHARS]}…" ({len(value):,} characters)'
        return f'"{value}"'
    if raw is not None:
        return shortened(raw)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return repr(value)
