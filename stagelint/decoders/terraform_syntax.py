"""Terraform configuration syntax → a small positioned tree of bodies, blocks and expressions.

HCL (`.tf`, `.tfvars`) is parsed by tree-sitter-hcl (see `benchmarks/README.md` for why that parser);
JSON configuration (`.tf.json`, `.tfvars.json`) by `json_tree`, with `${...}` interpolations inside its
strings parsed as HCL expressions. Both end up as the same `Body`/`Block`/`Expression` values, so the
evaluator in `decoders.terraform` knows nothing about either parser.

Positions: tree-sitter gives 0-based rows and *byte* columns; every span here is converted to 1-based
code-point columns (`positions.py`). Expressions are kept unevaluated: only what the evaluator can
resolve with certainty becomes a value, everything else stays an `Opaque` with the reason why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from stagelint.decoders.result import ParseFailure
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, ScalarValue, SequenceNode
from stagelint.positions import SourcePosition

if TYPE_CHECKING:
    from tree_sitter import Node as SyntaxNode
    from tree_sitter import Parser

# Expressions nested deeper than this are not read (the converter recurses; tree-sitter does not).
MAX_EXPRESSION_DEPTH = 64
MAX_BLOCK_DEPTH = 32
MAX_TEXT_IN_MESSAGES = 200


# -- the tree -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Literal:
    value: ScalarValue
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class Template:
    """A string with `${...}` interpolations: literal text and expressions, in order."""

    parts: tuple[str | Expression, ...]
    span: SourcePosition
    text: str
    strip_indent: bool = False  # `<<-EOT` heredocs drop the common leading whitespace


@dataclass(frozen=True, slots=True)
class Reference:
    """A traversal: `var.size`, `local.x["k"]`, `aws_api_gateway_stage.prod[0].stage_name`."""

    parts: tuple[str | int, ...]
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    arguments: tuple[Expression, ...]
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class Conditional:
    condition: Expression
    when_true: Expression
    when_false: Expression
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class TupleExpression:
    items: tuple[Expression, ...]
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class ObjectExpression:
    """An object or map constructor: `{ key = value }`, keys as written (identifiers or strings)."""

    pairs: tuple[tuple[str, SourcePosition, Expression], ...]
    span: SourcePosition
    text: str


@dataclass(frozen=True, slots=True)
class Opaque:
    """An expression the evaluator does not compute (operators, for expressions, splats)."""

    reason: str
    span: SourcePosition
    text: str


Expression = Literal | Template | Reference | Call | Conditional | TupleExpression | ObjectExpression | Opaque


@dataclass(slots=True)
class Attribute:
    name: str
    name_span: SourcePosition
    value: Expression


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    span: SourcePosition  # the header: from the block type to its opening brace


@dataclass(slots=True)
class Body:
    attributes: list[Attribute] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def blocks_of(self, block_type: str) -> list[Block]:
        return [block for block in self.blocks if block.type == block_type]


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT_IN_MESSAGES else text[: MAX_TEXT_IN_MESSAGES - 1] + "…"


# -- HCL through tree-sitter ----------------------------------------------------------------------
@cache
def _parser() -> Parser:
    # Imported here: only a run that meets a Terraform file pays for tree-sitter.
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


class _Positions:
    """tree-sitter points (0-based row, byte column) → 1-based code-point positions."""

    __slots__ = ("_lines", "path")

    def __init__(self, data: bytes, path: str) -> None:
        self._lines = data.split(b"\n")
        self.path = path

    def column(self, row: int, byte_column: int) -> int:
        if byte_column == 0 or row >= len(self._lines):
            return byte_column + 1
        prefix = self._lines[row][:byte_column]
        if prefix.isascii():
            return byte_column + 1
        return len(prefix.decode("utf-8", errors="replace")) + 1

    def point(self, row: int, byte_column: int) -> SourcePosition:
        column = self.column(row, byte_column)
        return SourcePosition(self.path, row + 1, column, row + 1, column)

    def span(self, node: SyntaxNode) -> SourcePosition:
        start, end = node.start_point, node.end_point
        return SourcePosition(
            self.path,
            start.row + 1,
            self.column(start.row, start.column),
            end.row + 1,
            self.column(end.row, end.column),
        )

    def between(self, first: SyntaxNode, last: SyntaxNode) -> SourcePosition:
        start, end = first.start_point, last.end_point
        return SourcePosition(
            self.path,
            start.row + 1,
            self.column(start.row, start.column),
            end.row + 1,
            self.column(end.row, end.column),
        )


class _FixedPositions(_Positions):
    """For an expression inside a JSON string: every node is reported at the string's span."""

    __slots__ = ("_span",)

    def __init__(self, span: SourcePosition) -> None:
        super().__init__(b"", span.path)
        self._span = span

    def span(self, node: SyntaxNode) -> SourcePosition:
        return self._span

    def between(self, first: SyntaxNode, last: SyntaxNode) -> SourcePosition:
        return self._span


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
    return [child for child in node.named_children if child.type != "comment"]


