"""YAML text → positioned `tree` nodes, with ruamel.yaml's composer (its C parser when installed).

One YAML decoder serves CloudFormation, SAM and the native format. The composer keeps a mark on
every node, tagged ones included, and leaves tags such as `!Ref` for the format decoders. It does
not expand aliases: we count the expanded size first, so a "billion laughs" file is refused in
milliseconds, and we convert without recursion. libyaml's own composer recurses in C and crashes
on very deep flow nesting, so that depth is checked before it ever sees the text.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode as RMapping
from ruamel.yaml.nodes import ScalarNode as RScalar
from ruamel.yaml.nodes import SequenceNode as RSequence

from stagelint.decoders import yaml_events
from stagelint.decoders.collector import LARGE_DOCUMENT_BYTES, CollectorPaused
from stagelint.decoders.tree import DecodeError, MappingNode, Node, ScalarNode, ScalarValue, SequenceNode
from stagelint.decoders.yaml_events import MERGE_TAG, STANDARD_TAG, Unusual, local_tag, merged
from stagelint.decoders.yaml_resolver import FastResolver
from stagelint.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from stagelint.positions import SourcePosition, file_start, from_zero_based

_loaders: dict[bool, YAML] = {}


def _loader(pure: bool) -> YAML:
    loader = _loaders.get(pure)
    if loader is None:
        loader = _loaders[pure] = YAML(typ="safe", pure=pure)
        if not pure:  # the same tags as ruamel's resolver, without its per-scalar overhead
            loader.Resolver = FastResolver
    return loader


def _deep_block_prefix(text: str, limit: int) -> bool:
    """Whether a line of `text` starts with more than `limit` of ` `, tab, `?` and `-` (see `_compose`).
    Searched for as a newline followed by them, plus the first line: the same lines as `^` in
    multi-line mode, but the search can then skip from newline to newline (a tenth of the time)."""
    patterns = _block_prefixes.get(limit)
    if patterns is None:
        prefix = rf"[ \t?-]{{{limit + 1}}}"
        patterns = _block_prefixes[limit] = (re.compile(prefix), re.compile("\n" + prefix))
    first, later = patterns
    return first.match(text) is not None or later.search(text) is not None


_block_prefixes: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _built(text: str, path: str, limits: Limits) -> Node | None:
    """The document as `tree` nodes straight from the C parser's events (decoders/yaml_events.py), the
    loader set up and disposed of as ruamel's `compose` does. Raises yaml_events.Unusual."""
    from ruamel.yaml.docinfo import DocInfo, version

    yaml = _loader(pure=False)
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    yaml.tags = {}
    loader, parser = yaml.get_constructor_parser(text)
    try:
        return yaml_events.build(loader, path, limits.max_expanded_nodes, _scalar_value)
    finally:
        parser.dispose()
        for part in ("reader", "scanner"):
            with contextlib.suppress(AttributeError):
                getattr(getattr(yaml, "_" + part), f"reset_{part}")()


def _compose(text: str, limits: Limits = DEFAULT_LIMITS, c_refused: bool = False) -> Any:
    """Compose with the C parser, falling back to the pure-Python one when the C parser objects.

    ruamel.yaml.clib bundles an old libyaml that rejects plain scalars containing `::` inside flow
    collections (`[!Ref AWS::Region, ...]`, everywhere in CloudFormation), which YAML 1.2 allows.
    The pure parser is correct but ~6x slower, so it runs only for files the C parser refused; when
    both refuse, the pure parser's error (YAML 1.2) is the one reported.
    """
    # Block nesting needs one column of indentation, or one `- `/`? ` indicator, per level, so a
    # line starting with more than `max_depth` of those is the only way to nest that deep. libyaml's
    # recursive composer segfaults near 100,000 levels (`- - - - … x` on one line does it); such
    # files go to the pure-Python composer, whose RecursionError becomes a clean SL000.
    deep = _deep_block_prefix(text, limits.max_depth)
    if not deep and not c_refused:
        try:
            return _loader(pure=False).compose(text)
        except YAMLError:
            pass
    try:
        return _loader(pure=True).compose(text)
    except RecursionError:
        raise LimitExceeded("YAML nesting is too deep to compose") from None


