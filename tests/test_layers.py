"""The house stays a house: no import cycle, and no import from a lower layer to a higher one.

Every `import` in `stagelint/` and `rules/` (installed as `stagelint.rules`) is read with `ast`,
including the ones inside functions (lazy imports are still dependencies). Data flows one way:
files → model → findings → output; the layers below say which room may know which.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# Lower numbers are more basic; a module may import its own layer or a lower one, never a higher one.
LAYERS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("stagelint", "stagelint.positions", "stagelint.tracked", "stagelint.model", "stagelint.findings",
         "stagelint.limits", "stagelint.hints", "stagelint.config", "stagelint.suppressions", "stagelint.reader",
         "stagelint.data")),
    (1, ("stagelint.decoders",)),  # formats → model
    (2, ("stagelint.rule_api", "stagelint.rules")),  # model → violations
    (3, ("stagelint.registry", "stagelint.style_guide", "stagelint.baseline", "stagelint.config_files",
         "stagelint.report", "stagelint.discovery", "stagelint.batches")),  # policy
    (4, ("stagelint.checker", "stagelint.parallel", "stagelint.engine", "stagelint.inventory",
         "stagelint.formatters", "stagelint.outputs")),  # the run, and output (findings → text)
    (5, ("stagelint.api",)),
    (6, ("stagelint.cli", "stagelint.__main__")),
)


def _module_name(path: Path) -> str:
    if path.is_relative_to(REPO / "rules"):
        parts = ("stagelint", "rules", *path.relative_to(REPO / "rules").with_suffix("").parts)
    else:
        parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _graph() -> dict[str, set[str]]:
    files = [*sorted((REPO / "stagelint").rglob("*.py")), *sorted((REPO / "rules").rglob("*.py"))]
    modules = {_module_name(path): path for path in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*kept, base]).strip(".")
                found = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            targets.update(target for target in found if target in modules and target != name)
        graph[name] = targets
    return graph


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None  # (prefix length, layer): the longest matching prefix decides
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def test_every_module_is_in_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_no_import_runs_up_a_layer() -> None:
    upward = [f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
              for module, targets in _graph().items() for target in sorted(targets)
              if _layer(target) > _layer(module)]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_a_rule_imports_no_other_rule() -> None:
    """Read one rule and you know it: what rules share lives in `rules/common.py`, not in a rule."""
    shared = {"stagelint.rules", "stagelint.rules.common"}
    borrowed = sorted((name, target) for name, targets in _graph().items()
                      if name.startswith("stagelint.rules.") and name not in shared
                      for target in targets if target.startswith("stagelint.rules") and target not in shared)
    assert borrowed == []


def test_tree_sitter_is_imported_by_the_hcl_adapter_only() -> None:
    importers = set()
    for path in (REPO / "stagelint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] in ("tree_sitter", "tree_sitter_hcl") for name in names):
                importers.add(path.relative_to(REPO).as_posix())
    assert importers == {"stagelint/decoders/terraform/hcl.py"}


def test_no_file_is_much_over_500_lines() -> None:
    long = {path.relative_to(REPO).as_posix(): count for path in [*(REPO / "stagelint").rglob("*.py"),
                                                                   *(REPO / "rules").rglob("*.py")]
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > 520}
    assert long == {}
