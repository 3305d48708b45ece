"""SARIF output: valid against the official 2.1.0 schema, and carrying every field GitHub code scanning
requires (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import IGNORE_COMPLETENESS, QUIET_STAGE, REPO, SCHEMAS, run_cli


@pytest.fixture(scope="module")
def fixtures_sarif() -> tuple[str, dict[str, Any]]:
    # Every fixture, every rule (SL900 too), so rules, results, suppressions and SL000 all appear.
    completed = run_cli("check", "--format", "sarif", "--extend-select", "SL900", "fixtures", "examples")
    assert completed.returncode == 2, completed.stderr  # fixtures/_parse holds unparseable files
    assert completed.stderr == ""
    return completed.stdout, json.loads(completed.stdout)


def _assert_valid(document: dict[str, Any]) -> None:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])


def test_validates_against_the_official_schema(fixtures_sarif: tuple[str, dict[str, Any]]) -> None:
    _assert_valid(fixtures_sarif[1])


def test_driver_and_rules(fixtures_sarif: tuple[str, dict[str, Any]]) -> None:
    document = fixtures_sarif[1]
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "stagelint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    from stagelint.registry import load_rules

    rules = {rule.id: rule for rule in load_rules().rules}
    assert [rule["id"] for rule in driver["rules"]] == [rule["id"] for rule in listed]
    for rule in driver["rules"]:
        assert rule["id"] and rule["name"]
        assert rule["shortDescription"]["text"].endswith((".", "!", "?"))
        assert rule["fullDescription"]["text"]
        assert "What it does" in rule["help"]["text"] and "## What it does" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list) and rule["properties"]["tags"]
        # GitHub shows shortDescription beside each alert: the one-line title, not a paragraph.
        spec = rules[rule["id"]]
        assert rule["shortDescription"]["text"] == spec.doc.title and "\n" not in spec.doc.title
        assert len(rule["shortDescription"]["text"]) <= 120
        assert rule["helpUri"] == f"https://github.com/stagelint/stagelint/blob/main/docs/rules/{rule['id']}.md"
        assert (REPO / "docs" / "rules" / f"{rule['id']}.md").is_file()
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        expected = {"error": "error", "warning": "warning", "note": "recommendation"}
        assert rule["properties"]["problem.severity"] == expected[rule["defaultConfiguration"]["level"]]
        if "security" not in rule["properties"]["tags"]:
            assert "security-severity" not in rule["properties"]  # only security rules carry one
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert by_id["SL102"]["defaultConfiguration"]["level"] == "error"
    assert by_id["SL002"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["SL900"]["defaultConfiguration"]["enabled"] is False


def test_results(fixtures_sarif: tuple[str, dict[str, Any]]) -> None:
    (run,) = fixtures_sarif[1]["runs"]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {result["ruleId"] for result in results} >= {"SL000", "SL001", "SL002", "SL003", "SL101", "SL102",
                                                         "SL103", "SL201", "SL301", "SL401"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith("/") and "\\" not in artifact["uri"]
        assert (REPO / artifact["uri"]).is_file()
        region = location["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        assert len(result["partialFingerprints"]["stagelint/v1"]) == 32
    fingerprints = [result["partialFingerprints"]["stagelint/v1"] for result in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_parse_errors_are_notifications_too(fixtures_sarif: tuple[str, dict[str, Any]]) -> None:
    (run,) = fixtures_sarif[1]["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False  # some input could not be parsed (exit code 2)
    notifications = invocation["toolExecutionNotifications"]
    parse_results = [result for result in run["results"] if result["ruleId"] == "SL000"]
    assert len(notifications) == len(parse_results) >= 4
    for notification in notifications:
        assert notification["level"] == "error"
        assert notification["associatedRule"]["id"] == "SL000"
        artifact = notification["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uri"].startswith("fixtures/_parse/")


def test_same_input_same_bytes(fixtures_sarif: tuple[str, dict[str, Any]]) -> None:
    again = run_cli("check", "--format", "sarif", "--extend-select", "SL900", "fixtures", "examples")
    assert again.stdout == fixtures_sarif[0]


def _sarif(directory: Path, *args: str) -> dict[str, Any]:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "sarif", *args, ".", cwd=directory)
    assert completed.returncode in (0, 1), completed.stderr
    document: dict[str, Any] = json.loads(completed.stdout)
    return document


def test_fingerprints_survive_unrelated_edits(tmp_path: Path) -> None:
    stage = tmp_path / "stages.yaml"
    stage.write_text('stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
                     + QUIET_STAGE, encoding="utf-8")
    before = _sarif(tmp_path)["runs"][0]["results"]
    stage.write_text('# a comment\n\n# moved everything down\nstages:\n  - name: prod\n'
                     '    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n' + QUIET_STAGE, encoding="utf-8")
    after = _sarif(tmp_path)["runs"][0]["results"]
    (first,), (second,) = before, after
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert second["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert first["partialFingerprints"] == second["partialFingerprints"]


SUPPRESSED = ('stages:\n  - name: prod\n    cache_cluster_enabled: true\n'
              '    cache_cluster_size: "6.2"  # stagelint: ignore[SL102] legacy cluster, TICKET-7\n' + QUIET_STAGE)


def test_suppressed_and_baselined_findings_are_left_out_by_default(tmp_path: Path) -> None:
    # GitHub code scanning ignores `suppressions`: each such result would be an open alert.
    (tmp_path / "stages.yaml").write_text(SUPPRESSED, encoding="utf-8")
    document = _sarif(tmp_path)
    _assert_valid(document)
    assert document["runs"][0]["results"] == []
    (tmp_path / "baselined.yaml").write_text('stages:\n  - name: qa\n    cache_cluster_size: "7"\n' + QUIET_STAGE,
                                             encoding="utf-8")
    assert run_cli("check", "--write-baseline", "baseline.json", ".", cwd=tmp_path).returncode == 0
    (tmp_path / "new.yaml").write_text('stages:\n  - name: dev\n    cache_cluster_size: "8"\n' + QUIET_STAGE,
                                       encoding="utf-8")
    results = _sarif(tmp_path, "--baseline", "baseline.json")["runs"][0]["results"]
    assert {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results} == {"new.yaml"}
    assert all("suppressions" not in result for result in results)
    included = _sarif(tmp_path, "--baseline", "baseline.json", "--sarif-suppressed", "include")
    _assert_valid(included)
    kinds = {result["suppressions"][0]["kind"] for result in included["runs"][0]["results"]
             if "suppressions" in result}
    assert kinds == {"external", "inSource"}


def test_suppressed_findings_carry_suppressions_when_included(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(SUPPRESSED, encoding="utf-8")
    document = _sarif(tmp_path, "--sarif-suppressed", "include")
    _assert_valid(document)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "SL102"
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "inSource"
    assert "legacy cluster, TICKET-7" in suppression["justification"]


def test_security_severity_for_rules_that_declare_it() -> None:
    import types

    from stagelint.formatters.sarif import rule_descriptor
    from stagelint.registry import validate_rule
    from stagelint.rules import cache_size_invalid

    module = types.ModuleType("security_rule", cache_size_invalid.__doc__)
    module.__dict__.update(ID="XS001", NAME="security-rule", DEFAULT_SEVERITY="error", TAGS=("auth",),
                           SECURITY_SEVERITY=7.5, check=cache_size_invalid.check)
    descriptor = rule_descriptor(validate_rule(module, "test"))
    assert descriptor["properties"]["security-severity"] == "7.5"
    assert "helpUri" not in descriptor  # a plugin without HELP_URI has no page of ours
    module.HELP_URI = "https://example.com/XS001"
    assert rule_descriptor(validate_rule(module, "test"))["helpUri"] == "https://example.com/XS001"
    assert "security" in descriptor["properties"]["tags"]


def test_related_location_for_the_value_origin(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "size" {\n  default = "6.2"\n}\n', encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        'resource "aws_api_gateway_stage" "prod" {\n  stage_name            = "prod"\n'
        '  rest_api_id           = "abc"\n  deployment_id         = "def"\n'
        '  cache_cluster_enabled = true\n  cache_cluster_size    = var.size\n}\n', encoding="utf-8")
    document = _sarif(tmp_path, "--select", "SL102")
    _assert_valid(document)
    (result,) = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "main.tf"
    assert result["message"]["text"].endswith("(value from [var.size](1))")
    (related,) = result["relatedLocations"]
    assert related["id"] == 1 and related["message"]["text"] == "var.size"
    assert related["physicalLocation"]["artifactLocation"] == {"uri": "variables.tf", "uriBaseId": "%SRCROOT%"}
    assert related["physicalLocation"]["region"]["startLine"] == 2
    # A value written where it is reported has no related location.
    (tmp_path / "variables.tf").unlink()
    (tmp_path / "main.tf").write_text((tmp_path / "main.tf").read_text(encoding="utf-8").replace('var.size', '"6.2"'),
                                      encoding="utf-8")
    (plain,) = _sarif(tmp_path, "--select", "SL102")["runs"][0]["results"]
    assert "relatedLocations" not in plain and "value from" not in plain["message"]["text"]
