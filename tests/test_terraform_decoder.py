"""The Terraform module decoder at its own level: values, states, reasons and exact positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from stagelint.config import DecodeOptions
from stagelint.decoders.result import DecodedFile
from stagelint.decoders.terraform import decode_module
from stagelint.model import ApiKind, SettingScope, Stage


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes],
            reported: tuple[str, ...] = ("main.tf",), options: DecodeOptions | None = None) -> list[DecodedFile]:
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return decode_module(".", reported, options or DecodeOptions())


def _one_stage(decoded: list[DecodedFile]) -> Stage:
    assert not decoded[0].failures, decoded[0].failures
    assert len(decoded[0].stages) == 1
    return decoded[0].stages[0]


STAGE = '''resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.api.id
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = local.cache_gb
  xray_tracing_enabled  = var.tracing
  variables = {
    env = "production"
  }
}
'''


def test_values_positions_and_origin_through_a_local_in_another_file(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {
        "main.tf": STAGE, "locals.tf": 'locals {\n\n  cache_gb = "5"\n}\n',
        "variables.tf": 'variable "tracing" {\n  default = true\n}\n',
    })
    stage = _one_stage(decoded)
    assert stage.address == "aws_api_gateway_stage.prod"
    assert stage.api_kind is ApiKind.REST
    assert stage.name.get() == "prod"
    assert (stage.name.position.line, stage.name.position.column) == (3, 27)
    assert stage.api.get() == "aws_api_gateway_rest_api.api.id"
    size = stage.cache_cluster_size
    assert size.get() == "5"
    # The finding points at the attribute; the message names where the value is written.
    assert (size.position.path, size.position.line, size.position.column) == ("main.tf", 5, 27)
    assert size.origin is not None and size.origin.position.path == "locals.tf"
    assert size.describe() == 'cache_cluster_size = local.cache_gb → "5" (locals.tf:3)'
    assert stage.tracing_enabled.get() is True
    assert stage.tracing_enabled.origin is not None
    assert stage.tracing_enabled.origin.position.label() == "variables.tf:2"
    variables = stage.variables.get()
    assert [(item.name.get(), item.value.get()) for item in variables] == [("env", "production")]


def test_variable_without_default_is_unknown_with_a_note(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {
        "main.tf": STAGE, "locals.tf": "locals {\n  cache_gb = var.size\n}\n",
        "variables.tf": 'variable "size" {\n  type = string\n}\nvariable "tracing" {}\n',
    })
    stage = _one_stage(decoded)
    assert stage.cache_cluster_size.is_unknown
    assert stage.cache_cluster_size.reason is not None and "var.size has no default" in stage.cache_cluster_size.reason
    notes = [note for note in decoded[0].notes if "cache_cluster_size" in note.message]
    assert len(notes) == 1 and notes[0].position is not None and notes[0].position.line == 5
    assert any("tracing_enabled" in note.message and "var.tracing" in note.message for note in decoded[0].notes)


def test_tfvars_auto_tfvars_var_files_and_vars_override_in_order(tmp_path: Path, monkeypatch) -> None:
    files = {"main.tf": STAGE.replace("local.cache_gb", "var.size"),
             "variables.tf": 'variable "size" {\n  default = "0.5"\n}\nvariable "tracing" {\n  default = false\n}\n',
             "terraform.tfvars": 'size = "1.6"\n', "b.auto.tfvars": 'size = "6.1"\n', "extra.tfvars": 'size = "13.5"\n'}
    stage = _one_stage(_module(tmp_path, monkeypatch, files))
    assert stage.cache_cluster_size.get() == "6.1"
    assert stage.cache_cluster_size.origin is not None
    assert stage.cache_cluster_size.origin.position.label() == "b.auto.tfvars:1"
    stage = _one_stage(decode_module(".", ("main.tf",), DecodeOptions(terraform_var_files=("extra.tfvars",))))
    assert stage.cache_cluster_size.get() == "13.5"
    options = DecodeOptions(terraform_var_files=("extra.tfvars",), terraform_vars=(("size", "28.4"),))
    stage = _one_stage(decode_module(".", ("main.tf",), options))
    assert stage.cache_cluster_size.get() == "28.4"


def test_conflicting_duplicate_definitions_are_unknown(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {
        "main.tf": STAGE, "a.tf": 'locals {\n  cache_gb = "0.5"\n}\n', "b.tf": 'locals {\n  cache_gb = "237"\n}\n',
        "variables.tf": 'variable "tracing" {\n  default = true\n}\n',
    })
    size = _one_stage(decoded).cache_cluster_size
    assert size.is_unknown and size.reason is not None
    assert "more than once with different values (a.tf:2, b.tf:2)" in size.reason


def test_identical_duplicate_definitions_are_fine(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {
        "main.tf": STAGE, "a.tf": 'locals {\n  cache_gb = "0.5"\n}\n', "b.tf": 'locals {\n  cache_gb = "0.5"\n}\n',
    })
    assert _one_stage(decoded).cache_cluster_size.get() == "0.5"


def test_interpolation_tostring_tonumber_and_unknown_functions(tmp_path: Path, monkeypatch) -> None:
    main = '''variable "env" {
  default = "prod"
}
resource "aws_api_gateway_stage" "s" {
  stage_name         = "${var.env}-x"
  description        = tostring(5)
  cache_cluster_size = tonumber("0.5")
  tags               = merge(var.tags, {})
  canary_settings {
    percent_traffic = 10
  }
}
'''
    stage = _one_stage(_module(tmp_path, monkeypatch, {"main.tf": main}))
    assert stage.name.get() == "prod-x"
    assert stage.name.origin is not None and stage.name.origin.position.line == 2
    assert stage.description.get() == "5"
    assert stage.cache_cluster_size.get() == "0.5"
    assert stage.tags.is_unknown and stage.tags.reason == "function merge() is not evaluated by stagelint"
    assert stage.canary is not None and stage.canary.percent_traffic.get() == 10.0


def test_method_settings_joined_by_reference_from_another_file(tmp_path: Path, monkeypatch) -> None:
    settings = '''resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "users/GET"
  settings {
    cache_ttl_in_seconds   = 4000
    throttling_rate_limit  = -1
    throttling_burst_limit = 20
  }
}
'''
    decoded = _module(tmp_path, monkeypatch, {"main.tf": STAGE, "settings.tf": settings})
    stage = _one_stage(decoded)
    [setting] = stage.method_settings
    assert setting.address == "aws_api_gateway_method_settings.all"
    assert setting.scope is SettingScope.METHOD
    assert setting.method_path.get() == "users/GET"
    ttl = setting.cache_ttl_in_seconds
    assert ttl.get() == 4000
    assert (ttl.position.path, ttl.position.line, ttl.position.column) == ("settings.tf", 6, 30)
    assert setting.throttling_rate_limit.is_absent  # -1 means "not set"
    assert setting.throttling_burst_limit.get() == 20


def test_method_settings_joined_by_literal_and_unjoinable_ones_are_notes(tmp_path: Path, monkeypatch) -> None:
    settings = '''resource "aws_api_gateway_method_settings" "literal" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "*/*"
}
resource "aws_api_gateway_method_settings" "elsewhere" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "staging"
  method_path = "*/*"
}
'''
    decoded = _module(tmp_path, monkeypatch, {"main.tf": STAGE + settings})
    stage = _one_stage(decoded)
    assert [setting.address for setting in stage.method_settings] == ["aws_api_gateway_method_settings.literal"]
    assert any("method_settings.elsewhere is not linted" in note.message for note in decoded[0].notes)


def test_v2_stage_route_settings_api_kind_and_waf(tmp_path: Path, monkeypatch) -> None:
    main = '''resource "aws_apigatewayv2_api" "api" {
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_stage" "default" {
  api_id = aws_apigatewayv2_api.api.id
  name   = "$default"
  default_route_settings {
    throttling_burst_limit = 10
  }
  route_settings {
    route_key            = "GET /items"
    throttling_rate_limit = 5
  }
}
resource "aws_wafv2_web_acl_association" "waf" {
  resource_arn = aws_apigatewayv2_stage.default.arn
  web_acl_arn  = aws_wafv2_web_acl.acl.arn
}
'''
    stage = _one_stage(_module(tmp_path, monkeypatch, {"main.tf": main}))
    assert stage.api_kind is ApiKind.HTTP
    assert stage.name.get() == "$default"
    scopes = [(setting.scope, setting.route_key.value) for setting in stage.method_settings]
    assert scopes == [(SettingScope.DEFAULT_ROUTE, None), (SettingScope.ROUTE, "GET /items")]
    assert stage.web_acl_arn.get() == "aws_wafv2_web_acl.acl.arn"


def test_deployment_with_stage_name_creates_a_stage(tmp_path: Path, monkeypatch) -> None:
    main = 'resource "aws_api_gateway_deployment" "d" {\n  rest_api_id = "x"\n  stage_name = "dev"\n}\n'
    stage = _one_stage(_module(tmp_path, monkeypatch, {"main.tf": main}))
    assert stage.address == "aws_api_gateway_deployment.d" and stage.name.get() == "dev"


def test_crlf_bom_and_non_ascii_columns_are_code_points(tmp_path: Path, monkeypatch) -> None:
    text = ('resource "aws_api_gateway_stage" "p" {\r\n'
            '  description = "café ☕"\r\n  stage_name = "prod" # ünïcode\r\n'
            '  tags = { "é" = "ü", k = "v" }   \r\n  cache_cluster_size = "é"\r\n}\r\n')
    stage = _one_stage(_module(tmp_path, monkeypatch, {"main.tf": b"\xef\xbb\xbf" + text.encode("utf-8")}))
    assert stage.description.get() == "café ☕"
    assert (stage.name.position.line, stage.name.position.column) == (3, 16)
    description = stage.description.position
    assert (description.line, description.column, description.end_column) == (2, 17, 25)
    assert stage.tags.get() == {"é": "ü", "k": "v"}
    assert (stage.cache_cluster_size.position.line, stage.cache_cluster_size.position.column) == (5, 24)


def test_heredoc_with_trailing_spaces_after_the_marker(tmp_path: Path, monkeypatch) -> None:
    main = ('resource "aws_api_gateway_stage" "p" {\n  stage_name = "prod"\n'
            '  description = <<EOT\n  two\n  lines\nEOT   \n}\n')
    stage = _one_stage(_module(tmp_path, monkeypatch, {"main.tf": main}))
    assert stage.description.get() == "  two\n  lines\n"


def test_syntax_error_in_reported_file_and_sibling(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {
        "main.tf": STAGE.replace('= "prod"', '= "prod'), "other.tf": STAGE.replace("prod", "other"),
        "broken.tf": "locals {\n", "latin.tf": b'locals {\n  a = "\xe9"\n}\n',
    }, reported=("main.tf", "other.tf"))
    [main, other] = decoded
    assert not main.stages and len(main.failures) == 1
    failure = main.failures[0]
    assert failure.position is not None and (failure.position.line, failure.position.column) == (3, 27)
    assert "unterminated string" in failure.message
    assert len(other.stages) == 1 and not other.failures  # the rest of the module is still linted
    assert any(note.path == "broken.tf" for note in other.notes)
    assert any(note.path == "latin.tf" and "UTF-8" in note.message for note in other.notes)


def test_empty_files(tmp_path: Path, monkeypatch) -> None:
    decoded = _module(tmp_path, monkeypatch, {"main.tf": "", "main.tf.json": ""},
                      reported=("main.tf", "main.tf.json"))
    assert decoded[0].format == "terraform" and not decoded[0].failures and not decoded[0].stages
    assert decoded[1].failures and decoded[1].failures[0].message == "empty file"


def test_tf_json_positions_and_interpolation(tmp_path: Path, monkeypatch) -> None:
    main = '''{
  "variable": {"size": {"default": "0.5"}},
  "resource": {
    "aws_api_gateway_stage": {
      "prod": {
        "//": "generated",
        "stage_name": "prod",
        "cache_cluster_size": "${var.size}",
        "canary_settings": {"percent_traffic": 7}
      }
    }
  }
}
'''
    decoded = _module(tmp_path, monkeypatch, {"main.tf.json": main}, reported=("main.tf.json",))
    assert decoded[0].format == "terraform-json"
    stage = _one_stage(decoded)
    assert (stage.name.position.line, stage.name.position.column) == (7, 23)
    assert stage.cache_cluster_size.get() == "0.5"
    assert stage.cache_cluster_size.origin is not None
    assert stage.cache_cluster_size.origin.position.label() == "main.tf.json:2"
    assert stage.canary is not None and stage.canary.percent_traffic.get() == 7.0


def test_count_zero_and_dynamic_blocks(tmp_path: Path, monkeypatch) -> None:
    main = '''resource "aws_api_gateway_stage" "off" {
  count      = 0
  stage_name = "off"
}
resource "aws_api_gateway_stage" "on" {
  stage_name = "on"
  dynamic "canary_settings" {
    for_each = var.canaries
    content {
      percent_traffic = 500
    }
  }
}
'''
    decoded = _module(tmp_path, monkeypatch, {"main.tf": main, "v.tf": 'variable "canaries" {}\n'})
    stage = _one_stage(decoded)
    assert stage.address == "aws_api_gateway_stage.on"
    assert stage.canary is not None and stage.canary.percent_traffic.is_unknown  # never a guess
    assert any("count = 0" in note.message for note in decoded[0].notes)
