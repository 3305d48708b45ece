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

The package, by layer: `syntax` (the tree), `hcl` and `json_syntax` (the parsers), `module` (one
directory, read once), `evaluate` (values), `stages` (resources → stages), `schema` (attributes →
model, shared with `plan`, the `terraform show -json` decoder).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from stagelint import records as dataclasses
from stagelint.config import DecodeOptions
from stagelint.decoders import is_json, is_variables_file
from stagelint.decoders.collector import LARGE_MODULE_RESOURCES, CollectorPaused
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.findings import Note
from stagelint.model import SourceFormat, Stage
from stagelint.positions import file_start

if TYPE_CHECKING:
    from stagelint.decoders.terraform.evaluate import Evaluator
    from stagelint.decoders.terraform.module import ModuleSource

__all__ = ["decode_module"]


def _provider_region(module: ModuleSource, evaluator: Evaluator) -> str | None:
    """The Region of the module's default `provider "aws"` when it resolves to one string (a literal,
    a variable with a value); None when there is no such provider, its region is unknown, or two
    provider blocks disagree (then the run's `--region` applies)."""
    found: set[str] = set()
    for block in module.aws_providers:
        attribute = block.body.attribute("region")
        if attribute is None:
            return None  # the AWS_REGION environment or profile decides: not in the files
        value = evaluator.evaluate(attribute.value, {})
        if not value.known or not isinstance(value.data, str):
            return None
        found.add(value.data)
    return found.pop() if len(found) == 1 else None


def _skipped_notes(stage: Stage, path: str) -> list[Note]:
    return [
        Note(path, f"{stage.address}: {attribute} skipped: {tracked.reason}", tracked.position)
        for attribute, tracked in stage.unknown_leaves()
    ]


def _variables_file(path: str, module: ModuleSource, options: DecodeOptions) -> DecodedFile:
    """A `.tfvars` file passed on its own: no stages of its own, its values used by the module's
    stages (findings whose value it sets are reported in it, by the checker)."""
    from stagelint.decoders.terraform.module import _is_automatic_var_file

    source_format = SourceFormat.TERRAFORM_JSON.value if is_json(path) else SourceFormat.TERRAFORM_HCL.value
    failure = module.failures.get(path)
    if failure is not None:
        return DecodedFile(path, source_format, failures=(failure,))
    read = _is_automatic_var_file(os.path.basename(path)) or path in options.terraform_var_files
    notes = () if read else (Note(path, "variable values not used: Terraform reads terraform.tfvars and "
                                  "*.auto.tfvars by itself, other .tfvars files only with --var-file"),)
    return DecodedFile(path, source_format, notes=notes)


def decode_module(directory: str, reported: tuple[str, ...], options: DecodeOptions) -> list[DecodedFile]:
    """Decode the module in `directory`, returning one DecodedFile per path in `reported` (in order).

    Sibling files of the directory are read for variables, locals and method settings, but only
    the `reported` files get results: pre-commit passes single files.
    """
    # Imported here: a plan file (`plan.py`, in this package) needs none of the configuration decoder.
    from stagelint.decoders.terraform.evaluate import Evaluator
    from stagelint.decoders.terraform.module import ModuleSource, _is_configuration
    from stagelint.decoders.terraform.modules_local import follow_calls
    from stagelint.decoders.terraform.stages import _Builder

    module = ModuleSource(directory, reported, options)
    evaluator = Evaluator(module)
    builder = _Builder(evaluator)
    try:
        with CollectorPaused(len(module.resources) >= LARGE_MODULE_RESOURCES):
            stages_by_path = builder.build()
        region = _provider_region(module, evaluator)
        called = follow_calls(builder.evaluator, directory, options)
    except RecursionError:
        failure_for = {
            path: ParseFailure(path, "the module is nested too deeply to evaluate", file_start(path))
            for path in reported
        }
        return [DecodedFile(path, None, failures=(failure_for[path],)) for path in reported]
    results = []
    for path in reported:
        name = os.path.basename(path)
        if is_variables_file(name):
            results.append(_variables_file(path, module, options))
            continue
        if not _is_configuration(name):
            results.append(DecodedFile(path, None, skipped_reason="not a Terraform configuration file"))
            continue
        source_format = SourceFormat.TERRAFORM_JSON.value if is_json(name) else SourceFormat.TERRAFORM_HCL.value
        duplicates = module.duplicate_keys.get(path, ())
        comments = module.suppressions.get(path, ())
        failure = module.failures.get(path)
        if failure is not None:
            results.append(DecodedFile(path, source_format, failures=(failure,), notes=tuple(module.notes),
                                       duplicate_keys=duplicates, suppressions=comments))
            continue
        stages = (*stages_by_path.get(path, ()), *called.stages.get(path, ()))
        if region is not None:
            stages = tuple(dataclasses.replace(stage, region=stage.region or region) for stage in stages)
        notes = [*module.notes, *builder.notes.get(path, []), *called.notes.get(path, [])]
        for stage in stages if options.notes else ():
            notes += _skipped_notes(stage, path)
        results.append(DecodedFile(path, source_format, stages, notes=tuple(notes),
                                   duplicate_keys=duplicates, suppressions=comments,
                                   skipped_stages=tuple(builder.skipped_stages.get(path, ())),
                                   overridden_defaults=tuple(called.overridden_defaults)
                                   if path == reported[0] else ()))
    return results
