"""The reports stagelint writes for fixed inputs, as digests: what `tests/test_golden_outputs.py` holds
every change to, so that work meant to change no output (speed, layout) is seen to change none.

    python tests/golden_outputs.py           # print the digests of this tree's outputs
    python tests/golden_outputs.py --write   # record them in tests/golden_outputs.json

Rewrite the record only for a change meant to alter a report, and say in its commit which outputs
changed and why. The inputs are the shared corpus and `examples/` (each run from the folder that
holds it, so the paths in the reports are relative and the same on every machine), and inputs made by
`benchmarks/generate_tree.py` that exercise the fast paths: a 300-file tree (a pool when the work
is worth one), a 2.5 MB CloudFormation template (checked in parts over the cores) and a Terraform
module of 1,250 stages (read a chunk at a time). Each is checked once, writing every format.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script: the repository on the path, so that `tests` imports
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import CORPUS, REPO, generated

RECORD = Path(__file__).resolve().parent / "golden_outputs.json"
FORMATS = ("text", "json", "sarif")
CASES = ("corpus", "examples", "tree-300", "template-2.5MB", "module-1250")


def prepare(case: str, work: Path) -> tuple[Path, str]:
    """(working directory, path argument) of `case`, writing its generated input under `work`."""
    if case == "corpus":
        # From beside it: a path outside the working directory is reported absolute, which would
        # tie the record to where the checkout is.
        return CORPUS.parent.parent, os.path.join(CORPUS.parent.name, CORPUS.name)
    if case == "examples":
        return REPO, "examples"
    if case == "tree-300":
        generated("generate", str(work / "tree"), 300)
        return work, "tree"
    if case == "template-2.5MB":
        (work / "big.yaml").write_text(str(generated("big_cloudformation", 2.5)), encoding="utf-8")
        return work, "big.yaml"
    if case == "module-1250":
        (work / "module").mkdir()
        (work / "module" / "main.tf").write_text(str(generated("big_terraform", 1_250)), encoding="utf-8")
        return work, "module"
    raise ValueError(case)


def digests(case: str) -> dict[str, dict[str, object]]:
    """{format: {"bytes": size, "sha256": digest}} of one default run over `case`, and its exit code."""
    with tempfile.TemporaryDirectory(prefix="stagelint-golden-") as temporary:
        work = Path(temporary)
        cwd, target = prepare(case, work)
        reports = {name: work / f"report.{name}" for name in FORMATS}
        completed = subprocess.run(
            [sys.executable, "-m", "stagelint", "check", "--no-gitignore",
             *(f"--format={name}:{path}" for name, path in reports.items()), target],
            cwd=cwd, capture_output=True, env=dict(os.environ, PYTHONUTF8="1"),
            timeout=600, check=False)
        if completed.returncode not in (0, 1, 2) or b"internal error" in completed.stderr:  # 2: SL000 files
            raise RuntimeError(f"{case}: exit code {completed.returncode}: {completed.stderr[-2000:]!r}")
        measured: dict[str, dict[str, object]] = {"exit code": {"value": completed.returncode}}
        for name, path in reports.items():
            content = path.read_bytes()
            measured[name] = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        return measured


def main(arguments: list[str]) -> None:
    record = {case: digests(case) for case in CASES}
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    if "--write" in arguments:
        RECORD.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main(sys.argv[1:])
