"""The `stagelint` console script and `python -m stagelint`: the command line, started and ended cheaply.

A pre-commit run on one file is almost all interpreter work around a lint of a few milliseconds, so
the entry point trims the two parts of that which are not stagelint's own code (measured with
instruction counts on a one-file CloudFormation run, issue 15: 350 M → 302 M instructions, 14 %):

- **The cyclic collector waits for 100,000 allocations before its first collection, then works as
  usual.** Importing ~250 modules allocates long-lived objects (classes, functions, constants) and
  no garbage cycles; collecting every 700 walks them again and again (−17 M, 5 %). A one-file run
  never reaches 100,000, so it never collects; a long run's first collection puts the normal
  threshold back, because keeping 100,000 for a whole run let cyclic garbage pile up between full
  collections (main process at 20,000 files: 71 MiB against 32 MiB). Large documents pause the
  collector while they are built (`decoders/collector.py`).
- **The process ends with `os._exit` once the output is flushed**, instead of tearing down every
  module, class and object one by one (−31 M, 9 %). Only when nothing else needs that teardown: no
  `atexit` callback registered (a pool's clean-up, a plugin's, `-X importtime` listing modules) and
  no other thread alive. Everything stagelint writes is closed before `main` returns; `-o` files are
  written and renamed in place (`cli/common.emit`).

Ctrl-C while the command line is still being imported ends quietly too (exit 130), as it does later.
"""

from __future__ import annotations

import gc
import os
import sys

_YOUNG_GENERATION_ALLOCATIONS = 100_000


def run() -> None:
    """The console script's entry point (`[project.scripts]` in pyproject.toml)."""
    _first_collection_later()
    try:
        from stagelint.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("stagelint: aborted\n")
        sys.exit(130)
    try:
        main()
        code: str | int | None = 0
    except SystemExit as exit_:
        code = exit_.code
    if not isinstance(code, int) or not _nothing_left_to_tear_down():
        sys.exit(code)  # a message to print, or a clean-up to run: the interpreter's own exit does both
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BrokenPipeError:
        os._exit(1)  # the reader went away, as `cli.main` treats it
    except OSError:
        sys.exit(code)  # the interpreter reports a failed write the way it always has
    os._exit(code)


def _first_collection_later() -> None:
    usual = gc.get_threshold()
    restored = False

    def restore(phase: str, info: dict[str, int]) -> None:
        nonlocal restored
        if not restored:  # stays registered, a no-op: removing itself here could skip another callback
            restored = True
            gc.set_threshold(*usual)

    gc.callbacks.append(restore)
    gc.set_threshold(_YOUNG_GENERATION_ALLOCATIONS, *usual[1:])


def _nothing_left_to_tear_down() -> bool:
    import atexit
    import threading

    callbacks = getattr(atexit, "_ncallbacks", None)  # CPython's; elsewhere, always take the normal exit
    return callbacks is not None and callbacks() == 0 and threading.active_count() == 1


if __name__ == "__main__":
    run()
