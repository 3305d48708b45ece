"""The audit view: stages, what they switch on, and their cache cost (unknowns shown as `?`)."""

from __future__ import annotations

import json
from pathlib import Path

from stagelint.api import Config, lint
from stagelint.inventory import render_json, render_text


def test_inventory_prices_known_sizes_and_marks_unknowns(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(
        'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.1"\n'
        "  - name: dev\n  - name: qa\n    cache_cluster_enabled: true\n", encoding="utf-8")
    report = lint(["stages.yaml"], Config())
    text = render_text(report)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["stage", "api", "format"]
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
