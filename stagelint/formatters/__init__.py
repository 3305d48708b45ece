"""Output formats. Each is a module with `render(report, context) -> str` (and perhaps `stream`, the
same text in pieces), imported only when chosen.

Formatters see only the Report (findings, notes, stage summaries) and the rules' documentation:
never a file format, never the model.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from stagelint.records import dataclass
from stagelint.registry import RuleSet
from stagelint.report import Report

FORMATTERS = {
    "text": "stagelint.formatters.text",
    "json": "stagelint.formatters.json_format",
    "sarif": "stagelint.formatters.sarif",
    "github": "stagelint.formatters.github",
    "junit": "stagelint.formatters.junit",
    "gitlab": "stagelint.formatters.gitlab",
    "full": "stagelint.formatters.full",
    "concise": "stagelint.formatters.text",  # the one-line form by its ruff name
}


@dataclass(frozen=True)
class FormatContext:
    """What a formatter may know besides the report: the rules' documentation and the output options."""

    rules: RuleSet
    version: str
    verbose: bool = False
    quiet: bool = False
    statistics: bool = False
    # SARIF: also emit suppressed and baselined findings (with `suppressions`). Off by default: GitHub
    # code scanning ignores `suppressions` and would open an alert for each of them.
    sarif_suppressed: bool = False
    # SARIF, github, gitlab: the absolute directory their paths are relative to (`formatters/paths.py`);
    # None keeps the working-directory-relative paths findings carry.
    project_root: str | None = None
    # text: ANSI colour (decided by the CLI: a terminal, NO_COLOR, FORCE_COLOR, --color); never in files.
    color: bool = False
    # full: contents linted from stdin (`--stdin-filename`), by path, to show instead of the file on disk.
    sources: tuple[tuple[str, bytes], ...] = ()


def render(name: str, report: Report, context: FormatContext) -> str:
    module = importlib.import_module(FORMATTERS[name])
    text: str = module.render(report, context)
    return text


def stream(name: str, report: Report, context: FormatContext) -> Iterator[str]:
    """The report in pieces that each end a line: a formatter with a `stream` (text) writes as it reads
    the findings; the others build their document whole (one piece)."""
    module = importlib.import_module(FORMATTERS[name])
    if hasattr(module, "stream"):
        yield from module.stream(report, context)
    else:
        yield module.render(report, context)
