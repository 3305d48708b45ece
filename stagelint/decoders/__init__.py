"""Decoders: files → the stage model. The one table of input formats lives here.

`FORMATS` says, for each kind of file stagelint reads, which names it has (suffixes, matched without
regard to case), how its text is sniffed before parsing, which decoder reads it (imported only when a
file needs it), whether it is read alone or as part of a Terraform module directory, and how its
comments are written (for `# stagelint: ignore` suppressions). Discovery, the engine, the checker,
the decoders and the tests all read this table; nothing else matches file names.
"""

from __future__ import annotations

from typing import Literal

from stagelint.records import dataclass


@dataclass(frozen=True, slots=True)
class InputFormat:
    """One kind of file stagelint reads."""

    name: Literal["yaml", "json", "terraform"]
    suffixes: tuple[str, ...]  # lower case; a name matches whatever its case (`MAIN.TF` is a .tf file)
    unit: Literal["document", "module"]  # a document is read alone; a module file with its directory
    decoder: str  # the module that reads it, imported lazily
    # Comment leaders for inline suppressions; () where the syntax has no comments (JSON).
    comments: tuple[str, ...]
    # A document that names none of these keys literally holds no stages, and is skipped unparsed
    # (package.json, CI pipelines, Kubernetes manifests). () for module files: always parsed.
    sniff: tuple[str, ...]
    dialects: tuple[str, ...]  # what users call the formats found in such files (`examples/` folders)

    def may_hold_stages(self, text: str) -> bool:
        return not self.sniff or any(key in text for key in self.sniff)


_DOCUMENT_KEYS = ("Resources", "stages", "AWSTemplateFormatVersion", "planned_values", "resource_changes",
                  "format_version")

# Order matters: the first format whose suffix matches wins (`.tf.json` before `.json`).
FORMATS: tuple[InputFormat, ...] = (
    InputFormat("terraform", (".tf", ".tf.json"), "module", "stagelint.decoders.terraform", ("#", "//"), (),
                ("terraform", "terraform-json")),
    InputFormat("json", (".json",), "document", "stagelint.decoders.documents", (), _DOCUMENT_KEYS,
                ("cloudformation-json", "cdk", "terraform-plan")),
    InputFormat("yaml", (".yaml", ".yml", ".template"), "document", "stagelint.decoders.documents", ("#",),
                _DOCUMENT_KEYS, ("plain", "cloudformation", "sam")),
)


def format_for(path: str) -> InputFormat | None:
    """The format a path is read as, from its name alone; None: not a file stagelint reads."""
    lowered = path.lower()
    for input_format in FORMATS:
        if lowered.endswith(input_format.suffixes):
            return input_format
    return None


def format_named(name: str) -> InputFormat:
    """The row of `FORMATS` called `name` (`yaml`, `json`, `terraform`)."""
    for input_format in FORMATS:
        if input_format.name == name:
            return input_format
    raise KeyError(name)


def is_module_file(path: str) -> bool:
    """A Terraform configuration file (`.tf`, `.tf.json`, any case): read with its whole directory."""
    found = format_for(path)
    return found is not None and found.unit == "module"


def is_variables_file(path: str) -> bool:
    """A Terraform variable-values file (`.tfvars`, `.tfvars.json`, any case): it belongs to the module
    of its directory, whose stages take their values from it (`terraform.tfvars`, `*.auto.tfvars`)."""
    return path.lower().endswith((".tfvars", ".tfvars.json"))


def is_json(path: str) -> bool:
    """Written in JSON syntax (`.json`, `.tf.json`, `.tfvars.json`), any case."""
    return path.lower().endswith(".json")
