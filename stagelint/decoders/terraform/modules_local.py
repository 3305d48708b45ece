"""Local module calls followed, as tflint does by default: `module "x" { source = "../modules/stage",
stage_name = "prod.v2" }` evaluates the child module's stages with the caller's arguments.

A value that comes from the caller moves to where the caller writes it (the call site's argument; in
a chain of calls, the outermost one), and its origin names the child's attribute and
the module chain (`var.stage_name in module.x`); the stage's address is prefixed with the chain
(`module.x.aws_api_gateway_stage.s`). What the child writes itself stays in the child's files: the
child module is linted where it is (a run over its directory), not once per caller.

Only `./` and `../` sources are read, and only inside the working directory or the paths the run was
given (symbolic links resolved): a registry or git source is unknown (a note says so), as is a source
that leaves them, a module that calls itself again (a cycle) or a chain deeper than
`MAX_MODULE_DEPTH`. Child modules read no tfvars and no `TF_VAR_` variables: Terraform gives those to
the root module only.
"""

from __future__ import annotations

import os
from typing import Any

from stagelint import records as dataclasses
from stagelint.config import DecodeOptions
from stagelint.decoders.terraform.evaluate import Evaluator, Value
from stagelint.decoders.terraform.module import ModuleSource
from stagelint.decoders.terraform.syntax import Block, Literal
from stagelint.findings import Note
from stagelint.model import Stage, StageSource
from stagelint.positions import SourcePosition
from stagelint.tracked import Origin, Tracked

# Module calls followed from the root before giving up (each level is a directory read).
MAX_MODULE_DEPTH = 8
# A module block's meta-arguments: not input variables of the child.
_META_ARGUMENTS = frozenset({"source", "version", "providers", "depends_on", "count", "for_each"})


@dataclasses.dataclass(slots=True)
class CalledStages:
    """What following a module's calls found: stages by the caller's file, notes by file, and the
    positions of child variable defaults that a caller overrides."""

    stages: dict[str, list[Stage]] = dataclasses.field(default_factory=dict)
    notes: dict[str, list[Note]] = dataclasses.field(default_factory=dict)
    overridden_defaults: list[SourcePosition] = dataclasses.field(default_factory=list)

    def note(self, path: str, message: str, position: SourcePosition | None) -> None:
        self.notes.setdefault(path, []).append(Note(path, message, position))


class _CalledEvaluator(Evaluator):
    """A child module's evaluator: its input variables are the caller's arguments."""

    def __init__(self, source: ModuleSource, arguments: dict[str, Value]) -> None:
        super().__init__(source)
        self.arguments = arguments
        # Where the outermost caller wrote each argument: a call from here passes them on.
        self.call_sites = frozenset(value.origin for value in arguments.values() if value.origin is not None)

    def _variable(self, name: str) -> Value:
        if name in self.arguments and name in self.source.variables:
            return self.arguments[name]
        return super()._variable(name)


def _inside_the_run(directory: str, options: DecodeOptions) -> bool:
    """Under the working directory or a path the run was given: nothing else is read."""
    absolute = os.path.realpath(directory)
    return any(absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep)
               for root in (os.path.realpath(os.getcwd()), *(os.path.realpath(root) for root in options.module_roots)))


def _display(directory: str) -> str:
    relative = os.path.relpath(os.path.abspath(directory), os.getcwd()).replace(os.sep, "/")
    return "" if relative == "." else relative


def _relocate(item: Any, own_files: frozenset[str], chain: str) -> Any:
    """Every leaf whose value the caller wrote, moved to where the caller wrote it."""
    if isinstance(item, Tracked):
        value = _relocate(item.value, own_files, chain) if isinstance(item.value, tuple) else item.value
        origin = item.origin
        if origin is None or origin.position.path in own_files:
            return item if value is item.value else dataclasses.replace(item, value=value)
        return dataclasses.replace(item, value=value, position=origin.position,
                                   origin=Origin(f"{origin.expression} in {chain}", item.position))
    if isinstance(item, tuple):
        return tuple(_relocate(element, own_files, chain) for element in item)
    if dataclasses.is_dataclass(item) and not isinstance(item, type | SourcePosition | StageSource):
        return dataclasses.replace(item, **{field.name: _relocate(getattr(item, field.name), own_files, chain)
                                            for field in dataclasses.fields(item) if field.init})
    return item


