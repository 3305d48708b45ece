"""JSON text → positioned `tree` nodes.

The standard `json` module gives no positions, so this is a small scanner: one compiled regular
expression finds each token with its offset, an explicit stack builds the tree (no recursion, so
depth is bounded by `Limits.max_depth`, not by Python's stack), and a `LineIndex` turns offsets into
lines and code-point columns. Errors name what was expected where, like a compiler would.
"""

from __future__ import annotations

import json
import re

from stagelint.decoders.tree import DecodeError, MappingNode, Node, ScalarNode, SequenceNode
from stagelint.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from stagelint.positions import LineIndex, SourcePosition

# Strings: runs of plain characters and escapes, matched possessively (`*+`, Python 3.11): an
# alternation under `*` kept backtracking state for every character (~165 bytes each, 866 MB for
# one 5 MiB string); this keeps none.
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<punct>[{}\[\]:,])
      | (?P<string>"[^"\\\x00-\x1f]*+(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*+)*+")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?![0-9A-Za-z_.])
      | (?P<literal>true|false|null)(?![0-9A-Za-z_])
    )""",
    re.VERBOSE,
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Container:
    """A collection being built: its opening offset and what it holds so far."""

    __slots__ = ("expect", "is_object", "items", "pairs", "pending_key", "start")

    def __init__(self, is_object: bool, start: int) -> None:
        self.is_object = is_object
        self.start = start
        self.items: list[Node] = []
        self.pairs: list[tuple[ScalarNode, Node]] = []
        self.pending_key: ScalarNode | None = None
        # What may come next: "first" (value/key or close), "value"/"key" (after a comma), "sep", "colon".
        self.expect = "first"


def parse(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Node:
    """Parse one JSON document. Raises DecodeError (with position) or LimitExceeded."""
    index = LineIndex(text)
    offset = 1 if text.startswith("\ufeff") else 0

    def here(at: int) -> SourcePosition:
        return index.span(path, at, at)

    def fail(message: str, at: int) -> DecodeError:
        return DecodeError(f"JSON syntax error: {message}", here(at))

    stack: list[_Container] = []
    root: Node | None = None
    length = len(text)

    while True:
        match = _TOKEN.match(text, offset)
        if match is None:
            at = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
            if at >= length:
                if stack:
                    opener = "'{'" if stack[-1].is_object else "'['"
                    raise fail(f"unexpected end of file: {opener} opened at line "
                               f"{index.line_column(stack[-1].start)[0]} is never closed", at)
                if root is None:
                    raise fail("the file holds no JSON value", at)
                return root
            if root is not None and not stack:
                raise fail(f"unexpected {_describe(text, at)} after the end of the JSON value", at)
            raise fail(f"unexpected {_describe(text, at)}", at)
        kind = match.lastgroup
        start = match.start(kind)  # type: ignore[arg-type]
        end = match.end()
        offset = end
        token = match.group(kind)  # type: ignore[arg-type]
        top = stack[-1] if stack else None

        if root is not None and top is None:
            raise fail(f"unexpected {token!r} after the end of the JSON value", start)

        if kind == "punct":
            if token in "{[":
                _expect_value(top, token, start, fail)
                if len(stack) >= limits.max_depth:
                    line, column = index.line_column(start)
                    raise LimitExceeded(f"nesting deeper than {limits.max_depth} levels", line, column)
                stack.append(_Container(token == "{", start))
                continue
            if token in "}]":
                if top is None or top.is_object != (token == "}"):
                    raise fail(f"unexpected {token!r}", start)
                if top.expect in ("key", "value"):
                    raise fail(f"trailing comma before {token!r}", start)
                if top.expect == "colon":
                    raise fail("expected ':' after the object key", start)
                stack.pop()
                span = index.span(path, top.start, end)
                node: Node = MappingNode(top.pairs, span) if top.is_object else SequenceNode(top.items, span)
                root = _attach(stack, node, root)
                continue
            if token == ":":
                if top is None or top.expect != "colon":
                    raise fail("unexpected ':'", start)
                top.expect = "member-value"
                continue
            # ","
            if top is None or top.expect != "sep":
                raise fail("unexpected ','", start)
            top.expect = "key" if top.is_object else "value"
            continue

        # A scalar token.
        span = index.span(path, start, end)
        if kind == "string":
            value: str | int | float | bool | None = json.loads(token) if "\\" in token else token[1:-1]
            scalar = ScalarNode(value, span, None, token, True)
            if top is not None and top.is_object and top.expect in ("first", "key"):
                top.pending_key = scalar
                top.expect = "colon"
                continue
        elif kind == "number":
            try:
                value = float(token) if any(c in token for c in ".eE") else int(token)
            except ValueError:  # an integer past Python's 4,300-digit conversion limit: kept as written
                value = token
            scalar = ScalarNode(value, span, None, token)
        else:
            value = {"true": True, "false": False, "null": None}[token]
            scalar = ScalarNode(value, span, None, token)
        _expect_value(top, token, start, fail)
        root = _attach(stack, scalar, root)


def _expect_value(top: _Container | None, token: str, start: int, fail: object) -> None:
    if top is None:
        return
    allowed = ("member-value",) if top.is_object else ("first", "value")
    if top.expect not in allowed:
        if top.is_object and top.expect in ("first", "key"):
            raise fail(f"expected a string key, found {token!r}", start)  # type: ignore[operator]
        raise fail(f"expected ',' or {'}' if top.is_object else ']'!r} before {token!r}", start)  # type: ignore[operator]


def _attach(stack: list[_Container], node: Node, root: Node | None) -> Node | None:
    if not stack:
        return node
    top = stack[-1]
    if top.is_object:
        assert top.pending_key is not None
        top.pairs.append((top.pending_key, node))
        top.pending_key = None
    else:
        top.items.append(node)
    top.expect = "sep"
    return root


def _describe(text: str, at: int) -> str:
    snippet = text[at:at + 12].split("\n")[0]
    if not snippet:
        return "end of line"
    if snippet.startswith("'"):
        return "single quote (JSON strings use double quotes)"
    if snippet.startswith("//") or snippet.startswith("/*"):
        return "comment (JSON has no comments)"
    return repr(snippet)
