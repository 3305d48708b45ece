"""The C path's resolver (decoders/yaml_resolver.py) gives exactly ruamel's own tags: on every YAML file of
the corpus and the examples, and on randomized scalars built from the characters the implicit types use."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from stagelint.decoders import yaml_tree
from stagelint.decoders.yaml_resolver import FastResolver
from tests.conftest import CORPUS, REPO


def _files() -> list[Path]:
    roots = [REPO / "examples", REPO / "tests", CORPUS]
    return sorted(path for root in roots if root.is_dir() for suffix in ("*.yaml", "*.yml")
                  for path in root.rglob(suffix))


def _tags(root: Any) -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        found.append((type(node).__name__, node.tag, node.value if isinstance(node, ScalarNode) else None))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    return found


def _stock_loader() -> Any:
    """A C-parser loader with ruamel's own resolver, as ruamel builds it for `compose`."""
    loader, _ = YAML(typ="safe", pure=False).get_constructor_parser("")
    return loader


def test_stagelint_composes_with_the_fast_resolver() -> None:
    yaml_tree._compose("a: 1\n")
    assert yaml_tree._loaders[False].Resolver is FastResolver


def test_the_corpus_gets_ruamels_tags() -> None:
    files = _files()
    assert len(files) > 50
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = _tags(YAML(typ="safe", pure=False).compose(text))
        except YAMLError:
            continue  # the malformed files: the C parser refuses them before any resolver runs
        assert _tags(yaml_tree._loader(pure=False).compose(text)) == expected, path
        compared += 1
    assert compared > 50


_PIECES = ["0", "1", "7", "9", "0x", "0o", "0b", "_", ".", "-", "+", "e", "E", "inf", "Inf", "nan", "NaN", ".inf",
           ".nan", "true", "True", "FALSE", "yes", "No", "on", "OFF", "null", "Null", "~", "<<", "=", "!", "&", "*",
           ":", " ", "T", "Z", "2024-01-02", "12:30:45", "a", "f", "F", "n", "y", "x", "é", ""]


@pytest.mark.parametrize("seed", range(4))
def test_randomized_scalars_get_ruamels_tags(seed: int) -> None:
    chance = random.Random(seed)
    stock = _stock_loader()
    fast = FastResolver(loadumper=stock)
    values = {"", "0", "~", "<<", "=", "!", "true", "1_000", ".5", "+.inf", "0o17", "017", "1e3", "2001-12-14"}
    while len(values) < 5_000:
        values.add("".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 5))))
    for value in sorted(values):
        for implicit in ((True, False), (False, True), (False, False), (True, True)):
            assert str(fast.resolve(ScalarNode, value, implicit)) == str(stock.resolve(ScalarNode, value, implicit)), \
                (value, implicit)
    for kind in (SequenceNode, MappingNode):
        assert str(fast.resolve(kind, None, (True, False))) == str(stock.resolve(kind, None, (True, False)))
