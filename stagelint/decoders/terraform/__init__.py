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

from stagelint.config import DecodeOptions
from stagelint.decoders import is_json
from stagelint.decoders.collector import LARGE_MODULE_RESOURCES, CollectorPaused
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.findings import Note
from stagelint.model import SourceFormat, Stage
from stagelint.positions import file_start

__all__ = ["decode_module"]


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
    # Imported here: a plan file (`plan.py`, in this package) needs none of the configuration decoder.
    from stagelint.decoders.terraform.evaluate import Evaluator
    from stagelint.decoders.terraform.module import ModuleSource, _is_configuration
    from stagelint.decoders.terraform.stages import _Builder

    module = ModuleSource(directory, reported, options)
    builder = _Builder(Evaluator(module))
    try:
        with CollectorPaused(len(module.resources) >= LARGE_MODULE_RESOURCES):
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
        source_format = SourceFormat.TERRAFORM_JSON.value if is_json(name) else SourceFormat.TERRAFORM_HCL.value
        duplicates = module.duplicate_keys.get(path, ())
        comments = module.suppressions.get(path, ())
        failure = module.failures.get(path)
        if failure is not None:
            results.append(DecodedFile(path, source_format, failures=(failure,), notes=tuple(module.notes),
                                       duplicate_keys=duplicates, suppressions=comments))
            continue
        stages = tuple(stages_by_path.get(path, ()))
        notes = [*module.notes, *builder.notes.get(path, [])]
        for stage in stages:
            notes += _skipped_notes(stage, path)
        results.append(DecodedFile(path, source_format, stages, notes=tuple(notes),
                                   duplicate_keys=duplicates, suppressions=comments,
                                   skipped_stages=tuple(builder.skipped_stages.get(path, ()))))
    return results
