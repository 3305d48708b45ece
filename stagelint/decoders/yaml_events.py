"""`tree` nodes built straight from the C parser's events, without ruamel's node tree in between.

ruamel's composer builds a tree of its own nodes (with two marks and a Tag each) that
`yaml_tree._convert` then walks to build ours: on a 5 MB template the two trees together were most
of the run's memory peak, and the walk a third of its time. Here ours is built as the events come.

Only a document that composes cleanly takes this path: anything unusual (a parser or composer
error, an alias inside its own anchor, aliases expanding past the limit, a list or tagged mapping
key, more than one document) raises `Unusual`, and the caller composes the text the ruamel way,
which reports it exactly as before. For the documents built here the result is the one the
ruamel composer and `_convert` give: the same tags (resolved by the loader's own resolver, under
the same rules as ruamel's Cython composer), values, spans, styles and shared nodes for aliases.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator
from typing import Any, cast

from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CommentCheck,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import MappingNode as RMapping
from ruamel.yaml.nodes import ScalarNode as RScalar
from ruamel.yaml.nodes import SequenceNode as RSequence
from ruamel.yaml.tag import Tag

from stagelint.decoders.tree import (
    SPAN_BITS,
    SPAN_LOW,
    DocumentFacts,
    FlatPairs,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    index_of,
)
from stagelint.positions import SourcePosition

STANDARD_TAG = "tag:yaml.org,2002:"
MERGE_TAG = "tag:yaml.org,2002:merge"


def local_tag(tag: str) -> str | None:
    """A tag the format decoders read (`!Ref`, `!Sub` …), or None for YAML's own and for none."""
    return None if not tag or tag.startswith(STANDARD_TAG) else tag


class Unusual(Exception):
    """The document needs ruamel's composer (and `_convert`) to be reported exactly. `refused`: the C
    parser raised a YAMLError, as it would again in ruamel's composer (the pure parser is next)."""

    def __init__(self, reason: str, refused: bool = False) -> None:
        super().__init__(reason)
        self.refused = refused


_OPEN = object()  # an anchor whose collection is still being built
_AGAIN = object()  # see `plain` in _build
FLOAT_TAG = STANDARD_TAG + "float"


def build(loader: Any, path: str, max_expanded_nodes: int, scalar_value: Any) -> Node | None:
    """The document the C `loader` (already given the text) parses, as `tree` nodes; None when empty.

    `scalar_value(text, styled, tag)` is `yaml_tree._scalar_value`. Raises Unusual (see the module
    docstring); the caller disposes of the loader.
    """
    try:
        with _lean_events(loader) as lean:
            return _build(loader, path, max_expanded_nodes, scalar_value, lean)
    except Unusual:
        raise
    except YAMLError as error:  # the C parser refused the text
        raise Unusual(type(error).__name__, refused=True) from None
    except Exception as error:  # anything else: ruamel's path reports it as it always did
        raise Unusual(type(error).__name__) from None


# The C parser makes its events by calling ruamel's event classes, looked up by name in its module
# at each call, and their __init__s chain through two more (NodeEvent's, Event's): three Python
# frames for each of a 5 MB template's 300,000 scalars. While `_build` runs, the module's names are
# given subclasses that set the same slots in one frame: the same events to any reader (isinstance,
# attributes, methods), but for `type(event) is ScalarEvent`. One build at a time does this (a
# lock); a build that finds its events not the ones it expects (another thread's build swapped the
# names under it) raises Unusual, and the ruamel way reads the document, as it reads any other.
class _LeanScalar(ScalarEvent):
    __slots__ = ()

    def __init__(self, anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None,
                 end_mark: Any = None, style: Any = None, comment: Any = None) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = None if comment is CommentCheck else comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.value = value
        self.style = style


class _LeanMappingStart(MappingStartEvent):
    __slots__ = ()

    def __init__(self, anchor: Any, tag: Any, implicit: Any, start_mark: Any = None, end_mark: Any = None,
                 flow_style: Any = None, comment: Any = None, nr_items: int | None = None) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = None if comment is CommentCheck else comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.flow_style = flow_style
        self.nr_items = nr_items


class _LeanSequenceStart(SequenceStartEvent):
    __slots__ = ()
    __init__ = _LeanMappingStart.__init__  # (both are CollectionStartEvent's, with no slots of their own)


_LEAN_EVENTS = {"ScalarEvent": (ScalarEvent, _LeanScalar), "MappingStartEvent": (MappingStartEvent, _LeanMappingStart),
                "SequenceStartEvent": (SequenceStartEvent, _LeanSequenceStart)}
_lean_lock = threading.Lock()


@contextlib.contextmanager
def _lean_events(loader: Any) -> Iterator[bool]:
    """The lean event classes in the C parser's module while the block runs: True when they are."""
    module: Any
    try:
        module = importlib.import_module("_ruamel_yaml")  # where ruamel.yaml's CParser comes from
    except ImportError:  # pragma: no cover - the C parser is installed wherever this path runs
        module = None
    swapped = (module is not None and isinstance(loader, module.CParser)
               and all(getattr(module, name, None) is stock for name, (stock, _) in _LEAN_EVENTS.items())
               and _lean_lock.acquire(blocking=False))
    if not swapped:
        yield False
        return
    try:
        for name, (_, lean) in _LEAN_EVENTS.items():
            setattr(module, name, lean)
        yield True
    finally:
        for name, (stock, _) in _LEAN_EVENTS.items():
            setattr(module, name, stock)
        _lean_lock.release()


