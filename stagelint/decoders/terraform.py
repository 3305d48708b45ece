"""Terraform configuration (`.tf`, `.tf.json`) → stages, a module directory at a time.

A directory is one module: every `.tf`/`.tf.json` file in it contributes variables, locals, method
settings and WAF associations, and `terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms),
`--var-file` and `--var` give variables their values, in Terraform's order. Only the files the engine
was given (`reported`) get stages and failures: pre-commit passes single files.

The evaluator resolves what Terraform would know from the configuration alone: literals, `var.x`,
`local.x`, string templates over known values, `tostring`/`tonumber`, conditionals over known
booleans, and `dynamic` blocks over known collections. Everything else — a variable with no value,
a data source, another resource's attribute, any other function — is UNKNOWN with the reason, and a
`Note` names it for `--verbose`. A value reached through a reference keeps the position of the
attribute and an `Origin` naming where the value is written (`cache_cluster_size = local.cache_gb →
"5" (locals.tf:3)`).
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stagelint.config import DecodeOptions
from stagelint.decoders import terraform_schema
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.decoders.terraform_syntax import (
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
    shorten,
)
from stagelint.decoders.tree import DecodeError, MappingNode
from stagelint.decoders.values import to_bool, to_float, to_int
from stagelint.findings import Note
from stagelint.limits import LimitExceeded
from stagelint.model import (
    ApiKind,
    MethodSetting,
    SourceFormat,
    Stage,
    StageSource,
    StageVariable,
)
from stagelint.positions import SourcePosition, file_start
from stagelint.reader import ReadError, read_text
from stagelint.tracked import Origin, Tracked

# Dynamic blocks over larger collections are not expanded (each instance would be a method setting).
MAX_DYNAMIC_INSTANCES = 256
# References followed through locals and variables before giving up (a chain, not a cycle).
MAX_REFERENCE_DEPTH = 64

STAGE_TYPES = ("aws_api_gateway_stage", "aws_apigatewayv2_stage", "aws_api_gateway_deployment")
WAF_ASSOCIATIONS = {
    "aws_wafv2_web_acl_association": "web_acl_arn",
    "aws_wafregional_web_acl_association": "web_acl_id",
}
_NOT_RESOURCES = ("var", "local", "count", "each", "self", "path", "terraform", "data", "module")


# -- values ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Value:
    """An evaluated expression. `origin` is where the literal was written when it was reached
    through a reference (a variable's default, a tfvars line, a local's definition)."""

    data: Any = None
    known: bool = True
    reason: str | None = None
    origin: SourcePosition | None = None


def _unknown(reason: str) -> Value:
    return Value(None, False, reason)


def _with_origin(value: Value, position: SourcePosition) -> Value:
    if value.known and value.origin is None:
        return dataclasses.replace(value, origin=position)
    return value


def _number_text(number: int | float) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


def _as_string(data: Any) -> str | None:
    """A primitive as Terraform converts it to a string; None for what it cannot convert."""
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float):
        return _number_text(data)
    if isinstance(data, str):
        return data
    return None


def _unwrap(expression: Expression) -> Expression:
    """`"${aws_api_gateway_stage.x.stage_name}"` (JSON, old HCL) is the expression inside."""
    if (
        isinstance(expression, Template)
        and len(expression.parts) == 1
        and not isinstance(expression.parts[0], str)
    ):
        return expression.parts[0]
    return expression


def _resource_reference(expression: Expression) -> Reference | None:
    inner = _unwrap(expression)
    if isinstance(inner, Reference) and len(inner.parts) >= 2 and inner.parts[0] not in _NOT_RESOURCES:
        return inner
    return None


def _named_parts(reference: Reference) -> list[str]:
    """The names of a traversal without its instance indexes: `x[0].id` → `x.id`."""
    return [str(part) for part in reference.parts if isinstance(part, str)]


# -- files of a module ----------------------------------------------------------------------------
@dataclass(slots=True)
class _File:
    path: str
    format: SourceFormat
    body: Body
    reported: bool
    failure: ParseFailure | None = None


@dataclass(slots=True)
class _Resource:
    type: str
    name: str
    block: Block
    file: _File

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


@dataclass(slots=True)
class _Instance:
    """A block as it is evaluated: its body, the names in scope, or why its contents are unknown."""

    body: Body
    span: SourcePosition
    scope: Mapping[str, Value]
    unknown: str | None = None


@dataclass(slots=True)
class _VariableValue:
    expression: Expression | None
    text: str | None  # a `--var NAME=VALUE` value
    position: SourcePosition


def _display_path(directory: str, name: str) -> str:
    if directory in ("", "."):
        return name
    return f"{directory.rstrip('/')}/{name}".replace(os.sep, "/")


def _read_error_position(path: str) -> SourcePosition:
    """Where a file stops being UTF-8 (the first bad byte, as a code-point column); else its start."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        prefix = data[line_start : error.start].decode("utf-8-sig", errors="replace")
        return SourcePosition(path, line, len(prefix) + 1, line, len(prefix) + 1)
    except OSError:
        pass
    return file_start(path)


