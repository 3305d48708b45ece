"""The audit view: stages, what they switch on, and their cache cost (unknowns shown as `?`)."""

from __future__ import annotations

import json
from pathlib import Path

from stagelint.api import Config, lint
from stagelint.inventory import render_json, render_text
from tests.conftest import MACHINERY_RULES


def test_inventory_prices_known_sizes_and_marks_unknowns(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(
        'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.1"\n'
        "  - name: dev\n  - name: qa\n    cache_cluster_enabled: true\n", encoding="utf-8")
    report = lint(["stages.yaml"], Config())
    text = render_text(report)
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["stage", "env", "api", "kind", "format"]
    assert any(line.startswith("prod ") and "6.1 GB" in line and "146.00" in line for line in lines)
    assert any(line.startswith("qa ") and "yes (size ?)" in line for line in lines)
    assert lines[-1].startswith("3 stages; cache clusters $146.00/month (us-east-1 prices")
    assert lines[-1].endswith("1 stage(s) could not be priced (unknown caching, size or price)")
    records = json.loads(render_json(report))["stages"]
    assert [record["name"] for record in records] == ["prod", "dev", "qa"]
    assert [record["estimated_monthly_cost"] for record in records] == [146.0, None, None]
    assert [record["cost_reason"] for record in records] == [None, "no cache cluster", "cache size not set"]


def test_inventory_command(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    result = run_cli("inventory", "--format", "json", "examples/terraform")
    assert result.returncode == 0, result.stderr
    stages = json.loads(result.stdout)["stages"]
    assert {(stage["name"], stage["cache_cluster_size"]) for stage in stages} == {("prod", "0.5"), ("prod.v2", "5")}
    bad = tmp_path / "broken.yaml"
    bad.write_text("stages:\n  - name: [prod\n", encoding="utf-8")
    assert run_cli("inventory", str(bad)).returncode == 2


def test_text_fits_the_width_and_elides_long_cells(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    deep = Path("a-very-long-directory-name/another-long-directory-name/and-one-more")
    deep.mkdir(parents=True)
    (deep / "stages.yaml").write_text("stages:\n  - name: " + "x" * 60 + "\n", encoding="utf-8")
    report = lint([str(deep)], Config())
    for width in (80, 100, 120):
        lines = render_text(report, width=width).splitlines()
        table = lines[:2]
        assert all(len(line) <= width for line in table), (width, table)
        assert "…" in table[1]
    wide = render_text(report, width=400).splitlines()[1]
    assert "x" * 60 in wide and "…" not in wide


def test_unreadable_files_are_named_on_stderr_and_in_json(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "good.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("stages:\n  - name: [prod\n", encoding="utf-8")
    result = run_cli("inventory", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "stagelint: cannot read broken.yaml: " in result.stderr
    document = json.loads(result.stdout)
    assert [entry["path"] for entry in document["unreadable"]] == ["broken.yaml"]
    assert [stage["name"] for stage in document["stages"]] == ["prod"]
    excluded = run_cli("inventory", "--exclude", "broken.yaml", ".", cwd=tmp_path)
    assert excluded.returncode == 0 and excluded.stderr == ""


def test_findings_are_counted_per_stage(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text('stages:\n  - name: prod\n    cache_cluster_enabled: true\n'
                                   '  - name: dev\n', encoding="utf-8")
    records = json.loads(render_json(lint(["stages.yaml"], Config(select=(*MACHINERY_RULES, "SL202")))))["stages"]
    assert {record["name"]: record["findings"] for record in records} == {"prod": 2, "dev": 0}  # SL101, SL202


def test_corpus_inventory_in_every_format() -> None:
    import csv
    import io

    import pytest

    from stagelint.inventory import FIELDS, csv_rows, render_csv, render_markdown
    from stagelint.stage_details import DETAIL_FIELDS
    from tests.conftest import CORPUS
    from tests.test_corpus import expected_counts

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    report = lint([str(CORPUS)], Config())
    expected = sum(expected_counts().values())
    assert len(report.stages) == expected
    document = json.loads(render_json(report))
    assert len(document["stages"]) == expected and document["totals"]["all"]["stages"] == expected
    parsed = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert parsed == csv_rows(report)
    def as_cell(record: dict[str, object], name: str) -> str:
        value = record[name]
        if value is None:  # unknown (a reason, or a summary flag) is `?`; a detail that is not set is `-`
            unknown = record["unknown"]
            return "-" if name in DETAIL_FIELDS and isinstance(unknown, dict) and name not in unknown else "?"
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)

    as_cells = [{name: as_cell(record, name) for name in FIELDS} for record in document["stages"]]
    assert parsed == as_cells  # CSV and JSON hold the same rows
    markdown = render_markdown(report).splitlines()
    assert sum(1 for line in markdown if line.startswith("| ")) == expected + 1
    text = render_text(report, width=120).splitlines()
    assert len(text[: expected + 1]) == expected + 1 and all(len(line) <= 120 for line in text[: expected + 1])
