"""A long fuzz run of every decoder (atheris, libFuzzer-guided). Not collected by pytest; run by hand:

    pip install atheris            # needs a CPython that atheris supports (clang-built wheels)
    python tests/fuzz/fuzz_decoders.py -max_total_time=600 -rss_limit_mb=2048 tests/fuzz/corpus/

The first input byte picks the path (YAML, JSON, Terraform); the rest is the file's bytes, written to
a temporary file and read through the same code a real run uses (reader → decoder → rules). Any
exception escaping that path is a bug (the engine must turn bad input into SL000); a crash or a hang
(libFuzzer's -timeout, default 1200 s; pass -timeout=10) is a bug too. Seed the corpus directory with
fixtures and `../shared/corpus` files to start from real shapes.
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from stagelint import engine
    from stagelint.api import Config
    from stagelint.config import DecodeOptions
    from stagelint.limits import Limits

SUFFIXES = (".yaml", ".json", ".tf")
CONFIG = Config(jobs=1, decode=DecodeOptions(limits=Limits(max_seconds_per_file=5)))
WORKDIR = tempfile.mkdtemp(prefix="stagelint-fuzz-")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    path = os.path.join(WORKDIR, "main" + suffix)
    for name in os.listdir(WORKDIR):
        os.unlink(os.path.join(WORKDIR, name))
    with open(path, "wb") as handle:
        handle.write(data[1:])
    results = engine.run_units(engine.plan_units([path]), CONFIG)
    if [result.path for result in results] != [path]:
        raise AssertionError(f"expected one result for {path}, got {results}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
