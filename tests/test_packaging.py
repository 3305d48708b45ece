"""The wheel ships every rule module under `stagelint.rules` (mapped from the top-level rules/ folder)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_every_rule_module(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path),
         str(REPO)],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("stagelint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in sorted((REPO / "rules").glob("*.py")):
        assert f"stagelint/rules/{module.name}" in names, module.name
    assert not any(name.startswith("rules/") for name in names), "rules/ must not install as a top-level package"
    assert "stagelint/data/cache_prices.json" in names
    assert "stagelint/data/stage-schema.json" in names
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[stagelint.rules]" in text and "builtin = stagelint.rules" in text
