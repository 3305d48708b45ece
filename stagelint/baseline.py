"""Baselines for gradual adoption: record today's findings, then report only new ones.

`--write-baseline FILE` stores the fingerprints of every active finding (fingerprints have no line
numbers: see `findings.fingerprint`, so edits elsewhere in a file do not make old findings "new").
The file is JSON, sorted, and carries rule, path and message beside each fingerprint so that humans
can review it in a pull request. `--baseline FILE` (`Config.baseline_file`) makes the style guide move
findings whose fingerprint is in it to the report's suppressed findings (`suppressed_by="baseline"`):
they no longer count for the exit code.
Parse errors (SL000) are never baselined: a file that does not parse has not been checked.
"""

from __future__ import annotations

import json
import os
from typing import Any

from stagelint.config import ConfigError
from stagelint.findings import PARSE_ERROR
from stagelint.report import Report

FORMAT_VERSION = 1


def render(report: Report, version: str) -> str:
    entries = sorted(
        ({"fingerprint": finding.fingerprint, "rule": finding.rule_id, "path": finding.position.path,
          "stage": finding.stage, "message": finding.message}
         for finding in report.findings if finding.rule_id != PARSE_ERROR),
        key=lambda entry: (entry["path"] or "", entry["rule"] or "", entry["fingerprint"] or ""),
    )
    document = {"stagelint_baseline": FORMAT_VERSION, "generated_by": f"stagelint {version}",
                "findings": entries}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str, report: Report, version: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            handle.write(render(report, version))
    except OSError as error:
        raise ConfigError(f"cannot write baseline {path}: {error.strerror or error}") from None


def load(path: str) -> frozenset[str]:
    """The fingerprints recorded in a baseline file. A missing or malformed file is a ConfigError."""
    return frozenset(recorded(path))


def stale(path: str, report: Report) -> int:
    """How many entries of the baseline match no finding any more, counting only files this run linted
    (a pre-commit run on two files says nothing about the others)."""
    linted = {result.path for result in report.files}
    current = {finding.fingerprint for finding in (*report.findings, *report.suppressed)}
    return sum(1 for fingerprint, recorded_path in recorded(path).items()
               if recorded_path in linted and fingerprint not in current)


def recorded(path: str) -> dict[str, str | None]:
    """Fingerprint → the path recorded beside it (None when the entry has none)."""
    try:
        import stat

        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block forever
            raise ConfigError(f"baseline {path} is not a regular file")
        with open(path, encoding="utf-8") as handle:
            document: Any = json.load(handle)
    except RecursionError:
        raise ConfigError(f"baseline {path} is nested too deeply to be a stagelint baseline") from None
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {path} (create it with --write-baseline)") from None
    except OSError as error:
        raise ConfigError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise ConfigError(f"baseline {path} is not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("stagelint_baseline") != FORMAT_VERSION \
            or not isinstance(document.get("findings"), list):
        raise ConfigError(f"{path} is not a stagelint baseline (expected {{\"stagelint_baseline\": 1, ...}})")
    fingerprints: dict[str, str | None] = {}
    for entry in document["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError(f"baseline {path}: every finding needs a string `fingerprint`")
        recorded_path = entry.get("path")
        fingerprints[entry["fingerprint"]] = recorded_path if isinstance(recorded_path, str) else None
    return fingerprints
