"""Baseline round trip: record today's findings, then only new ones are reported (and fail the run)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import IGNORE_COMPLETENESS, MACHINERY_RULES, QUIET_STAGE, run_cli

SELECT = ("--select", ",".join(MACHINERY_RULES))  # the rules these tests count findings of

OLD = 'stages:\n  - name: test\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n' + QUIET_STAGE


def test_round_trip(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(OLD, encoding="utf-8")
    written = run_cli("check", *IGNORE_COMPLETENESS, "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "recorded 2 finding(s)" in written.stderr
    document = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert document["stagelint_baseline"] == 1
    assert [(entry["rule"], entry["path"]) for entry in document["findings"]] == [
        ("SL003", "stages.yaml"), ("SL102", "stages.yaml")]
    assert all(len(entry["fingerprint"]) == 32 and entry["message"] for entry in document["findings"])
    # Writing again gives the same bytes.
    first = (tmp_path / "baseline.json").read_bytes()
    run_cli("check", *IGNORE_COMPLETENESS, "--write-baseline", "baseline.json", cwd=tmp_path)
    assert (tmp_path / "baseline.json").read_bytes() == first

    clean = run_cli("check", *IGNORE_COMPLETENESS, "--baseline", "baseline.json", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    assert "All clear" in clean.stdout and "2 suppressed" in clean.stdout

    # Lines move (no new finding) and a new problem appears in a new stage: only that one is reported.
    (tmp_path / "stages.yaml").write_text(
        "# moved down\n" + OLD + '  - name: prod\n    canary_settings: {percent_traffic: 150}\n' + QUIET_STAGE,
        encoding="utf-8")
    new = run_cli("check", *IGNORE_COMPLETENESS, "--baseline", "baseline.json", "--quiet", cwd=tmp_path)
    assert new.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in new.stdout.splitlines()] == ["SL301"]

    sarif = json.loads(run_cli("check", *IGNORE_COMPLETENESS, "--baseline", "baseline.json", "--format", "sarif",
                               cwd=tmp_path).stdout)
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]] == ["SL301"]  # baselined: left out
    sarif = json.loads(run_cli("check", *IGNORE_COMPLETENESS, "--baseline", "baseline.json", "--format", "sarif",
                               "--sarif-suppressed", "include", cwd=tmp_path).stdout)
    kinds = {result["ruleId"]: result.get("suppressions") for result in sarif["runs"][0]["results"]}
    assert kinds["SL301"] is None
    assert kinds["SL102"] == [{"justification": "baseline", "kind": "external"}]


def test_bad_baseline_files_exit_3(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"findings": []}', encoding="utf-8")
    for name, message in (("missing.json", "baseline file not found"), ("broken.json", "not valid JSON"),
                          ("other.json", "is not a stagelint baseline")):
        completed = run_cli("check", *IGNORE_COMPLETENESS, "--baseline", name, cwd=tmp_path)
        assert completed.returncode == 3
        assert message in completed.stderr and len(completed.stderr.splitlines()) == 1


def test_stale_entries_are_reported(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text('stages:\n  - name: qa\n    cache_cluster_size: "7"\n', encoding="utf-8")
    assert run_cli("check", *SELECT, "--write-baseline", "baseline.json", cwd=tmp_path).returncode == 0
    clean = run_cli("check", *SELECT, "--baseline", "baseline.json", cwd=tmp_path)
    assert clean.returncode == 0 and "no longer match" not in clean.stdout
    # Fix both findings in stages.yaml: their two entries are stale; other.yaml's still matches.
    (tmp_path / "stages.yaml").write_text('stages:\n  - name: prod\n', encoding="utf-8")
    fixed = run_cli("check", *SELECT, "--baseline", "baseline.json", cwd=tmp_path)
    assert fixed.returncode == 0
    assert fixed.stdout.rstrip().endswith("2 baseline entries no longer match; run --write-baseline to prune.")
    summary = json.loads(run_cli("check", *SELECT, "--format", "json", "--baseline", "baseline.json",
                                 cwd=tmp_path).stdout)["summary"]
    assert summary["stale_baseline_entries"] == 2
    # A run on other files only (pre-commit) says nothing about entries of files it did not lint.
    partial = run_cli("check", *SELECT, "--baseline", "baseline.json", "other.yaml", cwd=tmp_path)
    assert "no longer match" not in partial.stdout
