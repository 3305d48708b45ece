"""What the HTML report knows besides the Report: the rules' docs and the run's provenance."""

from __future__ import annotations

from stagelint.config import Config
from stagelint.records import dataclass
from stagelint.registry import RuleSet


@dataclass(frozen=True)
class HtmlContext:
    """The rules (for their why and fix), and what the provenance section records. Nothing here is
    a clock or a machine name: two reports of the same tree with the same options are the same bytes."""

    rules: RuleSet
    version: str
    config: Config
    paths: tuple[str, ...]  # as given on the command line
    config_file: str | None = None  # the configuration file applied, if any
    git_commit: str | None = None  # HEAD of the work tree holding the paths; None: not in one (or no git)
