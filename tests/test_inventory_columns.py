"""The inventory's detailed columns (issue 14, "Inventory"): each value as written, `?` (JSON null plus
the reason) when it cannot be told, `-` (null with no reason) when it is not set; never a guess."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stagelint.api import Config, lint
from stagelint.inventory import COLUMNS, FIELDS, csv_rows, render_csv, render_json, render_markdown, render_text, rows

DETAILED = """stages:
  - name: prod
    api: orders
    cache_cluster_enabled: true
    cache_cluster_size: "0.5"
    throttling_rate_limit: 500
    throttling_burst_limit: 1000
    xray_tracing_enabled: true
    client_certificate_id: cert-1
    web_acl_arn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1
    access_log_settings:
      destination_arn: arn:aws:logs:eu-west-1:123456789012:log-group:access
      format: "$context.requestId"
    canary_settings:
      percent_traffic: 10
    variables:
      a: "1"
      b: "2"
      c: "3"
    method_settings:
      - {resource_path: /*, http_method: "*", logging_level: INFO, cache_ttl_in_seconds: 300,
         data_trace_enabled: false}
      - {resource_path: /orders, http_method: GET, cache_ttl_in_seconds: 60, throttling_rate_limit: 50}
      - {resource_path: /users, http_method: GET, data_trace_enabled: true, throttling_burst_limit: 5}
  - name: v1
"""

UNKNOWN = """Parameters:
  Ttl:
    Type: Number
  Cert:
    Type: String
Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      ClientCertificateId: !Ref Cert
      MethodSettings:
        - ResourcePath: /*
          HttpMethod: "*"
          CacheTtlInSeconds: !Ref Ttl
"""


def _record(records: list[dict[str, object]], name: str) -> dict[str, object]:
    return next(record for record in records if record["name"] == name)


def test_detailed_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(DETAILED, encoding="utf-8")
    report = lint(["stages.yaml"], Config())
    records = json.loads(render_json(report))["stages"]
    prod = _record(records, "prod")
    assert {key: prod[key] for key in (
        "api", "cache_ttl_min", "cache_ttl_max", "throttling_rate_limit", "throttling_burst_limit",
        "method_throttling", "access_log_destination", "logging_level", "data_trace", "canary_percent",
        "web_acl_arn", "client_certificate_id", "variables", "estimated_monthly_cost")} == {
        "api": "orders", "cache_ttl_min": 60, "cache_ttl_max": 300, "throttling_rate_limit": 500,
        "throttling_burst_limit": 1000, "method_throttling": 2,
        "access_log_destination": "arn:aws:logs:eu-west-1:123456789012:log-group:access", "logging_level": "INFO",
        "data_trace": True, "canary_percent": 10,
        "web_acl_arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1",
        "client_certificate_id": "cert-1", "variables": 3, "estimated_monthly_cost": 14.6}
    assert prod["unknown"] == {}
    bare = _record(records, "v1")
    assert bare["cache_ttl_min"] is None and bare["access_log_destination"] is None and bare["unknown"] == {}
    assert bare["variables"] == 0 and bare["method_throttling"] == 0 and bare["data_trace"] is False
    table = dict(zip(COLUMNS, rows(report)[0], strict=True))
    assert table["ttl"] == "60-300" and table["throttle"] == "500/1000" and table["method-thr"] == "2"
    assert table["exec-log"] == "INFO" and table["data-trace"] == "yes" and table["canary"] == "10%"
    assert table["cert"] == "cert-1" and table["vars"] == "3" and table["$/month"] == "14.60"
    bare_row = dict(zip(COLUMNS, rows(report)[1], strict=True))
    assert bare_row["ttl"] == "-" and bare_row["throttle"] == "-" and bare_row["access-log"] == "-"


def test_unknown_values_are_question_marks_with_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("template.yaml").write_text(UNKNOWN, encoding="utf-8")
    report = lint(["template.yaml"], Config())
    (record,) = json.loads(render_json(report))["stages"]
    assert record["cache_ttl_min"] is None and record["client_certificate_id"] is None
    assert "Ttl" in record["unknown"]["cache_ttl_min"] and "Cert" in record["unknown"]["client_certificate_id"]
    (row,) = rows(report)
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["ttl"] == "?" and cells["cert"] == "?"
    (csv_row,) = csv_rows(report)
    assert csv_row["cache_ttl_min"] == "?" and csv_row["access_log_destination"] == "-"


def test_every_column_is_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(DETAILED, encoding="utf-8")
    report = lint(["stages.yaml"], Config())
    assert render_text(report).splitlines()[0].split() == list(COLUMNS)
    assert render_markdown(report).splitlines()[0] == "| " + " | ".join(COLUMNS) + " |"
    header = next(csv.reader(io.StringIO(render_csv(report))))
    assert header == list(FIELDS)
    assert set(FIELDS) <= set(json.loads(render_json(report))["stages"][0])


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_the_wide_table_fits_the_terminal(width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stages.yaml").write_text(DETAILED, encoding="utf-8")
    lines = render_text(lint(["stages.yaml"], Config()), width=width).splitlines()
    assert all(len(line) <= width for line in lines[:3]), lines[:3]
    assert any(line.startswith("(not shown at ") for line in lines)  # the footer names what was left out
