"""A stage file cannot be read or parsed.

## What it does
Reports a file that stagelint could not read or parse: a syntax error, an encoding problem, a file
over the size limit, an alias bomb or nesting deeper than the limits allow.

## Why is this bad?
A file that does not parse cannot be deployed either, and nothing in it has been checked. The
finding points at the line and column where the parser gave up; the other files are still linted
and the exit code is 2.

## Example
```yaml
stages:
  - name: prod
    cache_cluster_size: "0.5
```

Use instead:
```yaml
stages:
  - name: prod
    cache_cluster_size: "0.5"
```

## References
- flake8's E999 and cfn-lint's E0000 play the same part.
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import PARSE_ERROR, Violation
from stagelint.model import Stage

ID = PARSE_ERROR
NAME = "parse-error"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None
SOURCE = "decoder"  # reported when a file is read; nothing to look for in a stage
FORMATS = ()  # its cases are the malformed inputs in fixtures/_parse/, one folder per format


def check(stage: Stage, options: None) -> Iterator[Violation]:
    """Parse errors are raised by the decoders, not found in a stage: nothing to check here."""
    return iter(())
