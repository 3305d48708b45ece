"""examples/ holds, for every supported format, a clean file and a failing one (what `make demo` shows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.decoders import FORMATS as INPUT_FORMATS
from tests.conftest import REPO

FORMATS = sorted(path.name for path in (REPO / "examples").iterdir() if path.is_dir())


def test_every_supported_format_has_examples() -> None:
    """Every dialect of the format table (`decoders.FORMATS`) has an examples/ folder."""
    assert set(FORMATS) >= {dialect for input_format in INPUT_FORMATS for dialect in input_format.dialects}


@pytest.mark.parametrize("format_name", FORMATS)
def test_clean_and_failing_examples(format_name: str, in_repo: Path) -> None:
    folder = Path("examples") / format_name
    clean = sorted(str(path) for path in folder.rglob("*") if path.is_file() and "clean" in str(path))
    failing = sorted(str(path) for path in folder.rglob("*") if path.is_file() and "failing" in str(path))
    assert clean and failing
    clean_report = lint(clean, Config(jobs=1))
    assert clean_report.findings == () and clean_report.stages, [f.message for f in clean_report.findings]
    failing_report = lint(failing, Config(jobs=1))
    assert failing_report.findings and not failing_report.has_input_errors
    assert failing_report.exit_code == 1