def parse(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Node | None:
    """Compose one YAML document. Returns None for an empty document. Raises DecodeError or LimitExceeded."""
    _check_flow_depth(text, path, limits)
    with CollectorPaused(len(text) >= LARGE_DOCUMENT_BYTES):
        return _parse(text, path, limits)


def _parse(text: str, path: str, limits: Limits) -> Node | None:
    c_refused = False
    if not _deep_block_prefix(text, limits.max_depth):
        try:
            return _built(text, path, limits)
        except Unusual as unusual:  # composed and converted the ruamel way, reported as before
            c_refused = unusual.refused
    return _parse_composed(text, path, limits, c_refused)


def _parse_composed(text: str, path: str, limits: Limits, c_refused: bool = False) -> Node | None:
    """The ruamel way: its composer's tree, then `_convert` (`c_refused`: skip the C parser, known to
    refuse the text)."""
    try:
        composed = _compose(text, limits, c_refused)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = _mark_position(path, mark) if mark is not None else file_start(path)
        problem = error.problem or error.context or "invalid YAML"
        context = f" ({error.context})" if error.context and error.problem else ""
        raise DecodeError(f"YAML syntax error: {problem}{context}", position) from None
    except YAMLError as error:  # ComposerError for a second document, ReaderError for control characters…
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DecodeError(f"YAML error: {message}", _reader_position(path, text, error)) from None
    if composed is None:
        return None
    return _convert(composed, path, limits)


def _reader_position(path: str, text: str, error: YAMLError) -> SourcePosition:
    """Where a reader error (a control character, a form feed) is: its character offset as a line
    and column, not 1:1."""
    offset = getattr(error, "position", None)
    if not isinstance(offset, int) or not 0 <= offset <= len(text):
        return file_start(path)
    line = text.count("\n", 0, offset)
    return from_zero_based(path, line, offset - (text.rfind("\n", 0, offset) + 1), line,
                           offset - (text.rfind("\n", 0, offset) + 1))


def _mark_position(path: str, mark: Any) -> SourcePosition:
    return from_zero_based(path, mark.line, mark.column, mark.line, mark.column)


def _span(path: str, node: Any) -> SourcePosition:
    start, end = node.start_mark, node.end_mark
    return from_zero_based(path, start.line, start.column, end.line, end.column)


_FLOW_STATE = re.compile(r"[\"'\\#\[\]{}]")  # the characters `_check_flow_depth` acts on


def _check_flow_depth(text: str, path: str, limits: Limits) -> None:
    """Refuse flow nesting deeper than the limit before libyaml's recursive composer sees it.

    Counting brackets over-estimates (brackets inside quotes count too), which errs on the safe
    side only for files with more than `max_depth` unbalanced brackets; the exact scan below runs
    only when the cheap count says it might matter.
    """
    if text.count("[") + text.count("{") <= limits.max_depth:
        return
    depth = 0
    escaped_newlines = 0  # newlines right after a `\` in double quotes: skipped, so not counted as lines
    in_quote: str | None = None
    length = len(text)
    skip_until = 0  # a character escaped in a double-quoted string, or a comment, ends here
    # Only these characters change the state, so the scan jumps from one to the next (a 5 MB template
    # has a hundred thousand of them, not five million characters to step through in Python). Newlines
    # are counted only for a refusal's line: each one was a step of the scan, two thirds of them.
    for match in _FLOW_STATE.finditer(text):
        index = match.start()
        if index < skip_until:
            continue
        char = match.group()
        if in_quote is not None:
            if char == "\\" and in_quote == '"':
                skip_until = index + 2
                if text.startswith("\n", index + 1):
                    escaped_newlines += 1
                continue
            if char == in_quote:
                in_quote = None
        elif char in "\"'":
            in_quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            skip_until = length if newline == -1 else newline
        elif char in "[{":
            depth += 1
            if depth > limits.max_depth:
                column = index - text.rfind("\n", 0, index)
                line = text.count("\n", 0, index) + 1 - escaped_newlines
                raise LimitExceeded(f"nesting deeper than {limits.max_depth} levels", line, column)
        elif char in "]}":
            depth = max(0, depth - 1)


def _scalar_value(text: str, styled: bool, tag: str) -> ScalarValue:
    """A scalar's value from its text, whether it was quoted (or a block), and its resolved tag as a
    string ("" for none)."""
    if not tag.startswith(STANDARD_TAG) or styled:  # quoted or tagged scalars stay strings
        return str(text)
    kind = tag[len(STANDARD_TAG):]
    try:
        if kind == "int":
            cleaned = text.replace("_", "")
            if cleaned.lower().startswith(("0x", "-0x", "+0x")):
                return int(cleaned, 16)
            if cleaned.lower().startswith(("0o", "-0o", "+0o")):
                return int(cleaned.replace("o", "").replace("O", ""), 8)
            return int(cleaned)
        if kind == "float":
            lowered = text.lower().replace("_", "")
            if lowered in (".inf", "+.inf"):
                return float("inf")
            if lowered == "-.inf":
                return float("-inf")
            if lowered == ".nan":
                return float("nan")
            return float(lowered)
        if kind == "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if kind == "null":
            return None
    except ValueError:
        return str(text)
    return str(text)


def _convert(root: Any, path: str, limits: Limits) -> Node:
    """The composed graph as `tree` nodes, in one pass without recursion (post-order, each shared node
    once), counting the nodes it would have after alias expansion on the way (memoised on the shared
    graph: linear in the file), so that a "billion laughs" file is refused without being expanded.

    A refusal (LimitExceeded) beats any DecodeError: a syntax problem found first is kept until the
    whole graph has been counted, and raised only if no limit was exceeded.
    """
    converted: dict[int, Node] = {}
    sizes: dict[int, int] = {}  # expanded node counts, by the parser node's id
    in_progress: set[int] = set()
    problem: DecodeError | None = None
    # A node's tag as a string, by its Tag object: `node.tag` builds the string again on every read,
    # and the resolver shares one Tag per implicit type (decoders/yaml_resolver.py). The Tag objects
    # are kept in the values, so no id is reused while this runs.
    tag_strings: dict[int, tuple[Any, str]] = {}

    def tag_of(node: Any) -> str:
        ctag = node.ctag
        if ctag is None:
            return ""
        known = tag_strings.get(id(ctag))
        if known is None:
            known = tag_strings[id(ctag)] = (ctag, str(ctag))
        return known[1]

    def span(node: Any) -> SourcePosition:
        start, end = node.start_mark, node.end_mark
        return SourcePosition(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    maximum = limits.max_expanded_nodes
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in converted:
            continue
        if isinstance(node, RScalar):
            tag = tag_of(node)
            converted[key] = ScalarNode(_scalar_value(node.value, bool(node.style), tag), span(node), local_tag(tag),
                                        str(node.value), bool(node.style))
            sizes[key] = 1
            continue
        if isinstance(node, RMapping):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, RSequence):
            children = node.value
        else:  # pragma: no cover - the composer yields only these three
            raise DecodeError(f"unexpected YAML node {type(node).__name__}", _span(path, node))
        if not children_done:
            if key in in_progress:
                raise _self_alias(node)
            in_progress.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in in_progress:
                    raise _self_alias(child)
                if id(child) not in converted:
                    stack.append((child, False))
            continue
        in_progress.discard(key)
        total = 1 + sum(sizes[id(child)] for child in children)
        sizes[key] = total
        if total > maximum:
            raise LimitExceeded(f"YAML aliases expand to more than {maximum:,} nodes (an alias bomb?)",
                                node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, RSequence):
            converted[key] = SequenceNode([converted[id(child)] for child in children], span(node),
                                          local_tag(tag_of(node)))
            node.value = []  # see below
            continue
        pairs: list[tuple[ScalarNode, Node]] = []
        for key_node, value_node in node.value:
            key_converted = converted[id(key_node)]
            if not isinstance(key_converted, ScalarNode):
                problem = problem or DecodeError("a mapping key must be a plain value, not a list or a mapping",
                                                 key_converted.span)
                continue
            if key_converted.tag is not None:
                # Valid YAML, but no stage format has tagged keys: `[!ImportValue Fn::Sub: x]` is a
                # CloudFormation typo (a mapping where a value was meant), not a key.
                problem = problem or DecodeError(
                    f"a mapping key cannot carry a tag ({key_converted.tag} {key_converted.raw}): "
                    "a tagged value was probably meant", key_converted.span)
                continue
            if tag_of(key_node) == MERGE_TAG:
                # `<<: *defaults` — merge the referenced mapping(s) in, the explicit keys winning.
                pairs = merged(pairs, converted[id(value_node)])
                continue
            pairs.append((key_converted, converted[id(value_node)]))
        converted[key] = MappingNode(pairs, span(node), local_tag(tag_of(node)))
        # The parser's subtree is done with (an alias of it finds it in `converted`): let it go, so a
        # big document is not held twice, as the parser's tree and ours, until the end. Its ids stay
        # unique among the parser's nodes, which were all made before and are the only ones looked up.
        node.value = []
    if problem is not None:
        raise problem
    return converted[id(root)]


def _self_alias(node: Any) -> LimitExceeded:
    return LimitExceeded("a YAML alias refers to its own anchor", node.start_mark.line + 1, node.start_mark.column + 1)
