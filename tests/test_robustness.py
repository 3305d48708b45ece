"""Hostile and unlucky input (issue 12): one odd file never costs the run, and no value grows without
bound. Each test builds its input, small on disk, and asserts which file gets SL000, that every other
file's findings are present, the exit code and a bound on the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MACHINERY_RULES, REPO

GOOD = 'stages:\n  - name: prod\n    cache_cluster_enabled: true\n    cache_cluster_size: "6.2"\n'


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None,
         limit_mb: int | None = None, cpu_seconds: int = 60) -> subprocess.CompletedProcess[bytes]:
    """The real command line with a strict UTF-8 stdout (as in a CI runner's pipe), optionally under
    an address-space budget so that a value growing without bound fails fast instead of swapping."""
    environment = dict(os.environ, PYTHONIOENCODING="utf-8:strict", PYTHONUTF8="0", LC_ALL="C.UTF-8")
    environment.update(env or {})
    environment["PYTHONPATH"] = str(REPO)

    def budget() -> None:
        import resource

        if limit_mb is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb * 1024 * 1024, limit_mb * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))  # whatever the input, a bounded run

    if args and args[0] == "check":
        args = ("check", "--select", ",".join(MACHINERY_RULES), *args[1:])
    return subprocess.run([sys.executable, "-m", "stagelint", *args], cwd=cwd, capture_output=True,
                          env=environment, timeout=120, check=False, preexec_fn=budget)


def _good(directory: Path) -> None:
    (directory / "good.yaml").write_text(GOOD, encoding="utf-8")


SURROGATE_FILES = {
    "native.yaml": 'stages:\n  - name: "pr\\ud800od"\n',
    "template.json": '{"Resources":{"S":{"Type":"AWS::ApiGateway::Stage",'
                     '"Properties":{"StageName":"a\\ud800","RestApiId":"x"}}}}',
    "main.tf": 'resource "aws_api_gateway_stage" "s" {\n  stage_name = "c\\ud800"\n}\n',
    "other.tf.json": '{"resource":{"aws_api_gateway_stage":{"s":{"stage_name":"b\\ud800"}}}}',
}


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit"])
def test_lone_surrogates_and_non_utf8_names_are_shown_escaped(tmp_path: Path, output_format: str) -> None:
    for name, text in SURROGATE_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    _good(tmp_path)
    os.makedirs(tmp_path / "odd")
    (tmp_path / "odd" / os.fsdecode(b"n\xff.yaml")).write_text(GOOD, encoding="utf-8")
    for target in (tmp_path / "report", None):
        args = ["check", "--format", output_format, "--no-gitignore", "."]
        if target is not None:
            args[1:1] = ["-o", str(target)]
        result = _run(*args, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert b"internal error" not in result.stderr
        output = target.read_bytes() if target is not None else result.stdout
        text = output.decode("utf-8")  # valid UTF-8 whatever the input held
        assert len(output) < 200_000
        for name in ("good.yaml", "native.yaml", "template.json", "main.tf", "other.tf.json"):
            assert name in text, (name, text)
        # the name, escaped (SARIF's URI keeps the file's own byte)
        assert ("n%FF.yaml" if output_format == "sarif" else "n\\udcff.yaml") in text
        if output_format in ("json", "sarif"):
            json.loads(text)
        if output_format == "json":
            rules = sorted((finding["path"], finding["rule"]) for finding in json.loads(text)["findings"])
            assert rules == [("good.yaml", "SL102"), ("main.tf", "SL001"), ("native.yaml", "SL001"),
                             ("odd/n\udcff.yaml", "SL102"), ("other.tf.json", "SL001"),
                             ("template.json", "SL001")], rules
        if target is not None:
            target.unlink()


def test_fingerprint_takes_any_string() -> None:
    from stagelint.findings import fingerprint

    assert fingerprint("SL001", os.fsdecode(b"n\xff.yaml"), "stages[0]", "name", 1) \
        != fingerprint("SL001", "n.yaml", "stages[0]", "name", 1)
    assert len(fingerprint("SL001", "x\ud800", None, "name", 1)) == 32


def test_baseline_with_surrogates_is_written_and_read(tmp_path: Path) -> None:
    (tmp_path / "native.yaml").write_text(SURROGATE_FILES["native.yaml"], encoding="utf-8")
    written = _run("check", "--write-baseline", "b.json", "native.yaml", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    again = _run("check", "--baseline", "b.json", "native.yaml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def _doubling_locals(levels: int, leaf: int = 1024) -> str:
    lines = ["locals {", f'  a0 = "{"x" * leaf}"']
    lines += [f'  a{k} = "${{local.a{k - 1}}}${{local.a{k - 1}}}"' for k in range(1, levels + 1)]
    return "\n".join([*lines, "}", 'resource "aws_api_gateway_stage" "s" {',
                      f"  stage_name = local.a{levels}", "  cache_cluster_enabled = true",
                      '  cache_cluster_size = "6.2"', "}", ""])


def _doubling_aliases(levels: int, function: str, leaf: int = 1024) -> str:
    call = '!Join ["", [*a{0}, *a{0}]]' if function == "Join" else '!Sub ["${{x}}${{x}}", {{x: *a{0}}}]'
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", "  defs:", f'    - &a0 "{"y" * leaf}"']
    lines += [f"    - &a{k} " + call.format(k - 1) for k in range(1, levels + 1)]
    return "\n".join([*lines, "Resources:", "  S:", "    Type: AWS::ApiGateway::Stage", "    Properties:",
                      f"      StageName: *a{levels}", "      RestApiId: x", "      CacheClusterEnabled: true",
                      '      CacheClusterSize: "6.2"', ""])


def test_doubled_values_stay_within_the_value_budget(tmp_path: Path) -> None:
    """18 doublings of 1 KiB would be a 256 MiB value (3.9 GB of RAM before the budget): under a 1 GiB
    address-space limit each becomes unknown with the reason, the file's other findings and every
    other file's are reported."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(_doubling_locals(18), encoding="utf-8")
    (tmp_path / "join.yaml").write_text(_doubling_aliases(14, "Join"), encoding="utf-8")
    (tmp_path / "sub.yaml").write_text(_doubling_aliases(18, "Sub"), encoding="utf-8")
    _good(tmp_path)
    assert sum(path.stat().st_size for path in tmp_path.rglob("*") if path.is_file()) < 10_000
    result = _run("check", "-v", "--format", "json", "--timeout", "0", ".", cwd=tmp_path, limit_mb=1024)
    assert result.returncode == 1, result.stderr[-2000:]
    assert len(result.stdout) < 50_000 and len(result.stderr) < 50_000
    findings = json.loads(result.stdout)["findings"]
    assert sorted((finding["path"], finding["rule"]) for finding in findings) == [
        ("good.yaml", "SL102"), ("join.yaml", "SL102"), ("sub.yaml", "SL102"), ("tf/main.tf", "SL102")]
    assert result.stderr.count(b"Limits.max_evaluated_chars") == 3, result.stderr


@pytest.mark.parametrize("function", ["Join", "Sub"])
def test_value_budget_is_configurable_and_memoised(tmp_path: Path, function: str) -> None:
    from stagelint.api import Config, lint
    from stagelint.config import DecodeOptions
    from stagelint.limits import Limits

    (tmp_path / "t.yaml").write_text(_doubling_aliases(4, function), encoding="utf-8")
    (tmp_path / "main.tf").write_text(_doubling_locals(4), encoding="utf-8")
    for budget, known in ((40_000, True), (20_000, False)):
        limits = Limits(max_evaluated_chars=budget)
        config = Config(select=MACHINERY_RULES, respect_gitignore=False, decode=DecodeOptions(limits=limits))
        report = lint([str(tmp_path)], config)
        names = [stage.name for result in report.files for stage in result.stages]
        expected = ["x" * 16 * 1024, "y" * 16 * 1024] if known else [None, None]
        assert names == expected, (budget, [len(name or "") for name in names])
    # 4 doublings through aliases: 2**4 paths to the leaf, but each node is resolved once.
    (tmp_path / "main.tf").unlink()
    from stagelint.decoders import yaml_tree
    from stagelint.decoders.cloudformation import TemplateDecoder

    root = yaml_tree.parse(_doubling_aliases(12, function), "t.yaml")
    assert isinstance(root, yaml_tree.MappingNode)
    decoder = TemplateDecoder(root, "t.yaml", DecodeOptions())
    decoder.decode()
    assert len(decoder.resolver._resolved) < 100


def _alias_copies(seed: str, levels: int = 5, fan_out: int = 10) -> str:
    """`seed` (a flow mapping) copied fan_out**levels times through aliases, in a few hundred bytes."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", f"  a0: &a0 {seed}"]
    lines += [f"  a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * fan_out)}]" for k in range(1, levels + 1)]
    return "\n".join([*lines, "Resources:", "  S:", "    Type: AWS::ApiGateway::Stage", "    Properties:",
                      "      StageName: prod", "      RestApiId: x", "      CacheClusterEnabled: true",
                      '      CacheClusterSize: "6.2"', ""])


def test_a_value_copied_by_aliases_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text(_alias_copies("{k: !Reff x}"), encoding="utf-8")
    (tmp_path / "keys.yaml").write_text(_alias_copies("{k: 1, k: 2}"), encoding="utf-8")
    _good(tmp_path)
    assert all(path.stat().st_size < 1000 for path in tmp_path.iterdir())
    result = _run("check", "--format", "json", "--timeout", "0", ".", cwd=tmp_path, limit_mb=1024)
    assert result.returncode == 2, result.stderr
    assert len(result.stdout) < 20_000
    findings = json.loads(result.stdout)["findings"]
    assert sorted((finding["path"], finding["rule"], finding["line"]) for finding in findings) == [
        ("good.yaml", "SL102", 4), ("keys.yaml", "SL010", 3), ("keys.yaml", "SL102", 16),
        ("tags.yaml", "SL000", 3), ("tags.yaml", "SL102", 16)], findings


def test_two_stages_sharing_a_value_report_it_once(tmp_path: Path) -> None:
    from stagelint.api import Config, lint

    (tmp_path / "t.yaml").write_text(
        "Resources:\n  A:\n    Type: AWS::ApiGateway::Stage\n    Properties: &props\n      StageName: prod\n"
        '      RestApiId: x\n      CacheClusterEnabled: true\n      CacheClusterSize: "6.2"\n'
        "  B:\n    Type: AWS::ApiGateway::Stage\n    Properties: *props\n", encoding="utf-8")
    report = lint([str(tmp_path / "t.yaml")], Config(select=MACHINERY_RULES, respect_gitignore=False))
    assert len(report.files[0].stages) == 2
    assert [(finding.rule_id, finding.position.line) for finding in report.findings] == [("SL102", 8)]


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n", b"# stages: soon\n",
                                     b"---\n", b"# Resources\n---\n...\n"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_empty_file_holds_no_stages(tmp_path: Path, content: bytes, suffix: str) -> None:
    if suffix == ".json" and content.strip(b"\xef\xbb\xbf \n"):
        return  # comments and `---` are YAML
    (tmp_path / f"empty{suffix}").write_bytes(content)
    _good(tmp_path)
    result = _run("check", "-v", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert b"SL000" not in result.stdout and b"good.yaml:4:" in result.stdout
    assert f"empty{suffix}: note: not a stage file".encode() in result.stderr
    assert len(result.stdout) < 2_000


def test_timeout_counts_cpu_time_not_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit that gets little CPU (a loaded machine, --jobs above the cores) is not cut off: only its
    own CPU time counts, so the output does not depend on the machine; and a timer the host armed
    survives `lint()`."""
    import signal
    import time

    from stagelint import checker
    from stagelint.api import Config, lint
    from stagelint.config import DecodeOptions
    from stagelint.limits import Limits

    slow = tmp_path / "slow.yaml"
    slow.write_text(GOOD, encoding="utf-8")
    real = checker.process_unit

    def descheduled(unit: checker.WorkUnit, config: Config) -> list[checker.FileResult]:
        time.sleep(0.8)  # wall-clock time without CPU time, as on a loaded machine
        return real(unit, config)

    monkeypatch.setattr("stagelint.parallel.process_unit", descheduled)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        config = Config(jobs=1, respect_gitignore=False, select=MACHINERY_RULES,
                        decode=DecodeOptions(limits=Limits(max_seconds_per_file=0.3)))
        report = lint([str(slow)], config)
        assert [finding.rule_id for finding in report.findings] == ["SL102"]
        assert 95 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _merge_bomb(levels: int) -> str:
    lines = ["select: [SL102]", "rules:", "  SL102:", "    x0: &a0 {k0: 0, k1: 1}"]
    lines += [f"    x{k}: &a{k} {{<<: [*a{k - 1}, *a{k - 1}], k{k + 1}: {k}}}" for k in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("name", "content", "message"), [
    (".stagelint.yaml", _merge_bomb(30).encode(), "more than 1,000,000 nodes"),
    (".stagelint.yaml", b"select: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nest"),
    (".stagelint.yaml", b"select: !Ref x\n", "has no meaning"),
    (".stagelint.toml", b"select = ['SL1\xff']\n", "not valid UTF-8"),
    (".stagelint.toml", b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "invalid TOML"),
    (".stagelint.toml", b"", "over the 5 MiB limit"),
])
def test_configuration_files_get_the_limits_of_stage_files(tmp_path: Path, name: str, content: bytes,
                                                           message: str) -> None:
    """A configuration file is found from the working directory upward, so a checkout can plant one:
    a merge-key bomb (25 levels hung every run), deep nesting, a 6 MiB file (sparse: small on disk) or
    bad bytes is one clear configuration error, within a CPU-time budget."""
    config = tmp_path / name
    config.write_bytes(content)
    if not content:
        os.truncate(config, 6 * 1024 * 1024)
    _good(tmp_path)
    result = _run("check", "good.yaml", cwd=tmp_path, limit_mb=1024)
    assert result.returncode == 3, result.stderr
    assert message in result.stderr.decode(), result.stderr
    assert name in result.stderr.decode() and b"internal error" not in result.stderr
    assert len(result.stderr) < 2_000 and not result.stdout


def _native(*stages: tuple[str, str]) -> str:
    body = "".join(f"  - name: {name}\n    api: orders\n    cache_cluster_enabled: true\n"
                   f'    cache_cluster_size: "{size}"\n' for name, size in stages)
    return "stages:\n" + body


def test_native_baselines_are_keyed_by_stage_name_not_index(tmp_path: Path) -> None:
    stages = tmp_path / "stages.yaml"
    stages.write_text(_native(("prod", "6.2")), encoding="utf-8")
    written = _run("check", "--write-baseline", "baseline.json", "stages.yaml", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    # A clean stage inserted above: the old finding is still the baselined one.
    stages.write_text(_native(("dev", "0.5"), ("prod", "6.2")), encoding="utf-8")
    result = _run("check", "--baseline", "baseline.json", "stages.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    # A new invalid stage inserted above is new, and reported; the old one stays baselined.
    stages.write_text(_native(("staging", "9.9"), ("prod", "6.2")), encoding="utf-8")
    result = _run("check", "--format", "json", "--baseline", "baseline.json", "stages.yaml", cwd=tmp_path)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(finding["rule"], finding["line"], finding["stage"]) for finding in findings] == [("SL102", 5, "staging")]
    # The same name for another API is another stage.
    stages.write_text(_native(("prod", "6.2")).replace("orders", "billing"), encoding="utf-8")
    assert _run("check", "--baseline", "baseline.json", "stages.yaml", cwd=tmp_path).returncode == 1


def test_a_string_where_a_sequence_belongs_is_a_clear_error() -> None:
    from stagelint.api import Config, ConfigError, lint

    with pytest.raises(ConfigError, match=r"lint\(\) takes a list of paths"):
        lint("x.yaml")  # type: ignore[arg-type]
    for name in ("select", "extend_select", "ignore", "exclude"):
        with pytest.raises(ConfigError, match=f"Config\\({name}=...\\) takes a tuple"):
            Config(**{name: "SL1"})


def test_jobs_are_capped_to_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from stagelint import parallel
    from stagelint.api import Config

    seen: list[int] = []
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setenv("STAGELINT_POOL", "always")  # 20 small units: the estimate alone would run them serially
    monkeypatch.setattr(parallel, "_run_pool",
                        lambda units, config, jobs, progress, worker: seen.append(jobs) or [])
    units = [parallel.WorkUnit("document", ".", (f"{index}.yaml",)) for index in range(20)]
    parallel.run_units(units, Config(jobs=1000))
    parallel.run_batches(units, Config(jobs=1000))  # what a run uses
    assert seen == [2, 2]


@pytest.mark.parametrize(("timeout", "code"), [("inf", 1), ("1e300", 1), ("1e9", 1), ("nan", 3)])
def test_timeout_values_are_a_limit_or_a_clear_error(tmp_path: Path, timeout: str, code: int) -> None:
    _good(tmp_path)
    result = _run("check", "--timeout", timeout, "good.yaml", cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert b"internal error" not in result.stderr
    assert (b"good.yaml:4:" in result.stdout) if code == 1 else (b"not nan" in result.stderr)


def test_a_json_integer_over_4300_digits_is_a_value(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(
        '{"Resources": {"S": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "p", '
        '"RestApiId": "x", "CacheClusterEnabled": true, "CacheClusterSize": ' + "9" * 5000 + "}}}}",
        encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert sorted((finding["path"], finding["rule"]) for finding in findings) == [
        ("big.json", "SL102"), ("good.yaml", "SL102")]


def test_a_baseline_that_is_a_fifo_or_nested_deeply_is_a_clear_error(tmp_path: Path) -> None:
    _good(tmp_path)
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for name, message in (("fifo.json", b"not a regular file"), ("deep.json", b"nested too deeply")):
        result = _run("check", "--baseline", name, "good.yaml", cwd=tmp_path)
        assert result.returncode == 3 and message in result.stderr, result.stderr
        assert b"internal error" not in result.stderr
