"""`check --show-settings` and `check --show-files`, as ruff has them."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from stagelint.config import Config
from stagelint.config_files import KEYS, apply_settings
from tests.conftest import run_cli

CONFIG = ('select = ["SL1", "SL2"]\nexclude = ["legacy/"]\nmax-file-size = 9\njobs = 1\nformat = "json"\n'
          '[severity]\nSL102 = "warning"\n[rules.SL003]\nreserved-names = ["test", "default"]\n')


def test_show_settings_names_the_file_and_prints_loadable_settings(tmp_path: Path) -> None:
    (tmp_path / ".stagelint.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "infra").mkdir()
    completed = run_cli("check", "--show-settings", "--ignore", "SL105", "--timeout", "5", cwd=tmp_path / "infra")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "# Settings from ../.stagelint.toml (found upward from the working directory), then the " \
                       "command line."
    assert lines[1].startswith("# Rules that run: SL000, SL009, SL101, SL102,") and "SL201" in lines[1]
    settings = tomllib.loads(completed.stdout)  # the output is a configuration file's keys
    assert set(settings) == set(KEYS)
    assert settings["ignore"] == ["SL105"] and settings["timeout"] == 5  # the command line beats the file
    assert settings["max-file-size"] == 9 and settings["jobs"] == 1 and settings["format"] == ["json"]
    assert settings["severity"] == {"SL102": "warning"}
    # Loaded back, they are the same settings.
    again = apply_settings(settings, Config(), root=str(tmp_path), source="shown", cwd=str(tmp_path / "infra"))
    assert again.select == ("SL1", "SL2") and again.ignore == ("SL105",)
    assert again.decode.limits.max_file_bytes == 9 * 1024 * 1024 and again.decode.limits.max_seconds_per_file == 5


def test_show_settings_without_a_file(tmp_path: Path) -> None:
    completed = run_cli("check", "--show-settings", "--isolated", cwd=tmp_path)
    assert completed.stdout.startswith("# Settings from no configuration file (--isolated): defaults")
    assert 'fail-on = "error"' in completed.stdout.splitlines()


def test_show_files_lists_what_would_be_linted_and_why_the_rest_is_not(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (tmp_path / ".stagelint.toml").write_text('exclude = ["legacy/"]\n', encoding="utf-8")
    for name in ("stages.yaml", "legacy/old.yaml", "generated/out.yaml", "cdk.out/Stack.template.json",
                 "README.md", "tf/main.tf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("stages: []\n", encoding="utf-8")
    completed = run_cli("check", "--show-files", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "stages.yaml",
        "tf/main.tf",
        ".gitignore  (skipped: not a file type stagelint reads)",
        ".stagelint.toml  (skipped: not a file type stagelint reads)",
        "README.md  (skipped: not a file type stagelint reads)",
        "cdk.out/  (skipped: build output or a tool's cache; name it on the command line to lint it)",
        "generated/  (skipped: ignored by .gitignore; --no-gitignore lints it)",
        "legacy/old.yaml  (skipped: excluded by `legacy/`)",
        "# 2 file(s) would be linted; 6 path(s) skipped. A file whose content holds no stage is skipped when "
        "it is read (--verbose says so).",
    ]
    forced = run_cli("check", "--show-files", "--force-exclude", "legacy/old.yaml", "stages.yaml", cwd=tmp_path)
    assert forced.stdout.splitlines()[:2] == ["stages.yaml", "legacy/old.yaml  (skipped: excluded by `legacy/` "
                                              "(--force-exclude))"]
