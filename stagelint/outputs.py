"""Several reports from one run: `--format FMT[:FILE]` (repeatable) and `--output-sarif FILE`.

CI wants a readable log *and* SARIF (or JUnit, or GitLab's report) without linting twice:
`stagelint check --format text --format sarif:stagelint.sarif .`. One format may go without a file:
it is printed, or written to `--output`. Without any `--format`, the text format is printed.
"""

from __future__ import annotations

from stagelint.formatters import FORMATTERS
from stagelint.records import dataclass


class OutputError(ValueError):
    """The outputs asked for cannot all be written (a usage error, exit code 3)."""


@dataclass(frozen=True)
class Output:
    format: str
    file: str | None  # None: stdout


def parse_outputs(formats: tuple[str, ...], output: str | None = None, output_sarif: str | None = None) -> list[Output]:
    """The reports to write, in the order given; see the module docstring for the rules."""
    outputs: list[Output] = []
    for value in formats:
        name, colon, file = value.partition(":")
        name = name.strip().lower()
        if name not in FORMATTERS:
            raise OutputError(f"unknown format `{name}` (expected {', '.join(FORMATTERS)}, optionally as FMT:FILE)")
        if colon and not file:
            raise OutputError(f"--format {value}: the file name after `:` is missing")
        outputs.append(Output(name, file or None))
    if not formats:
        outputs.insert(0, Output("text", None))
    if output_sarif:
        outputs.append(Output("sarif", output_sarif))
    printed = [item for item in outputs if item.file is None]
    if len(printed) > 1:
        raise OutputError(f"only one format can be printed (--format {printed[0].format} and --format "
                          f"{printed[1].format} have no FILE): write the others as FMT:FILE")
    if output is not None:
        if not printed:
            raise OutputError("--output names the file of the --format that has none, but every format has a FILE")
        outputs = [Output(item.format, output) if item.file is None else item for item in outputs]
    files = [item.file for item in outputs if item.file is not None]
    duplicates = sorted({file for file in files if files.count(file) > 1})
    if duplicates:
        raise OutputError(f"two reports would be written to {duplicates[0]}")
    return outputs
