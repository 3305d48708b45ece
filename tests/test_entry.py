"""The console script's entry point (`stagelint.__main__.run`): it ends the process without the
interpreter's teardown, and that must never cost output, an exit code or somebody's clean-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO

# A stand-in for whatever a run leaves alive: its finaliser runs only if the interpreter tears down.
_PROGRAM = """
import sys
class Sentinel:
    def __del__(self):
        sys.stderr.write("torn down\\n")
sentinel = Sentinel()
{setup}
sys.argv = ["stagelint", *sys.argv[1:]]
from stagelint.__main__ import run
run()
"""


def _run(tmp_path: Path, *arguments: str, setup: str = "") -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONUTF8="1", STAGELINT_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-c", _PROGRAM.format(setup=setup), *arguments], cwd=tmp_path,
                          capture_output=True, text=True, env=environment, timeout=120, check=False)


def _stages(count: int) -> str:
    return "stages:\n" + "".join(f"  - name: prod{number}\n    cache_cluster_enabled: true\n"
                                 for number in range(count))


def test_the_console_script_is_this_entry_point() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["stagelint"] == "stagelint.__main__:run"


def test_a_large_output_arrives_whole_and_the_exit_code_is_kept(tmp_path: Path) -> None:
    # Far more than a pipe's buffer: everything written must be flushed before the process ends.
    (tmp_path / "stages.yaml").write_text(_stages(400), encoding="utf-8")
    text = _run(tmp_path, "check", "--fail-on", "info", "stages.yaml")
    as_json = _run(tmp_path, "check", "--format", "json", "--exit-zero", "stages.yaml")
    findings = json.loads(as_json.stdout)["findings"]
    assert text.returncode == 1 and as_json.returncode == 0, (text.stderr, as_json.stderr)
    assert len(text.stdout) > 200_000
    assert len([line for line in text.stdout.splitlines() if line.startswith("stages.yaml:")]) == len(findings)
    assert text.stdout.rstrip().endswith("stages found.")
    assert "torn down" not in text.stderr  # the fast exit was taken


def test_usage_errors_keep_their_message_and_code(tmp_path: Path) -> None:
    completed = _run(tmp_path, "check", "--no-such-option")
    assert completed.returncode == 3 and "No such option" in completed.stderr


def test_an_atexit_callback_still_runs(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(_stages(1), encoding="utf-8")
    setup = "import atexit\natexit.register(lambda: sys.stderr.write('callback ran\\n'))"
    completed = _run(tmp_path, "check", "--fail-on", "info", "stages.yaml", setup=setup)
    assert completed.returncode == 1
    assert "callback ran" in completed.stderr and "torn down" in completed.stderr  # the normal exit


def test_a_live_thread_is_waited_for(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(_stages(1), encoding="utf-8")
    # The thread finishes only once the main thread has ended, as the interpreter's exit waits for it.
    setup = ("import threading, time\n"
             "def after_main():\n"
             "    while threading.main_thread().is_alive():\n"
             "        time.sleep(0.01)\n"
             "    sys.stderr.write('thread done\\n')\n"
             "threading.Thread(target=after_main).start()")
    completed = _run(tmp_path, "check", "stages.yaml", setup=setup)
    assert completed.returncode == 1 and "thread done" in completed.stderr  # SL102 is an error


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(_stages(400), encoding="utf-8")
    environment = dict(os.environ, PYTHONUTF8="1", STAGELINT_CACHE_DIR=str(tmp_path / "cache"))
    process = subprocess.Popen([sys.executable, "-m", "stagelint", "check", "stages.yaml"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()  # `stagelint check | head -c 100`
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in error and "Exception ignored" not in error


def test_a_run_started_without_stdout_or_stderr_keeps_its_exit_code(tmp_path: Path) -> None:
    """`stagelint check x >&-` (or `2>&-`, or both): Python starts with that stream set to None; the
    run is not a terminal's, prints nothing there, and exits as it would have."""
    (tmp_path / "stages.yaml").write_text(_stages(3), encoding="utf-8")
    environment = dict(os.environ, PYTHONUTF8="1", STAGELINT_CACHE_DIR=str(tmp_path / "cache"))
    for closed in ("1", "2", "1 2"):
        program = ("import os, subprocess, sys\n"
                   f"for fd in ({closed.replace(' ', ', ')},):\n"
                   "    os.close(fd)\n"
                   "sys.exit(subprocess.call([sys.executable, '-m', 'stagelint', 'check', 'stages.yaml'],\n"
                   "                         close_fds=False))\n")
        log = tmp_path / "stderr.txt"
        with open(log, "wb") as errors:  # what is left of stderr when only stdout is closed
            code = subprocess.call([sys.executable, "-c", program], cwd=tmp_path, env=environment,
                                   stdout=subprocess.DEVNULL, stderr=errors if closed == "1" else subprocess.DEVNULL,
                                   timeout=120)
        assert code == 1, closed
        assert "internal error" not in log.read_text() and "Traceback" not in log.read_text()