def _is_configuration(name: str) -> bool:
    return name.endswith((".tf", ".tf.json"))


def _is_automatic_var_file(name: str) -> bool:
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def _var_file_order(name: str) -> tuple[int, str]:
    # Terraform: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order.
    if name == "terraform.tfvars":
        return (0, name)
    if name == "terraform.tfvars.json":
        return (1, name)
    return (2, name)


def _parse(path: str, text: str, variables_only: bool) -> tuple[Body, ParseFailure | None]:
    from stagelint.decoders import terraform_syntax

    if path.endswith(".json"):
        from stagelint.decoders import json_tree

        if not text.strip():
            return Body(), ParseFailure(path, "empty file", file_start(path))
        try:
            root = json_tree.parse(text, path)
        except DecodeError as error:
            return Body(), ParseFailure(path, error.message, error.position or file_start(path))
        except LimitExceeded as error:
            return Body(), ParseFailure(path, str(error), file_start(path))
        if not isinstance(root, MappingNode):
            return Body(), ParseFailure(path, "a Terraform JSON file must hold one JSON object", root.span)
        if variables_only:
            return terraform_syntax.json_variables(root), None
        return terraform_syntax.json_configuration(root), None
    return terraform_syntax.parse_hcl(text, path)


# -- the module -----------------------------------------------------------------------------------
class _Module:
    def __init__(self, directory: str, reported: tuple[str, ...], options: DecodeOptions) -> None:
        self.options = options
        self.files: list[_File] = []
        self.notes: list[Note] = []  # about the module as a whole (every reported file shows them)
        self.failures: dict[str, ParseFailure] = {}
        self.variables: dict[str, list[Block]] = {}
        self.locals: dict[str, list[Attribute]] = {}
        self.variable_values: dict[str, _VariableValue] = {}
        self.resources: list[_Resource] = []
        self._local_cache: dict[str, Value] = {}
        self._variable_cache: dict[str, Value] = {}
        self._resolving: set[str] = set()
        self._depth = 0
        self._load(directory, reported)

    # loading
    def _read(self, path: str, reported: bool) -> str | None:
        try:
            return read_text(path, self.options.limits)
        except ReadError as error:
            if reported:
                self.failures[path] = ParseFailure(path, str(error), _read_error_position(path))
            else:
                self.notes.append(Note(path, f"not read for variables, locals and method settings: {error}"))
            return None

    def _load(self, directory: str, reported: tuple[str, ...]) -> None:
        reported_by_name = {os.path.basename(path): path for path in reported}
        try:
            names = sorted(os.listdir(directory or "."))
        except OSError:
            names = []
        configuration = [name for name in names if _is_configuration(name) and name not in reported_by_name]
        configuration += list(reported_by_name)
        for name in sorted(set(configuration)):
            is_reported = name in reported_by_name
            path = reported_by_name.get(name) or _display_path(directory, name)
            if not _is_configuration(name):
                continue  # a reported file of another kind gets its answer in decode_module
            text = self._read(path, is_reported)
            if text is None:
                continue
            body, failure = _parse(path, text, variables_only=False)
            if failure is not None:
                if is_reported:
                    self.failures[path] = failure
                else:
                    self.notes.append(
                        Note(
                            path,
                            f"not read for variables, locals and method settings: {failure.message}",
                            failure.position,
                        )
                    )
                continue
            source_format = (
                SourceFormat.TERRAFORM_JSON if name.endswith(".json") else SourceFormat.TERRAFORM_HCL
            )
            self._add(_File(path, source_format, body, is_reported))
        var_files = [
            _display_path(directory, name)
            for name in sorted((name for name in names if _is_automatic_var_file(name)), key=_var_file_order)
        ]
        for path in [*var_files, *self.options.terraform_var_files]:
            text = self._read(path, False)
            if text is None:
                continue
            body, failure = _parse(path, text, variables_only=True)
            if failure is not None:
                self.notes.append(
                    Note(path, f"variable values not read: {failure.message}", failure.position)
                )
                continue
            for attribute in body.attributes:
                self.variable_values[attribute.name] = _VariableValue(
                    attribute.value, None, attribute.value.span
                )
        for name, text in self.options.terraform_vars:
            position = SourcePosition(f"--var {name}", 1, 1, 1, 1)
            self.variable_values[name] = _VariableValue(None, text, position)

    def _add(self, file: _File) -> None:
        self.files.append(file)
        for block in file.body.blocks:
            if block.type == "variable" and len(block.labels) == 1:
                self.variables.setdefault(block.labels[0], []).append(block)
            elif block.type == "locals":
                for attribute in block.body.attributes:
                    self.locals.setdefault(attribute.name, []).append(attribute)
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.append(_Resource(block.labels[0], block.labels[1], block, file))

    # evaluation
    def variable(self, name: str) -> Value:
        if name not in self._variable_cache:
            self._variable_cache[name] = self._variable(name)
        return self._variable_cache[name]

    def _variable(self, name: str) -> Value:
        declarations = self.variables.get(name, [])
        given = self.variable_values.get(name)
        if given is not None:
            if given.expression is None:
                return Value(given.text, origin=given.position)
            return _with_origin(self.evaluate(given.expression, {}), given.position)
        if not declarations:
            return _unknown(f"var.{name} is not declared in this module")
        defaults: list[Value | None] = []
        for declaration in declarations:
            default = declaration.body.attribute("default")
            defaults.append(
                None
                if default is None
                else _with_origin(self.evaluate(default.value, {}), default.value.span)
            )
        if len(declarations) > 1 and len({_fingerprint(value) for value in defaults}) > 1:
            places = ", ".join(declaration.span.label() for declaration in declarations)
            return _unknown(f"var.{name} is declared more than once with different defaults ({places})")
        first = defaults[0]
        if first is None:
            return _unknown(
                f"var.{name} has no default and no value in terraform.tfvars, *.auto.tfvars, "
                "--var-file or --var"
            )
        return first

    def local(self, name: str) -> Value:
        if name in self._local_cache:
            return self._local_cache[name]
        definitions = self.locals.get(name, [])
        if not definitions:
            return _unknown(f"local.{name} is not defined in this module")
        if name in self._resolving:
            return _unknown(f"local.{name} refers to itself")
        self._resolving.add(name)
        try:
            values = [
                _with_origin(self.evaluate(definition.value, {}), definition.value.span)
                for definition in definitions
            ]
        finally:
            self._resolving.discard(name)
        if len(values) > 1 and len({_fingerprint(value) for value in values}) > 1:
            places = ", ".join(definition.name_span.label() for definition in definitions)
            result = _unknown(f"local.{name} is defined more than once with different values ({places})")
        else:
            result = values[0]
        self._local_cache[name] = result
        return result

    def evaluate(self, expression: Expression, scope: Mapping[str, Value]) -> Value:
        if self._depth > MAX_REFERENCE_DEPTH:
            return _unknown(f"references nested more than {MAX_REFERENCE_DEPTH} levels deep")
        self._depth += 1
        try:
            return self._evaluate(expression, scope)
        finally:
            self._depth -= 1

    def _evaluate(self, expression: Expression, scope: Mapping[str, Value]) -> Value:
        if isinstance(expression, Literal):
            return Value(expression.value)
        if isinstance(expression, Template):
            return self._template(expression, scope)
        if isinstance(expression, Reference):
            return self._reference(expression, scope)
        if isinstance(expression, Call):
            return self._call(expression, scope)
        if isinstance(expression, Conditional):
            condition = self.evaluate(expression.condition, scope)
            if not condition.known:
                return _unknown(
                    f"the condition `{shorten(expression.condition.text)}` cannot be decided: "
                    f"{condition.reason}"
                )
            decided = to_bool(condition.data)
            if not isinstance(decided, bool):
                return _unknown(f"the condition `{shorten(expression.condition.text)}` is not a boolean")
            return self.evaluate(expression.when_true if decided else expression.when_false, scope)
        if isinstance(expression, TupleExpression):
            items = [self.evaluate(item, scope) for item in expression.items]
            for item in items:
                if not item.known:
                    return item
            return Value([item.data for item in items])
        if isinstance(expression, ObjectExpression):
            entries: dict[str, Any] = {}
            for key, _, item_expression in expression.pairs:
                item = self.evaluate(item_expression, scope)
                if not item.known:
                    return item
                entries[key] = item.data
            return Value(entries)
        assert isinstance(expression, Opaque)
        return _unknown(
            f"`{shorten(expression.text)}` is {expression.reason}, which stagelint does not evaluate"
        )

    def _template(self, template: Template, scope: Mapping[str, Value]) -> Value:
        if len(template.parts) == 1 and not isinstance(template.parts[0], str):
            return self.evaluate(template.parts[0], scope)  # `"${x}"` is x itself, not its string
        pieces: list[str] = []
        origin: SourcePosition | None = None
        for part in template.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self.evaluate(part, scope)
            if not value.known:
                return value
            text = _as_string(value.data)
            if text is None:
                return _unknown(f"`{shorten(part.text)}` is not a string, number or boolean")
            pieces.append(text)
            origin = origin or value.origin
        result = "".join(pieces)
        if template.strip_indent:
            result = textwrap.dedent(result)
        return Value(result, origin=origin)

    def _reference(self, reference: Reference, scope: Mapping[str, Value]) -> Value:
        head = str(reference.parts[0])
        rest = reference.parts[1:]
        if head in scope:
            return _traverse(scope[head], rest, reference.text)
        if head in ("var", "local"):
            if not rest or not isinstance(rest[0], str):
                return _unknown(f"`{reference.text}` is not a complete reference")
            value = self.variable(rest[0]) if head == "var" else self.local(rest[0])
            return _traverse(value, rest[1:], reference.text)
        if head in ("count", "each"):
            return _unknown(f"{reference.text} differs per instance of the resource")
        if head == "data":
            return _unknown(f"{shorten(reference.text)} is read from a data source at plan time")
        if head == "module":
            return _unknown(f"{shorten(reference.text)} is an output of a child module")
        if head in ("path", "terraform", "self"):
            return _unknown(f"{reference.text} is not evaluated by stagelint")
        return _unknown(f"{shorten(reference.text)} is another resource's attribute")

    def _call(self, call: Call, scope: Mapping[str, Value]) -> Value:
        if call.name not in ("tostring", "tonumber") or len(call.arguments) != 1:
            return _unknown(f"function {call.name}() is not evaluated by stagelint")
        argument = self.evaluate(call.arguments[0], scope)
        if not argument.known or argument.data is None:
            return argument
        if call.name == "tostring":
            text = _as_string(argument.data)
            if text is None:
                return _unknown(f"tostring() of a collection in `{shorten(call.text)}`")
            return dataclasses.replace(argument, data=text)
        number = argument.data
        if isinstance(number, str):
            number = to_float(number) if "." in number or "e" in number.lower() else to_int(number)
        if isinstance(number, bool) or not isinstance(number, int | float):
            return _unknown(f"tonumber() of a value that is not a number in `{shorten(call.text)}`")
        return dataclasses.replace(argument, data=number)

    # blocks
    def resource_scope(self, resource: _Resource) -> tuple[dict[str, Value], str | None, bool]:
        """The names `count`/`each` mean in a resource, a note when they cannot be known, and
        False when the resource is known not to be created (`count = 0`, empty `for_each`)."""
        body = resource.block.body
        count = body.attribute("count")
        if count is not None:
            value = self.evaluate(count.value, {})
            if value.known and isinstance(value.data, int) and not isinstance(value.data, bool):
                if value.data == 0:
                    return {}, f"{resource.address}: count = 0, not created", False
                if value.data == 1:
                    return {"count": Value({"index": 0})}, None, True
            why = value.reason if not value.known else f"count = {value.data!r}"
            return (
                {"count": _unknown(f"count.index differs per instance ({why})")},
                f"{resource.address}: count not expanded ({why}); linted as one stage",
                True,
            )
        for_each = body.attribute("for_each")
        if for_each is not None:
            value = self.evaluate(for_each.value, {})
            if value.known and isinstance(value.data, dict | list):
                items = _items(value.data)
                if not items:
                    return {}, f"{resource.address}: for_each is empty, not created", False
                if len(items) == 1:
                    key, item = items[0]
                    return {"each": Value({"key": key, "value": item}, origin=value.origin)}, None, True
            why = value.reason if not value.known else "more than one instance"
            return (
                {"each": _unknown(f"each.key and each.value differ per instance ({why})")},
                f"{resource.address}: for_each not expanded ({why}); linted as one stage",
                True,
            )
        return {}, None, True

    def nested(self, instance: _Instance, block_type: str) -> list[_Instance]:
        """The blocks of one type in a body, static and `dynamic`, as instances to evaluate."""
        if instance.unknown is not None:
            return [instance] if instance.body.blocks_of(block_type) else []
        found = [
            _Instance(block.body, block.span, instance.scope) for block in instance.body.blocks_of(block_type)
        ]
        for dynamic in instance.body.blocks_of("dynamic"):
            if dynamic.labels != (block_type,):
                continue
            contents = dynamic.body.blocks_of("content")
            content = contents[0].body if contents else Body()
            iterator = dynamic.body.attribute("iterator")
            name = block_type
            if (
                iterator is not None
                and isinstance(iterator.value, Reference)
                and len(iterator.value.parts) == 1
            ):
                name = str(iterator.value.parts[0])
            for_each = dynamic.body.attribute("for_each")
            value = (
                self.evaluate(for_each.value, instance.scope)
                if for_each is not None
                else _unknown("it has no for_each")
            )
            if (
                value.known
                and isinstance(value.data, dict | list)
                and len(value.data) <= MAX_DYNAMIC_INSTANCES
            ):
                for key, item in _items(value.data):
                    scope = {**instance.scope, name: Value({"key": key, "value": item}, origin=value.origin)}
                    found.append(_Instance(content, dynamic.span, scope))
                continue
            text = shorten(for_each.value.text) if for_each is not None else ""
            why = value.reason if not value.known else "it is not a small list or map"
            found.append(
                _Instance(
                    content,
                    dynamic.span,
                    instance.scope,
                    f'dynamic "{block_type}" block: for_each = {text} cannot be expanded ({why})',
                )
            )
        return found


