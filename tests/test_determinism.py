"""The same input gives the same bytes: run twice, serially or over a pool, forked or spawned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stagelint.formatters import FORMATTERS
from tests.conftest import CORPUS, FIXTURES, REPO

MACHINE_FORMATS = [name for name in sorted(FORMATTERS) if name != "text"] + ["text"]


def _tree(root: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate_tree import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate(str(root / "generated"), 60)  # run over a pool with STAGELINT_POOL=always (below the estimate)
    return root


def _check(tree: Path, output_format: str, jobs: int, start_method: str | None = None) -> bytes:
    environment = dict(os.environ, PYTHONUTF8="1", STAGELINT_POOL="always" if jobs != 1 else "auto")
    if start_method:
        environment["STAGELINT_START_METHOD"] = start_method
    completed = subprocess.run(
        [sys.executable, "-m", "stagelint", "check", "--no-gitignore", "--format", output_format,
         "--jobs", str(jobs), "generated", *([str(FIXTURES)] if FIXTURES.is_dir() else [])],
        cwd=tree, capture_output=True, env=environment, timeout=300, check=False,
    )
    assert completed.returncode in (1, 2), completed.stderr.decode()
    assert b"Traceback" not in completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tree(tmp_path_factory.mktemp("determinism"))


@pytest.mark.parametrize("output_format", MACHINE_FORMATS)
def test_serial_and_parallel_runs_give_identical_bytes(tree: Path, output_format: str) -> None:
    serial = _check(tree, output_format, jobs=1)
    assert serial.strip()
    assert _check(tree, output_format, jobs=1) == serial
    assert _check(tree, output_format, jobs=0) == serial
    assert _check(tree, output_format, jobs=3) == serial


def test_pool_works_under_spawn(tree: Path) -> None:
    """Workers must not rely on fork: everything they need is pickled to them."""
    assert _check(tree, "json", jobs=2, start_method="spawn") == _check(tree, "json", jobs=1)


def test_corpus_and_examples_give_identical_bytes_serially_and_over_a_pool(tmp_path: Path) -> None:
    """The real files (the shared corpus, the examples): the serial run, the pool, and a default run
    (whose pool threshold follows the work) give the same bytes."""
    outputs = []
    for jobs, pool in (("1", "auto"), ("2", "always"), ("0", "auto")):
        completed = subprocess.run(
            [sys.executable, "-m", "stagelint", "check", "--no-gitignore", "--format", "json", "--jobs", jobs,
             str(CORPUS), str(REPO / "examples")],
            cwd=tmp_path, capture_output=True, env=dict(os.environ, PYTHONUTF8="1", STAGELINT_POOL=pool),
            timeout=300, check=False)
        assert b"Traceback" not in completed.stderr
        outputs.append(completed.stdout)
    assert outputs[0].strip() and outputs[0] == outputs[1] == outputs[2]
