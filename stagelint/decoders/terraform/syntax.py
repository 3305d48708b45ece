"""Terraform configuration syntax: a small positioned tree of bodies, blocks and expressions.

HCL (`.tf`, `.tfvars`, read in `hcl.py`) and JSON configuration (`.tf.json`, `.tfvars.json`, read in
`json_syntax.py`) both end up as these `Body`/`Block`/`Expression` values, so the evaluator knows
nothing about either parser. Expressions are kept unevaluated: only what the evaluator can resolve
with certainty becomes a value, everything else stays an `Opaque` with the reason why.
"""

from __future__ import annotations

from stagelint.decoders.tree import ScalarValue
from stagelint.positions import SourcePosition
from stagelint.records import dataclass, field

MAX_TEXT_IN_MESSAGES = 200


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
