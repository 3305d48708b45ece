"""Compare the two candidate HCL parsers on the shared corpus and on a synthetic ~1 MB module.

Installs nothing: a parser that is not importable is reported as "not installed".
Run with the interpreter of a venv that has the parsers, from the repository root:

    python benchmarks/hcl_parsers.py [--corpus ../shared/corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

IMPORTS = {
    "tree-sitter-hcl": "import tree_sitter, tree_sitter_hcl",
    "python-hcl2": "import hcl2",
}


def import_ms(statement: str, repeat: int) -> float | None:
    """Median wall time of a fresh interpreter running the import, minus one running `pass`."""

    def run(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        return time.perf_counter() - started

    try:
        run(statement)
    except subprocess.CalledProcessError:
        return None
    floor = statistics.median(run("pass") for _ in range(repeat))
    return (statistics.median(run(statement) for _ in range(repeat)) - floor) * 1000


def tree_sitter_parser() -> Callable[[bytes], bool] | None:
    try:
        import tree_sitter
        import tree_sitter_hcl
    except ImportError:
        return None
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))

    def parse(data: bytes) -> bool:
        tree = parser.parse(data)
        # Walk every node, as the decoder does, so the comparison includes reading the tree.
        cursor = tree.walk()
        visited = True
        while visited:
            if cursor.goto_first_child() or cursor.goto_next_sibling():
                continue
            while True:
                if not cursor.goto_parent():
                    visited = False
                    break
                if cursor.goto_next_sibling():
                    break
        return not tree.root_node.has_error

    return parse


def hcl2_parser() -> Callable[[bytes], bool] | None:
    try:
        import hcl2
    except ImportError:
        return None

    def parse(data: bytes) -> bool:
        try:
            hcl2.parses_to_tree(data.decode("utf-8-sig"))
        except Exception:
            return False
        return True

    return parse


def synthetic_module(target_bytes: int) -> bytes:
    block = (
        'resource "aws_api_gateway_stage" "stage_{n}" {{\n'
        '  stage_name    = "prod_{n}"\n'
        "  rest_api_id   = aws_api_gateway_rest_api.api.id\n"
        '  cache_cluster_enabled = true\n  cache_cluster_size = "0.5"\n'
        '  variables = {{ a = "b", c = "${{var.x}}-{n}" }}\n'
        "  access_log_settings {{\n    destination_arn = aws_cloudwatch_log_group.g.arn\n"
        '    format = jsonencode({{ requestId = "$context.requestId" }})\n  }}\n}}\n'
    )
    parts, size, number = [], 0, 0
    while size < target_bytes:
        text = block.format(n=number)
        parts.append(text)
        size += len(text)
        number += 1
    return "".join(parts).encode()


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    )
    arguments.add_argument("--repeat", type=int, default=5)
    options = arguments.parse_args()
    corpus = Path(options.corpus)
    files = sorted(corpus.glob("terraform/**/*.tf"))
    inputs = [(str(path.relative_to(corpus)), path.read_bytes()) for path in files]
    big = synthetic_module(1_000_000)
    print(
        f"python {sys.version.split()[0]}; {len(inputs)} corpus .tf files "
        f"({sum(len(data) for _, data in inputs) / 1024:.0f} KiB); synthetic {len(big) / 1e6:.2f} MB"
    )
    for name, factory in (("tree-sitter-hcl", tree_sitter_parser), ("python-hcl2", hcl2_parser)):
        parse = factory()
        if parse is None:
            print(f"\n{name}: not installed")
            continue
        imported = import_ms(IMPORTS[name], options.repeat)
        parse(b"a = 1\n")  # python-hcl2 builds (or loads) its grammar tables on first use
        corpus_times, rejected = [], []
        for attempt in range(options.repeat):
            started = time.perf_counter()
            for relative, data in inputs:
                if not parse(data) and attempt == 0:
                    rejected.append(relative)
            corpus_times.append(time.perf_counter() - started)
        big_times = []
        for _ in range(max(1, options.repeat // 2)):
            started = time.perf_counter()
            parse(big)
            big_times.append(time.perf_counter() - started)
        big_seconds = statistics.median(big_times)
        print(
            f"\n{name}: import {imported:.0f} ms; corpus {statistics.median(corpus_times):.3f} s; "
            f"synthetic {big_seconds:.2f} s = {len(big) / 1e6 / big_seconds:.2f} MB/s; "
            f"{len(rejected)} files rejected"
        )
        for relative in rejected:
            print(f"  rejected: {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