class _Converter:
    def __init__(self, data: bytes, positions: _Positions) -> None:
        self.data = data
        self.positions = positions

    def text(self, node: SyntaxNode) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    # bodies and blocks
    def body(self, node: SyntaxNode | None, depth: int = 0) -> Body:
        body = Body()
        if node is None:
            return body
        for child in _named(node):
            if child.type == "attribute":
                parts = _named(child)
                if len(parts) < 2:
                    continue
                body.attributes.append(
                    Attribute(self.text(parts[0]), self.positions.span(parts[0]), self.expression(parts[1]))
                )
            elif child.type == "block" and depth < MAX_BLOCK_DEPTH:
                body.blocks.append(self.block(child, depth + 1))
        return body

    def block(self, node: SyntaxNode, depth: int) -> Block:
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
        span = self.positions.span(node)
        text = self.text(node)
        if depth > MAX_EXPRESSION_DEPTH:
            return Opaque(f"nested more than {MAX_EXPRESSION_DEPTH} levels deep", span, text)
        kind = node.type
        children = _named(node)
        if kind == "expression":
            if len(children) == 1:
                return self.expression(children[0], depth + 1)
            if children and children[0].type == "variable_expr":
                return self._traversal(children, span, text, depth)
            return Opaque("an attribute or index of a computed value", span, text)
        if kind == "variable_expr":
            return Reference((text,), span, text)
        if kind == "literal_value" and children:
            return self._literal(children[0], span, text)
        if kind in ("template_expr", "collection_value") and children:
            return self.expression(children[0], depth + 1)
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


def _describe_error(node: SyntaxNode, data: bytes, positions: _Positions) -> tuple[str, SourcePosition]:
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


def parse_hcl(text: str, path: str) -> tuple[Body, ParseFailure | None]:
    """Parse HCL text. On a syntax error the failure points at the first error; the body is empty
    (a half-parsed file would feed the linter values that are not in the file)."""
    data = text.encode("utf-8")
    tree = _parser().parse(data)
    positions = _Positions(data, path)
    root = tree.root_node
    if root.has_error:
        error = _first_error(root)
        broken = _multi_line_string(root)
        if broken is not None and (error is None or broken.start_byte <= error.start_byte):
            # A quoted string cannot span lines in HCL; tree-sitter reads on and fails further down.
            message, position = "HCL syntax error: unterminated string", positions.span(broken)
        elif error is not None:
            message, position = _describe_error(error, data, positions)
        else:
            message, position = "HCL syntax error", positions.point(0, 0)
        return Body(), ParseFailure(
            path,
            message,
            SourcePosition(path, position.line, position.column, position.line, position.column),
        )
    converter = _Converter(data, positions)
    body_nodes = [child for child in _named(root) if child.type == "body"]
    return converter.body(body_nodes[0] if body_nodes else None), None


def parse_expression(text: str, span: SourcePosition) -> Expression:
    """An HCL expression written inside a JSON string (`${var.size}`), reported at the string's span."""
    data = b"x = " + text.encode("utf-8")
    tree = _parser().parse(data)
    if tree.root_node.has_error:
        return Opaque("an interpolation that is not valid HCL", span, text)
    converter = _Converter(data, _FixedPositions(span))
    body = converter.body(next((child for child in _named(tree.root_node) if child.type == "body"), None))
    if len(body.attributes) != 1:
        return Opaque("an interpolation that is not one expression", span, text)
    return body.attributes[0].value


# -- JSON configuration -----------------------------------------------------------------------------
# Attributes that are nested blocks in JSON syntax (`"canary_settings": {...}`): JSON has no
# syntax for blocks, so Terraform reads them through the resource schema. These are the ones
# stagelint reads; anything else stays an object attribute.
JSON_BLOCKS = {
    "aws_api_gateway_stage": ("canary_settings", "access_log_settings"),
    "aws_api_gateway_method_settings": ("settings",),
    "aws_apigatewayv2_stage": ("access_log_settings", "default_route_settings", "route_settings"),
}
_META_BLOCKS = ("lifecycle", "provisioner", "connection")


