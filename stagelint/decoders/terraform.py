"""Terraform configuration (`.tf`, `.tf.json`) → stages, a module directory at a time.

(Placeholder until issue 3 lands.)
"""

from __future__ import annotations

from stagelint.decoders.options import DecodeOptions
from stagelint.findings import DecodedFile


def decode_module(directory: str, reported: tuple[str, ...], options: DecodeOptions) -> list[DecodedFile]:
    """Decode the module in `directory`, returning one DecodedFile per path in `reported` (in order).

    Sibling files of the directory are read for variables, locals and method settings, but only
    the `reported` files get results: pre-commit passes single files.
    """
    return [DecodedFile(path, None, skipped_reason="Terraform is not read yet") for path in reported]
