"""Whether a resource with a `Condition` exists, for every parameter value a deploy may use.

A template is deployed with other parameter values than its defaults (one template, a stack per
environment), so a condition that is false with the defaults does not remove a stage: it is linted,
and its findings say under which condition it exists. Only a condition that is false for every value
the parameters allow removes it:

- a parameter given on the command line (`--parameter`) or in a parameter file has that one value;
- any other parameter the condition reads may take each of its `AllowedValues`; one without
  `AllowedValues` may take any value, so a condition that reads it can be true (unknown, not false).

The combinations are enumerated up to `MAX_COMBINATIONS`; beyond that the resource is kept (we do not
guess that it is never created).
"""

from __future__ import annotations

import itertools

from stagelint.decoders.cloudformation.intrinsics import Resolver, as_call
from stagelint.decoders.tree import MappingNode, ScalarNode, SequenceNode, walk
from stagelint.records import dataclass, replace

MAX_COMBINATIONS = 4096


@dataclass(frozen=True, slots=True)
class Existence:
    """`created` False: the resource is never created. Else `condition` names the condition it is
    created under when that is not true with the parameters as given (None: it is created)."""

    created: bool
    condition: str | None = None
    why: str = ""


def allowed_values(root: MappingNode) -> dict[str, tuple[ScalarNode, ...]]:
    """Each parameter's `AllowedValues`, as the strings CloudFormation passes (`true`, `300`)."""
    section = root.get("Parameters")
    allowed: dict[str, tuple[ScalarNode, ...]] = {}
    if not isinstance(section, MappingNode):
        return allowed
    for key, declaration in section.items():
        values = declaration.get("AllowedValues") if isinstance(declaration, MappingNode) else None
        if isinstance(values, SequenceNode) and values.items and all(
            isinstance(item, ScalarNode) and item.tag is None for item in values.items
        ):
            allowed[str(key.value)] = tuple(_as_text(item) for item in values.items if isinstance(item, ScalarNode))
    return allowed


def _as_text(node: ScalarNode) -> ScalarNode:
    if isinstance(node.value, bool):
        text = "true" if node.value else "false"
    else:
        text = node.value if isinstance(node.value, str) else node.raw
    return ScalarNode(text, node.span, None, node.raw, True)


class Conditions:
    """Existence of conditional resources in one template."""

    def __init__(self, resolver: Resolver, allowed: dict[str, tuple[ScalarNode, ...]]) -> None:
        self.resolver = resolver
        self.allowed = allowed
        self._cache: dict[str, Existence] = {}

    def existence(self, name: str) -> Existence:
        if name not in self._cache:
            self._cache[name] = self._decide(name)
        return self._cache[name]

    def _decide(self, name: str) -> Existence:
        verdict = self.resolver.condition(name)
        if verdict is True:
            return Existence(True)
        if verdict is None:
            return Existence(True, name, f"condition {name} cannot be decided")
        free = sorted(parameter for parameter in self._parameters_read(name)
                      if parameter in self.resolver.parameters and not self.resolver.parameters[parameter].overridden)
        if not free:
            return Existence(False, name, f"condition {name} is false with the parameters given")
        choices = [self.allowed.get(parameter, (None,)) for parameter in free]
        count = 1
        for values in choices:
            count *= len(values)
        if count > MAX_COMBINATIONS:
            return Existence(True, name, f"condition {name} is false with the parameters' defaults "
                             f"(too many parameter combinations to try every one)")
        for combination in itertools.product(*choices):
            parameters = dict(self.resolver.parameters)
            for parameter, value in zip(free, combination, strict=True):
                parameters[parameter] = replace(parameters[parameter], value=value)
            trial = Resolver(parameters, self.resolver.conditions, self.resolver.mappings,
                             self.resolver.resources, self.resolver.resource_ids)
            if trial.condition(name) is not False:
                return Existence(True, name, f"condition {name} is false with the parameters' defaults")
        return Existence(False, name, f"condition {name} is false for every allowed value of "
                         f"{', '.join(free)}")

    def _parameters_read(self, name: str) -> set[str]:
        """The names every `Ref` in the condition (and the conditions it names) refers to."""
        names: set[str] = set()
        pending, seen = [name], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            node = self.resolver.conditions.get(current)
            for child in walk(node) if node is not None else ():
                call = as_call(child, conditions_context=True)
                if call is None or not isinstance(call.argument, ScalarNode):
                    continue
                if call.name == "Ref":
                    names.add(str(call.argument.value))
                elif call.name == "Condition":
                    pending.append(str(call.argument.value))
        return names