def _build(loader: Any, path: str, maximum: int, scalar_value: Any, lean: bool = False) -> Node | None:
    get_event = loader.get_event
    # the classes its events are (`_lean_events`)
    scalar_event, mapping_start, sequence_start = (_LeanScalar, _LeanMappingStart, _LeanSequenceStart) if lean \
        else (ScalarEvent, MappingStartEvent, SequenceStartEvent)
    resolve = loader.resolve
    explicit_tags: dict[str, tuple[str, str | None]] = {}  # a tag as written → (its string as a ruamel node
    # gives it (URI-decoded), its local tag)
    resolved_tags: dict[int, str] = {}  # the same for the resolver's Tags (shared: yaml_resolver._tag), by id
    merge_keys: set[int] = set()  # the scalars resolved as `<<` (by id: an alias shares the node)
    # The resolver's scalar answers as strings (its tags are YAML's own: no local tag), when it has them.
    strings = getattr(loader, "scalar_tag_strings", None)
    table = strings() if strings is not None else None
    by_first, others, plain_tag = table if table is not None else ({}, (), "")
    # One str object per distinct scalar text: keys (`Type`, `Properties`…) and common values repeat
    # thousands of times in a big template, each a string of its own from the parser.
    texts: dict[str, str] = {}
    text_of = texts.setdefault
    # Plain scalars by their text: a string's one text object, and the others' (text, tag as a
    # string, value), _AGAIN for a value made again for each scalar (a float: NaNs are unequal, and
    # `.nan` written twice is two keys). A string is not given a tuple: made among the tree's nodes
    # and freed after it, 100,000 of them left holes that the model then filled (see tree.detached).
    plain: dict[str, str] = {}
    typed: dict[str, tuple[str, str, Any]] = {}

    def tag_string(raw: Any) -> str:
        if isinstance(raw, Tag):
            known = resolved_tags.get(id(raw))
            if known is None:
                known = resolved_tags[id(raw)] = str(raw)
            return known
        return explicit(raw)[0]

    def explicit(raw: str) -> tuple[str, str | None]:
        known = explicit_tags.get(raw)
        if known is None:
            tag = str(Tag(suffix=raw))
            known = explicit_tags[raw] = (tag, local_tag(tag))
        return known

    if type(get_event()) is not StreamStartEvent:
        raise Unusual("no stream start")
    event = get_event()
    if type(event) is StreamEndEvent:
        return None
    if type(event) is not DocumentStartEvent:
        raise Unusual("no document start")
    # Without path resolvers (the table above), a collection's implicit tag is its kind's own.
    implicit_collection: dict[Any, str] = {} if table is None else {
        mapping_start: tag_string(resolve(RMapping, None, (True,))),
        sequence_start: tag_string(resolve(RSequence, None, (True,)))}
    shapes: dict[tuple[Any, ...], dict[Any, int]] = {}  # mappings' shared indexes, by their keys in order
    tags_used: set[str] = set()  # the local tags of the document's nodes (tree.DocumentFacts)
    repeated = False  # whether a mapping writes a key twice
    aliased = False  # whether any node is an alias
    bits, low, column_shift, line_shift = SPAN_BITS, SPAN_LOW, 2 * SPAN_BITS, 3 * SPAN_BITS  # (as locals: fast)
    anchors: dict[str, Any] = {}  # name → (node, expanded size), or _OPEN while it is built
    # Open collections: [is_mapping, start mark, local tag, children, expanded size, anchor]
    stack: list[list[Any]] = []
    root: Node | None = None
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            raw, text, style = event.ctag, event.value, event.style
            start, end = event.start_mark, event.end_mark
            line, column, end_line, end_column = start.line, start.column, end.line, end.column
            # packed as tree.packed_span does (most scalars): made a SourcePosition when first read
            if column <= low and end_column <= low and 0 <= end_line - line <= low:
                span: Any = line << line_shift | column << column_shift | (end_line - line) << bits | end_column
            else:
                line += 1
                span = SourcePosition(path, line, column + 1, line if end_line + 1 == line else end_line + 1,
                                      end_column + 1)
            styled = bool(style)
            local: str | None = None
            if not styled and (raw is None or raw == "!") and table is not None and event.implicit[0]:
                # a plain scalar: its tag and value depend on its text alone, found once per text
                known = plain.get(text)
                if known is not None:  # a string (most plain scalars)
                    value = converted = known
                    tag = plain_tag
                else:
                    typed_known = typed.get(text)
                    if typed_known is None:
                        tag = plain_tag
                        for name, match in by_first.get(text[0] if text else "", others):  # FastResolver.resolve
                            if match(text):
                                tag = name
                                break
                        if tag is plain_tag:
                            plain[text] = text
                            typed_known = (text, tag, text)
                        else:
                            typed_known = typed[text] = (text, tag, _AGAIN if tag == FLOAT_TAG
                                                         else scalar_value(text, False, tag))
                    value, tag, converted = typed_known
                    if converted is _AGAIN:
                        converted = scalar_value(value, False, tag)
            else:
                value = text_of(text, text)
                if raw is not None and raw != "!":
                    tag, local = explicit(raw)
                elif table is None:
                    tag = tag_string(resolve(RScalar, value, event.implicit))
                    local = local_tag(tag)
                else:
                    tag = plain_tag
                if local is not None:
                    tags_used.add(local)
                # a plain string or a quoted scalar is its text (`scalar_value` would say so): most scalars
                converted = value if tag is plain_tag or styled else scalar_value(value, styled, tag)
            node: Node = ScalarNode(converted, span, local, value, styled, path)
            if tag == MERGE_TAG:
                merge_keys.add(id(node))
            size = 1
            if event.anchor is not None:
                if event.anchor in anchors:
                    raise Unusual("duplicate anchor")
                anchors[event.anchor] = (node, 1)
        elif kind is mapping_start or kind is sequence_start:
            raw = event.ctag
            if raw is None or raw == "!":
                implicit = implicit_collection.get(kind)
                tag = implicit if implicit is not None else tag_string(
                    resolve(RMapping if kind is mapping_start else RSequence, None, event.implicit))
            else:
                tag = tag_string(raw)
            anchor = event.anchor
            if anchor is not None:
                if anchor in anchors:
                    raise Unusual("duplicate anchor")
                anchors[anchor] = _OPEN
            local = local_tag(tag)
            if local is not None:
                tags_used.add(local)
            stack.append([kind is mapping_start, event.start_mark, local, [], 1, anchor])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            is_mapping, start, local, children, size, anchor = stack.pop()
            if size > maximum:
                raise Unusual("alias bomb")
            end = event.end_mark
            line, column, end_line, end_column = start.line, start.column, end.line, end.column
            if column <= low and end_column <= low and 0 <= end_line - line <= low:  # packed, as a scalar's
                span = line << line_shift | column << column_shift | (end_line - line) << bits | end_column
            else:
                line += 1
                span = SourcePosition(path, line, column + 1, line if end_line + 1 == line else end_line + 1,
                                      end_column + 1)
            if is_mapping:
                node = _mapping(children, span, local, merge_keys, shapes, path)
                repeated = repeated or not node.written_once()
            else:
                node = SequenceNode(children, span, local, path)
            if anchor is not None:
                anchors[anchor] = (node, size)
        elif kind is AliasEvent:
            target = anchors.get(event.anchor)
            if target is None or target is _OPEN:
                raise Unusual("undefined alias, or one inside its own anchor")
            node, size = target
            aliased = True
        elif kind is DocumentEndEvent:
            break
        else:
            raise Unusual(f"unexpected {kind.__name__}")
        if not stack:
            root = node
            continue
        parent = stack[-1]
        parent[3].append(node)
        parent[4] += size
    if type(get_event()) is not StreamEndEvent:
        raise Unusual("more than one document")
    if isinstance(root, MappingNode):
        root.facts = DocumentFacts(repeated, frozenset(tags_used), aliased)
    return root


