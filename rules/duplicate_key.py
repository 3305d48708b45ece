"""A mapping key is written twice.

## What it does
Reports a key that appears twice in the same YAML mapping or JSON object, pointing at the later
occurrence (the one that takes effect) and naming the earlier one.

## Why is this bad?
YAML loaders and CloudFormation silently keep the *last* value, so the first one is dead text that
readers (and reviewers) believe is in force. cfn-lint treats it as a parse error; stagelint reads the
file the way AWS does and warns.

## Example
```yaml
Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
      CacheClusterSize: "0.5"
      CacheClusterSize: "1.6"
```

Use instead:
```yaml
Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: abc123
      StageName: prod
      CacheClusterSize: "1.6"
```

## References
- YAML 1.2 §3.2.1.1: mapping keys are unique.
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import DUPLICATE_KEY, Violation
from stagelint.model import Stage

ID = DUPLICATE_KEY
NAME = "duplicate-key"
DEFAULT_SEVERITY = "warning"
TAGS = ("correctness",)
OPTIONS = None
SOURCE = "decoder"  # reported when a file is read; nothing to look for in a stage
# Where the property exists: every YAML/JSON tree people write (HCL rejects a repeated argument itself;
# a plan is written by Terraform).
FORMATS = ("plain", "cloudformation", "cloudformation-json", "sam", "terraform-json")


def check(stage: Stage, options: None) -> Iterator[Violation]:
    """Duplicate keys are found while decoding (they are gone from the model); nothing to check here."""
    return iter(())