def json_string(node: ScalarNode) -> Expression:
    """A JSON string as a Terraform template: `"${var.size}"`, `"prod-${var.suffix}"`."""
    value = str(node.value)
    text = node.raw or f'"{value}"'
    if "${" not in value and "%{" not in value:
        return Literal(value, node.span, text)
    if re.search(r"(?<!%)%\{", value):
        return Opaque("a %{ } template directive", node.span, text)
    parts: list[str | Expression] = []
    literal: list[str] = []
    index = 0
    while index < len(value):
        if value.startswith("$${", index):
            literal.append("${")
            index += 3
            continue
        if value.startswith("%%{", index):
            literal.append("%{")
            index += 3
            continue
        if value.startswith("${", index):
            end = _interpolation_end(value, index + 2)
            if end == -1:
                return Opaque("an unterminated ${ interpolation", node.span, text)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(parse_expression(value[index + 2 : end].strip(), node.span))
            index = end + 1
            continue
        literal.append(value[index])
        index += 1
    if literal:
        parts.append("".join(literal))
    return Template(tuple(parts), node.span, text)


def _interpolation_end(text: str, start: int) -> int:
    """The index of the `}` closing an interpolation, skipping braces inside quoted strings."""
    depth = 0
    quoted = False
    index = start
    while index < len(text):
        character = text[index]
        if quoted:
            if character == "\\":
                index += 1
            elif character == '"':
                quoted = False
        elif character == '"':
            quoted = True
        elif character == "{":
            depth += 1
        elif character == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


def json_expression(node: Node) -> Expression:
    if isinstance(node, ScalarNode):
        if isinstance(node.value, str):
            return json_string(node)
        return Literal(node.value, node.span, node.raw or str(node.value))
    if isinstance(node, SequenceNode):
        return TupleExpression(tuple(json_expression(item) for item in node.items), node.span, "[…]")
    pairs = tuple(
        (str(key.value), key.span, json_expression(value)) for key, value in node.items() if key.value != "//"
    )
    return ObjectExpression(pairs, node.span, "{…}")


def _json_objects(node: Node) -> list[MappingNode]:
    """A block written as an object or as a list of objects."""
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [item for item in node.items if isinstance(item, MappingNode)]
    return []


def json_body(mapping: MappingNode, nested_blocks: tuple[str, ...] = ()) -> Body:
    body = Body()
    for key, value in mapping.items():
        name = str(key.value)
        if name == "//":
            continue  # a comment (cdktf writes metadata there)
        if name == "dynamic" and isinstance(value, MappingNode):
            for label, spec in value.items():
                for instance in _json_objects(spec):
                    inner = json_body(instance, ("content",))
                    body.blocks.append(Block("dynamic", (str(label.value),), inner, label.span))
            continue
        if name in nested_blocks or name in _META_BLOCKS:
            for instance in _json_objects(value):
                body.blocks.append(Block(name, (), json_body(instance, nested_blocks), key.span))
            continue
        body.attributes.append(Attribute(name, key.span, json_expression(value)))
    return body


def json_configuration(root: Node) -> Body:
    """A `.tf.json` document as the top-level body of an HCL file: blocks with their labels."""
    body = Body()
    if not isinstance(root, MappingNode):
        return body
    for key, value in root.items():
        kind = str(key.value)
        if kind in ("resource", "data") and isinstance(value, MappingNode):
            for type_key, by_name in value.items():
                if not isinstance(by_name, MappingNode):
                    continue
                nested = JSON_BLOCKS.get(str(type_key.value), ())
                for name_key, spec in by_name.items():
                    for instance in _json_objects(spec):
                        body.blocks.append(
                            Block(
                                kind,
                                (str(type_key.value), str(name_key.value)),
                                json_body(instance, nested),
                                name_key.span,
                            )
                        )
        elif kind in ("variable", "output", "module") and isinstance(value, MappingNode):
            for name_key, spec in value.items():
                for instance in _json_objects(spec):
                    body.blocks.append(
                        Block(kind, (str(name_key.value),), json_body(instance), name_key.span)
                    )
        elif kind == "locals":
            for instance in _json_objects(value):
                body.blocks.append(Block("locals", (), json_body(instance), key.span))
    return body


def json_variables(root: Node) -> Body:
    """A `.tfvars.json` document: each top-level key is a variable value."""
    if not isinstance(root, MappingNode):
        return Body()
    return Body([Attribute(str(key.value), key.span, json_expression(value)) for key, value in root.items()])