def _mapping(children: list[Node], span: SourcePosition | int, tag: str | None, merge_keys: set[int],
             shapes: dict[tuple[Any, ...], dict[Any, int]], path: str) -> MappingNode:
    """Keys and values alternate in `children`; `<<` merges, as in `yaml_tree._convert`. Mappings with
    the same keys in the same order share one index (in a big template, thousands of resources and
    their properties are written alike: an index each was a tenth of the tree's memory)."""
    keys = cast("list[ScalarNode]", children[::2])
    for key in keys:
        if type(key) is not ScalarNode or key.tag is not None:
            raise Unusual("a list, mapping or tagged mapping key")
    if merge_keys and not merge_keys.isdisjoint([id(key) for key in keys]):
        pairs: list[tuple[ScalarNode, Node]] = []
        for key, value in zip(keys, children[1::2], strict=True):
            if id(key) in merge_keys:
                pairs = merged(pairs, value)
            else:
                pairs.append((key, value))
        return MappingNode(pairs, span, tag, {}, path)
    shape = tuple([key.value for key in keys])
    index = shapes.get(shape)
    if index is None:
        index = shapes[shape] = index_of(shape)
    return MappingNode(FlatPairs(tuple(children)), span, tag, index, path)


def merged(pairs: list[tuple[ScalarNode, Node]], source: Node) -> list[tuple[ScalarNode, Node]]:
    """`pairs` with the pairs of the mapping(s) `<<` refers to added, the explicit keys winning."""
    sources = source.items if isinstance(source, SequenceNode) else [source]
    present = {key.value for key, _ in pairs}
    result = list(pairs)
    for mapping in sources:
        if isinstance(mapping, MappingNode):
            for key, value in mapping.items():
                if key.value not in present:
                    result.append((key, value))
                    present.add(key.value)
    return result
