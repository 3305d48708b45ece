"""The Python API: what the CLI itself uses, for tools that embed stagelint without shelling out.

    from stagelint.api import lint, Config
    report = lint(["infra/"], Config(select=("SL1",)))
    for finding in report.findings:
        print(finding.position.path, finding.position.line, finding.rule_id, finding.message)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stagelint.config import Config, ConfigError
from stagelint.findings import Finding, Severity
from stagelint.report import Report

__all__ = ["Config", "ConfigError", "Finding", "Report", "Severity", "lint"]


def lint(paths: Sequence[str], config: Config | None = None, *,
         progress: Callable[[int, int], None] | None = None, streamed: bool = False) -> Report:
    """Lint files and directories. Raises ConfigError for a configuration or usage problem.
    `progress(done, total)` is called as work units (documents, Terraform modules) are done.
    `streamed`: the Report's findings and files are sequences decoded as they are iterated (for a
    large tree: its memory stays flat), not tuples."""
    from stagelint.engine import run

    if isinstance(paths, str | bytes):  # a str is a sequence of one-character "paths"
        raise ConfigError(f"lint() takes a list of paths, not one string: write lint([{paths!r}])")
    return run(paths, config or Config(), progress, streamed=streamed)
