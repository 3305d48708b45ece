"""`check --help` in sections with examples (a small click.Command subclass), and shell completion of
rule ids, as the README documents them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click

from stagelint.cli.check import SECTIONS, check
from tests.conftest import REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")
# The installed entry point: click names the completion variable after the program (`_STAGELINT_COMPLETE`).
STAGELINT = str(Path(sys.executable).with_name("stagelint"))


def test_help_lists_each_section_in_order_then_examples() -> None:
    completed = run_cli("check", "--help")
    assert completed.returncode == 0
    headings = re.findall(r"^(\S[^:\n]*):$", completed.stdout, re.MULTILINE)
    assert headings == [title for title, _ in SECTIONS] + ["Other options", "Examples"]
    section = completed.stdout.split("\nFiles:\n")[1].split("\n\n")[0]
    assert "--stdin-filename PATH" in section and "--exclude GLOB" in section and "--show-files" in section
    assert "  stagelint check - --stdin-filename infra/api.yaml < buffer.yaml\n" in completed.stdout


def test_every_option_is_in_one_section_and_in_the_readme() -> None:
    options = {param.name: param for param in check.params if isinstance(param, click.Option)}
    named = [name for _, names in SECTIONS for name in names]
    assert sorted(named) == sorted(set(named)) and set(named) == set(options)  # each once; only `help` is "Other"
    reference = README[README.index("### Options of `stagelint check`"):]
    reference = reference[:reference.index("\n## ")]
    for title, names in SECTIONS:
        assert f"**{title}**" in reference, title
        block = reference.split(f"**{title}**")[1].split("**")[0]
        for name in names:
            for spelling in options[name].opts + options[name].secondary_opts:
                if spelling.startswith("--"):
                    assert f"`{spelling}" in block, f"{spelling} is not documented under {title} in the README"


def _complete(*words: str) -> list[str]:
    environment = dict(os.environ, _STAGELINT_COMPLETE="bash_complete", COMP_WORDS=" ".join(("stagelint", *words)),
                       COMP_CWORD=str(len(words)), PYTHONPATH=str(REPO))
    completed = subprocess.run([STAGELINT], env=environment, capture_output=True, text=True, check=False, timeout=60)
    return completed.stdout.splitlines()


def test_completion_script_is_what_the_readme_says() -> None:
    assert "_STAGELINT_COMPLETE=bash_source stagelint" in README
    environment = dict(os.environ, _STAGELINT_COMPLETE="bash_source", PYTHONPATH=str(REPO))
    script = subprocess.run([STAGELINT], env=environment, capture_output=True, text=True, check=False,
                            timeout=60).stdout
    assert "complete -o nosort -F _stagelint_completion stagelint" in script


def test_rule_ids_and_names_complete() -> None:
    assert _complete("check", "--select", "SL10") == [f"plain,SL10{digit}" for digit in range(1, 6)]
    assert _complete("check", "--ignore", "SL1,SL10") == [f"plain,SL1,SL10{digit}" for digit in range(1, 6)]
    assert "plain,ALL" in _complete("check", "--extend-select", "")
    assert _complete("explain", "cache-size-m") == ["plain,cache-size-missing"]
    assert "plain,SL901" in _complete("explain", "SL9")
