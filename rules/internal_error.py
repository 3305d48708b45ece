"""A rule failed while checking a stage.

## What it does
Reports a rule (usually one from a plugin) that raised an exception while checking a stage. The
message names the rule, its plugin and the exception; the file's other rules still ran and their
findings are reported.

## Why is this bad?
The stage was not fully checked: whatever the failing rule looks for may be wrong and unreported.
This is a fault in the tool or the plugin, not in your file, so it is kept apart from SL000 (a file
that cannot be parsed). The run exits with code 2, as for any input that could not be checked, so a
CI gate does not pass a stage it did not check.

## Example
```console
$ stagelint check api.yaml
api.yaml:2:5: SL009 [error] rule ACME001 (acme-naming, plugin 'acme') failed on this stage: KeyError: 'owner'
```

Use instead:
```console
$ pip install --upgrade acme-stagelint-rules   # a fixed plugin; or, until there is one:
$ stagelint check --ignore ACME001 infra/api.yaml
```

## References
- cfn-lint's E0002 ("error processing rule") plays the same part.
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.findings import INTERNAL_ERROR, Violation
from stagelint.model import Stage

ID = INTERNAL_ERROR
NAME = "internal-error"
DEFAULT_SEVERITY = "error"
TAGS = ("correctness",)
OPTIONS = None
SOURCE = "engine"  # reported by the checker when a rule raises; nothing to look for in a stage
FORMATS = ()  # no input makes a built-in rule fail: tests/test_checker.py injects a failing plugin rule


def check(stage: Stage, options: None) -> Iterator[Violation]:
    """Raised by the checker around every other rule: nothing to check here."""
    return iter(())
