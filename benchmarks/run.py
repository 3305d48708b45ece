"""stagelint's benchmark: start-up, the real-world corpus, and scaling on a generated 10,000-file tree.

    python benchmarks/run.py            # what `make bench` runs
    python benchmarks/run.py --quick    # fewer runs and a 2,000-file tree: a smoke test, not a measurement
    python benchmarks/run.py --no-peers # stagelint only

Prints four Markdown tables (paste them into benchmarks/README.md):
1. one small file, whole process: median wall time of `stagelint check FILE` beside the floor
   (`python -c pass` of the same interpreter), `cfn-lint FILE` and `checkov -f FILE`;
2. `../shared/corpus`: stagelint against each peer on the files that peer reads;
3. a generated tree (benchmarks/generate_tree.py) with `--jobs 1` and `--jobs 0`: files/s and peak
   memory (largest single process, and the whole process tree sampled from /proc);
4. issue 15's table, row by row against its bars, interleaved (benchmarks/issue_table.py).

The peers (cfn-lint, checkov) live in a venv of their own, `benchmarks/.peers/` (gitignored), created
here when missing; they are never project dependencies. A peer that cannot be installed or run is
reported as "not installed" / "failed" and the rest of the benchmark goes on. Read ratios, not
absolute times: machines differ, and a busy machine slows everything alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus"
PEERS = HERE / ".peers"
INSTALLED = HERE / ".install"
GENERATED = HERE / ".generated"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate_tree import _cfn_yaml, _terraform, generate  # noqa: E402

CFN_FORMATS = ("cloudformation-yaml", "cloudformation-json", "sam", "cdk")  # what cfn-lint reads


@dataclass
class Measured:
    seconds: float | None  # None: the command could not run
    exit_code: int | None = None
    peak_process_kib: int = 0  # largest single process (getrusage of the reaped children)
    peak_tree_kib: int = 0  # the process tree together, sampled from /proc every 20 ms
    note: str = ""


# -- running and measuring -------------------------------------------------------------------------
def _descendants_rss_kib(root: int) -> int:
    """RSS of `root` and every descendant, from /proc (Linux); 0 elsewhere."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total = 0
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page_kib
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: Sequence[str], cwd: Path | None = None, sample_memory: bool = False,
            timeout: float = 1800) -> Measured:
    """Run once; wall time, exit code and peak memory of the whole process tree."""
    peak_tree = 0
    done = threading.Event()
    start = time.perf_counter()
    try:
        process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=_environment())
    except OSError as error:
        return Measured(None, note=f"cannot start: {error.strerror or error}")

    def sampler() -> None:
        nonlocal peak_tree
        while not done.wait(0.02):
            peak_tree = max(peak_tree, _descendants_rss_kib(process.pid))

    thread = threading.Thread(target=sampler, daemon=True) if sample_memory else None
    if thread:
        thread.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except ChildProcessError:
        return Measured(None, note="lost the process")
    elapsed = time.perf_counter() - start
    done.set()
    if thread:
        thread.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss from wait4 is the largest of the process and its reaped descendants (KiB on Linux).
    return Measured(elapsed, process.returncode, usage.ru_maxrss, peak_tree)


def median_of(command: Sequence[str], runs: int, cwd: Path | None = None) -> Measured:
    measured = [measure(command, cwd) for _ in range(runs)]
    if any(item.seconds is None for item in measured):
        return next(item for item in measured if item.seconds is None)
    result = Measured(statistics.median(item.seconds for item in measured if item.seconds is not None),
                      measured[-1].exit_code, max(item.peak_process_kib for item in measured))
    return result


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    # Measure what an installed tool does: pip writes bytecode at install time (the peers have it), and
    # an interpreter told not to write bytecode (some CI images and sandboxes set this) must not
    # make the measured tools recompile anything.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    # Peers must not phone home (checkov downloads guidelines and checks for updates by default).
    environment.update({"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
                        "LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore"})
    return environment


# -- the tools -------------------------------------------------------------------------------------
def stagelint_command() -> list[str]:
    """stagelint's console script from a regular (non-editable) install of this checkout, as users and
    pre-commit get it: the development venv's editable install adds a path finder that imports
    pathlib, urllib and ipaddress at every interpreter start (~15 ms here), which no user pays."""
    script = INSTALLED / "bin" / "stagelint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "stagelint"]


def installed_python() -> str:
    """The interpreter of the venv stagelint is measured in: the floor (`python -c pass`) comes from it."""
    python = INSTALLED / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def install_stagelint() -> None:
    """(Re)install this checkout into `benchmarks/.install/` (gitignored); dependencies come from PyPI once."""
    python = INSTALLED / "bin" / "python"
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(INSTALLED)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(REPO)], check=True)
        else:
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                            str(REPO)], check=True)
    except (OSError, subprocess.SubprocessError) as error:
        print(f"could not install stagelint into {INSTALLED} ({error}); measuring the development venv")


