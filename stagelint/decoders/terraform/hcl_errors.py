"""An HCL file's first syntax error, as the message and position of its SL000 (`hcl.parse_hcl`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stagelint.decoders.result import ParseFailure
from stagelint.decoders.terraform.syntax import shorten
from stagelint.positions import SourcePosition

if TYPE_CHECKING:
    from typing import Protocol

    from stagelint.decoders.terraform.hcl_positions import Positions, _Point

    class SyntaxNode(Protocol):  # what is read of a tree-sitter node (`hcl.py` alone imports tree-sitter)
        @property
        def type(self) -> str: ...

        @property
        def is_missing(self) -> bool: ...

        @property
        def has_error(self) -> bool: ...

        @property
        def start_byte(self) -> int: ...

        @property
        def end_byte(self) -> int: ...

        @property
        def start_point(self) -> _Point: ...

        @property
        def end_point(self) -> _Point: ...

        @property
        def parent(self) -> SyntaxNode | None: ...

        @property
        def children(self) -> Sequence[SyntaxNode]: ...


def syntax_failure(root: SyntaxNode, data: bytes, positions: Positions) -> ParseFailure:
    """The failure of a file whose tree has an error: at its first error, or at a quoted string that
    runs over a line end before it."""
    error = _first_error(root)
    broken = _multi_line_string(root)
    if broken is not None and (error is None or broken.start_byte <= error.start_byte):
        # A quoted string cannot span lines in HCL; tree-sitter reads on and fails further down.
        message, position = "HCL syntax error: unterminated string", positions.span(broken)
    elif error is not None:
        message, position = _describe_error(error, data, positions)
    else:
        message, position = "HCL syntax error", positions.point(0, 0)
    path = positions.path
    return ParseFailure(path, message, SourcePosition(path, position.line, position.column, position.line,
                                                      position.column))


# What a missing token closes: the error names where it was opened.
_OPENERS = frozenset(
    {
        "block",
        "object",
        "tuple",
        "function_call",
        "quoted_template",
        "heredoc_template",
        "template_interpolation",
        "string_lit",
    }
)


def _first_error(root: SyntaxNode) -> SyntaxNode | None:
    """The first ERROR or MISSING node in document order (iterative: deep input cannot overflow)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _multi_line_string(root: SyntaxNode) -> SyntaxNode | None:
    """The first quoted string that runs over a line end (only looked for in a file with errors)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("quoted_template", "string_lit") and node.start_point.row != node.end_point.row:
            return node
        stack.extend(reversed(node.children))
    return None


def _describe_error(node: SyntaxNode, data: bytes, positions: Positions) -> tuple[str, SourcePosition]:
    position = positions.span(node)
    if node.is_missing:
        opener = node.parent
        while opener is not None and opener.type not in _OPENERS and opener.parent is not None:
            opener = opener.parent
        where = ""
        if opener is not None:
            where = f" (opened at line {opener.start_point.row + 1})"
            if node.type == "quoted_template_end":
                return (f"HCL syntax error: unterminated string{where}", positions.span(opener))
            if node.type == "heredoc_identifier":
                return (f"HCL syntax error: unterminated heredoc{where}", positions.span(opener))
        return f"HCL syntax error: missing `{node.type}`{where}", position
    snippet = data[node.start_byte : node.end_byte].decode("utf-8", errors="replace").strip()
    first_line = snippet.splitlines()[0] if snippet else ""
    if not first_line:
        return "HCL syntax error", position
    return f"HCL syntax error: unexpected `{shorten(first_line)[:60]}`", position
