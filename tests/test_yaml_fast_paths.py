"""The C path's resolver (decoders/yaml_resolver.py) and the events builder (decoders/yaml_events.py) give exactly
what ruamel's own resolver and composer (then `_convert`) give: on every YAML file of the corpus, the examples
and the tests, on documents written to cover tags, styles, aliases and merges, and on randomized scalars; what
the builder does not handle goes the ruamel way and is reported as before."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from stagelint.decoders import tree, yaml_tree
from stagelint.decoders.yaml_events import Unusual
from stagelint.decoders.yaml_resolver import FastResolver
from stagelint.limits import DEFAULT_LIMITS, LimitExceeded
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


# The events builder (decoders/yaml_events.py) against ruamel's composer and `_convert`.

def _signature(root: Any) -> list[Any]:
    """Every node of a `tree` in order, with shared nodes (aliases) as references to their first place."""
    seen: dict[int, int] = {}
    found: list[Any] = []
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            found.append(("alias of", seen[id(node)]))
            continue
        seen[id(node)] = len(seen)
        if isinstance(node, tree.ScalarNode):
            found.append((repr(node.value), type(node.value), node.span, node.tag, node.raw, node.quoted))
        elif isinstance(node, tree.SequenceNode):
            found.append(("sequence", node.span, node.tag, len(node.items)))
            stack.extend(reversed(node.items))
        else:
            found.append(("mapping", node.span, node.tag, len(node.pairs)))
            for key, value in reversed(node.pairs):
                stack.extend((value, key))
    return found


def _the_ruamel_way(text: str) -> Any:
    composed = yaml_tree._compose(text)
    return None if composed is None else yaml_tree._convert(composed, "t.yaml", DEFAULT_LIMITS)


_DOCUMENTS = [
    "a: &x [1, 'q', !Ref b, 0x1F, 1_000, .inf, -.Inf, .nan, ~, null, true, 2001-12-14, 1e3, 0o17]\nb: *x\n",
    "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\nlist:\n  <<: [*b, {z: 4}]\n",
    "c: |\n  text\nd: >-\n  folded\ne: \"esc\\u00e9\"\nf: !!str 12\ng: !<tag:yaml.org,2002:int> 7\nh: !Sub%20x y\n",
    "dup: 1\ndup: 2\n? complex\n: value\n'': empty\n", "", "# only a comment\n", "---\n...\n", "- 1\n- [2, [3]]\n",
    "x: !Ref\ny: ! 12\nz: !!null ''\n",
    # spans too wide to pack (tree.packed_span): columns past 4095, a scalar over more than 4095 lines
    "a: [" + "1, " * 2000 + "end]\n", "b: |\n" + "  l\n" * 4200 + "c: 1\n",
    # mappings of one shape share an index; `true` and 1 are one key to it
    "- {1: a, 2: b}\n- {true: c, 2: d}\n- {a: 1, b: 2, a: 3}\n- {a: 4, b: 5, a: 6}\n",
    # plain scalars written again get their tag and value from the first (NaNs are each their own)
    "- [12, 12, '12', !!str 12, true, true, .nan, .nan, 1.5, 1.5, x, x, '', '']\n- {.nan: 1, .nan: 2}\n",
]


@pytest.mark.parametrize("text", _DOCUMENTS)
def test_the_events_builder_gives_the_ruamel_tree(text: str) -> None:
    assert _signature(yaml_tree._built(text, "t.yaml", DEFAULT_LIMITS)) == _signature(_the_ruamel_way(text))


def test_mappings_sharing_an_index_each_find_their_own_values() -> None:
    root = yaml_tree._built("- {a: 1, b: 2, a: 3}\n- {a: 4, b: 5, a: 6}\n- {b: 7}\n", "t.yaml", DEFAULT_LIMITS)
    assert isinstance(root, tree.SequenceNode)
    found = []
    for item in root.items:
        assert isinstance(item, tree.MappingNode)
        found.append([(key.value, value.value) for key, value in item.items()])  # type: ignore[union-attr]
    assert found == [[("b", 2), ("a", 3)], [("b", 5), ("a", 6)], [("b", 7)]]


def test_the_corpus_gets_the_same_tree_from_events() -> None:
    built = 0
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            fast = yaml_tree._built(text, "t.yaml", DEFAULT_LIMITS)
        except Unusual:
            continue
        assert _signature(fast) == _signature(_the_ruamel_way(text)), path
        built += 1
    assert built > 50


@pytest.mark.parametrize("text", [
    "a: &x [*x]\n",  # an alias inside its own anchor
    "a: *nothing\n",  # undefined
    "a: &x 1\nb: &x 2\n",  # an anchor defined twice
    "a: 1\n---\nb: 2\n",  # two documents
    "? [1, 2]\n: list key\n", "!Ref k: tagged key\n",
    "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",  # expands past the limit
    "a: [!Ref AWS::Region, x]\n",  # the old libyaml refuses `::` in flow: the pure parser reads it
    "a: b: c\n", "a: \"unterminated\n",
])
# The pure composer accepts an anchor defined twice, with this warning (the C composer refuses it).
@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
def test_unusual_documents_are_left_to_the_ruamel_way(text: str) -> None:
    with pytest.raises(Unusual):
        yaml_tree._built(text, "t.yaml", DEFAULT_LIMITS)
    assert _outcome(lambda: yaml_tree._parse(text, "t.yaml", DEFAULT_LIMITS)) == \
        _outcome(lambda: yaml_tree._parse_composed(text, "t.yaml", DEFAULT_LIMITS))


def _outcome(parse: Any) -> Any:
    """A parse's tree, or the error it raised with its message and position."""
    try:
        return _signature(parse())
    except tree.DecodeError as error:
        return ("DecodeError", error.message, error.position)
    except LimitExceeded as error:
        return ("LimitExceeded", str(error), error.line, error.column)