def ensure_peers(install: bool) -> dict[str, Path | None]:
    tools = {"cfn-lint": PEERS / "bin" / "cfn-lint", "checkov": PEERS / "bin" / "checkov"}
    missing = [name for name, path in tools.items() if not path.exists()]
    if missing and install:
        print(f"installing {', '.join(missing)} into {PEERS} (once; not a project dependency)…", file=sys.stderr)
        try:
            if not (PEERS / "bin" / "python").exists():
                subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
            subprocess.run([str(PEERS / "bin" / "python"), "-m", "pip", "install", "--quiet", *missing],
                           check=True, timeout=1800)
        except (OSError, subprocess.SubprocessError) as error:
            print(f"could not install the peers: {error}", file=sys.stderr)
    return {name: (path if path.exists() else None) for name, path in tools.items()}


def peer_version(path: Path | None) -> str:
    if path is None:
        return "not installed"
    try:
        completed = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=120,
                                   env=_environment())
    except (OSError, subprocess.SubprocessError):
        return "unknown version"
    return (completed.stdout.strip() or completed.stderr.strip()).splitlines()[-1] if completed.stdout or \
        completed.stderr else "unknown version"


# -- formatting ------------------------------------------------------------------------------------
def seconds(value: Measured | None) -> str:
    if value is None:
        return "not installed"
    if value.seconds is None:
        return f"failed ({value.note})"
    return f"{value.seconds * 1000:.0f} ms" if value.seconds < 1 else f"{value.seconds:.2f} s"


def ratio(numerator: Measured | None, denominator: Measured | None) -> str:
    if numerator is None or denominator is None or not numerator.seconds or not denominator.seconds:
        return "—"
    return f"{numerator.seconds / denominator.seconds:.1f}×"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "—"


def table(header: Sequence[str], rows: list[Sequence[str]]) -> str:
    alignment = "|" + "|".join("---" if index == 0 else "---:" for index in range(len(header))) + "|"
    lines = ["| " + " | ".join(header) + " |", alignment]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# -- the three tables ------------------------------------------------------------------------------
def one_file(peers: dict[str, Path | None], runs: int, peer_runs: int) -> str:
    folder = GENERATED / "one-file"
    (folder / "cfn").mkdir(parents=True, exist_ok=True)
    (folder / "tf").mkdir(parents=True, exist_ok=True)
    cfn_file = folder / "cfn" / "one-stage.yaml"
    tf_file = folder / "tf" / "one-stage.tf"
    cfn_file.write_text(_cfn_yaml(1), encoding="utf-8")
    tf_file.write_text(_terraform(1), encoding="utf-8")

    floor = median_of([installed_python(), "-c", "pass"], runs)
    stagelint = stagelint_command()
    median_of([*stagelint, "check", str(cfn_file)], 2)  # warm the rule cache and the page cache
    rows = []
    for label, path, framework in (("CloudFormation YAML", cfn_file, "cloudformation"),
                                   ("Terraform .tf", tf_file, "terraform")):
        ours = median_of([*stagelint, "check", str(path)], runs, cwd=path.parent)
        cfn_lint = None
        if framework == "cloudformation" and peers["cfn-lint"]:
            cfn_lint = median_of([str(peers["cfn-lint"]), str(path)], peer_runs, cwd=path.parent)
        checkov = None
        if peers["checkov"]:
            checkov = median_of([str(peers["checkov"]), "-f", str(path), "--framework", framework, "--quiet",
                                 "--compact", "--skip-download"], peer_runs, cwd=path.parent)
        rows.append([label, seconds(floor), seconds(ours), ratio(ours, floor),
                     seconds(cfn_lint) if framework == "cloudformation" else "n/a",
                     ratio(cfn_lint, ours) if cfn_lint else "—",
                     seconds(checkov), ratio(checkov, ours), mib(ours.peak_process_kib)])
    header = ["file", "floor (`python -c pass`)", "stagelint", "× floor", "cfn-lint", "cfn-lint ÷ stagelint",
              "checkov", "checkov ÷ stagelint", "stagelint RSS"]
    return (f"### 1. One small file, whole process (median of {runs} runs; peers {peer_runs})\n\n"
            + table(header, rows))


def corpus_files() -> tuple[list[str], list[str]]:
    """(every file stagelint reads, the CloudFormation/SAM/CDK templates cfn-lint reads)."""
    from stagelint.decoders import format_for

    every: list[str] = []
    templates: list[str] = []
    for directory, _, names in os.walk(CORPUS):
        for name in names:
            path = os.path.join(directory, name)
            if format_for(path) is None:
                continue
            every.append(path)
            if Path(path).relative_to(CORPUS).parts[0] in CFN_FORMATS:
                templates.append(path)
    return sorted(every), sorted(templates)


