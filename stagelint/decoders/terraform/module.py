"""One module directory, read once: its configuration files, variables, locals, resources and the
variable values from `TF_VAR_name` environment variables, `terraform.tfvars`, `*.auto.tfvars` (and
their `.json` forms), `--var-file` and `--var`, in Terraform's order. Only the files the engine was
given (`reported`) get failures; siblings that cannot be read become notes.
After loading, a `ModuleSource` is only read.
"""

from __future__ import annotations

import os
import re

from stagelint.config import DecodeOptions
from stagelint.decoders import is_json, is_module_file
from stagelint.decoders.duplicates import duplicate_keys
from stagelint.decoders.result import DuplicateKey, ParseFailure
from stagelint.decoders.terraform.hcl import parse_hcl
from stagelint.decoders.terraform.json_syntax import json_configuration, json_variables
from stagelint.decoders.terraform.syntax import Attribute, Block, Body, Expression
from stagelint.decoders.tree import DecodeError, MappingNode
from stagelint.findings import Note
from stagelint.limits import LimitExceeded, Limits
from stagelint.model import SourceFormat
from stagelint.positions import SourcePosition, file_start
from stagelint.reader import ReadError, read_text
from stagelint.records import dataclass
from stagelint.suppressions import Suppression, scan


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
    instance_key: str = ""  # `[0]`, `["prod"]`: one instance of a `count`/`for_each` resource

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}{self.instance_key}"


@dataclass(slots=True)
class _VariableValue:
    expression: Expression | None
    text: str | None  # a `--var NAME=VALUE` value
    position: SourcePosition


def _display_path(directory: str, name: str) -> str:
    if directory in ("", "."):
        return name
    return f"{directory.rstrip('/')}/{name}".replace(os.sep, "/")


def _is_configuration(name: str) -> bool:
    return is_module_file(name)


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


# Repeated keys where HCL's JSON syntax expects blocks (`"resource"` twice, a resource type twice)
# are more definitions, all kept (`json_syntax._every_pair`), not a value overwritten: no SL010.
_BLOCK_LEVEL = re.compile(r"(resource|data|variable|output|module|locals)(\[\d+\])?(\.[^.\[]+)?")


def _parse(
    path: str, text: str, variables_only: bool, limits: Limits
) -> tuple[Body, ParseFailure | None, tuple[DuplicateKey, ...]]:
    if is_json(path):
        from stagelint.decoders import json_tree

        if not text.strip():
            return Body(), ParseFailure(path, "empty file", file_start(path)), ()
        try:
            root = json_tree.parse(text, path, limits)
        except DecodeError as error:
            return Body(), ParseFailure(path, error.message, error.position or file_start(path)), ()
        except LimitExceeded as error:
            position = SourcePosition(path, error.line, error.column, error.line, error.column)
            return Body(), ParseFailure(path, str(error), position), ()
        if not isinstance(root, MappingNode):
            return Body(), ParseFailure(path, "a Terraform JSON file must hold one JSON object", root.span), ()
        if variables_only:
            return json_variables(root), None, ()
        return json_configuration(root), None, tuple(duplicate for duplicate in duplicate_keys(root)
                                                     if not _BLOCK_LEVEL.fullmatch(duplicate.key_path))
    return (*parse_hcl(text, path), ())


class ModuleSource:
    """One module directory, loaded in the constructor and only read afterwards."""

    def __init__(self, directory: str, reported: tuple[str, ...], options: DecodeOptions, root: bool = True) -> None:
        self.options = options
        self.root = root  # a called module (`modules_local`) gets its variables from the caller only
        self.files: list[_File] = []
        self.notes: list[Note] = []  # about the module as a whole (every reported file shows them)
        self.failures: dict[str, ParseFailure] = {}
        self.variables: dict[str, list[Block]] = {}
        self.locals: dict[str, list[Attribute]] = {}
        self.variable_values: dict[str, _VariableValue] = {}
        self.resources: list[_Resource] = []
        # The default (unaliased) `provider "aws"` blocks: their `region` is the module's stages' Region.
        self.aws_providers: list[Block] = []
        # Per configuration file: SL010 data (.tf.json) and suppression comments (.tf), found while
        # the text is at hand so that nothing reads a file twice.
        self.duplicate_keys: dict[str, tuple[DuplicateKey, ...]] = {}
        self.suppressions: dict[str, tuple[Suppression, ...]] = {}
        self._load(directory, reported)

    def _read(self, path: str, reported: bool) -> str | None:
        try:
            return read_text(path, self.options.limits, given=self.options.source(path))
        except ReadError as error:
            if reported:
                # The reader says where a file stops being UTF-8; the file is never opened a second time
                # (a FIFO would block).
                position = SourcePosition(path, error.line, error.column, error.line, error.column)
                self.failures[path] = ParseFailure(path, str(error), position)
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
            body, failure, duplicates = _parse(path, text, variables_only=False, limits=self.options.limits)
            if duplicates:
                self.duplicate_keys[path] = duplicates
            if not is_json(path):
                comments = tuple(scan(path, text, hcl=True))
                if comments:
                    self.suppressions[path] = comments
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
                SourceFormat.TERRAFORM_JSON if is_json(name) else SourceFormat.TERRAFORM_HCL
            )
            self._add(_File(path, source_format, body, is_reported))
        if not self.root:
            return
        var_files = [
            _display_path(directory, name)
            for name in sorted((name for name in names if _is_automatic_var_file(name)), key=_var_file_order)
        ]
        # Terraform's precedence, lowest first: TF_VAR_name environment variables, terraform.tfvars,
        # terraform.tfvars.json, *.auto.tfvars in lexical order, then --var-file and --var in order.
        for key, text in sorted(os.environ.items()):
            if key.startswith("TF_VAR_") and len(key) > len("TF_VAR_"):
                name = key[len("TF_VAR_"):]
                self.variable_values[name] = _VariableValue(None, text, SourcePosition(f"${key}", 1, 1, 1, 1))
        for path in [*var_files, *self.options.terraform_var_files]:
            given = path in reported  # pre-commit passed it: its failures are its own
            text = self._read(path, given)
            if text is None:
                continue
            body, failure, _ = _parse(path, text, variables_only=True, limits=self.options.limits)
            if failure is not None and given:
                self.failures[path] = failure
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
            elif block.type == "provider" and block.labels == ("aws",) and block.body.attribute("alias") is None:
                self.aws_providers.append(block)
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.append(_Resource(block.labels[0], block.labels[1], block, file))
