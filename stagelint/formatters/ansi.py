"""The escape codes of the coloured text and full reports: what `click.style` writes, without click.

A one-file run on a terminal (a pre-commit hook run under a pty) colours its report but does not
import click (`cli/check_arguments.py`); tests/test_color.py checks these against `click.style` and
`click.unstyle`.
"""

from __future__ import annotations

import re

_COLOURS = {"red": 31, "yellow": 33, "blue": 34}
_RESET = "\033[0m"
# click.unstyle's pattern (click 8.2+): any CSI sequence, which covers every code `style` writes.
_STYLING = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")


def style(text: str, fg: str | None = None, bold: bool = False) -> str:
    """`click.style(text, fg=fg, bold=True)` when bold, else `click.style(text, fg=fg)`."""
    codes = f"\033[{_COLOURS[fg]}m" if fg is not None else ""
    if bold:
        codes += "\033[1m"
    return f"{codes}{text}{_RESET}"


def unstyle(text: str) -> str:
    """`text` without escape codes (`click.unstyle`)."""
    return _STYLING.sub("", text) if "\033" in text else text
