"""`stagelint inventory`: every stage with its environment, settings and estimated cache cost."""

from __future__ import annotations

import sys
from typing import Any

import click

from stagelint.cli.audit import audit_options, audit_run, emit_audit


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: SL000, not a usage error
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the inventory to FILE.")
@audit_options
def inventory(paths: tuple[str, ...], output_format: str, output: str | None, **audit: Any) -> None:
    """List every stage in PATHS with its environment, settings and estimated cache cost (an audit view)."""
    from stagelint.inventory import RENDERERS

    region = audit["region"]
    report, _, _ = audit_run(paths or (".",), audit)
    if output_format == "text":
        from stagelint.cli.common import terminal_width
        from stagelint.inventory import render_text

        text = render_text(report, region, None if output else terminal_width())
    else:
        text = RENDERERS[output_format](report, region)
    emit_audit(text, output, paths, report)
    sys.exit(2 if report.has_input_errors else 0)
