"""A suppression comment names a rule that does not exist.

## What it does
Reports a `# stagelint: ignore[...]` or `# stagelint: ignore-file[...]` comment that names a rule id
or name stagelint does not know (a typo such as `SL1O2`, a rule of a plugin that is not installed),
with the closest rule id when there is one. On by default, as a warning.

This is its own rule, not SL900 (unused-suppression): SL900 is off by default because judging a
comment stale needs every rule to have run, while a name that matches no rule at all is wrong on any
run and costs nothing to report. SL900 judges only the rules that exist; an unknown name is SL901's
alone, so nothing is reported twice. ruff keeps the two apart the same way (RUF100 and RUF102).

## Why is this bad?
A misspelled rule silences nothing while looking as if it did: the finding it was meant to accept
is still reported (or, worse, a reviewer believes a risk was accepted when the comment does
nothing), and nobody is told why.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.2"  # stagelint: ignore[SL1O2] legacy size, see TICKET-1
```

```terraform
resource "aws_api_gateway_stage" "prod" {
  stage_name         = "prod"
  cache_cluster_size = "6.2" # stagelint: ignore[SL1O2] legacy size, see TICKET-1
}
```

```yaml
Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: prod
      CacheClusterSize: "6.2"  # stagelint: ignore[SL1O2] legacy size, see TICKET-1
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_enabled: true
    cache_cluster_size: "6.2"  # stagelint: ignore[SL102] legacy size, see TICKET-1
```

## References
- ruff's RUF102 (invalid rule code in `# noqa`) plays the same part.
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import UNKNOWN_SUPPRESSED_RULE, Violation
from stagelint.model import Stage

ID = UNKNOWN_SUPPRESSED_RULE
NAME = "suppression-unknown-rule"
DEFAULT_SEVERITY = "warning"
TAGS = ("maintainability",)
OPTIONS = None
SOURCE = "engine"  # found where the comments are judged (stagelint.style_guide)
FORMATS = ("plain", "cloudformation", "sam", "terraform")  # the formats that have comments


def check(stage: Stage, options: None) -> Iterator[Violation]:
    """Suppressions live in comments, not in the model: the style guide reports them."""
    return iter(())
