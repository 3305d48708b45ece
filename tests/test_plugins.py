"""The plugin path is real: a third-party package installed by pip is found through its entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PLUGIN = REPO / "tests" / "plugin_pkg"


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pip-install the example plugin into a throw-away directory (no network: it has no dependencies)."""
    site = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(site), str(PLUGIN)],
        check=True, capture_output=True, text=True, env=dict(os.environ, TMPDIR=str(build)), cwd=build,
    )
    assert list(site.glob("stagelint_example_plugin-*.dist-info/entry_points.txt"))
    return site


def _run(site: Path | None, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, STAGELINT_CACHE_DIR=str(cache))
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join([str(site), environment.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "stagelint", *args], capture_output=True, text=True,
                          env=environment, cwd=REPO, check=False, timeout=120)


def test_installed_plugin_rule_is_listed_explained_and_run(plugin_site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    rules = _run(plugin_site, cache, "rules")
    assert rules.returncode == 0, rules.stderr
    assert "EX100  stage-description-missing" in rules.stdout
    assert "[plugin example]" in rules.stdout
    assert "SL102" in rules.stdout  # the built-in rules come through the same group

    explained = _run(plugin_site, cache, "explain", "EX100")
    assert "A description tells the on-call engineer" in explained.stdout

    checked = _run(plugin_site, cache, "check", "--select", "EX100", "examples/plain/clean.yaml")
    assert checked.returncode == 0  # a warning does not fail the default --fail-on error
    assert "examples/plain/clean.yaml:3:11: EX100 [warning] stage has no description (stage prod)" in checked.stdout


def test_cache_follows_installs_and_removals(plugin_site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert "EX100" not in _run(None, cache, "rules").stdout
    assert "EX100" in _run(plugin_site, cache, "rules").stdout  # a new sys.path entry: the cache is refreshed
    assert "EX100" not in _run(None, cache, "rules").stdout
    assert list(cache.glob("entry-points-*.json"))


def test_broken_plugin_is_a_clear_configuration_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dist = site / "broken_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[stagelint.rules]\nbroken = no_such_module_here\n", encoding="utf-8")
    result = _run(site, tmp_path / "cache", "rules")
    assert result.returncode == 3
    assert "plugin 'broken' (no_such_module_here) failed to load: ModuleNotFoundError" in result.stderr
    assert "Traceback" not in result.stderr
