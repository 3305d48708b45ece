"""Issue 15's table, measured the way the issue asks: whole processes, interleaved, medians, ratios.

    python benchmarks/run.py --only 4            # what `make bench` runs as its fourth table
    python benchmarks/issue_table.py --quick     # fewer calls and smaller inputs: a smoke run

Every ratio is taken pair by pair from interleaved runs (A B, then B A, …: a machine whose speed
drifts slows both alike, and neither command always runs second), then the median of each call's
ratios; several calls give "median (min–max)" of those medians. The two rows whose bar sits within
this VM's noise of the truth (a 10-file commit against `--jobs 1`: the same work; a rule-cache
miss: ~1 ms of ~80 ms runs) take four times the pairs and are judged on the median of every pair
of every call, printed with its 95 % interval (distribution-free, from the pairs' order
statistics), so a reader sees how far the noise reaches. The size rows (a `.tf` module and a
template, each at two sizes; the template's default run beside `--jobs 1`) run their commands in
turn, a few rounds, and take each one's median. The floor is `python -c pass` of the venv
stagelint is installed in. Each row prints its bar and whether this run meets it. Nothing here is a
test: `make test` never times anything.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_tree import _cfn_yaml, _terraform, big_cloudformation, big_terraform, generate  # noqa: E402

Command = Sequence[str]


def run_once(command: Command, cwd: Path | None = None, environment: dict[str, str] | None = None
             ) -> tuple[float, int]:
    """(wall seconds, peak RSS KiB of the process and its reaped children) of one run.

    Only for wall time when this process is large: Linux carries the high-water mark of the address
    space that execs (`exec_mmap`), and `subprocess` starts children with vfork, so a child's
    `ru_maxrss` starts at this process's own peak. `peak_rss` measures memory."""
    start = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


# A small interpreter starts the command and reports the command's own rusage: the command then
# execs from the launcher's small address space, not from this one (which holds generated trees
# and templates, and made the 50,000-file row read 262 MiB for a main process of 44 MiB).
_LAUNCHER = ("import os, subprocess, sys, time\n"
             "start = time.perf_counter()\n"
             "process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "_, _, usage = os.wait4(process.pid, 0)\n"
             "print(time.perf_counter() - start, usage.ru_maxrss)\n")


def peak_rss(command: Command, cwd: Path | None = None, environment: dict[str, str] | None = None
             ) -> tuple[float, int]:
    """(wall seconds, peak RSS KiB of the command and its reaped children), through `_LAUNCHER`."""
    completed = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], cwd=cwd, env=environment,
                               capture_output=True, text=True, check=True)
    wall, rss = completed.stdout.split()
    return float(wall), int(rss)


def sane(command: Command, cwd: Path | None = None, environment: dict[str, str] | None = None) -> Command:
    """`command`, once it has been seen to work: a crash (exit code 3 or more, an internal error) is
    fast, and timing it would read as a bar met."""
    completed = subprocess.run(list(command), cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1) or "internal error" in completed.stderr:
        raise SystemExit(f"{' '.join(command)} failed (exit code {completed.returncode}): {completed.stderr[-400:]}")
    return command


class Paired(NamedTuple):
    """Interleaved runs of two commands: per call, the medians of each one's walls and of the
    pairwise ratios; and every pair of every call, (first, second)."""

    firsts: list[float]
    seconds: list[float]
    ratios: list[float]
    every_pair: list[tuple[float, float]]


# A command to run: the command, its working directory and its environment (None: this one's).
Run = tuple[Command, Path | None, dict[str, str] | None]


def in_turn(runs: Sequence[Run], rounds: int,
            measure: Callable[[Command, Path | None, dict[str, str] | None], tuple[float, int]]
            ) -> list[list[tuple[float, int]]]:
    """Each run's `measure`ments (wall, peak RSS KiB), `rounds` times: every round runs each command
    once, the order reversed every other round (A B, then B A, …), so that commands compared (two
    sizes for linearity, a default run against `--jobs 1`, a pair's two sides) meet the same moments
    of a machine whose speed drifts, and none always runs first."""
    measured: list[list[tuple[float, int]]] = [[] for _ in runs]
    for index in range(rounds):
        order = range(len(runs)) if index % 2 == 0 else range(len(runs) - 1, -1, -1)
        for position in order:
            measured[position].append(measure(*runs[position]))
    return measured


def interleaved(first: Command, second: Command, pairs: int, calls: int, cwd: Path | None = None,
                first_environment: dict[str, str] | None = None) -> Paired:
    """`pairs` runs of each command per call, interleaved; the order flips from one pair to the next."""
    measured = Paired([], [], [], [])
    runs: list[Run] = [(first, cwd, first_environment), (second, cwd, None)]
    for _ in range(calls):
        for run in runs:
            run_once(*run)  # warm-up: page cache, bytecode, the rule cache
        firsts, seconds = in_turn(runs, pairs, run_once)
        call = [(a, b) for (a, _), (b, _) in zip(firsts, seconds, strict=True)]
        measured.firsts.append(statistics.median(a for a, _ in call))
        measured.seconds.append(statistics.median(b for _, b in call))
        measured.ratios.append(statistics.median(a / b for a, b in call))
        measured.every_pair.extend(call)
    return measured


