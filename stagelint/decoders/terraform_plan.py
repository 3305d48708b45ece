"""`terraform show -json` plans → stages. (Placeholder until issue 3 lands.)"""

from __future__ import annotations

from stagelint.decoders.options import DecodeOptions
from stagelint.decoders.tree import MappingNode
from stagelint.findings import DecodedFile


def is_plan(root: MappingNode) -> bool:
    return root.get("format_version") is not None and (
        root.get("planned_values") is not None or root.get("resource_changes") is not None
    )


def decode(root: MappingNode, path: str, options: DecodeOptions) -> DecodedFile:
    return DecodedFile(path, None, skipped_reason="Terraform plans are not read yet")