def follow_calls(evaluator: Evaluator, directory: str, options: DecodeOptions,
                 chain: tuple[str, ...] = (), visited: frozenset[str] = frozenset()) -> CalledStages:
    """The stages of every local module the module of `evaluator` calls, evaluated with its arguments."""
    found = CalledStages()
    visited = visited | {os.path.abspath(directory or ".")}
    for file in evaluator.source.files:
        for block in file.body.blocks_of("module"):
            if len(block.labels) == 1:
                _follow(evaluator, directory, options, chain, visited, file.path, block, found)
    return found


def _follow(evaluator: Evaluator, directory: str, options: DecodeOptions, chain: tuple[str, ...],
            visited: frozenset[str], path: str, block: Block, found: CalledStages) -> None:
    from stagelint.decoders.terraform.stages import _Builder

    name = f"module.{block.labels[0]}"
    source = block.body.attribute("source")
    written = source.value if source is not None else None
    if not isinstance(written, Literal) or not isinstance(written.value, str):
        found.note(path, f"{name}: its source is not a literal string; the module's stages are unknown", block.span)
        return
    if not written.value.startswith(("./", "../")):
        found.note(path, f"{name}: source {written.value!r} is a remote module (registry, git, …), not read; "
                   "its stages are unknown", written.span)
        return
    child_directory = os.path.normpath(os.path.join(directory or ".", written.value))
    why = None
    if any(block.body.attribute(meta) is not None for meta in ("count", "for_each")):
        why = "count and for_each on a module call are not expanded"
    elif len(chain) >= MAX_MODULE_DEPTH:
        why = f"module calls nested more than {MAX_MODULE_DEPTH} deep"
    elif not _inside_the_run(child_directory, options):
        why = f"{written.value} is outside the working directory and the paths given"
    elif os.path.abspath(child_directory) in visited:
        why = f"{written.value} is a module that calls itself (a cycle)"
    elif not os.path.isdir(child_directory):
        why = f"{written.value} is not a directory"
    if why is not None:
        found.note(path, f"{name} is not followed: {why}; the module's stages are unknown", written.span)
        return
    child_directory = _display(child_directory)
    child = ModuleSource(child_directory, (), options, root=False)
    arguments: dict[str, Value] = {}
    for attribute in block.body.attributes:
        if attribute.name in _META_ARGUMENTS:
            continue
        value = evaluator.evaluate(attribute.value, {})
        # The call site's argument, or, through `var.x` of a called module, where its caller wrote it.
        passed_on = isinstance(evaluator, _CalledEvaluator) and value.origin in evaluator.call_sites
        arguments[attribute.name] = dataclasses.replace(value, origin=value.origin if passed_on
                                                        else attribute.value.span)
        for declaration in child.variables.get(attribute.name, [])[:1]:
            default = declaration.body.attribute("default")
            if default is not None:
                found.overridden_defaults.append(default.value.span)
    called = _CalledEvaluator(child, arguments)
    full_chain = (*chain, name)
    label = ".".join(full_chain)
    own_files = frozenset(file.path for file in child.files)
    for stages in _Builder(called).build().values():
        for stage in stages:
            address = f"{label}.{stage.source.address}"
            moved = _relocate(stage, own_files, label)
            found.stages.setdefault(path, []).append(
                dataclasses.replace(moved, source=dataclasses.replace(stage.source, address=address)))
    deeper = follow_calls(called, child_directory, options, full_chain, visited)
    for stages in deeper.stages.values():
        found.stages.setdefault(path, []).extend(stages)
    for notes in deeper.notes.values():
        found.notes.setdefault(path, []).extend(notes)
    found.overridden_defaults += deeper.overridden_defaults
