"""JSON configuration (`.tf.json`, `.tfvars.json`, parsed by `json_tree`) → `syntax` trees.

`${...}` interpolations inside its strings are parsed as HCL expressions (`hcl.parse_expression`).
"""

from __future__ import annotations

import re

from stagelint.decoders.terraform.hcl import parse_expression
from stagelint.decoders.terraform.syntax import (
    Attribute,
    Block,
    Body,
    Expression,
    Literal,
    ObjectExpression,
    Opaque,
    Template,
    TupleExpression,
)
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode

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


def _every_pair(node: Node) -> list[tuple[ScalarNode, Node]]:
    """Where HCL's JSON syntax expects blocks, every definition counts: an object's pairs including
    repeated names, or those of each object in an array (hashicorp/hcl json/spec.md: a body is "a
    single JSON object or a JSON array of objects", and multiple definitions of the same property
    name are preserved)."""
    return [pair for mapping in _json_objects(node) for pair in mapping.pairs]


def json_body(mapping: MappingNode, nested_blocks: tuple[str, ...] = ()) -> Body:
    body = Body()
    winners = {id(key) for key, _ in mapping.items()}  # attributes: a repeated name, the later wins
    for key, value in mapping.pairs:
        name = str(key.value)
        if name == "//":
            continue  # a comment (cdktf writes metadata there)
        if name == "dynamic" and isinstance(value, MappingNode | SequenceNode):
            for label, spec in _every_pair(value):
                for instance in _json_objects(spec):
                    inner = json_body(instance, ("content",))
                    body.blocks.append(Block("dynamic", (str(label.value),), inner, label.span))
            continue
        if name in nested_blocks or name in _META_BLOCKS:
            for instance in _json_objects(value):
                body.blocks.append(Block(name, (), json_body(instance, nested_blocks), key.span))
            continue
        if id(key) in winners:
            body.attributes.append(Attribute(name, key.span, json_expression(value)))
    return body


def json_configuration(root: Node) -> Body:
    """A `.tf.json` document as the top-level body of an HCL file: blocks with their labels."""
    body = Body()
    for key, value in _every_pair(root):
        kind = str(key.value)
        if kind in ("resource", "data"):
            for type_key, by_name in _every_pair(value):
                nested = JSON_BLOCKS.get(str(type_key.value), ())
                for name_key, spec in _every_pair(by_name):
                    for instance in _json_objects(spec):
                        body.blocks.append(
                            Block(
                                kind,
                                (str(type_key.value), str(name_key.value)),
                                json_body(instance, nested),
                                name_key.span,
                            )
                        )
        elif kind in ("variable", "output", "module", "provider"):
            for name_key, spec in _every_pair(value):
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
