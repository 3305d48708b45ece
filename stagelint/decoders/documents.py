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
from stagelint.decoders.result import DecodedFile, ParseFailure, Share
from stagelint.decoders.tree import DecodeError, MappingNode, Node
from stagelint.findings import Note
from stagelint.records import replace
from stagelint.suppressions import Suppression


def decode_document(path: str, text: str, input_format: InputFormat | str, options: DecodeOptions,
                    share: Share | None = None) -> DecodedFile:
    """Parse a YAML or JSON document once and hand the tree to the decoder its content calls for; a
    stage file also gets its duplicate keys and its suppression comments. `input_format` is a row of
    `decoders.FORMATS` or its name (`"yaml"`, `"json"`). `share`: only that part of the document
    (see `Share`: what a decoder cannot split is read whole by the first part)."""
    if isinstance(input_format, str):
        input_format = format_named(input_format)
    comments = _comments(path, text, input_format) if share is not None else None
    if comments:  # SL900 judges each comment against every finding of the file: read whole
        if share is not None and share.part > 0:
            return DecodedFile(path, None)
        share = None
    decoded = _decode_tree(path, text, input_format.name, options, share)
    if decoded.format is None or (share is not None and share.part > 0):
        return decoded
    if comments is not None:
        return replace(decoded, suppressions=comments) if comments else decoded
    return with_text_facts(decoded, text, input_format)


def with_text_facts(decoded: DecodedFile, text: str, input_format: InputFormat) -> DecodedFile:
    """`decoded` with the suppression comments of its text (none in JSON, which has no comments)."""
    comments = _comments(decoded.path, text, input_format)
    return replace(decoded, suppressions=comments) if comments else decoded


def _comments(path: str, text: str, input_format: InputFormat) -> tuple[Suppression, ...]:
    from stagelint.suppressions import scan

    return tuple(scan(path, text, "//" in input_format.comments)) if input_format.comments else ()


def _decode_tree(path: str, text: str, kind: str, options: DecodeOptions, share: Share | None) -> DecodedFile:
    """The document decoded whole, or the part `share` of it: a part after the first of a document
    that is not read in parts is empty (the first part is the whole)."""
    root: Node | DecodedFile | None = None
    refused = False
    if share is not None and kind == "yaml":
        root, share, refused = _part_parsed(path, text, options, share)
    cut_tree = root is not None  # the tree of the text less the other parts' stage resources
    if root is None:
        root = _parsed(path, text, kind, options)
    if isinstance(root, MappingNode):
        from stagelint.decoders import cloudformation

        if share is not None and cloudformation.is_template(root) and cloudformation.shardable(root):
            decoded = _with_duplicates(cloudformation.decode(root, path, options, share), root)
            return replace(decoded, cut_refused=True) if refused else decoded
    if share is not None and share.part > 0:
        return DecodedFile(path, None)
    if cut_tree:  # only a template read in parts may be read from it: this one (a web ACL
        # association, say) the first part reads whole, from the whole text
        root = _parsed(path, text, kind, options)
    return root if isinstance(root, DecodedFile) else _decode_root(root, path, kind, options)


def _part_parsed(path: str, text: str, options: DecodeOptions, share: Share) -> tuple[Node | None, Share, bool]:
    """The tree of a template's text less the stage resources other parts own, when its layout tells
    them and the tree is the one the layout says (`cloudformation.layout`); else None, and the part
    parses the whole text. Also the share with the lines it owns (whichever text is parsed), and
    whether the cut was refused (then no part's cut can be trusted: `checker.merge_shares`)."""
    from stagelint.decoders.cloudformation import layout
    from stagelint.limits import LimitExceeded

    planned = layout.part_of(text, share)
    if planned is None:
        return None, share, False
    part_text, share, kept, shape = planned
    try:
        root = _parsed(path, part_text, "yaml", options)
    except LimitExceeded:  # the whole text says so again
        return None, share, True
    if isinstance(root, Node) and layout.verified(root, shape, kept):
        return root, share, False
    return None, share, True


def _parsed(path: str, text: str, kind: str, options: DecodeOptions) -> Node | DecodedFile:
    """The document's tree, or what to report when there is none."""
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
    return root


def _decode_root(root: Node, path: str, kind: str, options: DecodeOptions) -> DecodedFile:
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
