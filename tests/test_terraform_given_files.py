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