def test_the_collector_waits_only_until_its_first_collection() -> None:
    # A one-file run never allocates 100,000 objects; a long run that does gets the usual threshold
    # back, or its cyclic garbage piles up (71 MiB against 32 MiB at 20,000 files, measured).
    program = ("import gc\n"
               "usual = gc.get_threshold()\n"
               "from stagelint.__main__ import _first_collection_later\n"
               "_first_collection_later()\n"
               "assert gc.get_threshold()[0] == 100_000, gc.get_threshold()\n"
               "kept = [[] for _ in range(150_000)]\n"
               "assert gc.get_threshold() == usual, (gc.get_threshold(), usual)\n"
               "print('restored')\n")
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                               check=False)
    assert completed.returncode == 0 and completed.stdout.strip() == "restored", completed.stderr


def test_the_collector_leaves_the_linted_heap_alone_only_while_the_report_is_written(tmp_path: Path) -> None:
    # `frozen_heap`: what the lint built is not walked again by each collection the output sets off,
    # and an in-process caller gets its collector back as it was (here after a run that exits 1).
    (tmp_path / "stages.yaml").write_text(_stages(3), encoding="utf-8")
    program = ("import gc, sys\n"
               "from click.testing import CliRunner\n"
               "import stagelint.cli.common as common\n"
               "seen = []\n"
               "emit = common.emit\n"
               "def recording(*arguments, **keywords):\n"
               "    seen.append(gc.get_freeze_count())\n"
               "    return emit(*arguments, **keywords)\n"
               "import stagelint.cli.check_run as check\n"
               "check.emit = recording\n"
               "from stagelint.cli import cli\n"
               "result = CliRunner().invoke(cli, ['check', '--isolated', 'stages.yaml'])\n"
               "assert result.exit_code == 1, result.output\n"
               "assert seen and all(count > 0 for count in seen), seen\n"
               "assert gc.get_freeze_count() == 0, gc.get_freeze_count()\n"
               "print('ok')\n")
    completed = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True,
                               timeout=60, check=False, env=dict(os.environ, STAGELINT_CACHE_DIR=str(tmp_path / "c")))
    assert completed.returncode == 0 and completed.stdout.strip() == "ok", completed.stdout + completed.stderr


def test_messages_and_reports_are_written_as_click_echo_writes_them(tmp_path: Path) -> None:
    """`common.say` and `common.write_bytes` (what `check` prints with, without click) against
    `click.echo`, on real file descriptors: a message loses its escape codes off a terminal, bytes
    follow what the text stream held, stdout and stderr each get what they should, and an ASCII
    stderr (which click takes for a misconfigured one) gets UTF-8 as click writes it."""
    program = ("import sys, click\n"
               "from stagelint.cli.common import say, write_bytes\n"
               "echo = sys.argv[1] == 'click'\n"
               "for text in ('plain', 'a \\x1b[31mred\\x1b[0m b', '', 'caf\\xe9'):\n"
               "    click.echo(text, err=True) if echo else say(text)\n"
               "sys.stdout.write('text first, ')\n"
               "data = b'then bytes\\xe2\\x82\\xac\\n'\n"
               "click.echo(data, nl=False) if echo else write_bytes(data)\n"
               "click.echo(b'on stderr\\n', nl=False, err=True) if echo else write_bytes(b'on stderr\\n', err=True)\n"
               "click.echo(b'', nl=False) if echo else write_bytes(b'')\n")
    for encoding in ("utf-8", "ascii"):
        environment = dict(os.environ, PYTHONIOENCODING=encoding)
        outputs = [subprocess.run([sys.executable, "-c", program, writer], cwd=tmp_path, capture_output=True,
                                  timeout=60, check=True, env=environment) for writer in ("click", "stagelint")]
        assert outputs[0].stdout == outputs[1].stdout == "text first, then bytes€\n".encode()
        assert outputs[0].stderr == outputs[1].stderr == "plain\na red b\n\ncafé\non stderr\n".encode()
