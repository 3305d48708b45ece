"""Configuration keys for what was command-line only, the command line beating them, and errors that
name the file relative to the working directory, with the line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stagelint.config_files import load_config
from stagelint.limits import MIB
from tests.conftest import run_cli

BIG_SIZE = 'stages:\n  - name: prod\n    cache_cluster_size: "6.2"\n'


def test_each_key_is_read(tmp_path: Path) -> None:
    (tmp_path / "envs").mkdir()
    path = tmp_path / ".stagelint.toml"
    path.write_text('max-file-size = 2\ntimeout = 0.5\njobs = 3\nvar-files = ["envs/prod.tfvars"]\n'
                    'respect-gitignore = false\nformat = ["concise", "sarif:out.sarif"]\n', encoding="utf-8")
    config = load_config(path, cwd=str(tmp_path / "envs"))
    assert config.decode.limits.max_file_bytes == 2 * MIB and config.decode.limits.max_seconds_per_file == 0.5
    assert config.jobs == 3 and config.respect_gitignore is False
    assert config.decode.terraform_var_files == ("prod.tfvars",)  # relative to the file, re-anchored to the cwd
    assert config.formats == ("concise", "sarif:out.sarif")


def _run(tmp_path: Path, config: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / ".stagelint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "stages.yaml").write_text(BIG_SIZE, encoding="utf-8")
    return run_cli("check", "--select", "SL000,SL102", *args, cwd=tmp_path)


def test_format_from_the_file_and_the_command_line_beats_it(tmp_path: Path) -> None:
    completed = _run(tmp_path, 'format = "json"\n')
    assert json.loads(completed.stdout)["findings"][0]["rule"] == "SL102"
    assert _run(tmp_path, 'format = "json"\n', "--format", "concise").stdout.startswith(
        "stages.yaml:3:25: SL102")


def test_max_file_size_and_timeout_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(BIG_SIZE + "#" * (MIB + 10) + "\n", encoding="utf-8")
    completed = _run(tmp_path, "max-file-size = 1\n", "big.yaml")
    assert "over the 1 MiB limit" in completed.stdout
    assert "SL000" not in _run(tmp_path, "max-file-size = 1\n", "--max-file-size", "2", "big.yaml").stdout


def test_respect_gitignore_from_the_file_and_back_on_the_command_line(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("stages.yaml\n", encoding="utf-8")
    assert "SL102" in _run(tmp_path, "respect-gitignore = false\n").stdout
    assert "SL102" not in _run(tmp_path, "respect-gitignore = false\n", "--gitignore").stdout


def test_var_files_from_the_file_then_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "size" {}\nresource "aws_api_gateway_stage" "p" {\n'
                                      '  stage_name = "prod"\n  cache_cluster_size = var.size\n}\n', encoding="utf-8")
    (tmp_path / "a.tfvars").write_text('size = "6.2"\n', encoding="utf-8")
    (tmp_path / "b.tfvars").write_text('size = "0.5"\n', encoding="utf-8")
    assert "SL102" in _run(tmp_path, 'var-files = ["a.tfvars"]\n', "main.tf").stdout
    # --var-file comes after the configured ones: Terraform lets the later file win.
    assert "SL102" not in _run(tmp_path, 'var-files = ["a.tfvars"]\n', "--var-file", "b.tfvars", "main.tf").stdout


@pytest.mark.parametrize(("name", "text", "message"), [
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.stagelint]\nselect = ["SL1"]\nignor = ["SL2"]\n',
     "../pyproject.toml:6: unknown key `ignor` (did you mean `ignore`?)"),
    ("pyproject.toml", '[tool.stagelint]\nselect = ["SL1"]\n\n[tool.stagelint.rules.SL003]\nreserved-name = []\n',
     "../pyproject.toml:5: `rules.SL003`: unknown option `reserved-name` for rule SL003"),
    (".stagelint.toml", 'select = ["SL1"]\n[severity]\nSL1022 = "error"\n',
     "../.stagelint.toml:3: unknown rule `SL1022` in `severity` (did you mean `SL102`?)"),
    (".stagelint.yaml", "select: [SL1]\njobs: true\n", "../.stagelint.yaml:2: `jobs` must be a whole number"),
    (".stagelint.toml", 'timeout = -1\n', "../.stagelint.toml:1: `timeout` must be a number of at least 0"),
    (".stagelint.toml", 'format = "jsn"\n', "../.stagelint.toml:1: `format`: unknown format `jsn`"),
    (".stagelint.toml", 'select = [\n', "../.stagelint.toml: invalid TOML"),
])
def test_errors_name_the_file_relative_to_the_working_directory_with_the_line(tmp_path: Path, name: str, text: str,
                                                                               message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "infra").mkdir()
    completed = run_cli("check", cwd=tmp_path / "infra")
    assert completed.returncode == 3
    assert completed.stderr.startswith(f"stagelint: error: {message}"), completed.stderr
    assert str(tmp_path) not in completed.stderr and len(completed.stderr.splitlines()) == 1
