"""Columns as GitHub counts them: UTF-16 code units in SARIF and `--format github`, code points in text."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SCHEMAS, run_cli

LINE = '  - {name: "😀😀", cache_cluster_enabled: true, cache_cluster_size: "6.2"}'
VALUE = LINE.index('"6.2"') + 1  # 1-based, in code points
NAME_START, NAME_END = LINE.index('"😀'), LINE.index('",') + 1  # 0-based; the end is exclusive


def _write(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(f"stages:\n{LINE}\n", encoding="utf-8")


def test_text_counts_code_points(tmp_path: Path) -> None:
    _write(tmp_path)
    completed = run_cli("check", "--select", "SL102", "--quiet", ".", cwd=tmp_path)
    assert completed.stdout.startswith(f"stages.yaml:2:{VALUE}: SL102 ")


def test_sarif_counts_utf16_code_units(tmp_path: Path) -> None:
    _write(tmp_path)
    completed = run_cli("check", "--format", "sarif", "--select", "SL001,SL102", ".", cwd=tmp_path)
    document = json.loads(completed.stdout)
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    (run,) = document["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    regions = {result["ruleId"]: result["locations"][0]["physicalLocation"]["region"] for result in run["results"]}
    assert regions["SL102"]["startColumn"] == VALUE + 2  # two emoji before it, two code units each
    assert regions["SL102"]["endColumn"] == VALUE + 2 + len('"6.2"')
    assert regions["SL001"]["startColumn"] == NAME_START + 1  # nothing astral before the name's quote
    assert regions["SL001"]["endColumn"] == NAME_END + 1 + 2


def test_github_counts_utf16_code_units(tmp_path: Path) -> None:
    _write(tmp_path)
    completed = run_cli("check", "--format", "github", "--select", "SL102", ".", cwd=tmp_path)
    (command,) = completed.stdout.splitlines()
    assert f",col={VALUE + 2},endLine=2,endColumn={VALUE + 2 + 5}," in command


def test_bmp_text_gives_equal_columns(tmp_path: Path) -> None:
    line = '  - {name: "prod–é", cache_cluster_enabled: true, cache_cluster_size: "6.2"}'
    (tmp_path / "stages.yaml").write_text(f"stages:\n{line}\n", encoding="utf-8")
    completed = run_cli("check", "--format", "github", "--select", "SL102", ".", cwd=tmp_path)
    column = line.index('"6.2"') + 1
    assert f",col={column}," in completed.stdout
