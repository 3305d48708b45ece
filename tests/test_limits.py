"""Budgets: every input that could hang, exhaust memory or crash a parser gets a clear SL000.

The crash-prone cases run through the real command line in a fresh interpreter: a segfault in a C
parser would kill an in-process test run instead of failing one test.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from stagelint import checker
from stagelint.api import Config, lint
from stagelint.config import DecodeOptions
from stagelint.decoders.result import DecodedFile
from stagelint.limits import Limits
from tests.conftest import IGNORE_COMPLETENESS, QUIET_STAGE, run_cli


def _check(path: Path, *options: str) -> tuple[int, list[dict[str, object]], str]:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--format", "json", "--jobs", "1", *options, str(path))
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode in (0, 1, 2), (completed.returncode, completed.stderr)
    findings = json.loads(completed.stdout)["findings"] if completed.stdout.strip() else []
    return completed.returncode, findings, completed.stderr


def _sl000(path: Path, *options: str) -> str:
    code, findings, stderr = _check(path, *options)
    assert code == 2, stderr
    messages = [finding["message"] for finding in findings if finding["rule"] == "SL000"]
    assert len(messages) == 1, findings
    return str(messages[0])


def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("stages:\n  - name: prod\n" + QUIET_STAGE + "# padding\n" * 200_000)  # ~2 MiB
    assert "over the 1 MiB limit" in _sl000(path, "--max-file-size", "1")
    code, findings, _ = _check(path, "--max-file-size", "5")
    assert code == 0 and findings == []


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]" for level in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("stages:\n  - name: prod\n" + "\n".join(lines) + "\n")
    assert "alias" in _sl000(path)


def test_yaml_alias_to_its_own_anchor(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("stages: &s\n  - name: prod\n  - *s\n")
    code, _, _ = _check(path)
    assert code in (1, 2)  # a recursive structure is either refused or read without looping


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_deep_yaml_flow_nesting_does_not_reach_libyaml(tmp_path: Path, opening: str, closing: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("stages: " + opening * 200_000 + "x" + closing * 200_000 + "\n")
    assert "nesting deeper than 512 levels" in _sl000(path)


def test_deep_yaml_block_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep-block.yaml"
    path.write_text("stages:\n" + "- " * 100_000 + "x\n")  # block sequences nested on one line
    code, findings, _ = _check(path)
    assert code == 2 and findings[0]["rule"] == "SL000"


def test_deep_yaml_block_mapping_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep-map.yaml"
    path.write_text("stages:\n" + "".join(" " * level + "k:\n" for level in range(1, 2000)))
    code, findings, _ = _check(path)
    assert code == 2 and findings[0]["rule"] == "SL000"


def test_many_anchors_and_a_long_line(tmp_path: Path) -> None:
    anchors = "\n".join(f"a{number}: &a{number} {number}" for number in range(10_000))
    aliases = "\n".join(f"b{number}: *a{number}" for number in range(10_000))
    path = tmp_path / "anchors.yaml"
    path.write_text(f"stages:\n  - name: prod\n{QUIET_STAGE}{anchors}\n{aliases}\nlong: {'x' * 1_000_000}\n")
    code, findings, _ = _check(path)
    assert code in (0, 1, 2)
    assert all(finding["rule"] in ("SL000", "SL010") for finding in findings)


def test_deep_json_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"Resources": ' + "[" * 300_000 + "]" * 300_000 + "}")
    assert "nesting deeper than 512 levels" in _sl000(path)


def test_deep_hcl_expression_ends_with_one_outcome(tmp_path: Path) -> None:
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        'resource "aws_api_gateway_stage" "s" {\n  client_certificate_id = "c1"\n  stage_name = '
        + "(" * 100_000 + '"x"' + ")" * 100_000 + "\n}\n"
        + 'resource "aws_wafv2_web_acl_association" "s" {\n  resource_arn = aws_api_gateway_stage.s.arn\n'
        + '  web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/1"\n}\n')
    code, findings, _ = _check(module / "main.tf")
    assert code in (0, 1, 2)
    assert all(finding["rule"] == "SL000" for finding in findings)


@pytest.mark.parametrize(("busy", "message"), [
    (True, "took longer than 0.3 s of CPU time"),  # computing: the CPU-time limit
    (False, "waited longer than 3 s (wall clock"),  # waiting: the wall-clock backstop, 10 times the limit
])
def test_a_unit_that_hangs_is_cut_off_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          busy: bool, message: str) -> None:
    stuck = tmp_path / "stuck.yaml"
    fine = tmp_path / "fine.yaml"
    for path in (stuck, fine):
        path.write_text("stages:\n  - name: prod\n")
    real = checker.decode_unit

    def decode_unit(unit: checker.WorkUnit, config: Config) -> list[DecodedFile]:
        if unit.paths[0].endswith("stuck.yaml"):
            while True:  # a decoder stuck in a loop
                if not busy:
                    time.sleep(0.01)
        return real(unit, config)

    monkeypatch.setattr(checker, "decode_unit", decode_unit)
    config = Config(jobs=1, decode=DecodeOptions(limits=Limits(max_seconds_per_file=0.3)))
    report = lint([str(stuck), str(fine)], config)
    by_name = {result.path.rsplit("/", 1)[-1]: result for result in report.files}
    assert by_name["stuck.yaml"].failed
    assert message in by_name["stuck.yaml"].findings[0].message
    assert not by_name["fine.yaml"].failed


def test_timeout_option_reaches_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "stages.yaml"
    path.write_text("stages:\n  - name: prod\n" + QUIET_STAGE)
    code, findings, stderr = _check(path, "--timeout", "0")
    assert code == 0 and findings == [], stderr
