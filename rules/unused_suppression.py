"""A suppression comment suppresses nothing.

## What it does
Reports a `# stagelint: ignore[...]` or `# stagelint: ignore-file[...]` comment (or one rule named in
it) that matches no finding. A rule name that does not exist is SL901 (suppression-unknown-rule), on
by default, and never reported here too. Off by default: enable it with
`--extend-select SL900` (or `extend-select = ["SL900"]` in the configuration) when cleaning up.

## Why is this bad?
A suppression outlives the problem it hid: the stage gets fixed, the comment stays, and the next real
finding on that line is silenced without anyone deciding so. A misspelled rule id silences nothing
while looking as if it did (SL901 reports that on every run). A rule that did not run (not
selected) is never called stale.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"  # stagelint: ignore  left over: the size was fixed since
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
```

## References
- ruff's RUF100 (unused `noqa`) plays the same part.
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import UNUSED_SUPPRESSION, Violation
from stagelint.model import Stage

ID = UNUSED_SUPPRESSION
NAME = "unused-suppression"
DEFAULT_SEVERITY = "warning"
TAGS = ("maintainability",)
OPTIONS = None
SOURCE = "engine"  # judged after every other finding of a file is known
FORMATS = ("plain", "cloudformation", "sam", "terraform")  # the formats that have comments
ENABLED_BY_DEFAULT = False


def check(stage: Stage, options: None) -> Iterator[Violation]:
    """Suppressions live in comments, not in the model: the engine reports them (stagelint.suppressions)."""
    return iter(())
