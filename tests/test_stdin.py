"""`stagelint check - --stdin-filename PATH`: the buffer of an editor, linted as if it were PATH."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_cli

NATIVE = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'
CLOUDFORMATION = ('Resources:\n  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n'
                  '      RestApiId: abc123\n      StageName: prod\n      CacheClusterSize: "6.2"\n')
TERRAFORM = ('resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "abc123"\n  deployment_id = "d1"\n'
             '  stage_name    = "prod"\n  cache_cluster_size = var.size\n}\n')


def _findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int]]:
    stdout = completed.stdout
    return [(item["rule"], item["path"], item["line"]) for item in json.loads(stdout)["findings"]]


def _check(tmp_path: Path, text: str, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("check", "--select", "SL102", "--format", "json", *args, "-", "--stdin-filename", name,
                   cwd=tmp_path, input_text=text)


def test_yaml_from_stdin_is_reported_under_its_name(tmp_path: Path) -> None:
    completed = _check(tmp_path, NATIVE, "infra/api.yaml")  # the file does not exist: an unsaved buffer
    assert completed.returncode == 1
    assert _findings(completed) == [("SL102", "infra/api.yaml", 4)]


def test_the_name_decides_the_format(tmp_path: Path) -> None:
    assert _findings(_check(tmp_path, CLOUDFORMATION, "template.yaml")) == [("SL102", "template.yaml", 7)]
    # The same text named as the native format holds no `stages`: nothing to report.
    assert _findings(_check(tmp_path, CLOUDFORMATION, "stages.txt")) == []


def test_terraform_from_stdin_reads_the_module_around_it(tmp_path: Path) -> None:
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "variables.tf").write_text('variable "size" {\n  default = "6.2"\n}\n', encoding="utf-8")
    # On disk main.tf is fine; the buffer (stdin) is what is linted.
    (tmp_path / "stack" / "main.tf").write_text(TERRAFORM.replace("var.size", '"0.5"'), encoding="utf-8")
    assert _findings(_check(tmp_path, TERRAFORM, "stack/main.tf")) == [("SL102", "stack/main.tf", 5)]


def test_full_format_shows_the_buffer_not_the_file_on_disk(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(NATIVE.replace("6.2", "0.5"), encoding="utf-8")
    completed = run_cli("check", "--select", "SL102", "--format", "full", "-", "--stdin-filename", "api.yaml",
                        cwd=tmp_path, input_text=NATIVE)
    assert ' 4 |     cache_cluster_size: "6.2"' in completed.stdout


def test_configuration_applies_to_the_name(tmp_path: Path) -> None:
    (tmp_path / ".stagelint.toml").write_text('exclude = ["legacy/"]\n[per-file-ignores]\n"sandbox/*" = ["SL102"]\n',
                                               encoding="utf-8")
    assert _findings(_check(tmp_path, NATIVE, "sandbox/api.yaml")) == []  # per-file-ignores
    # excludes apply to a named file (stdin's too) with --force-exclude, which editor integrations pass, as ruff
    assert _findings(_check(tmp_path, NATIVE, "legacy/api.yaml")) == [("SL102", "legacy/api.yaml", 4)]
    assert _findings(_check(tmp_path, NATIVE, "legacy/api.yaml", "--force-exclude")) == []


def test_bad_input_from_stdin_is_one_sl000(tmp_path: Path) -> None:
    completed = run_cli("check", "--format", "json", "-", "--stdin-filename", "api.yaml", cwd=tmp_path,
                        input_text='stages:\n  - name: "prod\n')
    assert completed.returncode == 2
    assert [rule for rule, _, _ in _findings(completed)] == ["SL000"]


def test_usage_errors(tmp_path: Path) -> None:
    for args, message in ((("-",), "needs --stdin-filename"), (("-", "other.yaml", "--stdin-filename", "a.yaml"),
                          "cannot be combined"), (("a.yaml", "--stdin-filename", "b.yaml"), "give `-`")):
        completed = run_cli("check", *args, cwd=tmp_path, input_text=NATIVE)
        assert completed.returncode == 3 and message in completed.stderr, completed.stderr
    # --stdin-filename alone reads stdin, as ruff does
    assert _findings(run_cli("check", "--select", "SL102", "--format", "json", "--stdin-filename", "a.yaml",
                             cwd=tmp_path, input_text=NATIVE)) == [("SL102", "a.yaml", 4)]