def _items(data: dict[str, Any] | list[Any]) -> list[tuple[Any, Any]]:
    if isinstance(data, dict):
        return list(data.items())
    return list(enumerate(data))


def _fingerprint(value: Value | None) -> str:
    if value is None:
        return "no default"
    if not value.known:
        return f"unknown: {value.reason}"
    return repr(value.data)


def _traverse(value: Value, parts: tuple[str | int, ...], text: str) -> Value:
    data = value.data
    for part in parts:
        if not value.known:
            return value
        if isinstance(data, dict) and isinstance(part, str | int) and str(part) in data:
            data = data[str(part)]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _unknown(f"`{shorten(text)}`: the value has no element {part!r}")
    return dataclasses.replace(value, data=data)


# -- the model ------------------------------------------------------------------------------------
def _text(data: Any) -> Any:
    text = _as_string(data)
    return data if text is None else text


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return _number_text(value) if isinstance(value, int | float) else repr(value)


class _HclValues:
    """A resource instance or nested block as `terraform_schema.Values`: read through the module's evaluator."""

    __slots__ = ("builder", "instance")

    def __init__(self, builder: _Builder, instance: _Instance) -> None:
        self.builder = builder
        self.instance = instance

    @property
    def span(self) -> SourcePosition:
        return self.instance.span

    def field(self, name: str, convert: Callable[[Any], Any] | None = None) -> Tracked[Any]:
        return self.builder.field(self.instance, name, convert or _text)

    def identity(self, name: str) -> Tracked[Any]:
        return self.builder.identity(self.instance, name)

    def string_map(self, name: str) -> Tracked[dict[str, str]]:
        return self.builder.string_map(self.instance, name)

    def variables(self, name: str) -> Tracked[tuple[StageVariable, ...]]:
        return self.builder.variables(self.instance, name)

    def blocks(self, name: str) -> list[_HclValues]:
        instance = self.instance
        found = self.builder.module.nested(instance, name)
        if not found and instance.unknown is None:
            attribute = instance.body.attribute(name)
            if attribute is not None and isinstance(attribute.value, ObjectExpression):
                # `access_log_settings = { ... }` (an attribute, not a block): valid HCL that the
                # provider rejects; read it the same way rather than lose the settings.
                body = Body([Attribute(key, key_span, item) for key, key_span, item in attribute.value.pairs])
                found = [_Instance(body, attribute.value.span, instance.scope)]
        return [_HclValues(self.builder, block) for block in found]


