"""Which decoder reads a file: by suffix first, then by content (parsed once, handed on as a tree).

Terraform configuration (`.tf`, `.tf.json`) is decoded a module directory at a time by
`decoders.terraform`; every other file is one document here: YAML (CloudFormation, SAM, the native
format) or JSON (CloudFormation, CDK output, `terraform show -json` plans).
"""

from __future__ import annotations

from typing import Literal

from stagelint.config import DecodeOptions
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.decoders.tree import DecodeError, MappingNode, Node
from stagelint.findings import Note

FileKind = Literal["yaml", "json", "terraform"]

YAML_SUFFIXES = (".yaml", ".yml", ".template")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
TERRAFORM_CONTEXT_SUFFIXES = (".tfvars", ".tfvars.json")


def file_kind(path: str) -> FileKind | None:
    """How a path is read, from its name alone; None: not a file stagelint reads."""
    lowered = path.lower()
    if lowered.endswith(TERRAFORM_SUFFIXES):
        return "terraform"
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(YAML_SUFFIXES):
        return "yaml"
    return None


def decode_document(path: str, text: str, kind: FileKind, options: DecodeOptions) -> DecodedFile:
    """Parse a YAML or JSON document once and hand the tree to the decoder its content calls for."""
    root: Node | None
    if not text.strip():  # a placeholder or a `touch`ed file holds no stages: skipped, not an error
        return _not_a_stage_file(path, "the file is empty")
    try:
        if kind == "yaml":
            from stagelint.decoders import yaml_tree

            root = yaml_tree.parse(text, path, options.limits)
        else:
            from stagelint.decoders import json_tree

            root = json_tree.parse(text, path, options.limits)
    except DecodeError as error:
        return DecodedFile(path, None, failures=(ParseFailure(path, error.message, error.position),))
    if root is None:  # only comments, `---` or `null`
        return _not_a_stage_file(path, "the document is empty")

    if isinstance(root, MappingNode):
        if kind == "json":
            from stagelint.decoders.terraform import plan as terraform_plan

            if terraform_plan.is_plan(root):
                return terraform_plan.decode(root, path, options)
        from stagelint.decoders import cloudformation

        if cloudformation.is_template(root):
            return cloudformation.decode(root, path, options)
        if kind == "yaml":
            from stagelint.decoders import plain

            verdict = plain.classify(root)
            if verdict is True:
                return plain.decode(root, path)
            if isinstance(verdict, str):
                return _not_a_stage_file(path, verdict)
    return _not_a_stage_file(path, _why_not(root, kind))


def _why_not(root: Node, kind: FileKind) -> str:
    if not isinstance(root, MappingNode):
        return f"the document is a {type(root).__name__.removesuffix('Node').lower()}, not a mapping"
    if kind == "json":
        return "no `Resources` (CloudFormation) or `planned_values` (Terraform plan)"
    return "no `Resources` (CloudFormation/SAM) or `stages` list (stagelint format)"


def _not_a_stage_file(path: str, reason: str) -> DecodedFile:
    return DecodedFile(path, None, notes=(Note(path, f"not a stage file: {reason}"),), skipped_reason=reason)
