"""Which decoder reads a document: by its format (`decoders.FORMATS`), then by content (parsed once,
handed on as a tree). Duplicate keys (SL010) and suppression comments are found here, for every
YAML and JSON document, where the text and the tree already are.

Terraform configuration (`.tf`, `.tf.json`) is decoded a module directory at a time by
`decoders.terraform`; every other file is one document here: YAML (CloudFormation, SAM, the native
format) or JSON (CloudFormation, CDK output, `terraform show -json` plans).
"""

from __future__ import annotations

from stagelint.config import DecodeOptions
from stagelint.decoders import InputFormat, format_named
from stagelint.decoders.result import DecodedFile, ParseFailure
from stagelint.decoders.tree import DecodeError, MappingNode, Node
from stagelint.findings import Note
from stagelint.records import replace


def decode_document(path: str, text: str, input_format: InputFormat | str, options: DecodeOptions) -> DecodedFile:
    """Parse a YAML or JSON document once and hand the tree to the decoder its content calls for; a
    stage file also gets its duplicate keys and its suppression comments. `input_format` is a row of
    `decoders.FORMATS` or its name (`"yaml"`, `"json"`)."""
    if isinstance(input_format, str):
        input_format = format_named(input_format)
    decoded = _decode_tree(path, text, input_format.name, options)
    if decoded.format is None:
        return decoded
    return with_text_facts(decoded, text, input_format)


def with_text_facts(decoded: DecodedFile, text: str, input_format: InputFormat) -> DecodedFile:
    """`decoded` with the suppression comments of its text (none in JSON, which has no comments)."""
    from stagelint.suppressions import scan

    comments = tuple(scan(decoded.path, text, "//" in input_format.comments)) if input_format.comments else ()
    return replace(decoded, suppressions=comments) if comments else decoded


def _decode_tree(path: str, text: str, kind: str, options: DecodeOptions) -> DecodedFile:
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
                return _with_duplicates(terraform_plan.decode(root, path, options), root)
        from stagelint.decoders import cloudformation

        if cloudformation.is_template(root):
            return _with_duplicates(cloudformation.decode(root, path, options), root)
        if kind == "yaml":
            from stagelint.decoders import plain

            verdict = plain.classify(root)
            if verdict is True:
                return _with_duplicates(plain.decode(root, path), root)
            if isinstance(verdict, str):
                return _not_a_stage_file(path, verdict)
    return _not_a_stage_file(path, _why_not(root, kind))


def _with_duplicates(decoded: DecodedFile, root: Node) -> DecodedFile:
    from stagelint.decoders.duplicates import duplicate_keys

    facts = root.facts if isinstance(root, MappingNode) else None
    if facts is not None and not facts.repeated_keys:  # the YAML builder saw none: nothing to walk for
        return decoded
    found = tuple(duplicate_keys(root))
    return replace(decoded, duplicate_keys=found) if found else decoded


def _why_not(root: Node, kind: str) -> str:
    if not isinstance(root, MappingNode):
        return f"the document is a {type(root).__name__.removesuffix('Node').lower()}, not a mapping"
    if kind == "json":
        return "no `Resources` (CloudFormation) or `planned_values` (Terraform plan)"
    return "no `Resources` (CloudFormation/SAM) or `stages` list (stagelint format)"


def _not_a_stage_file(path: str, reason: str) -> DecodedFile:
    return DecodedFile(path, None, notes=(Note(path, f"not a stage file: {reason}"),), skipped_reason=reason)
