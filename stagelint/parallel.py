"""Running units: serially, or over a process pool for large trees; each unit under its time limit.

Units are independent and results are sorted afterwards (`stagelint.batches`: each batch sorted
where it is made, then merged), so the output is byte-identical whatever the job count. A large
document run on its own is checked in parts at once, one per core (`Share`, `_in_shares`): the
parts' results put together are the whole's (`checker.merge_shares`, `tests/test_shares.py`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from stagelint.batches import Batch, pack
from stagelint.checker import (
    SharePart,
    WorkUnit,
    check_file,
    input_bytes,
    merge_shares,
    prepare,
    process_share,
    process_unit,
)
from stagelint.config import Config
from stagelint.decoders.result import DecodedFile, ParseFailure, Share
from stagelint.positions import file_start
from stagelint.report import FileResult

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Whether a pool pays follows the work, estimated from files and bytes (measured on 2 cores: a small
# file costs ~0.6 ms to check, a MB of YAML ~1 s; starting workers and shipping results ~40–60 ms).
# A pool is used only when the time it is expected to save is well over what it costs, so a 10-file
# commit never runs slower than `--jobs 1`; from this many units on, no file sizes are needed.
SECONDS_PER_FILE = 0.0006
SECONDS_PER_BYTE = 1e-6
POOL_COST_SECONDS = 0.15
POOL_WITHOUT_SIZES = 1_000
# A document at least this large, run on its own (no pool), is checked in parts over the cores
# (`Share`), a part per SHARE_BYTES or so: each part decodes and checks only its run of the stage
# resources, and parses the text less the others' (`cloudformation.layout`), or the whole text
# where that cannot be done. (5 MB on 2 cores: see benchmarks/README.md.) STAGELINT_SHARES=always
# or never overrides it (the tests split small files).
SHARE_FROM_BYTES = 2_000_000
SHARE_BYTES = 1_000_000

R = TypeVar("R")  # what a unit, or a batch of units, gives (`_limited`, `_run`)



class UnitTimeout(BaseException):
    """Raised by a timer inside a unit that ran past its time limit.

    A BaseException, so that no decoder's `except Exception` (which turns bad input into SL000)
    can swallow it and keep going.
    """


# The wall-clock backstop, as a multiple of the CPU-time limit: only a unit that waits (a blocked
# read, a sleeping plugin) ever meets it, so a loaded machine or `--jobs` above the cores does not.
WALL_CLOCK_FACTOR = 10
# The kernel refuses interval timers much longer than this (about three years): a larger limit is none.
MAX_TIMER_SECONDS = 1e8


def _time_limited(unit: WorkUnit, config: Config) -> list[FileResult]:
    """`process_unit` under the unit's time limit (`_limited`)."""
    return _limited(unit, config, lambda: process_unit(unit, config), lambda stopped: stopped)


def _share_limited(unit: WorkUnit, config: Config, share: Share) -> SharePart:
    """One part of a document unit (`checker.process_share`) under the unit's time limit (a part that
    runs out of it makes the document's result that time-out, as the whole, which does more, would)."""
    return _limited(unit, config, lambda: process_share(unit, config, share),
                    lambda stopped: SharePart(stopped[0], 0, 0.0, timed_out=True))


