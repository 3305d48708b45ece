"""Configuration files: where they are found, every key, and errors that exit 3 with one line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from stagelint.config import Config, ConfigError
from stagelint.config_files import KEYS, find_config_file, load_config, resolve_config
from stagelint.findings import Severity
from tests.conftest import IGNORE_COMPLETENESS, QUIET_STAGE, run_cli

STAGES = (
    'stages:\n  - name: test\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n' + QUIET_STAGE
    + "  - name: staging.v2\n" + QUIET_STAGE
    + "  - name: my-stage\n" + QUIET_STAGE
)


def _project(tmp_path: Path, config_name: str, config_text: str) -> Path:
    (tmp_path / "stages.yaml").write_text(STAGES, encoding="utf-8")
    (tmp_path / config_name).write_text(config_text, encoding="utf-8")
    return tmp_path


def _rules_found(directory: Path, *args: str) -> list[str]:
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--quiet", *args, cwd=directory)
    assert completed.returncode in (0, 1), completed.stderr
    return [line.split(": ")[1].split()[0] for line in completed.stdout.splitlines()]


def test_defaults_without_a_file(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(STAGES, encoding="utf-8")
    assert _rules_found(tmp_path, "--isolated") == ["SL003", "SL102", "SL001", "SL002"]


@pytest.mark.parametrize(("name", "text"), [
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.stagelint]\nselect = ["SL1"]\n'),
    (".stagelint.toml", 'select = ["SL1"]\n'),
    (".stagelint.yaml", "select: [SL1]\n"),
])
def test_each_file_kind_is_found(tmp_path: Path, name: str, text: str) -> None:
    _project(tmp_path, name, text)
    assert find_config_file(tmp_path) == tmp_path / name
    assert _rules_found(tmp_path) == ["SL102"]


def test_found_upward_and_nearest_wins(tmp_path: Path) -> None:
    (tmp_path / ".stagelint.toml").write_text('select = ["SL0"]\n', encoding="utf-8")
    nested = tmp_path / "infra" / "api"
    nested.mkdir(parents=True)
    assert find_config_file(nested) == tmp_path / ".stagelint.toml"
    (tmp_path / "infra" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config_file(nested) == tmp_path / ".stagelint.toml"  # no [tool.stagelint]: not ours
    (tmp_path / "infra" / "pyproject.toml").write_text('[tool.stagelint]\nignore = ["SL2"]\n', encoding="utf-8")
    assert find_config_file(nested) == tmp_path / "infra" / "pyproject.toml"


def test_config_option_and_isolated(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL1"]\n')
    (tmp_path / "other.toml").write_text('select = ["SL003"]\n', encoding="utf-8")
    assert _rules_found(tmp_path, "--config", "other.toml") == ["SL003"]
    assert _rules_found(tmp_path, "--isolated") == ["SL003", "SL102", "SL001", "SL002"]


def test_select_ignore_extend_select(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL0"]\nignore = ["SL001"]\nextend-select = ["SL102"]\n')
    assert _rules_found(tmp_path) == ["SL003", "SL102", "SL002"]


def test_command_line_beats_the_file(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL0"]\nfail-on = "never"\n')
    assert _rules_found(tmp_path, "--select", "SL102") == ["SL102"]
    assert run_cli("check", *IGNORE_COMPLETENESS, cwd=tmp_path).returncode == 0
    assert run_cli("check", *IGNORE_COMPLETENESS, "--fail-on", "error", cwd=tmp_path).returncode == 1


def test_fail_on(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL002"]\nfail-on = "warning"\n')
    assert run_cli("check", *IGNORE_COMPLETENESS, cwd=tmp_path).returncode == 1
    (tmp_path / ".stagelint.toml").write_text('select = ["SL002"]\n', encoding="utf-8")
    assert run_cli("check", *IGNORE_COMPLETENESS,
                   cwd=tmp_path).returncode == 0  # SL002 is a warning; default fail-on is error


def test_severity_overrides(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL002", "SL003"]\n[severity]\nSL002 = "error"\n'
             'stage-name-reserved = "info"\n')
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--quiet", cwd=tmp_path)
    assert "SL002 [error]" in completed.stdout and "SL003 [info]" in completed.stdout


def test_per_file_ignores(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", '[per-file-ignores]\n"stages.yaml" = ["SL0", "cache-size-invalid"]\n')
    assert _rules_found(tmp_path) == []
    completed = run_cli("check", *IGNORE_COMPLETENESS, cwd=tmp_path)
    assert "4 suppressed" in completed.stdout


def test_exclude_and_force_exclude(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'exclude = ["legacy/"]\n')
    (tmp_path / "legacy").mkdir()
    (tmp_path / "stages.yaml").rename(tmp_path / "legacy" / "stages.yaml")
    assert _rules_found(tmp_path) == []  # a directory walk skips excluded paths
    assert len(_rules_found(tmp_path, "legacy/stages.yaml")) == 4  # a file named explicitly is linted...
    assert _rules_found(tmp_path, "--force-exclude", "legacy/stages.yaml") == []  # ...unless forced
    (tmp_path / ".stagelint.toml").write_text('exclude = ["legacy/"]\nforce-exclude = true\n', encoding="utf-8")
    assert _rules_found(tmp_path, "legacy/stages.yaml") == []


def test_globs_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / ".stagelint.toml").write_text('[per-file-ignores]\n"infra/legacy/*" = ["ALL"]\n', encoding="utf-8")
    legacy = tmp_path / "infra" / "legacy"
    legacy.mkdir(parents=True)
    (legacy / "stages.yaml").write_text(STAGES, encoding="utf-8")
    assert _rules_found(tmp_path) == []
    assert _rules_found(tmp_path / "infra") == []  # run from a subdirectory: same meaning


def test_rule_options(tmp_path: Path) -> None:
    _project(tmp_path, ".stagelint.toml", 'select = ["SL002", "SL003"]\n'
             '[rules.stage-name-reserved]\nreserved-names = ["staging.v2"]\n'
             '[rules.SL002]\nname-pattern = "^[a-z.-]+$"\n')
    completed = run_cli("check", *IGNORE_COMPLETENESS, "--quiet", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert 'stage name "staging.v2" is reserved' in completed.stdout
    assert "SL002" not in completed.stdout


@pytest.mark.parametrize(("text", "message"), [
    ('selct = ["SL1"]\n', "unknown key `selct` (did you mean `select`?)"),
    ('[severity]\nSL1022 = "error"\n', "unknown rule `SL1022` in `severity` (did you mean `SL102`?)"),
    ('[rules.stage-name-reservd]\nreserved-names = []\n', "(did you mean `stage-name-reserved`?)"),
    ('[rules.SL003]\nreserved-name = []\n', "unknown option `reserved-name` for rule SL003"),
    ('select = ["SL99x"]\n', "unknown rule selector `SL99x`"),
    ('fail-on = "warn"\n', "(did you mean `warning`?)"),
    ('select = 3\n', "`select` must be a list of strings"),
    ('select = [\n', "invalid TOML"),
])
def test_errors_exit_3_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    _project(tmp_path, ".stagelint.toml", text)
    completed = run_cli("check", *IGNORE_COMPLETENESS, cwd=tmp_path)
    assert completed.returncode == 3
    assert completed.stdout == ""
    assert message in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "Traceback" not in completed.stderr


def test_every_key_is_known_to_the_reader(tmp_path: Path) -> None:
    text = ('select = ["ALL"]\nextend-select = ["SL900"]\nignore = ["SL2"]\nfail-on = "warning"\n'
            'exclude = ["build"]\nforce-exclude = true\nmax-file-size = 7\ntimeout = 12\njobs = 2\n'
            'var-files = ["prod.tfvars"]\nrespect-gitignore = false\nformat = "json"\n[severity]\nSL002 = "error"\n'
            '[per-file-ignores]\n"legacy/*" = ["SL1"]\n[rules.SL003]\nreserved-names = ["test", "default"]\n'
            '[environments]\nmapping = { perf = "staging" }\n')
    path = tmp_path / ".stagelint.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path, cwd=str(tmp_path))
    assert config.select == ("ALL",) and config.extend_select == ("SL900",) and config.ignore == ("SL2",)
    assert config.fail_on is Severity.WARNING and config.exclude == ("build",) and config.force_exclude
    assert config.severity_overrides == {"SL002": Severity.ERROR}
    assert config.per_file_ignores == (("legacy/*", ("SL1",)),)
    assert config.rule_options == {"SL003": {"reserved-names": ["test", "default"]}}
    assert config.root == str(tmp_path.resolve())
    assert ("perf", "staging") in config.environments.words
    assert config.decode.limits.max_file_bytes == 7 * 1024 * 1024 and config.decode.limits.max_seconds_per_file == 12
    assert config.jobs == 2 and config.decode.terraform_var_files == ("prod.tfvars",)
    assert config.respect_gitignore is False and config.formats == ("json",)
    assert set(KEYS) == set(tomllib.loads(text))  # the example above uses every key there is


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        resolve_config(Config(), config_file=str(tmp_path / "nope.toml"))