def corpus(peers: dict[str, Path | None], runs: int) -> str:
    if not CORPUS.is_dir():
        return f"### 2. Corpus\n\n{CORPUS} not found: skipped."
    every, templates = corpus_files()
    stagelint = stagelint_command()
    rows = []
    ours_all = median_of([*stagelint, "check", "--exit-zero", str(CORPUS)], runs)
    ours_templates = median_of([*stagelint, "check", "--exit-zero", *templates], runs)
    cfn_lint = median_of([str(peers["cfn-lint"]), *templates], 1) if peers["cfn-lint"] else None
    checkov = median_of([str(peers["checkov"]), "-d", str(CORPUS), "--quiet", "--compact", "--skip-download"], 1) \
        if peers["checkov"] else None

    def rate(value: Measured | None, count: int) -> str:
        return f"{count / value.seconds:.0f}" if value and value.seconds else "—"

    rows.append([f"cfn-lint's files ({len(templates)} templates)", seconds(ours_templates),
                 rate(ours_templates, len(templates)), "cfn-lint", seconds(cfn_lint), rate(cfn_lint, len(templates)),
                 ratio(cfn_lint, ours_templates)])
    rows.append([f"the whole corpus ({len(every)} files)", seconds(ours_all), rate(ours_all, len(every)),
                 "checkov -d", seconds(checkov), rate(checkov, len(every)), ratio(checkov, ours_all)])
    header = ["files", "stagelint", "files/s", "peer", "peer time", "peer files/s", "peer ÷ stagelint"]
    return (f"### 2. The corpus `../shared/corpus` (stagelint: median of {runs} runs, default --jobs; peers: 1 run)\n\n"
            + table(header, rows))


def scaling(count: int, small_count: int) -> str:
    big = GENERATED / f"tree-{count}"
    small = GENERATED / f"tree-{small_count}"
    for root, size in ((big, count), (small, small_count)):
        marker = root / ".complete"
        if not marker.exists():
            shutil.rmtree(root, ignore_errors=True)
            generate(str(root), size)
            marker.write_text("", encoding="utf-8")
    stagelint = stagelint_command()
    rows = []
    baseline: Measured | None = None
    from stagelint.parallel import available_cores

    cores = available_cores()
    for root, size, jobs in ((big, count, 1), (big, count, 0), (small, small_count, 1), (small, small_count, 0)):
        # --no-gitignore: the generated tree sits in a gitignored folder of this repository.
        result = measure([*stagelint, "check", "--exit-zero", "--no-gitignore", "--jobs", str(jobs), str(root)],
                         sample_memory=True)
        if jobs == 1 and size == count:
            baseline = result
        speedup = ratio(baseline, result) if size == count else "—"
        rows.append([f"{size:,}", f"{jobs} ({cores if jobs == 0 else 1} process{'es' if jobs == 0 else ''})",
                     seconds(result), f"{size / result.seconds:.0f}" if result.seconds else "—", speedup,
                     mib(result.peak_process_kib), mib(result.peak_tree_kib)])
    header = ["files", "--jobs", "wall", "files/s", "speed-up vs --jobs 1", "peak RSS, largest process",
              "peak RSS, process tree"]
    return (f"### 3. Generated tree (benchmarks/generate_tree.py; {cores} cores available)\n\n" + table(header, rows))


def _checkout() -> str:
    """The measured checkout's commit (`-dirty` when it has changes), so that a table names its version."""
    try:
        completed = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                                   text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return completed.stdout.strip() or "not a git checkout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, peers once, a 2,000-file tree")
    parser.add_argument("--runs", type=int, default=None, help="runs per small-file command (default 15)")
    parser.add_argument("--files", type=int, default=None, help="size of the generated tree (default 10,000)")
    parser.add_argument("--no-peers", action="store_true", help="do not run (or install) cfn-lint and checkov")
    parser.add_argument("--no-install", action="store_true", help="use the peers only if already installed")
    parser.add_argument("--only", choices=("1", "2", "3", "4"), action="append", help="run only these tables")
    arguments = parser.parse_args()
    install_stagelint()
    runs = arguments.runs or (3 if arguments.quick else 15)
    peer_runs = 1 if arguments.quick else 5
    count = arguments.files or (2_000 if arguments.quick else 10_000)
    only = set(arguments.only or ("1", "2", "3", "4"))

    peers: dict[str, Path | None] = {"cfn-lint": None, "checkov": None}
    if not arguments.no_peers and only & {"1", "2", "4"}:
        peers = ensure_peers(install=not arguments.no_install)
    from stagelint import __version__

    print(f"stagelint {__version__} ({_checkout()}) benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"Python {platform.python_version()} ({sys.executable})")
    print(f"peers: cfn-lint {peer_version(peers['cfn-lint'])}; checkov {peer_version(peers['checkov'])}\n")
    if "1" in only:
        print(one_file(peers, runs, peer_runs), end="\n\n", flush=True)
    if "2" in only:
        print(corpus(peers, 1 if arguments.quick else 3), end="\n\n", flush=True)
    if "3" in only:
        print(scaling(count, max(1, count // 10)), end="\n\n", flush=True)
    if "4" in only:
        import issue_table

        print(issue_table.main(stagelint_command(), installed_python(), peers, arguments.quick), flush=True)


if __name__ == "__main__":
    main()
