"""The pool threshold follows the work (files and bytes): a small commit never pays for a pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint import parallel
from stagelint.checker import WorkUnit


def _units(tmp_path: Path, sizes: list[int]) -> list[WorkUnit]:
    units = []
    for number, size in enumerate(sizes):
        path = tmp_path / f"stages{number}.yaml"
        path.write_bytes(b"#" * size)
        units.append(WorkUnit("document", str(tmp_path), (str(path),)))
    return units


@pytest.fixture(autouse=True)
def _estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAGELINT_POOL", raising=False)


def test_a_ten_file_commit_runs_serially(tmp_path: Path) -> None:
    assert not parallel._pool_pays(_units(tmp_path, [2_000] * 10), jobs=2)


def test_one_big_file_among_small_ones_runs_serially(tmp_path: Path) -> None:
    """The big file's unit runs in one process anyway: the pool would save only the small ones."""
    assert not parallel._pool_pays(_units(tmp_path, [3_000_000] + [1_000] * 9), jobs=2)


def test_two_big_files_go_to_the_pool(tmp_path: Path) -> None:
    assert parallel._pool_pays(_units(tmp_path, [1_000_000, 1_000_000]), jobs=2)


def test_many_small_files_go_to_the_pool_without_reading_their_sizes(tmp_path: Path) -> None:
    units = [WorkUnit("document", ".", (f"missing{number}.yaml",)) for number in range(parallel.POOL_WITHOUT_SIZES)]
    assert parallel._pool_pays(units, jobs=2)
    assert not parallel._pool_pays(units[:100], jobs=2)


def test_the_environment_can_force_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _units(tmp_path, [10] * 3)
    monkeypatch.setenv("STAGELINT_POOL", "always")
    assert parallel._pool_pays(small, jobs=2)
    monkeypatch.setenv("STAGELINT_POOL", "never")
    assert not parallel._pool_pays(_units(tmp_path, [1_000_000] * 4), jobs=2)
