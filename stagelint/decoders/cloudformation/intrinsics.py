"""CloudFormation intrinsic functions → `Tracked` values, without ever guessing.

A template value is a literal, a short-form tag (`!Ref Size`) or a long form (`{"Ref": "Size"}`).
What can be decided from the template and the user's parameters is resolved: `Ref` to a parameter
with a default (or an override), `Fn::If` on a decidable condition, `Fn::Sub`/`Fn::Join`/
`Fn::Select`/`Fn::FindInMap` of known parts. Everything else (`!GetAtt`, `!ImportValue`, pseudo
parameters, a parameter with no default) is UNKNOWN with a reason, and an undecidable `Fn::If` is
UNKNOWN with each branch as a candidate. A resolved value keeps the position of the reference as
written (the finding points there) and an `Origin` naming where the literal is defined.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from stagelint.decoders.cloudformation.condition_order import dependencies
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode, detached
from stagelint.decoders.values import raw_text, to_str
from stagelint.limits import DEFAULT_LIMITS, ValueBudget
from stagelint.positions import SourcePosition
from stagelint.records import dataclass, replace
from stagelint.text import shown
from stagelint.tracked import ABSENT, KNOWN, Origin, Tracked

# Short-form tags and the function each stands for.
SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!If": "Fn::If",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!FindInMap": "Fn::FindInMap",
    "!ImportValue": "Fn::ImportValue",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!GetAZs": "Fn::GetAZs",
    "!Split": "Fn::Split",
    "!Transform": "Fn::Transform",
    # Not in the list, but valid CloudFormation (language extensions) and harmless to accept.
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
}
LONG_FORMS = frozenset(name for name in SHORT_TAGS.values() if name != "Condition") | {"Fn::ForEach"}

NO_VALUE = "AWS::NoValue"
_SUB_VARIABLE = r"\$\{([^}]*)\}"


@dataclass(frozen=True, slots=True)
class Call:
    """One intrinsic function call: its name, its argument (tag stripped) and how it was written."""

    name: str
    argument: Node
    node: Node
    short: bool

    def expression(self) -> str:
        """The call as the user wrote it, short enough for a message: `!Ref Size`, `{"Ref": "Size"}`."""
        argument = self.argument
        if isinstance(argument, ScalarNode):
            text = str(argument.value)
        elif isinstance(argument, SequenceNode):
            parts = [str(item.value) if isinstance(item, ScalarNode) else "…" for item in argument.items]
            text = "[" + ", ".join(parts) + "]"
        else:
            text = "{…}"
        if self.short:
            tag = next(tag for tag, name in SHORT_TAGS.items() if name == self.name)
            return f"{tag} {text}"
        return (
            json.dumps({self.name: text})
            if isinstance(argument, ScalarNode)
            else f'{{"{self.name}": {text}}}'
        )


def _untagged(node: Node) -> Node:
    if isinstance(node, ScalarNode):
        return ScalarNode(node.value, node.span, None, node.raw, node.quoted)
    if isinstance(node, SequenceNode):
        return SequenceNode(node.items, node.span, None)
    return MappingNode(node.pairs, node.span, None)


def as_call(node: Node, conditions_context: bool = False) -> Call | None:
    """The intrinsic call a node is, or None for plain data. `{"Condition": X}` counts only inside
    conditions (elsewhere `Condition` is an ordinary key, e.g. a resource attribute)."""
    if node.tag is not None:
        name = SHORT_TAGS.get(node.tag)
        return None if name is None else Call(name, _untagged(node), node, True)
    if isinstance(node, MappingNode) and len(node.pairs) == 1:
        key, value = node.pairs[0]
        function = key.value
        if isinstance(function, str) and (
            function == "Ref" or function in LONG_FORMS or (conditions_context and function == "Condition")
        ):
            return Call(function, value, node, False)
    return None


def is_no_value(node: Node) -> bool:
    call = as_call(node)
    return (
        call is not None
        and call.name == "Ref"
        and isinstance(call.argument, ScalarNode)
        and call.argument.value == NO_VALUE
    )


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter's value: from its `Default` or an override, with where that value is written."""

    name: str
    value: ScalarNode | None  # None: no default and no override
    declared_at: SourcePosition
    overridden: bool = False  # the value comes from `--parameter` or a parameter file, not `Default`


