"""What a decoder may be told by the user: limits, Terraform variables, CloudFormation parameters.

Frozen and made of plain data, so it can be sent to worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from stagelint.decoders.limits import DEFAULT_LIMITS, Limits


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """What decoders may be told beyond the file itself."""

    limits: Limits = DEFAULT_LIMITS
    # Terraform: extra `.tfvars` files (--var-file) and `--var NAME=VALUE` pairs, applied in that order.
    terraform_var_files: tuple[str, ...] = ()
    terraform_vars: tuple[tuple[str, str], ...] = ()
    # CloudFormation: `--parameter Key=Value` pairs and parameter files (JSON list or mapping).
    cloudformation_parameters: tuple[tuple[str, str], ...] = ()
    cloudformation_parameter_files: tuple[str, ...] = ()


DEFAULT_OPTIONS = DecodeOptions()