def median_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """(median, low, high): the 95 % interval of the median from the order statistics (the ranks
    n/2 ± 0.98·√n), which assumes nothing of the noise's distribution."""
    ordered = sorted(values)
    half_width = 0.98 * math.sqrt(len(ordered))
    low = max(0, math.floor(len(ordered) / 2 - half_width))
    high = min(len(ordered) - 1, math.ceil(len(ordered) / 2 + half_width) - 1)
    return statistics.median(ordered), ordered[low], ordered[high]


def pooled_median(values: Sequence[float], unit: Callable[[float], str]) -> str:
    """'median (95 % interval low–high) of N pairs'."""
    middle, low, high = median_interval(values)
    return f"{unit(middle)} of {len(values)} pairs (95 % interval {unit(low)} to {unit(high)})"


def spread(values: list[float], unit: Callable[[float], str]) -> str:
    """'median (min–max)' of per-call medians."""
    return f"{unit(statistics.median(values))} ({unit(min(values))}–{unit(max(values))})"


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def tenths_ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def times(value: float) -> str:
    return f"{value:.2f}×"


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def rows(stagelint: Command, python: str, peers: dict[str, Path | None], calls: int, pairs: int,
         quick: bool) -> list[list[str]]:
    work = Path(tempfile.mkdtemp(prefix="stagelint-bench-"))
    (work / "cfn").mkdir()
    (work / "tf").mkdir()
    (work / "cfn" / "one-stage.yaml").write_text(_cfn_yaml(1), encoding="utf-8")
    (work / "tf" / "main.tf").write_text(_terraform(1), encoding="utf-8")
    floor = [python, "-c", "pass"]
    table: list[list[str]] = []

    for label, folder, target, bar, peer_bars in (
            ("one CloudFormation YAML file", "cfn", "one-stage.yaml", 6.0, {"cfn-lint": 12.0, "checkov": 30.0}),
            ("one `.tf` module", "tf", "main.tf", 5.0, {"checkov": 35.0})):
        checked = sane([*stagelint, "check", target], work / folder)
        ours, base, ratios, _ = interleaved(checked, floor, pairs, calls, work / folder)
        cells = [f"{spread(ratios, times)} the floor ({ms(statistics.median(ours))} vs {ms(statistics.median(base))})"]
        met = statistics.median(ratios) <= bar
        for peer, peer_bar in peer_bars.items():
            path = peers.get(peer)
            if path is None:
                cells.append(f"{peer}: not installed")
                continue
            command = [str(path), target] if peer == "cfn-lint" else [
                str(path), "-f", target, "--framework", "cloudformation" if folder == "cfn" else "terraform",
                "--quiet", "--compact", "--skip-download"]
            # One call of a few pairs: a peer's run takes seconds, and its ratio is tens, not a few
            # per cent; the median of every pair.
            every_pair = interleaved(command, [*stagelint, "check", target], max(3, pairs // 2), 1,
                                     work / folder, _peer_environment()).every_pair
            peer_ratio = statistics.median(theirs / ours for theirs, ours in every_pair)
            cells.append(f"{times(peer_ratio)} faster than {peer} ({len(every_pair)} pairs; bar ≥ {peer_bar:g}×)")
            met = met and peer_ratio >= peer_bar
        table.append([label, "; ".join(cells), f"≤ {bar:g}× the floor", verdict(met)])

    commit = work / "commit"
    generate(str(commit), 10)
    default_walls, serial_walls, ratios, every_pair = interleaved(
        sane([*stagelint, "check", "--exit-zero", "--no-gitignore", "."], commit),
        [*stagelint, "check", "--exit-zero", "--no-gitignore", "--jobs", "1", "."], pairs * 4, calls, commit)
    commit_ratios = [a / b for a, b in every_pair]
    walls = f"{ms(statistics.median(default_walls))} vs {ms(statistics.median(serial_walls))}"
    table.append(["a 10-file commit, default `--jobs`",
                  f"{pooled_median(commit_ratios, times)} of `--jobs 1`; calls {spread(ratios, times)} ({walls})",
                  "never slower than `--jobs 1` (≤ 1.0×; within ±5 % noise)",
                  verdict(statistics.median(commit_ratios) <= 1.05)])

    stage_counts = (500, 2_000) if quick else (1_250, 5_000)
    modules = []
    for count in stage_counts:
        module = work / f"tf-{count}"
        module.mkdir()
        (module / "main.tf").write_text(big_terraform(count), encoding="utf-8")
        modules.append((sane([*stagelint, "check", "--exit-zero", "main.tf"], module), module, None))
    small_tf, big_tf = in_turn(modules, max(3, calls), run_once)
    tf_walls = [statistics.median(wall for wall, _ in runs) for runs in (small_tf, big_tf)]
    growth = tf_walls[1] / tf_walls[0]
    table.append([f"`.tf` with {stage_counts[1]:,} stages", f"{ms(tf_walls[1])}; ×{growth:.1f} for "
                  f"×{stage_counts[1] // stage_counts[0]} the stages ({ms(tf_walls[0])} at {stage_counts[0]:,})",
                  "≤ 2 s, linear", verdict(tf_walls[1] <= 2.0 and growth <= stage_counts[1] / stage_counts[0] * 1.3)])

    sizes = (1.25, 5.0) if not quick else (0.5, 2.0)
    for size in sizes:
        (work / f"big-{size:g}MB.yaml").write_text(big_cloudformation(size), encoding="utf-8")
    # The default runs (a document of 2 MB or more is checked in parts over the cores:
    # `parallel._in_shares`) and `--jobs 1` (one process) of the large one, in turn, a few runs each:
    # one run of a few seconds is noise.
    small, large = (f"big-{size:g}MB.yaml" for size in sizes)
    small_runs, large_runs, serial_runs = in_turn(
        [(sane([*stagelint, "check", "--exit-zero", small], work), work, None),
         (sane([*stagelint, "check", "--exit-zero", large], work), work, None),
         (sane([*stagelint, "check", "--exit-zero", "--jobs", "1", large], work), work, None)],
        max(3, calls), peak_rss)
    small_wall, wall, serial_wall = (statistics.median(wall for wall, _ in runs)
                                     for runs in (small_runs, large_runs, serial_runs))
    rss = max(rss for _, rss in large_runs)
    table.append([f"{sizes[1]:g} MB CloudFormation template",
                  f"{ms(wall)}, {rss / 1024:.0f} MiB (the largest process); ×{wall / small_wall:.1f} for "
                  f"×{sizes[1] / sizes[0]:g} the size; `--jobs 1`: {ms(serial_wall)}",
                  "≤ 3 s and ≤ 150 MiB, linear",
                  verdict(wall <= 3.0 and rss <= 150 * 1024 and wall / small_wall <= sizes[1] / sizes[0] * 1.3)])

    file_counts = (1_000, 5_000) if quick else (5_000, 50_000)
    peaks = []
    for count in file_counts:
        tree = work / f"tree-{count}"
        generate(str(tree), count)
        # Over a pool the workers decode (~26 MiB each) and the main process keeps only the results, so
        # the largest process's peak, growing with the files, is the main process's.
        pooled = dict(os.environ, STAGELINT_POOL="always")
        tree_run = sane([*stagelint, "check", "--exit-zero", "--no-gitignore", "--jobs", "0", str(tree)], None, pooled)
        peaks.append(peak_rss(tree_run, None, pooled)[1])
    per_file = (peaks[1] - peaks[0]) / (file_counts[1] - file_counts[0])
    table.append([f"{file_counts[1]:,} files", f"main process +{per_file:.2f} KiB a file ({peaks[0] / 1024:.0f} MiB at "
                  f"{file_counts[0]:,}, {peaks[1] / 1024:.0f} MiB at {file_counts[1]:,}; over a pool)",
                  "≤ 0.5 KiB a file", verdict(per_file <= 0.5)])

    # A rule-cache miss: the cache directory is a file, so every run scans for plugins again.
    missing_cache = dict(os.environ, STAGELINT_CACHE_DIR=str(work / "cfn" / "one-stage.yaml"))
    sane([*stagelint, "check", "one-stage.yaml"], work / "cfn", missing_cache)
    every_pair = interleaved([*stagelint, "check", "one-stage.yaml"], [*stagelint, "check", "one-stage.yaml"],
                             pairs * 4, calls, work / "cfn", missing_cache).every_pair
    # Pair by pair, not the difference of two medians: ~1 ms of ~80 ms runs is well within the
    # medians' own spread (that difference read 1 ms and 6 ms in two quiet runs).
    extra = [miss - hit for miss, hit in every_pair]
    table.append(["a rule-cache miss", f"{pooled_median(extra, tenths_ms)} extra per run", "≤ 3 ms",
                  verdict(statistics.median(extra) <= 0.003)])
    shutil.rmtree(work, ignore_errors=True)
    return table


def _peer_environment() -> dict[str, str]:
    return dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false", LOG_LEVEL="ERROR",
                PYTHONWARNINGS="ignore")


def render(table: list[list[str]], calls: int, pairs: int) -> str:
    lines = [f"### 4. Issue 15's table (interleaved: {calls} calls × {pairs} pairs, {pairs * 4} for the 10-file "
             "commit and the rule-cache miss; median (min–max) of the calls' medians)", "",
             "| case | measured | bar | verdict |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def main(stagelint: Command, python: str, peers: dict[str, Path | None], quick: bool) -> str:
    calls, pairs = (2, 5) if quick else (3, 15)
    return render(rows(stagelint, python, peers, calls, pairs, quick), calls, pairs)


if __name__ == "__main__":
    import run

    run.install_stagelint()
    print(main(run.stagelint_command(), run.installed_python(), {"cfn-lint": None, "checkov": None},
               "--quick" in sys.argv))