@dataclass(frozen=True, slots=True)
class Choice:
    """What `pick` found for an undecidable `Fn::If`: each branch (None for `AWS::NoValue`)."""

    node: Node
    condition: str
    branches: tuple[Node | None, ...]


class Resolver:
    """Resolves intrinsic functions against one template's Parameters, Conditions and Mappings."""

    def __init__(
        self,
        parameters: dict[str, Parameter],
        conditions: dict[str, Node],
        mappings: MappingNode | None,
        resources: MappingNode | None,
        extra_resource_ids: frozenset[str] = frozenset(),
        max_evaluated_chars: int = DEFAULT_LIMITS.max_evaluated_chars,
    ) -> None:
        self.parameters = parameters
        self.conditions = conditions
        self.mappings = mappings
        self.resources = resources
        self.resource_ids = (
            frozenset(str(key.value) for key, _ in (resources.items() if resources is not None else []))
            | extra_resource_ids
        )
        self._condition_cache: dict[str, bool | None] = {}
        self._evaluating: set[str] = set()
        # Calls resolved per node (aliases share nodes), each kept alive with its result; a value budget.
        self._resolved: dict[tuple[int, str, Callable[[Any], Any], int], tuple[Node, Tracked[Any]]] = {}
        self.budget = ValueBudget(max_evaluated_chars)

    # -- conditions ---------------------------------------------------------------------------
    def condition(self, name: str) -> bool | None:
        """The value of a named condition; None when it cannot be decided from the template."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        node = self.conditions.get(name)
        if node is None or name in self._evaluating:  # undefined or circular: cannot decide
            return None
        if not self._evaluating:
            # The conditions this one names, deepest first, so that each is decided (and cached)
            # before the one naming it: a chain of `!Condition`s thousands long never recurses.
            for dependency in dependencies(self.conditions, name, self._condition_cache, as_call):
                self.condition(dependency)
        self._evaluating.add(name)
        try:
            verdict = self.evaluate(node)
        finally:
            self._evaluating.discard(name)
        self._condition_cache[name] = verdict
        return verdict

    def evaluate(self, node: Node) -> bool | None:
        """A condition expression (Fn::Equals/Not/And/Or, Condition) in three-valued logic."""
        call = as_call(node, conditions_context=True)
        if call is None:
            if isinstance(node, ScalarNode) and isinstance(node.value, bool):
                return node.value
            return None
        argument = call.argument
        if call.name == "Condition":
            return self.condition(str(argument.value)) if isinstance(argument, ScalarNode) else None
        items = argument.items if isinstance(argument, SequenceNode) else None
        if items is None:
            return None
        if call.name == "Fn::Equals" and len(items) == 2:
            left, right = (self.value(item, "Fn::Equals") for item in items)
            if not (left.is_known and right.is_known):
                return None
            # CloudFormation compares the string forms (`"true"` equals `true`).
            return as_text(left.value) == as_text(right.value)
        if call.name == "Fn::Not" and len(items) == 1:
            inner = self.evaluate(items[0])
            return None if inner is None else not inner
        if call.name in ("Fn::And", "Fn::Or"):
            verdicts = [self.evaluate(item) for item in items]
            decisive = call.name == "Fn::Or"  # Or: any True decides; And: any False decides
            if decisive in verdicts:
                return decisive
            return None if None in verdicts else not decisive
        return None

    # -- selecting nodes (for structured properties) --------------------------------------------
    def pick(self, node: Node) -> Node | Choice | None:
        """Follow decidable `Fn::If`s to the node that applies. None: `AWS::NoValue` (the property is
        removed). A Choice: the condition cannot be decided."""
        seen = 0
        while True:
            seen += 1
            if is_no_value(node):
                return None
            call = as_call(node)
            if call is None or call.name != "Fn::If" or seen > 64:
                return node
            parts = self._if_parts(call)
            if parts is None:
                return node
            name, when_true, when_false = parts
            verdict = self.condition(name)
            if verdict is None:
                branches = tuple(
                    None if is_no_value(branch) else branch for branch in (when_true, when_false)
                )
                return Choice(node, name, branches)
            node = when_true if verdict else when_false

    @staticmethod
    def _if_parts(call: Call) -> tuple[str, Node, Node] | None:
        argument = call.argument
        if not isinstance(argument, SequenceNode) or len(argument.items) != 3:
            return None
        name_node, when_true, when_false = argument.items
        if not isinstance(name_node, ScalarNode):
            return None
        return str(name_node.value), when_true, when_false

    # -- values ---------------------------------------------------------------------------------
    def value(
        self,
        node: Node,
        spelled_as: str,
        convert: Callable[[Any], Any] = to_str,
        depth: int = 0,
    ) -> Tracked[Any]:
        """A scalar property's value. Position: the node as written at the property."""
        if depth > 32:
            return Tracked.unknown(node.span, "intrinsic functions nested too deeply", spelled_as)
        call = as_call(node)
        if call is None:
            if node.tag is not None:
                return Tracked.unknown(
                    node.span,
                    f"unknown tag {node.tag}",
                    spelled_as,
                    node.raw if isinstance(node, ScalarNode) else None,
                )
            if isinstance(node, ScalarNode):
                return literal(node, spelled_as, convert, node.span)
            kind = "list" if isinstance(node, SequenceNode) else "mapping"
            return Tracked.unknown(node.span, f"{spelled_as} is a {kind}, not a single value", spelled_as)
        handler = _HANDLERS.get(call.name)
        if handler is None:
            return Tracked.unknown(
                node.span,
                f"{call.expression()} cannot be resolved before deployment",
                spelled_as,
                call.expression(),
            )
        key = (id(node), spelled_as, convert, depth)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = (node, handler(self, call, spelled_as, convert, depth + 1))
        return cached[1]

    def _ref(self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int) -> Tracked[Any]:
        argument = call.argument
        expression = call.expression()
        if not isinstance(argument, ScalarNode) or not isinstance(argument.value, str):
            return Tracked.unknown(call.node.span, f"{expression} is not a valid Ref", spelled_as, expression)
        name = argument.value
        if name == NO_VALUE:
            return Tracked.absent(call.node.span, spelled_as)
        parameter = self.parameters.get(name)
        if parameter is not None:
            if parameter.value is None:
                return Tracked.unknown(
                    call.node.span, f"parameter {name} has no default", spelled_as, expression
                )
            resolved = literal(parameter.value, spelled_as, convert, call.node.span)
            return replace(resolved, origin=Origin(expression, parameter.value.span))
        if name.startswith("AWS::"):
            return Tracked.unknown(
                call.node.span,
                f"{name} is a pseudo parameter, known only at deployment",
                spelled_as,
                expression,
            )
        if name in self.resource_ids:
            return Tracked.unknown(
                call.node.span, f"{expression} is the physical id of resource {name}", spelled_as, expression
            )
        return Tracked.unknown(
            call.node.span,
            f"{expression} names no parameter or resource in this template",
            spelled_as,
            expression,
        )

    def _if(self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int) -> Tracked[Any]:
        parts = self._if_parts(call)
        if parts is None:
            return Tracked.unknown(call.node.span, "malformed Fn::If", spelled_as)
        name, when_true, when_false = parts
        verdict = self.condition(name)
        if verdict is not None:
            return self.value(when_true if verdict else when_false, spelled_as, convert, depth)
        candidates = tuple(
            self.value(branch, spelled_as, convert, depth) for branch in (when_true, when_false)
        )
        return Tracked.unknown(
            call.node.span,
            f"depends on condition {name}, which cannot be decided",
            spelled_as,
            call.expression(),
            candidates,
        )

    def _sub(self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int) -> Tracked[Any]:
        argument = call.argument
        local: dict[str, Node] = {}
        if isinstance(argument, SequenceNode) and len(argument.items) == 2:
            template_node, variables = argument.items
            if isinstance(variables, MappingNode):
                local = {str(key.value): value for key, value in variables.items()}
        else:
            template_node = argument
        if not isinstance(template_node, ScalarNode) or not isinstance(template_node.value, str):
            return Tracked.unknown(
                call.node.span, f"{call.expression()} is not a valid Fn::Sub", spelled_as, call.expression()
            )
        template = template_node.value
        pieces: list[str] = []
        origins: list[Origin] = []
        position = 0
        for match in re.finditer(_SUB_VARIABLE, template):
            pieces.append(template[position : match.start()])
            position = match.end()
            variable = match.group(1)
            if variable.startswith("!"):  # `${!Literal}` is the text `${Literal}`
                pieces.append("${" + variable[1:] + "}")
                continue
            variable = variable.strip()
            if variable in local:
                part = self.value(local[variable], spelled_as, to_str, depth)
            elif "." in variable:
                part = Tracked.unknown(call.node.span, f"${{{variable}}} is a resource attribute", spelled_as)
            else:
                reference = Call("Ref", ScalarNode(variable, template_node.span), call.node, True)
                part = self._ref(reference, spelled_as, to_str, depth)
            if not part.is_known:
                reason = part.reason or f"${{{variable}}} has no value"
                return Tracked.unknown(call.node.span, f"Fn::Sub: {reason}", spelled_as, call.expression())
            if part.origin is not None:
                origins.append(part.origin)
            pieces.append(as_text(part.value))
        pieces.append(template[position:])
        if (over := self.budget.over(sum(len(piece) for piece in pieces))) is not None:
            return Tracked.unknown(call.node.span, f"Fn::Sub: {over}", spelled_as)
        text = "".join(pieces)
        origin = origins[0] if len(origins) == 1 else None
        return Tracked.known(convert(text), call.node.span, spelled_as, json.dumps(text), origin)

    def _join(self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int) -> Tracked[Any]:
        argument = call.argument
        if (
            not isinstance(argument, SequenceNode)
            or len(argument.items) != 2
            or not isinstance(argument.items[0], ScalarNode)
            or not isinstance(argument.items[1], SequenceNode)
        ):
            return Tracked.unknown(
                call.node.span,
                f"{call.expression()} is not a resolvable Fn::Join",
                spelled_as,
                call.expression(),
            )
        delimiter = as_text(argument.items[0].value)
        parts = []
        for item in argument.items[1].items:
            part = self.value(item, spelled_as, to_str, depth)
            if not part.is_known:
                return Tracked.unknown(
                    call.node.span,
                    f"Fn::Join: {part.reason or 'a part is not known'}",
                    spelled_as,
                    call.expression(),
                )
            parts.append(as_text(part.value))
        if (over := self.budget.over(sum(len(part) for part in parts) + len(delimiter) * len(parts))) is not None:
            return Tracked.unknown(call.node.span, f"Fn::Join: {over}", spelled_as)
        text = delimiter.join(parts)
        return Tracked.known(convert(text), call.node.span, spelled_as, json.dumps(text))

    def _select(self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int) -> Tracked[Any]:
        argument = call.argument
        if isinstance(argument, SequenceNode) and len(argument.items) == 2:
            index = self.value(argument.items[0], spelled_as, to_str, depth)
            options = self.pick(argument.items[1])
            if index.is_known and isinstance(options, SequenceNode):
                try:
                    chosen = options.items[int(str(index.value))]
                except (ValueError, IndexError):
                    chosen = None
                if chosen is not None:
                    return self.value(chosen, spelled_as, convert, depth)
        return Tracked.unknown(
            call.node.span, f"{call.expression()} cannot be resolved", spelled_as, call.expression()
        )

    def _findinmap(
        self, call: Call, spelled_as: str, convert: Callable[[Any], Any], depth: int
    ) -> Tracked[Any]:
        argument = call.argument
        if isinstance(argument, SequenceNode) and len(argument.items) >= 3 and self.mappings is not None:
            keys = [self.value(item, spelled_as, to_str, depth) for item in argument.items[:3]]
            if all(key.is_known for key in keys):
                node: Node | None = self.mappings
                for key in keys:
                    node = node.get(as_text(key.value)) if isinstance(node, MappingNode) else None
                if node is not None:
                    resolved = self.value(node, spelled_as, convert, depth)
                    if resolved.is_known:
                        return replace(
                            resolved, position=call.node.span, origin=Origin(call.expression(), node.span)
                        )
                    return resolved
        return Tracked.unknown(
            call.node.span,
            f"{call.expression()} cannot be resolved from Mappings",
            spelled_as,
            call.expression(),
        )

    # -- references to resources ----------------------------------------------------------------
    def referenced_resource(self, node: Node) -> str | None:
        """The logical id a `Ref X` / `Fn::GetAtt X.Attr` names, when X is a resource of this template."""
        call = as_call(node)
        if call is None:
            return None
        argument = call.argument
        name: object = None
        if call.name == "Ref" and isinstance(argument, ScalarNode):
            name = argument.value
        elif call.name == "Fn::GetAtt":
            if isinstance(argument, ScalarNode) and isinstance(argument.value, str):
                name = argument.value.split(".", 1)[0]
            elif (
                isinstance(argument, SequenceNode)
                and argument.items
                and isinstance(argument.items[0], ScalarNode)
            ):
                name = argument.items[0].value
        return name if isinstance(name, str) and name in self.resource_ids else None

    def identity(self, node: Node, spelled_as: str) -> Tracked[Any]:
        """An identity property (`RestApiId`, `DeploymentId`): a reference to a resource of this template
        is identified by its logical id, which is what the user wrote; otherwise the value."""
        resource = self.referenced_resource(node)
        if resource is not None:
            call, resource = as_call(node), detached(resource)  # (tree.detached says why)
            return Tracked.known(resource, node.span, spelled_as, call.expression() if call else resource)
        return self.value(node, spelled_as)


