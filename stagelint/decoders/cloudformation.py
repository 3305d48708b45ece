"""CloudFormation, SAM and CDK templates → stages. (Placeholder until issue 4 lands.)"""

from __future__ import annotations

from stagelint.decoders.options import DecodeOptions
from stagelint.decoders.tree import MappingNode, Node
from stagelint.findings import DecodedFile


def is_template(root: Node) -> bool:
    if not isinstance(root, MappingNode):
        return False
    return root.get("AWSTemplateFormatVersion") is not None or isinstance(root.get("Resources"), MappingNode)


def decode(root: MappingNode, path: str, text: str, options: DecodeOptions) -> DecodedFile:
    reason = "CloudFormation templates are not read yet"
    return DecodedFile(path, None, skipped_reason=reason)
