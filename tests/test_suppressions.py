"""Inline suppressions: each form, in YAML (end to end) and HCL (the comment scanner), and SL900."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.checker import WorkUnit, decode_unit
from stagelint.suppressions import scan
from tests.conftest import COMPLETENESS_RULES, QUIET_STAGE

BROKEN = """\
stages:
  - name: test{test}
    cache_cluster_enabled: true{enabled}
{above}    cache_cluster_size: "6.2"{size}
"""


def _write(tmp_path: Path, test: str = "", enabled: str = "", above: str = "", size: str = "",
           header: str = "") -> Path:
    path = tmp_path / "stages.yaml"
    text = header + BROKEN.format(test=test, enabled=enabled, above=above, size=size) + QUIET_STAGE
    path.write_text(text, encoding="utf-8")
    return path


def _lint(tmp_path: Path, monkeypatch: object, config: Config | None = None) -> tuple[list[str], list[str]]:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    report = lint(["stages.yaml"], config or Config(ignore=COMPLETENESS_RULES))
    return ([f"{f.rule_id}@{f.position.line}" for f in report.findings],
            [f"{f.rule_id}:{f.suppressed_by}" for f in report.suppressed])


def test_without_suppressions(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path)
    assert _lint(tmp_path, monkeypatch) == (["SL003@2", "SL102@4"], [])


def test_on_the_offending_line_with_a_reason(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, size="  # stagelint: ignore[SL102] legacy cluster, TICKET-7")
    found, suppressed = _lint(tmp_path, monkeypatch)
    assert found == ["SL003@2"]
    assert suppressed == ["SL102:inline ignore[SL102]: legacy cluster, TICKET-7"]


def test_alone_on_the_line_above_by_name(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, above="    # stagelint: ignore[cache-size-invalid]\n    # an ordinary comment between\n")
    assert _lint(tmp_path, monkeypatch)[0] == ["SL003@2"]


def test_a_trailing_comment_applies_to_its_own_line_only(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, enabled="  # stagelint: ignore[SL102]")
    assert _lint(tmp_path, monkeypatch)[0] == ["SL003@2", "SL102@4"]


def test_several_rules_and_bare_ignore(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, test="  # stagelint: ignore[SL001, stage-name-reserved]", size="  # stagelint: ignore")
    assert _lint(tmp_path, monkeypatch)[0] == []


def test_ignore_file(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, header="# stagelint: ignore-file[SL102] generated file\n")
    assert _lint(tmp_path, monkeypatch)[0] == ["SL003@3"]
    _write(tmp_path, header="# stagelint: ignore-file\n")
    assert _lint(tmp_path, monkeypatch)[0] == []


def test_not_a_comment_inside_a_string(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, test='\n    description: "see # stagelint: ignore-file"')
    assert _lint(tmp_path, monkeypatch)[0] == ["SL003@2", "SL102@5"]


def test_parse_errors_cannot_be_suppressed(tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "stages.yaml").write_text('# stagelint: ignore-file\nstages:\n  - name: "prod\n', encoding="utf-8")
    assert [entry.split("@")[0] for entry in _lint(tmp_path, monkeypatch)[0]] == ["SL000"]


def test_unused_suppressions_are_sl900_when_enabled(tmp_path: Path, monkeypatch: object) -> None:
    _write(tmp_path, test="  # stagelint: ignore[SL003, SL102, SL999]", size="  # stagelint: ignore[SL102]",
           header="# stagelint: ignore-file[SL301]\n")
    assert _lint(tmp_path, monkeypatch)[0] == ["SL901@3"]  # SL900 is off by default; SL901 is on
    config = Config(extend_select=("SL900",), ignore=(*COMPLETENESS_RULES, "SL901"))
    assert _lint(tmp_path, monkeypatch, config)[0] == ["SL900@1", "SL900@3"]
    report = lint(["stages.yaml"], config)
    messages = {finding.position.line: (finding.message, finding.position) for finding in report.findings}
    # The unknown SL999 is SL901's alone: SL900 judges the rules that exist.
    assert messages[3][0] == "unused suppression `ignore[SL003,SL102,SL999]`: SL102 matches no finding here"
    assert (messages[3][1].column, messages[3][1].end_column) == (17, 57)  # the comment's span
    assert "SL301" in messages[1][0]
    # A rule that did not run cannot be judged stale (SL102 here); a rule that does not exist is SL901's.
    assert _lint(tmp_path, monkeypatch, Config(select=("SL003", "SL900")))[0] == []
    assert _lint(tmp_path, monkeypatch, Config(select=("SL003", "SL900", "SL901")))[0] == ["SL901@3"]


def test_a_suppression_naming_an_unknown_rule_is_a_warning_by_default(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, test="  # stagelint: ignore[SL1O2, stage-name-reservd, SL003]", size="")
    report = lint(["stages.yaml"], Config(select=("SL901",)))
    (finding,) = report.findings
    assert (finding.rule_id, finding.rule_name, finding.severity.value) == ("SL901", "suppression-unknown-rule",
                                                                            "warning")
    assert finding.message == ("suppression `ignore[SL1O2,stage-name-reservd,SL003]` names unknown rules "
                               "SL1O2 (did you mean `SL102`?), stage-name-reservd (did you mean "
                               "`stage-name-reserved`?): nothing is silenced for them")
    assert report.exit_code == 0  # a warning: the default --fail-on error is not reached
    assert lint(["stages.yaml"], Config(select=("SL003",), ignore=("SL901",))).findings == ()  # and SL003 is silenced


def test_json_files_are_not_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Comments are found by the decoders, from the text they already hold, per the format table."""
    monkeypatch.chdir(tmp_path)
    for name in ("template.json", "main.tf.json"):
        (tmp_path / name).write_text('{"Resources": {}, "a": "# stagelint: ignore-file"}\n', encoding="utf-8")
    (tmp_path / "main.tf").write_text('# stagelint: ignore-file\n', encoding="utf-8")
    (tmp_path / "stages.yaml").write_text('# stagelint: ignore-file\nstages:\n  - name: prod\n', encoding="utf-8")
    decoded = {result.path: result for result in [
        *decode_unit(WorkUnit("terraform", ".", ("main.tf", "main.tf.json")), Config()),
        *decode_unit(WorkUnit("document", ".", ("template.json",)), Config()),
        *decode_unit(WorkUnit("document", ".", ("stages.yaml",)), Config()),
    ]}
    assert decoded["template.json"].suppressions == () and decoded["main.tf.json"].suppressions == ()
    assert len(decoded["main.tf"].suppressions) == 1 and len(decoded["stages.yaml"].suppressions) == 1


