"""The plugin path is real: a third-party package installed by pip is found through its entry point."""

from __future__ import annotations

import json
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


RULE_DOC = '''"""A plugin rule written for the robustness tests.

## What it does
Something.

## Why is this bad?
Because.

## Example
```yaml
stages:
  - name: prod
```

Use instead:
```yaml
stages:
  - name: prod
```
"""
'''


def _fake_distribution(site: Path, name: str, entry_points: str) -> None:
    dist = site / f"{name}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[stagelint.rules]\n{entry_points}\n", encoding="utf-8")


def test_a_hostile_checkout_runs_nothing(plugin_site: Path, tmp_path: Path) -> None:
    """`python -m stagelint check .` in an untrusted checkout: the working directory is on sys.path,
    but neither a dist-info there nor a module shadowing an installed plugin is ever imported."""
    checkout = tmp_path / "checkout"
    marker = tmp_path / "ran"
    payload = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('pwned')\n"
    _fake_distribution(checkout, "evil", "evil = evil_rules")
    (checkout / "evil_rules.py").write_text(payload, encoding="utf-8")
    (checkout / "stagelint_example_plugin").mkdir()  # stands in for the installed plugin's module
    (checkout / "stagelint_example_plugin" / "__init__.py").write_text(payload, encoding="utf-8")
    (checkout / "stages.yaml").write_text('stages:\n  - name: prod\n    cache_cluster_size: "6.2"\n',
                                          encoding="utf-8")
    environment = dict(os.environ, STAGELINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(plugin_site))
    for _ in range(2):  # a cold cache, then a warm one
        result = subprocess.run([sys.executable, "-m", "stagelint", "check", "--select", "EX100,SL102", "."],
                                capture_output=True, text=True, env=environment, cwd=checkout, check=False,
                                timeout=120)
        assert not marker.exists(), "the checkout's code ran"
        assert result.returncode == 1, result.stderr
        assert "stages.yaml:3:25: SL102" in result.stdout and "EX100 [warning]" in result.stdout


def test_a_plugin_that_exits_or_yields_garbage_is_sl009(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    plugins = {
        "exits": ("EX201", "raise SystemExit(0)"),
        "yields_text": ("EX202", "yield 'not a violation'"),
        "yields_none": ("EX203", "yield None"),
        "bad_position": ("EX204", "yield Violation('x', SourcePosition(stage.position.path, 0, 0, 0, 0), 'a')"),
    }
    for module, (rule_id, body) in plugins.items():
        (site / f"{module}.py").write_text(
            RULE_DOC + "from stagelint.findings import Violation\nfrom stagelint.positions import SourcePosition\n"
            f"ID = {rule_id!r}\nNAME = {module.replace('_', '-')!r}\nDEFAULT_SEVERITY = 'warning'\n"
            f"OPTIONS = None\n\ndef check(stage, options):\n    {body}\n", encoding="utf-8")
        _fake_distribution(site, module, f"{module} = {module}")
    result = _run(site, tmp_path / "cache", "check", "--format", "json", "examples/plain/failing.yaml")
    assert result.returncode == 2, result.stderr
    findings = json.loads(result.stdout)["findings"]
    internal = [finding["message"] for finding in findings if finding["rule"] == "SL009"]
    for module, (rule_id, _) in plugins.items():
        assert any(f"rule {rule_id}" in message and f"plugin {module!r}" in message for message in internal), \
            (module, internal)
    assert any(finding["rule"] == "SL102" for finding in findings)  # the built-in rules still ran
    assert len(result.stdout) < 100_000


def test_a_plugin_that_exits_at_import_is_a_clear_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "exits_early.py").write_text("raise SystemExit(0)\n", encoding="utf-8")
    _fake_distribution(site, "exits_early", "early = exits_early")
    result = _run(site, tmp_path / "cache", "check", "examples/plain/failing.yaml")
    assert result.returncode == 3
    assert "plugin 'early' (exits_early) failed to load: SystemExit" in result.stderr


@pytest.mark.parametrize("content", ["[]", "null", "5", '"x"', '{"key": ', '{"key": 1, "entry_points": 2}',
                                     "\x00\xff", '{"entry_points": [[1, 2]]}'])
def test_a_corrupt_rule_cache_is_ignored_and_rebuilt(tmp_path: Path, content: str) -> None:
    cache = tmp_path / "cache"
    assert _run(None, cache, "rules").returncode == 0
    (cache_file,) = cache.glob("entry-points-*.json")
    (environment,) = json.loads(cache_file.read_text(encoding="utf-8"))["environments"]
    key = environment["key"]
    if content.startswith('{"entry_points"'):  # the right key, a wrong shape
        content = json.dumps({"environments": [{"key": key, "entry_points": [[1, 2]]}]})
    cache_file.write_text(content, encoding="utf-8", errors="surrogateescape")
    for _ in range(2):
        result = _run(None, cache, "check", "examples/plain/failing.yaml")
        assert result.returncode == 1, result.stderr
        assert "SL102" in result.stdout and not result.stderr
    assert json.loads(cache_file.read_text(encoding="utf-8"))["environments"][0]["key"] == key  # rebuilt


def test_two_environments_of_one_interpreter_share_the_cache(plugin_site: Path, tmp_path: Path) -> None:
    """With and without PYTHONPATH: both keys are kept, so neither rescans after the other ran."""
    cache = tmp_path / "cache"
    _run(None, cache, "rules")
    _run(plugin_site, cache, "rules")
    (cache_file,) = cache.glob("entry-points-*.json")
    environments = json.loads(cache_file.read_text(encoding="utf-8"))["environments"]
    assert len(environments) == 2
    assert any(["example", "stagelint_example_plugin"] in entry["entry_points"] for entry in environments)


def test_the_scan_reads_entry_points_as_importlib_metadata_does(plugin_site: Path) -> None:
    """The hand-read entry_points.txt files give what importlib.metadata gives on the same path."""
    from importlib.metadata import distributions

    from stagelint.registry import GROUP, _scan_entry_points

    path = [str(plugin_site), *sys.path]
    expected: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for distribution in distributions(path=path):
        name = distribution._normalized_name  # type: ignore[attr-defined]
        if name not in seen:
            seen.add(name)
            expected.update((entry.name, entry.value) for entry in distribution.entry_points
                            if entry.group == GROUP)
    assert _scan_entry_points(path) == sorted(expected)
    assert ("example", "stagelint_example_plugin") in expected
