"""The command line as users meet it: exit codes, output shapes, bad input, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FAILING = "examples/plain/failing.yaml"
CLEAN = "examples/plain/clean.yaml"


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("stagelint ")


def test_failing_example_text_output_and_exit_code() -> None:
    result = run_cli("check", FAILING)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert (f"{FAILING}:3:11: SL003 [error] stage name \"test\" is reserved (stage test)") in lines
    # Every rule's findings are printed (the failing example's stages also lack a client certificate
    # and cache encryption, which are warnings and infos); the nine errors are what fail the run.
    assert lines[-1].startswith(f"Found {len(lines) - 1} findings (9 errors, ")
    # Sorted by path, line, column, rule.
    positions = [tuple(int(part) for part in line.split(":")[1:3]) for line in lines[:-1]]
    assert positions == sorted(positions)


def test_clean_file_exit_zero_and_quiet_prints_nothing() -> None:
    result = run_cli("check", "--quiet", CLEAN)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    loud = run_cli("check", CLEAN)
    assert loud.returncode == 0
    assert loud.stdout.startswith("All clear: 1 file checked, 1 stage found.")


def test_json_output_shape() -> None:
    result = run_cli("check", "--format", "json", FAILING)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert set(document) == {"version", "findings", "suppressed", "errors", "summary"}
    (finding,) = [finding for finding in document["findings"] if finding["rule"] == "SL003"]
    assert set(finding) == {"rule", "name", "severity", "message", "path", "line", "column", "end_line",
                            "end_column", "stage", "fingerprint"}
    assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == ("SL003", FAILING, 3, 11)
    assert (finding["end_line"], finding["end_column"]) == (3, 15)
    assert document["summary"]["findings"] == len(document["findings"]) >= 9


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(fail_on: str, code: int) -> None:
    assert run_cli("check", "--fail-on", fail_on, FAILING).returncode == code


def test_fail_on_threshold_above_findings(tmp_path: Path) -> None:
    stage_file = tmp_path / "stages.yaml"
    stage_file.write_text("stages:\n  - name: prod-eu\n", encoding="utf-8")  # SL002 is a warning
    assert run_cli("check", str(stage_file)).returncode == 0
    assert run_cli("check", "--fail-on", "warning", str(stage_file)).returncode == 1


def test_select_and_ignore() -> None:
    only = run_cli("check", "--select", "SL102", "--format", "json", FAILING)
    assert {finding["rule"] for finding in json.loads(only.stdout)["findings"]} == {"SL102"}
    by_name = run_cli("check", "--select", "cache-size-invalid,SL3", "--format", "json", FAILING)
    assert {finding["rule"] for finding in json.loads(by_name.stdout)["findings"]} == {"SL102", "SL301"}
    ignored = run_cli("check", "--ignore", "SL1,SL4,SL5,SL6,SL7", "--format", "json", FAILING)
    assert {finding["rule"] for finding in json.loads(ignored.stdout)["findings"]} == {"SL001", "SL003", "SL201",
                                                                                       "SL301"}


def test_unknown_selector_is_a_usage_error_with_suggestion() -> None:
    result = run_cli("check", "--select", "SL999,cache-size-invalidd", CLEAN)
    assert result.returncode == 3
    assert "unknown rule selector `SL999`" in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.returncode == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    for rule_id in ("SL000", "SL001", "SL002", "SL003", "SL101", "SL102", "SL103", "SL201", "SL301", "SL401"):
        assert rule_id in ids
    as_json = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [record["id"] for record in as_json] == sorted(ids)


def test_explain_prints_the_docstring() -> None:
    from stagelint.rules import cache_size_invalid

    result = run_cli("explain", "SL102")
    assert result.returncode == 0
    assert result.stdout.startswith("# SL102 cache-size-invalid (error)")
    assert "## Why is this bad?" in result.stdout
    assert cache_size_invalid.__doc__ is not None
    assert cache_size_invalid.__doc__.strip().splitlines()[0] in result.stdout
    assert run_cli("explain", "cache-size-invalid").stdout == result.stdout


def test_explain_unknown_rule() -> None:
    result = run_cli("explain", "SL1022")
    assert result.returncode == 3
    assert "unknown rule `SL1022` (did you mean `SL102`?)" in result.stderr


def test_schema_is_json_schema_and_validates_the_examples() -> None:
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads(run_cli("schema").stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    document = YAML(typ="safe").load((REPO / CLEAN).read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02stages", "binary file"),
    (b"stages:\n  - name: [prod\n", "YAML syntax error"),
    (b"stages:\n  - name: caf\xe9\n", "not valid UTF-8"),
])
def test_bad_input_is_sl000_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    good = tmp_path / "good.yaml"
    good.write_text("stages:\n  - name: test\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert any(":" in line and " SL000 [error] " in line and message in line for line in lines), lines
    # The other file is still linted.
    assert any(" SL003 " in line for line in lines)


def test_nonexistent_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path / "nope"))
    assert result.returncode == 3
    assert "path does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_exit_3() -> None:
    result = run_cli("check", "--no-such-option")
    assert result.returncode == 3
    assert "No such option" in result.stderr


def test_same_input_same_output_byte_for_byte() -> None:
    first = run_cli("check", "--format", "json", "examples", "fixtures")
    second = run_cli("check", "--format", "json", "examples", "fixtures")
    assert first.stdout == second.stdout
    assert first.stdout.count('"fingerprint"') > 10


def test_verbose_names_skipped_files_on_stderr(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text("stages:\n  - build\n  - test\n", encoding="utf-8")
    (tmp_path / "stages.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    result = run_cli("check", "--verbose", str(tmp_path))
    assert result.returncode == 0
    assert "not a stage file" in result.stderr
    assert ".gitlab-ci.yml" in result.stderr
