"""A template's Parameters: each one's `Default`, overridden by parameter files and then by
`--parameter Key=Value` (the command line wins).
"""

from __future__ import annotations

from collections.abc import Iterator

from stagelint.config import DecodeOptions
from stagelint.decoders.cloudformation.intrinsics import Parameter
from stagelint.decoders.result import ParseFailure
from stagelint.decoders.tree import DecodeError, MappingNode, ScalarNode, SequenceNode
from stagelint.positions import SourcePosition


def read_parameters(
    root: MappingNode, options: DecodeOptions, failures: list[ParseFailure]
) -> dict[str, Parameter]:
    """The template's Parameters, each with its `Default` or an override."""
    parameters: dict[str, Parameter] = {}
    section = root.get("Parameters")
    if isinstance(section, MappingNode):
        for key, declaration in section.items():
            default = declaration.get("Default") if isinstance(declaration, MappingNode) else None
            value = default if isinstance(default, ScalarNode) and default.tag is None else None
            parameters[str(key.value)] = Parameter(str(key.value), value, key.span)
    for name, node in _overrides(options, failures):
        declared = parameters.get(name)
        if declared is not None:  # an override for a parameter this template does not declare is moot
            parameters[name] = Parameter(name, node, declared.declared_at, overridden=True)
    return parameters


def _overrides(options: DecodeOptions, failures: list[ParseFailure]) -> Iterator[tuple[str, ScalarNode]]:
    """Parameter files first, then `--parameter Key=Value` (the command line wins)."""
    for file_path in options.cloudformation_parameter_files:
        yield from _parameter_file(file_path, options, failures)
    for name, value in options.cloudformation_parameters:
        where = SourcePosition(f"--parameter {name}={value}", 1, 1, 1, 1)
        yield name, ScalarNode(value, where, None, value, True)


def _parameter_file(
    file_path: str, options: DecodeOptions, failures: list[ParseFailure]
) -> Iterator[tuple[str, ScalarNode]]:
    from stagelint.decoders import json_tree
    from stagelint.limits import LimitExceeded
    from stagelint.reader import ReadError, read_text

    try:
        root = json_tree.parse(read_text(file_path, options.limits), file_path, options.limits)
    except ReadError as error:
        failures.append(ParseFailure(file_path, f"parameter file: {error}"))
        return
    except (DecodeError, LimitExceeded) as error:
        message = error.message if isinstance(error, DecodeError) else str(error)
        position = error.position if isinstance(error, DecodeError) else None
        failures.append(ParseFailure(file_path, f"parameter file: {message}", position))
        return
    nested = root.get("Parameters") if isinstance(root, MappingNode) else None
    if isinstance(nested, MappingNode):
        root = nested  # CodePipeline's template configuration file nests them
    if isinstance(root, MappingNode):
        for key, value in root.items():
            if isinstance(value, ScalarNode):
                yield str(key.value), _as_string_node(value)
    elif isinstance(root, SequenceNode):
        for item in root.items:
            name_node = item.get("ParameterKey") if isinstance(item, MappingNode) else None
            value_node = item.get("ParameterValue") if isinstance(item, MappingNode) else None
            if isinstance(name_node, ScalarNode) and isinstance(value_node, ScalarNode):
                yield str(name_node.value), _as_string_node(value_node)
    else:
        failures.append(
            ParseFailure(
                file_path,
                "parameter file must be a list of {ParameterKey, ParameterValue} or a mapping",
                root.span,
            )
        )


def _as_string_node(node: ScalarNode) -> ScalarNode:
    """Parameter values are strings to CloudFormation: `"300"` and `300` in a file mean the same."""
    text = node.value if isinstance(node.value, str) else node.raw
    return ScalarNode(text, node.span, None, node.raw, True)