def _limited(unit: WorkUnit, config: Config, work: Callable[[], R], stopped: Callable[[list[FileResult]], R]) -> R:
    """`work()` (a unit's processing), cut off after `Limits.max_seconds_per_file` seconds of CPU time (0: no limit).

    CPU time (ITIMER_PROF, SIGPROF), not wall-clock time, so the outcome does not depend on the
    machine's load or the job count: output is identical whatever `--jobs`. A wall-clock timer
    (ITIMER_REAL, WALL_CLOCK_FACTOR times the limit) stops a unit that waits instead of computing.
    Arming and disarming are a few system calls, so the serial pre-commit path pays nothing
    measurable. The timers interrupt Python code (every decoder and rule); they cannot interrupt a C
    extension that never returns to the interpreter. Where there are no interval timers (Windows) or
    outside the main thread (an embedding application), units run unlimited. A timer the host
    application had armed is put back, less the time the unit took.
    """
    seconds = config.decode.limits.max_seconds_per_file
    import signal

    if not 0 < seconds < float("inf") or not hasattr(signal, "setitimer"):  # 0, inf or nan: no limit
        return work()
    import threading

    if threading.current_thread() is not threading.main_thread():
        return work()
    import time

    expired: list[str] = []

    def cpu(signum: int, frame: object) -> None:
        expired.append("cpu")
        raise UnitTimeout

    def wall(signum: int, frame: object) -> None:
        expired.append("wall")
        raise UnitTimeout

    previous_prof = signal.signal(signal.SIGPROF, cpu)
    previous_alarm = signal.signal(signal.SIGALRM, wall)
    started = time.monotonic()
    host_real: tuple[float, float] = (0.0, 0.0)
    host_prof: tuple[float, float] = (0.0, 0.0)
    try:
        host_prof = signal.setitimer(signal.ITIMER_PROF, min(seconds, MAX_TIMER_SECONDS))
        host_real = signal.setitimer(signal.ITIMER_REAL, min(seconds * WALL_CLOCK_FACTOR, MAX_TIMER_SECONDS))
        try:
            return work()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)
    except UnitTimeout:
        prepared = prepare(config)
        if expired and expired[0] == "wall":
            message = (f"reading this file waited longer than {seconds * WALL_CLOCK_FACTOR:g} s (wall clock, "
                       f"{WALL_CLOCK_FACTOR} times the limit) and was stopped (raise the limit with --timeout)")
        else:
            message = (f"reading this file took longer than {seconds:g} s of CPU time and was stopped "
                       "(raise the limit with --timeout)")
        return stopped([check_file(DecodedFile(path, None, failures=(ParseFailure(path, message, file_start(path)),)),
                                   prepared) for path in unit.paths])
    finally:
        signal.signal(signal.SIGPROF, previous_prof)
        signal.signal(signal.SIGALRM, previous_alarm)
        _restore(signal.ITIMER_REAL, host_real, time.monotonic() - started)
        _restore(signal.ITIMER_PROF, host_prof, 0.0)


def _restore(which: int, timer: tuple[float, float], elapsed: float) -> None:
    """Re-arm a timer the host had set before the unit ran (what is left of it, at least a tick)."""
    import signal

    remaining, interval = timer
    if remaining > 0:
        signal.setitimer(which, max(remaining - elapsed, 0.001), interval)


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1



# `progress(done, total)`: called in this process after each unit (serial) or batch (pool) is done.
Progress = Callable[[int, int], None]


def run_units(units: list[WorkUnit], config: Config, progress: Progress | None = None) -> list[FileResult]:
    """Every unit's results, as objects, in the order of `units` (a run keeps them packed instead:
    `run_batches`)."""
    lists = _run(units, config, progress, _process_units, lambda results: results, max(len(units), 1))
    return [result for results in lists for result in results]


# Units a serial run packs together: a batch's results are sorted when it is made, the merge of the
# report then passes ranges that overlap no other batch through whole.
SERIAL_BATCH = 64


def run_batches(units: list[WorkUnit], config: Config, progress: Progress | None = None) -> list[Batch]:
    """Every unit's results in batches (`stagelint.batches`), in the order of `units`: packed by the
    workers over a pool (the main process keeps ~0.15 KiB a file, not the objects), kept as objects
    serially (packing would only cost time: the objects were made here)."""
    return _run(units, config, progress, _process_packed, lambda results: pack(results, keep=True), SERIAL_BATCH)


def _run(units: list[WorkUnit], config: Config, progress: Progress | None,
         worker: Callable[[list[WorkUnit], Config], R], kept: Callable[[list[FileResult]], R], every: int) -> list[R]:
    """What `worker` returns for each batch of units over a pool, when one pays and starts; else the
    units run here, and `kept` makes the same of the results of each `every` units."""
    jobs = _jobs(config)
    if jobs > 1 and _pool_pays(units, jobs):
        pooled = _run_pool(units, config, min(jobs, len(units)), progress, worker)
        if pooled is not None:
            return pooled
    collected: list[R] = []
    results: list[FileResult] = []
    for done, unit in enumerate(units, start=1):
        parts = _share_count(unit, config, jobs)
        results += _in_shares(unit, config, parts) if parts > 1 else _time_limited(unit, config)
        if done % every == 0 or done == len(units):
            collected.append(kept(results))
            results = []
        if progress is not None:
            progress(done, len(units))
    return collected