def test_hcl_comment_forms() -> None:
    text = (
        'resource "aws_api_gateway_stage" "prod" {\n'
        '  stage_name = "test" # stagelint: ignore[SL003] legacy\n'
        '  // stagelint: ignore[SL102]\n'
        '  cache_cluster_size = "6.2"\n'
        '  description = "# stagelint: ignore[SL001]"\n'
        '}\n'
        '/* block comments are not read */\n'
        '// stagelint: ignore-file[SL002]\n'
    )
    found = [(s.position.line, s.target_line, s.codes, s.reason) for s in scan("main.tf", text, hcl=True)]
    assert found == [(2, 2, ("SL003",), "legacy"), (3, 4, ("SL102",), ""), (8, None, ("SL002",), "")]
    assert scan("main.tf", text.replace("stagelint:", "other:"), hcl=True) == []


def test_terraform_and_cloudformation_end_to_end(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    (tmp_path / "main.tf").write_text(
        'resource "aws_api_gateway_stage" "prod" {\n'
        '  stage_name    = "test" # stagelint: ignore[SL003] legacy\n'
        '  rest_api_id   = "abc"\n'
        '  deployment_id = "def"\n'
        '  cache_cluster_enabled = true\n'
        '  // stagelint: ignore[SL102]\n'
        '  cache_cluster_size = "6.2"\n'
        '  client_certificate_id = "c1"\n'
        '}\n'
        # The rest satisfies the rules this test is not about (cache encryption, WAF).
        'resource "aws_api_gateway_method_settings" "all" {\n'
        '  rest_api_id = "abc"\n  stage_name = aws_api_gateway_stage.prod.stage_name\n  method_path = "*/*"\n'
        '  settings {\n    cache_data_encrypted = true\n  }\n}\n'
        'resource "aws_wafv2_web_acl_association" "prod" {\n'
        '  resource_arn = aws_api_gateway_stage.prod.arn\n'
        '  web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1"\n}\n', encoding="utf-8")
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  Stage:\n    Type: AWS::ApiGateway::Stage\n"
        "    Metadata:\n      stagelint:\n        ignore: [SL003]\n"
        "    Properties:\n      StageName: test\n      RestApiId: abc\n      CacheClusterEnabled: true\n"
        '      CacheClusterSize: "6.2"  # stagelint: ignore[cache-size-invalid]\n'
        "      ClientCertificateId: c1\n"
        '      MethodSettings: [{ResourcePath: /*, HttpMethod: "*", CacheDataEncrypted: true}]\n'
        "  Waf:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n"
        "      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/abc/stages/${Stage}\n"
        "      WebACLArn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = lint(["."], Config(ignore=COMPLETENESS_RULES))
    assert report.findings == ()
    assert sorted((f.position.path, f.rule_id, f.suppressed_by) for f in report.suppressed) == [
        ("main.tf", "SL003", "inline ignore[SL003]: legacy"),
        ("main.tf", "SL102", "inline ignore[SL102]"),
        ("template.yaml", "SL003", "resource Metadata"),
        ("template.yaml", "SL102", "inline ignore[cache-size-invalid]"),
    ]