# The functions `Resolver.value` resolves, by name; any other call is UNKNOWN.
_HANDLERS: dict[str, Callable[[Resolver, Call, str, Callable[[Any], Any], int], Tracked[Any]]] = {
    "Ref": Resolver._ref,
    "Fn::If": Resolver._if,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::FindInMap": Resolver._findinmap,
}


def literal(node: ScalarNode, spelled_as: str, convert: Callable[[Any], Any], position: SourcePosition) -> Tracked[Any]:
    """A literal scalar at `position` (the attribute), as `build.scalar` converts it. Its value and text
    are the model's own (tree.detached says why); Tracked is made without `known`'s frame."""
    value = node.value
    if value is None:
        return Tracked(None, ABSENT, position, spelled_as)
    if type(value) is str:  # (its shown text is new)
        return Tracked(detached(convert(value)), KNOWN, position, spelled_as, shown(value))
    if convert is to_str and isinstance(value, int | float) and not isinstance(value, bool):
        raw = detached(node.raw)
        return Tracked(raw or str(value), KNOWN, position, spelled_as, raw)
    return Tracked(detached(convert(value)), KNOWN, position, spelled_as, detached(raw_text(node)))


def as_text(value: object) -> str:
    """A scalar as CloudFormation turns it into a string (`!Join`, `!Sub`, `!Equals`, map keys):
    booleans lower case, numbers as YAML wrote them (`1.0` stays `1.0`, unlike Terraform)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