def test_the_c_parsers_event_classes_are_put_back() -> None:
    import _ruamel_yaml
    from ruamel.yaml.events import MappingStartEvent, ScalarEvent, SequenceStartEvent

    yaml_tree._built("a: [1, {b: 2}]\n", "t.yaml", DEFAULT_LIMITS)
    with pytest.raises(Unusual):
        yaml_tree._built("a: 1\n---\nb: 2\n", "t.yaml", DEFAULT_LIMITS)
    assert (_ruamel_yaml.ScalarEvent, _ruamel_yaml.MappingStartEvent, _ruamel_yaml.SequenceStartEvent) == \
        (ScalarEvent, MappingStartEvent, SequenceStartEvent)


@pytest.mark.parametrize(("value", "copied"), [("prod", True), ("x", False), ("", False), (300, True), (2**70, True),
                                              (-0.0, True), (0.5, True), (True, False), (None, False)])
def test_a_detached_value_is_equal_and_of_its_own(value: Any, copied: bool) -> None:
    copy = tree.detached(value)
    assert type(copy) is type(value) and repr(copy) == repr(value)
    assert (copy is not value) == copied


@pytest.mark.parametrize("text", ["- " * 60 + "x\n", "a:\n" + " " * 101 + "b\n", "a:\n" + " " * 100 + "b\n",
                                  "a:\r" + " " * 101 + "b\n", "a: " + " " * 101 + "b\n", "a:\n\t?" + "-" * 99 + "b",
                                  "", "\n" * 3 + " " * 101])
def test_deep_block_prefixes_are_the_lines_caret_finds(text: str) -> None:
    import re

    expected = re.search(r"^[ \t?-]{101}", text, re.MULTILINE) is not None
    assert yaml_tree._deep_block_prefix(text, 100) == expected


def test_flat_pairs_read_as_the_list_of_pairs() -> None:
    keys = [tree.ScalarNode(name, 0) for name in "abc"]
    values = [tree.ScalarNode(number, 0) for number in (1, 2, 3)]
    flat = tree.FlatPairs(tuple(node for pair in zip(keys, values, strict=True) for node in pair))
    expected = list(zip(keys, values, strict=True))
    assert len(flat) == 3 and list(flat) == expected and list(reversed(flat)) == expected[::-1]
    assert [flat[index] for index in (0, 2, -1, -3)] == [expected[index] for index in (0, 2, -1, -3)]
    assert flat[1:] == expected[1:]
    for index in (3, -4):
        with pytest.raises(IndexError):
            flat[index]
    mapping = tree.MappingNode(flat, 0)
    assert mapping.get("b") is values[1] and mapping.key_node("c") is keys[2] and mapping.items() == expected


@pytest.mark.parametrize(("text", "repeated", "tags"), [
    ("a: !Ref b\nc: [!Sub x, {d: 1}]\n", False, {"!Ref", "!Sub"}),
    ("a:\n  - {b: 1, b: 2}\n", True, set()),
    ("a: !Reff x\nb: !Custom {c: 1}\n", False, {"!Reff", "!Custom"}),
])
def test_the_root_says_what_the_builder_saw(text: str, repeated: bool, tags: set[str]) -> None:
    root = yaml_tree._built(text, "t.yaml", DEFAULT_LIMITS)
    assert isinstance(root, tree.MappingNode) and root.facts is not None
    assert root.facts.repeated_keys == repeated and root.facts.local_tags == tags