class _Builder:
    """Turns the module's resources into stages (for the reported files) and joins settings to them."""

    def __init__(self, module: _Module) -> None:
        self.module = module
        self.notes: dict[str, list[Note]] = {}

    def note(self, path: str, message: str, position: SourcePosition | None = None) -> None:
        self.notes.setdefault(path, []).append(Note(path, message, position))

    # leaves
    def tracked(
        self,
        expression: Expression,
        scope: Mapping[str, Value],
        spelled_as: str,
        convert: Callable[[Any], Any],
    ) -> Tracked[Any]:
        value = self.module.evaluate(expression, scope)
        raw = shorten(expression.text)
        if not value.known:
            return Tracked.unknown(expression.span, value.reason or "not known", spelled_as, raw)
        if value.data is None:
            return Tracked.absent(expression.span, spelled_as)  # null: the argument is unset
        if isinstance(value.data, dict | list):
            kind = "map" if isinstance(value.data, dict) else "list"
            return Tracked.unknown(
                expression.span, f"{spelled_as} is a {kind}, not a single value", spelled_as, raw
            )
        if convert is _text and isinstance(expression, Literal) and isinstance(value.data, int | float):
            converted: Any = expression.text  # a bare number where a string belongs keeps its spelling
        else:
            converted = convert(value.data)
        written_literally = isinstance(expression, Literal) or (
            isinstance(expression, Template) and all(isinstance(part, str) for part in expression.parts)
        )
        if written_literally or value.origin is None:
            return Tracked.known(converted, expression.span, spelled_as, raw if written_literally else None)
        return Tracked.known(
            converted, expression.span, spelled_as, _shown(converted), Origin(raw, value.origin)
        )

    def field(
        self,
        instance: _Instance,
        name: str,
        convert: Callable[[Any], Any] = _text,
        spelled_as: str | None = None,
    ) -> Tracked[Any]:
        spelled = spelled_as or name
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, spelled)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, spelled)
        return self.tracked(attribute.value, instance.scope, spelled, convert)

    def identity(self, instance: _Instance, name: str) -> Tracked[Any]:
        """An id or ARN: its value when known, else the resource reference as written
        (`aws_api_gateway_rest_api.api.id`), which is what identifies it in the configuration."""
        tracked = self.field(instance, name)
        if not tracked.is_unknown or instance.unknown is not None:
            return tracked
        attribute = instance.body.attribute(name)
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None:
            return tracked
        return Tracked.known(".".join(_named_parts(reference)), reference.span, name, shorten(reference.text))

    def string_map(self, instance: _Instance, name: str) -> Tracked[dict[str, str]]:
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, name)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, name)
        value = self.module.evaluate(attribute.value, instance.scope)
        span = attribute.value.span
        if not value.known:
            return Tracked.unknown(span, value.reason or "not known", name, shorten(attribute.value.text))
        if value.data is None:
            return Tracked.absent(span, name)
        if not isinstance(value.data, dict):
            return Tracked.unknown(span, f"{name} is not a map", name)
        entries: dict[str, str] = {}
        for key, item in value.data.items():
            text = _as_string(item)
            if text is None:
                return Tracked.unknown(span, f"{name}.{key} is not a plain value", name)
            entries[str(key)] = text
        origin = (
            None
            if isinstance(attribute.value, ObjectExpression) or value.origin is None
            else Origin(shorten(attribute.value.text), value.origin)
        )
        return Tracked.known(entries, span, name, None, origin)

    def variables(self, instance: _Instance, name: str) -> Tracked[tuple[StageVariable, ...]]:
        if instance.unknown is not None:
            return Tracked.unknown(instance.span, instance.unknown, name)
        attribute = instance.body.attribute(name)
        if attribute is None:
            return Tracked.absent(instance.span, name)
        expression = attribute.value
        if isinstance(expression, ObjectExpression):
            entries = tuple(
                StageVariable(
                    Tracked.known(key, key_span, name, key),
                    self.tracked(item, instance.scope, f"{name}.{key}", _text),
                )
                for key, key_span, item in expression.pairs
            )
            return Tracked.known(entries, expression.span, name)
        mapping = self.string_map(instance, name)
        if not mapping.is_known:
            return Tracked(None, mapping.state, mapping.position, name, mapping.raw, mapping.reason)
        values = mapping.get()
        return Tracked.known(
            tuple(
                StageVariable(
                    Tracked.known(key, mapping.position, name, key),
                    Tracked.known(text, mapping.position, f"{name}.{key}", _shown(text), mapping.origin),
                )
                for key, text in values.items()
            ),
            mapping.position,
            name,
            None,
            mapping.origin,
        )

    # the model: which attribute feeds which field is terraform_schema's business (shared with plans)
    def method_setting(self, resource: _Resource, instance: _Instance) -> MethodSetting:
        return terraform_schema.method_setting(_HclValues(self, instance), instance.span, resource.address)

    def stage(self, resource: _Resource, instance: _Instance) -> Stage | None:
        source = StageSource(resource.file.path, resource.file.format, resource.address)
        v2 = resource.type == "aws_apigatewayv2_stage"
        v2_api_kind = self.api_kind(instance, resource) if v2 else ApiKind.UNKNOWN
        return terraform_schema.stage(resource.type, source, instance.span, _HclValues(self, instance), v2_api_kind)

    def api_kind(self, instance: _Instance, resource: _Resource) -> ApiKind:
        attribute = instance.body.attribute("api_id")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None or reference.parts[0] != "aws_apigatewayv2_api":
            return ApiKind.UNKNOWN
        api = self.find(("aws_apigatewayv2_api", str(reference.parts[1])), resource.file)
        if api is None or isinstance(api, str):
            return ApiKind.UNKNOWN
        protocol = api.block.body.attribute("protocol_type")
        if protocol is None:
            return ApiKind.UNKNOWN
        value = self.module.evaluate(protocol.value, {})
        if value.known and isinstance(value.data, str):
            return ApiKind.__members__.get(value.data.upper(), ApiKind.UNKNOWN)
        return ApiKind.UNKNOWN

    def find(
        self, key: tuple[str, str], near: _File, among: list[_Resource] | None = None
    ) -> _Resource | str | None:
        """The one resource with this address, preferring one in `near`'s file; a string says why not."""
        candidates = [
            resource
            for resource in (among if among is not None else self.module.resources)
            if (resource.type, resource.name) == key
        ]
        same_file = [resource for resource in candidates if resource.file is near]
        chosen = same_file or candidates
        if not chosen:
            return None
        if len(chosen) > 1:
            return f"{key[0]}.{key[1]} is declared {len(chosen)} times"
        return chosen[0]

    def build(self) -> dict[str, list[Stage]]:
        module = self.module
        stages: dict[int, Stage] = {}  # by id of the resource
        scopes: dict[int, dict[str, Value]] = {}
        for resource in module.resources:
            if (
                resource.type not in STAGE_TYPES
                and resource.type != "aws_api_gateway_method_settings"
                and (resource.type not in WAF_ASSOCIATIONS)
            ):
                continue
            scope, message, created = module.resource_scope(resource)
            if message is not None and resource.file.reported:
                self.note(resource.file.path, message, resource.block.span)
            if not created:
                continue
            scopes[id(resource)] = scope
            if resource.type in STAGE_TYPES:
                stage = self.stage(resource, _Instance(resource.block.body, resource.block.span, scope))
                if stage is not None:
                    stages[id(resource)] = stage
        stage_resources = [resource for resource in module.resources if id(resource) in stages]
        for resource in module.resources:
            if id(resource) not in scopes:
                continue
            instance = _Instance(resource.block.body, resource.block.span, scopes[id(resource)])
            if resource.type == "aws_api_gateway_method_settings":
                self.join_method_setting(resource, instance, stages, stage_resources)
            elif resource.type in WAF_ASSOCIATIONS:
                self.join_association(resource, instance, stages, stage_resources)
        result: dict[str, list[Stage]] = {}
        for resource in stage_resources:
            result.setdefault(resource.file.path, []).append(stages[id(resource)])
        return result

    def join_method_setting(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> None:
        setting = self.method_setting(resource, instance)
        target = self.setting_target(resource, instance, stages, stage_resources)
        if isinstance(target, str):
            if resource.file.reported:
                self.note(
                    resource.file.path, f"{resource.address} is not linted: {target}", resource.block.span
                )
            return
        stage = stages[id(target)]
        stages[id(target)] = dataclasses.replace(stage, method_settings=(*stage.method_settings, setting))

    def setting_target(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> _Resource | str:
        attribute = instance.body.attribute("stage_name")
        if attribute is None:
            return "it has no stage_name"
        reference = _resource_reference(attribute.value)
        if reference is not None:
            names = _named_parts(reference)
            if names[0] in ("aws_api_gateway_stage", "aws_api_gateway_deployment") and len(names) >= 2:
                found = self.find((names[0], names[1]), resource.file, stage_resources)
                if isinstance(found, _Resource):
                    return found
                return found or f"its stage {names[0]}.{names[1]} is not a stage in this module"
        name = self.field(instance, "stage_name")
        api = self.identity(instance, "rest_api_id")
        if not name.is_known:
            return f"its stage_name cannot be resolved ({name.reason})"
        if not api.is_known:
            return f"its rest_api_id cannot be resolved ({api.reason})"
        matches = [
            candidate
            for candidate in stage_resources
            if stages[id(candidate)].api_kind is ApiKind.REST
            and stages[id(candidate)].name.known_equals(name.value)
            and stages[id(candidate)].api.known_equals(api.value)
        ]
        same_file = [candidate for candidate in matches if candidate.file is resource.file]
        chosen = same_file or matches
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            return f'no stage named "{name.value}" on {api.value} in this module'
        return f'{len(chosen)} stages are named "{name.value}" on {api.value}'

    def join_association(
        self,
        resource: _Resource,
        instance: _Instance,
        stages: dict[int, Stage],
        stage_resources: list[_Resource],
    ) -> None:
        attribute = instance.body.attribute("resource_arn")
        reference = _resource_reference(attribute.value) if attribute is not None else None
        if reference is None:
            return
        names = _named_parts(reference)
        if names[0] not in ("aws_api_gateway_stage", "aws_apigatewayv2_stage") or len(names) < 2:
            return
        found = self.find((names[0], names[1]), resource.file, stage_resources)
        if not isinstance(found, _Resource):
            if resource.file.reported:
                self.note(
                    resource.file.path,
                    f"{resource.address} is not linted: "
                    f"{found or f'{names[0]}.{names[1]} is not a stage in this module'}",
                    resource.block.span,
                )
            return
        acl = self.identity(instance, WAF_ASSOCIATIONS[resource.type])
        stages[id(found)] = dataclasses.replace(stages[id(found)], web_acl_arn=acl)


def _skipped_notes(stage: Stage, path: str) -> list[Note]:
    return [
        Note(path, f"{stage.address}: {attribute} skipped: {tracked.reason}", tracked.position)
        for attribute, tracked in stage.iter_tracked()
        if tracked.is_unknown
    ]


def decode_module(directory: str, reported: tuple[str, ...], options: DecodeOptions) -> list[DecodedFile]:
    """Decode the module in `directory`, returning one DecodedFile per path in `reported` (in order).

    Sibling files of the directory are read for variables, locals and method settings, but only
    the `reported` files get results: pre-commit passes single files.
    """
    module = _Module(directory, reported, options)
    builder = _Builder(module)
    try:
        stages_by_path = builder.build()
    except RecursionError:
        failure_for = {
            path: ParseFailure(path, "the module is nested too deeply to evaluate", file_start(path))
            for path in reported
        }
        return [DecodedFile(path, None, failures=(failure_for[path],)) for path in reported]
    results = []
    for path in reported:
        name = os.path.basename(path)
        if not _is_configuration(name):
            results.append(DecodedFile(path, None, skipped_reason="not a Terraform configuration file"))
            continue
        source_format = (
            SourceFormat.TERRAFORM_JSON.value
            if name.endswith(".json")
            else (SourceFormat.TERRAFORM_HCL.value)
        )
        failure = module.failures.get(path)
        if failure is not None:
            results.append(DecodedFile(path, source_format, failures=(failure,), notes=tuple(module.notes)))
            continue
        stages = tuple(stages_by_path.get(path, ()))
        notes = [*module.notes, *builder.notes.get(path, [])]
        for stage in stages:
            notes += _skipped_notes(stage, path)
        results.append(DecodedFile(path, source_format, stages, notes=tuple(notes)))
    return results
