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


def shown(value: Any, raw: str | None = None) -> str:
    """A value as a message shows it; `raw` is how the file spells a non-string scalar (`1.50`)."""
    if isinstance(value, str):
        return f'"{value}"'
    if raw is not None:
        return raw
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return repr(value)
