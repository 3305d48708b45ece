"""HCL (`.tf`, `.tfvars`) → `syntax` trees, through tree-sitter-hcl: the only module importing it.

See `benchmarks/README.md` for why this parser. Positions: tree-sitter gives 0-based rows and *byte*
columns; every span here is converted to 1-based code-point columns (`positions.py`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from stagelint.decoders.collector import LARGE_DOCUMENT_BYTES, CollectorPaused
from stagelint.decoders.result import ParseFailure
from stagelint.decoders.terraform.hcl_positions import FixedPositions, Positions
from stagelint.decoders.terraform.syntax import (
    Attribute,
    Block,
    Body,
    Call,
    Conditional,
    Expression,
    Literal,
    ObjectExpression,
    Opaque,
    Reference,
    Template,
    TupleExpression,
)
from stagelint.positions import SourcePosition

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node as SyntaxNode
    from tree_sitter import Parser

    from stagelint.decoders.terraform.hcl_text import Header

# Expressions nested deeper than this are not read (the converter recurses; tree-sitter does not).
MAX_EXPRESSION_DEPTH = 64
MAX_BLOCK_DEPTH = 32


@cache
def _parser() -> Parser:
    # Imported here: only a run that meets a Terraform file pays for tree-sitter.
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str, backslashes: bool = True) -> str:
    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        if not backslashes:
            return whole
        code = match.group(1) or match.group(2)
        if code is not None:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return whole
        return _SIMPLE_ESCAPES.get(match.group(3), whole)

    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    return _ESCAPE.sub(replace, text)


def _named(node: SyntaxNode) -> list[SyntaxNode]:
    # Called for most nodes and comments are rare: the list is copied only when one is there (~9 % of
    # the conversion at 5,000 stages). Callers only read the list.
    children = node.named_children
    for child in children:
        if child.type == "comment":
            return [child for child in children if child.type != "comment"]
    return children


# From this size on, one-line attributes and block headers are read from their bytes (`hcl_text`). Below
# it, compiling that module's expressions (~0.7 ms) costs more than reading node by node saves.
READ_FROM_BYTES_AT = 16_384


class _Converter:
    def __init__(self, data: bytes, positions: Positions, file_bytes: int | None = None) -> None:
        self.data = data
        self.positions = positions
        # `hcl_text`'s readers, when this file's one-line attributes and headers are read from their bytes.
        self.attribute_from_bytes: Callable[[bytes, int, int, str, int, int], Attribute | None] | None = None
        self.header_from_bytes: Callable[[bytes, int], Header | None] | None = None
        if positions.simple_columns and (len(data) if file_bytes is None else file_bytes) >= READ_FROM_BYTES_AT:
            from stagelint.decoders.terraform import hcl_text

            self.attribute_from_bytes, self.header_from_bytes = hcl_text.attribute, hcl_text.header

    def text(self, node: SyntaxNode) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # bodies and blocks
    def body(self, node: SyntaxNode | None, depth: int = 0) -> Body:
        body = Body()
        if node is None:
            return body
        from_bytes = self.attribute_from_bytes
        for child in _named(node):
            if child.type == "attribute":
                if from_bytes is not None:
                    start = child.start_point
                    read = from_bytes(self.data, child.start_byte, child.end_byte, self.positions.path,
                                              start.row + self.positions.first_line, start.column + 1)
                    if read is not None:
                        body.attributes.append(read)
                        continue
                parts = _named(child)
                if len(parts) < 2:
                    continue
                body.attributes.append(
                    Attribute(self.text(parts[0]), self.positions.span(parts[0]), self.expression(parts[1]))
                )
            elif child.type == "block" and depth < MAX_BLOCK_DEPTH:
                body.blocks.append(self.block(child, depth + 1))
        return body

    def _plain_block(self, node: SyntaxNode, depth: int,
                     header_from_bytes: Callable[[bytes, int], Header | None]
                     ) -> Block | None:
        """The block with its header read from its bytes (`hcl_text.header`), or None."""
        read = header_from_bytes(self.data, node.start_byte)
        if read is None:
            return None
        block_type, labels, length = read
        # Past the header, the named children are `block_start`, then the body (none when the block
        # is empty) or a comment; a comment there is read node by node.
        inner = node.named_child(len(labels) + 2)
        if inner is None or inner.type not in ("body", "block_end"):
            return None
        start = node.start_point
        line = start.row + self.positions.first_line
        span = SourcePosition(self.positions.path, line, start.column + 1, line, start.column + 1 + length)
        return Block(block_type, labels, self.body(inner if inner.type == "body" else None, depth), span)

    def block(self, node: SyntaxNode, depth: int) -> Block:
        if self.header_from_bytes is not None and (
                plain := self._plain_block(node, depth, self.header_from_bytes)) is not None:
            return plain
        children = _named(node)
        block_type = self.text(children[0]) if children else ""
        labels: list[str] = []
        inner: SyntaxNode | None = None
        header_end = children[0] if children else node
        for child in children[1:]:
            if child.type == "string_lit":
                labels.append(self._string_content(child))
                header_end = child
            elif child.type == "identifier":
                labels.append(self.text(child))
                header_end = child
            elif child.type == "block_start":
                header_end = child
            elif child.type == "body":
                inner = child
        return Block(
            block_type, tuple(labels), self.body(inner, depth), self.positions.between(node, header_end)
        )

    def _string_content(self, node: SyntaxNode) -> str:
        children = node.children
        if len(children) >= 2:
            return _unescape(
                self.data[children[0].end_byte : children[-1].start_byte].decode("utf-8", "replace")
            )
        return self.text(node).strip('"')

    # expressions
    def expression(self, node: SyntaxNode, depth: int = 0) -> Expression:
        if depth > MAX_EXPRESSION_DEPTH:
            return Opaque(f"nested more than {MAX_EXPRESSION_DEPTH} levels deep", self.positions.span(node),
                          self.text(node))
        kind = node.type
        children = _named(node)
        # The wrappers that stand for their one child (about half the nodes) are passed through before
        # their span and text are made: the child's are what the expression keeps.
        if kind == "expression" and len(children) == 1:
            return self.expression(children[0], depth + 1)
        if kind in ("template_expr", "collection_value") and children:
            return self.expression(children[0], depth + 1)
        span = self.positions.span(node)
        text = self.text(node)
        if kind == "expression":
            if children and children[0].type == "variable_expr":
                return self._traversal(children, span, text, depth)
            return Opaque("an attribute or index of a computed value", span, text)
        if kind == "variable_expr":
            return Reference((text,), span, text)
        if kind == "literal_value" and children:
            return self._literal(children[0], span, text)
        if kind == "quoted_template":
            return self._quoted_template(node, span, text, depth)
        if kind == "heredoc_template":
            return self._heredoc(node, span, text, depth)
        if kind == "tuple":
            items = tuple(
                self.expression(child, depth + 1) for child in children if child.type == "expression"
            )
            return TupleExpression(items, span, text)
        if kind == "object":
            return self._object(children, span, text, depth)
        if kind == "function_call":
            return self._call(node, children, span, text, depth)
        if kind == "conditional" and len(children) == 3:
            condition, when_true, when_false = (self.expression(child, depth + 1) for child in children)
            return Conditional(condition, when_true, when_false, span, text)
        if kind == "operation" and children and children[0].type == "unary_operation":
            operand = _named(children[0])
            sign = children[0].children[0].type if children[0].children else ""
            if sign == "-" and len(operand) == 1 and operand[0].type == "literal_value":
                inner = self.expression(operand[0], depth + 1)
                if (
                    isinstance(inner, Literal)
                    and isinstance(inner.value, int | float)
                    and not isinstance(inner.value, bool)
                ):
                    return Literal(-inner.value, span, text)
        return Opaque(_DESCRIPTIONS.get(kind, f"a {kind.replace('_', ' ')}"), span, text)

    def _literal(self, node: SyntaxNode, span: SourcePosition, text: str) -> Expression:
        if node.type == "numeric_lit":
            try:
                return Literal(int(text), span, text)
            except ValueError:
                try:
                    return Literal(float(text), span, text)
                except ValueError:
                    return Opaque("a number that cannot be read", span, text)
        if node.type == "bool_lit":
            return Literal(text == "true", span, text)
        if node.type == "null_lit":
            return Literal(None, span, text)
        if node.type == "string_lit":
            return Literal(self._string_content(node), span, text)
        return Opaque(f"a {node.type}", span, text)

    def _traversal(
        self, children: list[SyntaxNode], span: SourcePosition, text: str, depth: int
    ) -> Expression:
        parts: list[str | int] = [self.text(children[0])]
        for child in children[1:]:
            if child.type == "get_attr":
                names = _named(child)
                if not names:
                    return Opaque("an incomplete attribute access", span, text)
                parts.append(self.text(names[-1]))
            elif child.type == "index":
                inner = _named(child)
                key = _named(inner[0]) if inner else []
                if inner and inner[0].type == "legacy_index":
                    digits = self.text(inner[0]).lstrip(".")
                    if digits.isdigit():
                        parts.append(int(digits))
                        continue
                if len(key) == 1:
                    index = self.expression(key[0], depth + 1)
                    if (
                        isinstance(index, Literal)
                        and isinstance(index.value, int | str)
                        and not isinstance(index.value, bool)
                    ):
                        parts.append(index.value)
                        continue
                return Opaque("an index computed at plan time", span, text)
            else:
                return Opaque(
                    "a splat expression" if child.type == "splat" else f"a {child.type}", span, text
                )
        return Reference(tuple(parts), span, text)

    def _template_parts(
        self,
        node: SyntaxNode,
        start: int,
        end: int,
        depth: int,
        backslashes: bool,
    ) -> tuple[str | Expression, ...] | Opaque:
        parts: list[str | Expression] = []
        cursor = start
        for child in _named(node):
            if child.type == "template_interpolation":
                if child.start_byte > cursor:
                    parts.append(
                        _unescape(
                            self.data[cursor : child.start_byte].decode("utf-8", "replace"), backslashes
                        )
                    )
                inner = [grand for grand in _named(child) if grand.type == "expression"]
                if len(inner) != 1:
                    return Opaque("an empty interpolation", self.positions.span(child), self.text(child))
                parts.append(self.expression(inner[0], depth + 1))
                cursor = child.end_byte
            elif child.type == "template_directive":
                return Opaque("a %{ } template directive", self.positions.span(node), self.text(node))
        if end > cursor:
            parts.append(_unescape(self.data[cursor:end].decode("utf-8", "replace"), backslashes))
        return tuple(parts)

    def _quoted_template(self, node: SyntaxNode, span: SourcePosition, text: str, depth: int) -> Expression:
        children = node.children
        if len(children) < 2:
            return Opaque("an unterminated string", span, text)
        parts = self._template_parts(node, children[0].end_byte, children[-1].start_byte, depth, True)
        if isinstance(parts, Opaque):
            return Opaque(parts.reason, span, text)
        return Template(parts, span, text)

    def _heredoc(self, node: SyntaxNode, span: SourcePosition, text: str, depth: int) -> Expression:
        markers = [child for child in node.children if child.type == "heredoc_identifier"]
        if len(markers) < 2:
            return Opaque("an unterminated heredoc", span, text)
        opening, closing = markers[0], markers[-1]
        newline = self.data.find(b"\n", opening.end_byte)
        start = opening.end_byte if newline == -1 else newline + 1
        end = closing.start_byte - closing.start_point.column  # the start of the closing marker's line
        strip = any(
            child.type == "heredoc_start" and b"-" in self.data[child.start_byte : child.end_byte]
            for child in node.children
        )
        parts = self._template_parts(node, start, max(start, end), depth, False)
        if isinstance(parts, Opaque):
            return Opaque(parts.reason, span, text)
        return Template(parts, span, text, strip_indent=strip)

    def _object(self, children: list[SyntaxNode], span: SourcePosition, text: str, depth: int) -> Expression:
        pairs: list[tuple[str, SourcePosition, Expression]] = []
        for element in children:
            if element.type != "object_elem":
                continue
            key_value = [child for child in _named(element) if child.type == "expression"]
            if len(key_value) != 2:
                return Opaque("an object with an incomplete element", span, text)
            key = self.expression(key_value[0], depth + 1)
            if isinstance(key, Reference) and len(key.parts) == 1:
                name = str(key.parts[0])
            elif isinstance(key, Literal) and key.value is not None:
                name = str(key.value)
            elif isinstance(key, Template) and all(isinstance(part, str) for part in key.parts):
                name = "".join(str(part) for part in key.parts)
            else:
                return Opaque("an object whose keys are computed", span, text)
            pairs.append((name, key.span, self.expression(key_value[1], depth + 1)))
        return ObjectExpression(tuple(pairs), span, text)

    def _call(
        self,
        node: SyntaxNode,
        children: list[SyntaxNode],
        span: SourcePosition,
        text: str,
        depth: int,
    ) -> Expression:
        name = self.text(children[0]) if children else ""
        arguments: list[Expression] = []
        for child in children[1:]:
            if child.type == "function_arguments":
                if any(grand.type == "ellipsis" for grand in child.children):
                    return Opaque(f"{name}() with expanded arguments", span, text)
                arguments.extend(
                    self.expression(grand, depth + 1) for grand in _named(child) if grand.type == "expression"
                )
        return Call(name, tuple(arguments), span, text)


_DESCRIPTIONS = {
    "operation": "an operator expression",
    "for_expr": "a for expression",
    "conditional": "a conditional expression",
    "splat": "a splat expression",
}


# A file larger than this is parsed a chunk of top-level blocks at a time: tree-sitter's tree takes ~56
# bytes of memory per byte of input (180 MiB for a 5,000-stage module), a chunk's ~15 MiB.
CHUNK_BYTES = 262_144
_LINE_AT_COLUMN_ONE = re.compile(rb"\n(?=[A-Za-z_])")  # a line starting with a name: a block or attribute


def _in_chunks(data: bytes, path: str) -> Body | None:
    """The file's body parsed chunk by chunk, each chunk ending before a line that starts with a name;
    None when a chunk has a syntax error (the whole file is then parsed and its first error reported).

    A chunk ending inside a block, a bracket, a heredoc or a comment leaves it unclosed, which is a
    syntax error: so chunks that all parse cleanly are cut between top-level items, and give what the
    whole file gives (`tests/test_hcl_text.py` compares them)."""
    from stagelint.decoders.terraform import hcl_text

    body = Body()
    start, first_line = 0, 1
    plain = data.isascii() and b"\r" not in data  # lines `hcl_text.simple_body` may read
    with CollectorPaused(True):
        while start < len(data):
            cut = _LINE_AT_COLUMN_ONE.search(data, start + CHUNK_BYTES)
            end = cut.start() + 1 if cut is not None else len(data)
            chunk = data[start:end]
            part = hcl_text.simple_body(chunk, path, first_line, MAX_BLOCK_DEPTH) if plain else None
            if part is None:
                root = _parser().parse(chunk).root_node
                if root.has_error:
                    return None
                part = _Converter(chunk, Positions(chunk, path, first_line), len(data)).body(
                    next((child for child in _named(root) if child.type == "body"), None))
            body.attributes += part.attributes
            body.blocks += part.blocks
            first_line += chunk.count(b"\n")
            start = end
    return body


def parse_hcl(text: str, path: str) -> tuple[Body, ParseFailure | None]:
    """Parse HCL text. On a syntax error the failure points at the first error; the body is empty
    (a half-parsed file would feed the linter values that are not in the file)."""
    data = text.encode("utf-8")
    if len(data) > CHUNK_BYTES and (chunked := _in_chunks(data, path)) is not None:
        return chunked, None
    tree = _parser().parse(data)
    positions = Positions(data, path)
    root = tree.root_node
    if root.has_error:
        from stagelint.decoders.terraform.hcl_errors import syntax_failure  # only a broken file needs it

        return Body(), syntax_failure(root, data, positions)
    converter = _Converter(data, positions)
    body_nodes = [child for child in _named(root) if child.type == "body"]
    with CollectorPaused(len(data) >= LARGE_DOCUMENT_BYTES):
        return converter.body(body_nodes[0] if body_nodes else None), None


def parse_expression(text: str, span: SourcePosition) -> Expression:
    """An HCL expression written inside a JSON string (`${var.size}`), reported at the string's span."""
    data = b"x = " + text.encode("utf-8")
    tree = _parser().parse(data)
    if tree.root_node.has_error:
        return Opaque("an interpolation that is not valid HCL", span, text)
    converter = _Converter(data, FixedPositions(span))
    body = converter.body(next((child for child in _named(tree.root_node) if child.type == "body"), None))
    if len(body.attributes) != 1:
        return Opaque("an interpolation that is not one expression", span, text)
    return body.attributes[0].value