def _share_count(unit: WorkUnit, config: Config, jobs: int) -> int:
    """How many parts (`Share`) to check a unit in: 1 (whole) but for a large document with cores to
    spare. Not with the notes that list each stage's unknown values (`--verbose`): the whole file's
    come after every stage's own notes, which the parts' cannot reproduce in order."""
    forced = os.environ.get("STAGELINT_SHARES")
    if unit.kind != "document" or jobs < 2 or config.decode.notes or forced == "never":
        return 1
    if forced == "always":
        return jobs
    size = input_bytes(unit.paths, config)
    if not SHARE_FROM_BYTES <= size <= config.decode.limits.max_file_bytes:  # (a larger one is refused unread)
        return 1
    return max(2, min(jobs, size // SHARE_BYTES)) if _may_be_shardable(unit.paths[0], config) else 1


def _may_be_shardable(path: str, config: Config) -> bool:
    """Whether the document's bytes leave its parts to its tree (`cloudformation.may_be_shardable`):
    a template they rule out (a web ACL association, SAM) is read once, whole, in this process,
    instead of a first part parsing its cut text before the whole (5 MB: 2.6–3.3 s against 1.9 s).
    Read in small chunks: a whole 5 MB copy raised the process's peak by 4 MiB (and a mapped file
    that shrinks while it is read kills the process with SIGBUS)."""
    from stagelint.decoders.cloudformation import may_be_shardable

    given = config.decode.source(path)
    if given is not None:
        return may_be_shardable((given,))
    try:
        with open(path, "rb") as handle:
            return may_be_shardable(iter(lambda: handle.read(_LOOK_CHUNK), b""))
    except OSError:  # unreadable: the whole's reading reports it
        return False


_LOOK_CHUNK = 64 * 1024  # under glibc's mmap threshold: nothing here raises the heap's high-water mark


def _in_shares(unit: WorkUnit, config: Config, count: int) -> list[FileResult]:
    """A document checked in `count` parts at once: the first here, the others in worker processes
    (started before the text is read, so that they copy nothing large); the whole, here, when no
    pool can start or the parts cannot stand for it (`checker.merge_shares`)."""

    def parts(pool: ProcessPoolExecutor, interrupted: _PoolSignals) -> list[SharePart]:
        with interrupted.held():
            futures = [pool.submit(_share_limited, unit, config, Share(index, count)) for index in range(1, count)]
        first = _share_limited(unit, config, Share(0, count))
        return [first, *(future.result() for future in futures)]

    checked = _with_pool(count - 1, parts)
    merged = merge_shares(checked, config) if checked is not None else None
    return [merged] if merged is not None else _time_limited(unit, config)


def _jobs(config: Config) -> int:
    # Never more workers than cores: more only add start-up time and contention.
    return min(config.jobs, available_cores()) if config.jobs > 0 else available_cores()



def _pool_pays(units: list[WorkUnit], jobs: int) -> bool:
    """A pool is expected to save more than it costs: the work spread over `jobs` workers, though
    never faster than the largest unit (one unit runs in one process). STAGELINT_POOL=always or
    never overrides the estimate (the tests run small trees over a pool with it)."""
    forced = os.environ.get("STAGELINT_POOL")
    if forced in ("always", "never"):
        return forced == "always" and len(units) > 1
    if len(units) < 2:
        return False
    if len(units) >= POOL_WITHOUT_SIZES:
        return True
    costs = [sum(SECONDS_PER_FILE + _size(path) * SECONDS_PER_BYTE for path in unit.paths) for unit in units]
    serial = sum(costs)
    return serial - max(max(costs), serial / jobs) > POOL_COST_SECONDS


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will report the error


def _start_method() -> str | None:
    """`fork` where it exists (no re-import in each worker), else the platform default.

    Workers rely on nothing inherited: the unit list and the Config are pickled to them, and
    `_process_units` is a module-level function, so `spawn` and `forkserver` work too.
    STAGELINT_START_METHOD picks one explicitly (the tests run `spawn` with it).
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    wanted = os.environ.get("STAGELINT_START_METHOD")
    if wanted in methods:
        return wanted
    return "fork" if "fork" in methods else None




def _run_pool(units: list[WorkUnit], config: Config, jobs: int, progress: Progress | None,
              worker: Callable[[list[WorkUnit], Config], R]) -> list[R] | None:
    """Units in batches over a process pool, `worker` in each process (what it returns per batch, in
    order); None when no pool can start (the caller runs serially).

    Batches are a few dozen units, so a worker returns small lists of FileResult (findings and
    stage summaries, never file texts), or those packed (`_process_packed`).
    """
    chunk = max(1, min(64, len(units) // (jobs * 4) or 1))
    batches = [units[i:i + chunk] for i in range(0, len(units), chunk)]

    def run(pool: ProcessPoolExecutor, interrupted: _PoolSignals) -> list[R]:
        # Futures, not `pool.map`: map's iterator cancels the pending futures when it is dropped, and
        # a future cancelled while the pool's manager thread marks it broken (after `_stop_workers`)
        # makes that thread print an InvalidStateError traceback (CPython 3.11's `terminate_broken`).
        with interrupted.held():  # workers start with Ctrl-C and SIGTERM held, then ignore Ctrl-C
            futures = [pool.submit(worker, batch, config) for batch in batches]
        collected: list[R] = []
        done = 0
        for batch, future in zip(batches, futures, strict=True):
            collected.append(future.result())
            done += len(batch)
            if progress is not None:
                progress(done, len(units))
        return collected

    return _with_pool(jobs, run)


T = TypeVar("T")


def _with_pool(workers: int, run: Callable[[ProcessPoolExecutor, _PoolSignals], T]) -> T | None:
    """`run(pool, signals)` over a process pool of `workers`, shut down after; None when no pool can
    start on this platform or sandbox, or a worker died (the caller runs serially). On Ctrl-C or
    SIGTERM no worker outlives the run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context(_start_method())
    with _signals_for_the_pool() as interrupted:
        pool: ProcessPoolExecutor | None = None
        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                                       initargs=(os.getpid(),))
            result = run(pool, interrupted)
            pool.shutdown()
            return result
        except (OSError, NotImplementedError, BrokenProcessPool, PermissionError, ImportError):
            _stop_workers(pool)
            return None
        except BaseException:  # Ctrl-C, SIGTERM (`_Terminated`)
            _stop_workers(pool)
            raise


class _Terminated(BaseException):
    """SIGTERM arrived while the pool ran (a CI cancellation, `timeout`): the workers are stopped,
    then the process exits with 143, as the signal's default would."""


class _PoolSignals:
    """Ctrl-C and SIGTERM around a pool run (the main thread only; elsewhere nothing changes).

    Workers are forked with both signals blocked, so one arriving while a worker starts cannot raise
    KeyboardInterrupt inside it (the "Process ForkProcess-N: Traceback" lines); each worker then
    ignores Ctrl-C, which the parent handles for the whole run, and takes SIGTERM's default. In the
    parent, SIGTERM raises `_Terminated`, so that the workers are stopped instead of orphaned.
    """

    def __init__(self) -> None:
        import signal
        import threading

        self.active = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
        self.signals = {signal.SIGINT, signal.SIGTERM} if self.active else set()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        import signal

        if not self.active:
            yield
            return
        signal.pthread_sigmask(signal.SIG_BLOCK, self.signals)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self.signals)  # what arrived meanwhile is raised now


@contextlib.contextmanager
def _signals_for_the_pool() -> Iterator[_PoolSignals]:
    import signal

    signals = _PoolSignals()
    if not signals.active or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield signals  # an embedding application's own SIGTERM handler stays in charge
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield signals
    except _Terminated:
        import sys

        sys.stderr.write("stagelint: terminated\n")
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_start(parent: int) -> None:
    """In each worker, before any unit: Ctrl-C is the parent's to handle, SIGTERM ends the worker,
    and (on Linux) the worker gets SIGTERM when the parent dies, even by SIGKILL."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError, ValueError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _stop_workers(pool: Any) -> None:
    """Terminate the pool's workers (blocked on a pipe or mid-unit, they would never exit on their
    own) and release the pool without waiting for them."""
    if pool is None:
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False)  # not cancel_futures: see `_run_pool`; the dead workers fail them all
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)



def _process_units(units: list[WorkUnit], config: Config) -> list[FileResult]:
    return [result for unit in units for result in _time_limited(unit, config)]


def _process_packed(units: list[WorkUnit], config: Config) -> Batch:
    return pack(_process_units(units, config))
