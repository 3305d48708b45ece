"""Pre-commit passes single files: a Terraform module is read whole, but only the named files are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from tests.conftest import COMPLETENESS_RULES

MAIN = """variable "size" {}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = "abc123"
  deployment_id         = "d1"
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = var.size
  client_certificate_id = "c1"
}
resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1"
}
"""
SETTINGS = """resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "abc123"
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    cache_ttl_in_seconds = 7200
    cache_data_encrypted = true
  }
}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    (tmp_path / "settings.tf").write_text(SETTINGS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _found(*paths: str) -> list[tuple[str, str, int, int]]:
    report = lint(list(paths), Config(jobs=1, ignore=COMPLETENESS_RULES))
    return [(finding.rule_id, finding.position.path, finding.position.line, finding.position.column)
            for finding in report.findings]


def test_a_sibling_method_setting_is_reported_in_its_own_file(module: Path) -> None:
    assert _found("settings.tf") == [("SL103", "settings.tf", 6, 28)]
    assert _found(".") == [("SL103", "settings.tf", 6, 28)]


def test_findings_in_files_not_given_become_notes(module: Path) -> None:
    report = lint(["main.tf"], Config(jobs=1, ignore=COMPLETENESS_RULES))
    assert report.findings == ()
    messages = [note.message for note in report.notes]
    expected = "SL103 not reported: settings.tf was not among the files given"
    assert any(message.startswith(expected) for message in messages)
    # The unknown size is skipped, and said so, never guessed.
    assert any("var.size has no default" in message for message in messages)
    assert [stage.name for stage in report.stages] == ["prod"]


def test_a_suppression_in_a_sibling_file_is_used_not_reported_unused(module: Path) -> None:
    text = SETTINGS.replace("cache_ttl_in_seconds = 7200", "cache_ttl_in_seconds = 7200 # stagelint: ignore[SL103] why")
    Path("settings.tf").write_text(text, encoding="utf-8")
    for given in ("settings.tf", "."):
        report = lint([given], Config(jobs=1, extend_select=("SL900",), ignore=COMPLETENESS_RULES))
        assert report.findings == ()
        assert [finding.rule_id for finding in report.suppressed] == ["SL103"]
    Path("settings.tf").write_text(text.replace("ignore[SL103]", "ignore[SL102]"), encoding="utf-8")
    report = lint(["settings.tf"], Config(jobs=1, extend_select=("SL900",), ignore=COMPLETENESS_RULES))
    assert sorted(finding.rule_id for finding in report.findings) == ["SL103", "SL900"]


# A commit that changes only where values are written (pre-commit passes those files alone).
ORIGINS_HCL = {
    "main.tf": """resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = "abc123"
  deployment_id         = "d1"
  stage_name            = var.name
  cache_cluster_enabled = true
  cache_cluster_size    = var.size
}
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = "abc123"
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    cache_ttl_in_seconds = local.ttl
    cache_data_encrypted = true
  }
}
""",
    "variables.tf": 'variable "size" {\n  default = "6.2"\n}\nvariable "name" {}\n',
    "terraform.tfvars": 'name = "prod.v2"\n',
    "locals.tf": "locals {\n  ttl = 7200\n}\n",
}
ORIGINS_JSON = {
    "main.tf.json": """{"resource": {
  "aws_api_gateway_stage": {"prod": {
    "rest_api_id": "abc123", "deployment_id": "d1", "stage_name": "${var.name}",
    "cache_cluster_enabled": true, "cache_cluster_size": "${var.size}"}},
  "aws_api_gateway_method_settings": {"all": {
    "rest_api_id": "abc123", "stage_name": "${aws_api_gateway_stage.prod.stage_name}", "method_path": "*/*",
    "settings": {"cache_ttl_in_seconds": "${local.ttl}", "cache_data_encrypted": true}}}}}
""",
    "variables.tf.json": '{"variable": {\n  "size": {"default": "6.2"},\n  "name": {}}}\n',
    "terraform.tfvars.json": '{\n  "name": "prod.v2"}\n',
    "locals.tf.json": '{"locals": {\n  "ttl": 7200}}\n',
}
# given file → the findings reported in it (rule, line, column)
ORIGIN_FINDINGS = {
    "variables.tf": [("SL102", 2, 13)], "terraform.tfvars": [("SL001", 1, 8)], "locals.tf": [("SL103", 2, 9)],
    "variables.tf.json": [("SL102", 2, 23)], "terraform.tfvars.json": [("SL001", 2, 11)],
    "locals.tf.json": [("SL103", 2, 10)],
}


@pytest.mark.parametrize("files", [ORIGINS_HCL, ORIGINS_JSON], ids=["hcl", "json"])
def test_findings_are_reported_at_an_origin_that_is_given(files: dict[str, str], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in files:
        if given.startswith("main"):
            continue
        report = lint([given], Config(jobs=1, select=("SL001", "SL102", "SL103")))
        found = [(finding.rule_id, finding.position.line, finding.position.column) for finding in report.findings]
        assert found == ORIGIN_FINDINGS[given], given
        (finding,) = report.findings
        assert finding.position.path == given and finding.stage == "prod.v2"
        assert finding.message.endswith(f"[used by aws_api_gateway_stage.prod at {finding.related[0][1].path}:"
                                        f"{finding.related[0][1].line}:{finding.related[0][1].column}]")
        assert finding.related[0][1].path.startswith("main")
        assert [stage.name for stage in report.stages] == ["prod.v2"]  # counted, not "0 stages found"
        # The fingerprint is the one a run over the whole module gives (baselines match either way).
        whole = lint(["."], Config(jobs=1, select=("SL001", "SL102", "SL103")))
        assert finding.fingerprint in {other.fingerprint for other in whole.findings}


def test_tfvars_files_are_read_and_say_when_terraform_would_not(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in ORIGINS_HCL.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "prod.tfvars").write_text('size = "0.5"\n', encoding="utf-8")
    (tmp_path / "broken.auto.tfvars").write_text('size = \n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = lint(["prod.tfvars", "broken.auto.tfvars"], Config(jobs=1, select=("SL000", "SL102")))
    assert [(finding.rule_id, finding.position.path) for finding in report.findings] == [
        ("SL000", "broken.auto.tfvars")]
    messages = [note.message for note in report.notes]
    assert ("variable values not used: Terraform reads terraform.tfvars and *.auto.tfvars by itself, other "
            ".tfvars files only with --var-file") in messages
    assert not any("not a file type stagelint reads" in message for message in messages)
