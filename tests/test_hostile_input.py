"""Hostile and unlucky input, continued (issue 12, Also): FIFOs, positions, suppressions, `-o`,
unreadable inputs. Each test builds its input, small on disk, and asserts which file gets SL000, that
every other file's findings are present, the exit code and a bound on the output."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_robustness import GOOD, _good, _run


def _rules(result: subprocess.CompletedProcess[bytes]) -> list[tuple[str, str, int, int]]:
    assert b"internal error" not in result.stderr + result.stdout, result.stderr
    assert len(result.stdout) < 100_000
    return sorted((finding["path"], finding["rule"], finding["line"], finding["column"])
                  for finding in json.loads(result.stdout)["findings"])


def test_a_fifo_named_as_a_terraform_file_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.tf")
    (tmp_path / "bad.tf").write_bytes(b'resource "aws_api_gateway_stage" "s" {\n  stage_name = "\xff"\n}\n')
    _good(tmp_path)
    # --timeout 0: nothing would cut a blocked open short, so the run ending at all is the proof
    result = _run("check", "--timeout", "0", "--format", "json", "fifo.tf", "bad.tf", "good.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert _rules(result) == [("bad.tf", "SL000", 2, 17), ("fifo.tf", "SL000", 1, 1), ("good.yaml", "SL102", 4, 25)]


def test_errors_sit_where_the_input_is_bad_not_at_1_1(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text('{"stages": [\n  ' + "[" * 600 + "]" * 600 + "]}\n", encoding="utf-8")
    (tmp_path / "deep.yaml").write_text("stages:\n  - name: p\n    x: " + "[" * 600 + "]" * 600 + "\n",
                                        encoding="utf-8")
    (tmp_path / "formfeed.yaml").write_text("stages:\n  - name: prod\n    x: a\x0cb\n", encoding="utf-8")
    (tmp_path / "nul.yaml").write_bytes(b"stages:\n  - name: prod\n    x: a\x00b\n")
    (tmp_path / "alias.yaml").write_text("stages:\n  - &a [*a]\n", encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert _rules(result) == [("alias.yaml", "SL000", 2, 5), ("deep.json", "SL000", 2, 513),
                              ("deep.yaml", "SL000", 3, 520), ("formfeed.yaml", "SL000", 3, 9),
                              ("good.yaml", "SL102", 4, 25), ("nul.yaml", "SL000", 3, 9)]


def test_suppressions_after_an_apostrophe_or_a_form_feed(tmp_path: Path) -> None:
    (tmp_path / "plain.yaml").write_text(
        "stages:\n  - name: it's.bad # stagelint: ignore[SL001] legacy\n"
        "  - name: also.bad\n", encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        '# a form feed \x0c, a vertical tab \x0b and a line separator \u2028 in a comment\n'
        'resource "aws_api_gateway_stage" "s" {\n'
        '  stage_name = "a.b" # stagelint: ignore[SL001] legacy\n'
        "}\n"
        'resource "aws_api_gateway_stage" "t" {\n'
        '  stage_name = "c.d"\n'
        "}\n", encoding="utf-8")
    result = _run("check", "--select", "SL001", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert _rules(result) == [("main.tf", "SL001", 6, 16), ("plain.yaml", "SL001", 3, 11)]


def test_output_never_overwrites_an_input_and_is_written_whole(tmp_path: Path) -> None:
    _good(tmp_path)
    for command in ("check", "inventory", "report"):
        for args in (["-o", "good.yaml", "good.yaml"], ["-o", "good.yaml", "."], ["-o", "./good.yaml", "."]):
            result = _run(command, *args, cwd=tmp_path)
            assert result.returncode == 3 and b"is a file being linted" in result.stderr, (command, result.stderr)
            assert (tmp_path / "good.yaml").read_text(encoding="utf-8") == GOOD
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")
    os.chmod(tmp_path / "report.json", 0o640)
    for _ in range(2):  # the report (not a stage file) is not an input the second time either
        result = _run("check", "--format", "json", "-o", "report.json", ".", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["findings"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["good.yaml", "report.json"]  # no temporary left
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o640  # the replaced report's permissions
    result = _run("check", "--format", "json", "-o", "new.json", ".", cwd=tmp_path)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o666 & ~_umask()
    result = _run("check", "--format", "json", "-o", "/dev/stdout", "good.yaml", cwd=tmp_path)
    assert result.returncode == 1 and json.loads(result.stdout)["findings"]


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _without_root_privileges() -> None:
    """In the child: drop the capabilities that let root read anything (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH), so permissions apply as for any user; nothing to do for a non-root user."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _can_drop_root() -> bool:
    try:
        subprocess.run([sys.executable, "-c", ""], preexec_fn=_without_root_privileges, check=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@pytest.mark.skipif(not _can_drop_root(), reason="running as root without CAP_SETPCAP: permissions cannot apply")
@pytest.mark.parametrize("in_git", [False, True])
def test_unreadable_files_and_directories_are_sl000_and_the_rest_is_linted(tmp_path: Path, in_git: bool) -> None:
    if in_git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _good(tmp_path)
    (tmp_path / "locked.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.yaml").write_text(GOOD, encoding="utf-8")
    os.chmod(tmp_path / "locked.yaml", 0)
    os.chmod(tmp_path / "closed", 0)
    environment = dict(os.environ, PYTHONPATH=str(REPO), GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="safe.directory",
                       GIT_CONFIG_VALUE_0="*")
    try:
        for args in (["locked.yaml", "good.yaml"], ["."]):
            result = subprocess.run(
                [sys.executable, "-m", "stagelint", "check", "--select", "SL102", "--format", "json", *args],
                cwd=tmp_path, capture_output=True, env=environment, timeout=120, check=False,
                preexec_fn=_without_root_privileges)
            assert result.returncode == 2, result.stderr
            expected = [("good.yaml", "SL102", 4, 25), ("locked.yaml", "SL000", 1, 1)]
            if args == ["."]:
                expected.insert(0, ("closed", "SL000", 1, 1))
            assert _rules(result) == expected
            if args == ["."]:
                messages = [finding["message"] for finding in json.loads(result.stdout)["findings"]]
                assert "directory not read: permission denied" in messages
    finally:
        os.chmod(tmp_path / "closed", 0o755)
        os.chmod(tmp_path / "locked.yaml", 0o644)


def test_tf_json_keeps_every_block_definition(tmp_path: Path) -> None:
    """hashicorp/hcl json/spec.md: a body is an object or an array of objects, and repeated property
    names where blocks are expected are all kept: each defines a stage, and none is an SL010."""
    (tmp_path / "repeated.tf.json").write_text(
        '{"resource": {"aws_api_gateway_stage": {"one": {"stage_name": "a.b", "rest_api_id": "x"}}},\n'
        ' "resource": {"aws_api_gateway_stage": {"two": {"stage_name": "c.d", "rest_api_id": "x"}}}}\n',
        encoding="utf-8")
    (tmp_path / "arrays.tf.json").write_text(
        '{"resource": [{"aws_api_gateway_stage": {"three": {"stage_name": "e.f", "rest_api_id": "x"}}},\n'
        '  {"aws_api_gateway_stage": [{"four": {"stage_name": "g.h", "rest_api_id": "x"}}]}]}\n',
        encoding="utf-8")
    (tmp_path / "attribute.tf.json").write_text(  # an attribute written twice: the later wins, SL010
        '{"resource": {"aws_api_gateway_stage": {"five": {"stage_name": "ok", "stage_name": "i.j",\n'
        '  "rest_api_id": "x"}}}}\n', encoding="utf-8")
    result = _run("check", "--select", "SL001,SL010", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert _rules(result) == [("arrays.tf.json", "SL001", 1, 66), ("arrays.tf.json", "SL001", 2, 54),
                              ("attribute.tf.json", "SL001", 1, 84), ("attribute.tf.json", "SL010", 1, 70),
                              ("repeated.tf.json", "SL001", 1, 63), ("repeated.tf.json", "SL001", 2, 63)]


def _condition_chain(length: int, stage_name: str) -> str:
    lines = ["Conditions:", "  C0: !Equals [a, b]"]
    lines += [f"  C{index}: !Not [!Condition C{index - 1}]" for index in range(1, length)]
    lines += ["Resources:", "  S:", "    Type: AWS::ApiGateway::Stage", f"    Condition: C{length - 1}",
              "    Properties:", f"      StageName: {stage_name}", "      RestApiId: x"]
    return "\n".join(lines) + "\n"


def test_a_long_condition_chain_is_decided(tmp_path: Path) -> None:
    # C0 is false; 3,000 negations later C2999 is true (odd), C3000 false: one stage created, one not
    (tmp_path / "created.yaml").write_text(_condition_chain(3000, "a.b"), encoding="utf-8")
    (tmp_path / "not-created.yaml").write_text(_condition_chain(3001, "c.d"), encoding="utf-8")
    result = _run("check", "--select", "SL001", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert _rules(result) == [("created.yaml", "SL001", 3007, 18)]


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    name = "a." * 300_000
    (tmp_path / "big.yaml").write_text(f'stages:\n  - name: "{name}"\n', encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        'locals {\n  name = <<EOT\n' + "x\n" * 50_000 + 'EOT\n}\n'
        'resource "aws_api_gateway_stage" "s" {\n  stage_name = local.name\n  rest_api_id = "x"\n}\n',
        encoding="utf-8")
    _good(tmp_path)
    for output_format in ("text", "json", "sarif"):
        result = _run("check", "--format", output_format, ".", cwd=tmp_path)
        assert result.returncode == 1
        assert len(result.stdout) < 200_000, len(result.stdout)  # SARIF carries every rule's help
        if output_format == "sarif":
            messages = [item["message"]["text"] for item in json.loads(result.stdout)["runs"][0]["results"]]
            assert max(len(message) for message in messages) < 1_000
        else:
            assert max(len(line) for line in result.stdout.splitlines()) < 1_000
        assert b"(600,000 characters)" in result.stdout and b"(100,000 characters)" in result.stdout
        assert b"good.yaml" in result.stdout


SLEEPY_RULE = '''"""A plugin rule that waits, so that a run is still in its pool when the signal comes.

## What it does
Nothing.

## Why is this bad?
It is not.

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
import time

ID = "EX300"
NAME = "sleepy"
DEFAULT_SEVERITY = "warning"
OPTIONS = None


def check(stage, options):
    time.sleep(120)
    return iter(())
'''


def _pool_workers(pid: int) -> list[int]:
    """The children of `pid` that are Python processes (pool workers, not a `git` being started)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii").split()
    except OSError:
        return []
    workers = []
    for child in children:
        with contextlib.suppress(OSError):
            if b"stagelint" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(int(child))
    return workers


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the pool's workers")
@pytest.mark.parametrize(("signal_number", "code", "message"),
                         [(signal.SIGTERM, 143, b"stagelint: terminated"), (signal.SIGINT, 130, b"stagelint: aborted"),
                          (signal.SIGKILL, -signal.SIGKILL, b"")])  # workers learn of it from the kernel
def test_a_signal_during_a_pool_run_stops_every_worker(tmp_path: Path, signal_number: int, code: int,
                                                       message: bytes) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sleepy.py").write_text(SLEEPY_RULE, encoding="utf-8")
    dist = site / "sleepy-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sleepy\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[stagelint.rules]\nsleepy = sleepy\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    for index in range(12):
        (work / f"s{index}.yaml").write_text("stages:\n  - name: prod\n", encoding="utf-8")
    # 12 small files: the work estimate alone would run them serially.
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(REPO)]),
                       STAGELINT_CACHE_DIR=str(tmp_path / "cache"), STAGELINT_POOL="always")
    process = subprocess.Popen([sys.executable, "-m", "stagelint", "check", "--jobs", "2", "--select", "EX300", "."],
                               cwd=work, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = _pool_workers(process.pid)
            time.sleep(0.005)
        assert len(workers) == 2, "the pool never started"
        if signal_number == signal.SIGINT:
            os.killpg(process.pid, signal_number)  # Ctrl-C reaches the whole foreground group
        else:
            os.kill(process.pid, signal_number)  # as `timeout` or a CI runner sends it
        output, errors = process.communicate(timeout=60)  # orphans would hold the pipes open
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == code, errors
    assert message in errors and b"Traceback" not in errors and b"Process" not in errors, errors
    assert len(output) + len(errors) < 1_000
    for worker in workers:  # gone, not orphaned (communicate() above already waited for their pipes)
        for _ in range(500):
            if not _alive(worker):
                break
            time.sleep(0.01)
        assert not _alive(worker), worker


TRICKY_GITIGNORE = {
    ".gitignore": "/rooted.yaml\n**/anywhere.yaml\na/**/b.yaml\n*.tmp.yaml\n!keep.tmp.yaml\nbuild/\n"
                  "docs/*.yaml\n\\#hash.yaml\nspace.yaml \n!/sub/rooted.yaml\nlogs\n!logs/kept.yaml\n"
                  "[xy]z.yaml\nq?.yaml\n",
    "sub/.gitignore": "local.yaml\n!anywhere.yaml\n/only-here.yaml\n",
}
TRICKY_FILES = ["rooted.yaml", "sub/rooted.yaml", "anywhere.yaml", "deep/er/anywhere.yaml", "sub/anywhere.yaml",
                "a/b.yaml", "a/x/y/b.yaml", "b.yaml", "one.tmp.yaml", "keep.tmp.yaml", "build/out.yaml",
                "src/build/out.yaml", "docs/a.yaml", "docs/deep/a.yaml", "#hash.yaml", "space.yaml",
                "logs/kept.yaml", "xz.yaml", "zz.yaml", "q1.yaml", "q12.yaml", "sub/local.yaml", "local.yaml",
                "sub/only-here.yaml", "only-here.yaml", "sub/deeper/only-here.yaml", "plain.yaml"]


def test_gitignore_outside_git_follows_gits_own_answers(tmp_path: Path) -> None:
    from stagelint.config import Config
    from stagelint.discovery import discover

    trees = {}
    for kind in ("plain", "repository"):
        root = tmp_path / kind
        for name in TRICKY_FILES:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(GOOD, encoding="utf-8")
        for name, text in TRICKY_GITIGNORE.items():
            (root / name).write_text(text, encoding="utf-8")
        trees[kind] = root
    subprocess.run(["git", "init", "-q", str(trees["repository"])], check=True)
    listed = subprocess.run(["git", "-C", str(trees["repository"]), "ls-files", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True,
                            env=dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull))
    by_git = sorted(name for name in listed.stdout.splitlines() if name.endswith(".yaml"))
    assert "plain.yaml" in by_git and "rooted.yaml" not in by_git and "sub/rooted.yaml" in by_git  # the test bites
    previous = os.getcwd()
    os.chdir(trees["plain"])
    try:
        ours = discover((".",), Config())
    finally:
        os.chdir(previous)
    assert ours == by_git


def test_a_huge_gitignore_outside_git_is_bounded(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("".join(f"pattern-{index}/**/x{index}.yaml\n" for index in range(50_000))
                                         + "ignored.yaml\n", encoding="utf-8")
    for index in range(200):
        (tmp_path / f"f{index}.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ignored.yaml").write_text(GOOD, encoding="utf-8")
    # a CPU budget the unbounded matching (50,000 patterns × 200 files) does not fit in
    result = _run("check", "--select", "SL102", "--format", "json", ".", cwd=tmp_path, cpu_seconds=20)
    assert result.returncode == 1, result.stderr
    assert len(_rules(result)) == 201  # the patterns past the bound are not read: ignored.yaml is linted too


def test_a_gitignore_applied_in_part_is_said(tmp_path: Path) -> None:
    from stagelint.config import Config
    from stagelint.discovery import MAX_GITIGNORE_PATTERNS, discover

    (tmp_path / "many").mkdir()
    (tmp_path / "many" / ".gitignore").write_text("".join(f"p{index}.yaml\n" for index in range(3_000))
                                                  + "!p1.yaml\n", encoding="utf-8")
    (tmp_path / "huge").mkdir()
    (tmp_path / "huge" / ".gitignore").write_text("# " + "x" * 300_000 + "\nlate.yaml\n", encoding="utf-8")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / ".gitignore").write_text("ok.yaml\n!\n", encoding="utf-8")
    (tmp_path / "fine").mkdir()
    (tmp_path / "fine" / ".gitignore").write_text("x.yaml\n", encoding="utf-8")
    for name in ("many/p1.yaml", "many/p2999.yaml", "huge/late.yaml", "odd/ok.yaml", "fine/x.yaml"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    partial: dict[str, str] = {}
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        files = discover((".",), Config(), partial=partial)
    finally:
        os.chdir(previous)
    # the negation past the bound is not applied (p1 stays ignored), nor the pattern past it (p2999 linted)
    assert files == ["huge/late.yaml", "many/p2999.yaml"], files
    assert partial == {
        "huge/.gitignore": "only its first 256 KiB read",
        "many/.gitignore": f"{3_001 - MAX_GITIGNORE_PATTERNS:,} pattern(s) beyond the first 2,000 not applied",
        "odd/.gitignore": "1 pattern(s) not understood, not applied",
    }
    result = _run("check", "-v", "--select", "SL102", ".", cwd=tmp_path)
    assert b"many/.gitignore: note: applied only in part (1,001 pattern(s) beyond the first 2,000 not applied)" \
        in result.stderr, result.stderr
    shown = _run("check", "--show-files", ".", cwd=tmp_path)
    assert b"# odd/.gitignore applied only in part: 1 pattern(s) not understood" in shown.stdout, shown.stdout


def test_one_long_json_string_is_read_in_little_memory(tmp_path: Path) -> None:
    # ~165 bytes of regex backtracking state per character took 500 MB for this; the budget is 300 MB
    description = "\\n" * 1_000_000 + "a" * 2_000_000
    (tmp_path / "big.json").write_text(
        '{"Resources": {"S": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "p.q", '
        '"RestApiId": "x", "Description": "' + description + '"}}}}', encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "--select", "SL000,SL001,SL102", "--format", "json", ".", cwd=tmp_path, limit_mb=300)
    assert result.returncode == 1, result.stderr
    assert _rules(result) == [("big.json", "SL001", 1, 84), ("good.yaml", "SL102", 4, 25)]


def test_one_long_hcl_line_is_linear(tmp_path: Path) -> None:
    # 80,000 interpolations on one line after a non-ASCII character: every node's column sliced and
    # decoded the line's prefix (40 s of CPU); within a 12 s CPU budget now
    line = "é" + "${local.a}" * 80_000
    (tmp_path / "main.tf").write_text(
        'locals {\n  a = "b"\n}\nresource "aws_api_gateway_stage" "s" {\n'
        f'  description = "{line}"\n  stage_name = "a.b"\n  rest_api_id = "x"\n}}\n', encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "--timeout", "12", "--select", "SL000,SL001,SL102", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert _rules(result) == [("good.yaml", "SL102", 4, 25), ("main.tf", "SL001", 6, 16)]


def test_plan_method_settings_join_in_linear_time(tmp_path: Path) -> None:
    resources: list[dict[str, object]] = []
    for index in range(4000):  # 4,000 stages × 4,000 settings: 21 s of CPU before, 3 s now
        resources.append({"address": f"aws_api_gateway_stage.s{index}", "mode": "managed",
                          "type": "aws_api_gateway_stage", "name": f"s{index}",
                          "values": {"stage_name": f"s{index}", "rest_api_id": "a"}})
        resources.append({"address": f"aws_api_gateway_method_settings.m{index}", "mode": "managed",
                          "type": "aws_api_gateway_method_settings", "name": f"m{index}",
                          "values": {"stage_name": f"s{index}", "rest_api_id": "a", "method_path": "*/*",
                                     "settings": [{"cache_ttl_in_seconds": 9000 if index == 3999 else 300}]}})
    plan = {"format_version": "1.2", "terraform_version": "1.6.0",
            "planned_values": {"root_module": {"resources": resources}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "--timeout", "12", "--select", "SL000,SL102,SL103", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(finding["path"], finding["rule"], finding["stage"]) for finding in findings] == [
        ("good.yaml", "SL102", "prod"), ("plan.json", "SL103", "s3999")]


def test_comparing_doubled_lists_is_linear(tmp_path: Path) -> None:
    # local.x defined twice: comparing the two values printed a 2^26-element list
    levels = 26
    lines = ["locals {", '  a0 = ["x"]', *(f"  a{k} = [local.a{k - 1}, local.a{k - 1}]" for k in range(1, levels + 1)),
             f"  x = local.a{levels}", "}", "locals {", f"  x = local.a{levels - 1}", "}",
             'resource "aws_api_gateway_stage" "s" {', '  stage_name = "a.${local.x' + "[0]" * (levels - 1) + '}"',
             '  rest_api_id = "x"', "}"]
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _good(tmp_path)
    result = _run("check", "-v", "--timeout", "10", "--select", "SL000,SL001,SL102", "--format", "json", ".",
                  cwd=tmp_path, limit_mb=1024)
    assert result.returncode == 1, result.stderr
    assert _rules(result) == [("good.yaml", "SL102", 4, 25)]  # the name is unknown: no SL001 from a guess
    assert b"local.x is defined more than once with different values" in result.stderr
