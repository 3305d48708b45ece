"""The inventory as an HTML table: the same rows and columns as `stagelint inventory --format csv`
(`inventory.FIELDS`, unknowns as `?`), sortable by a click on a header and filtered by a text box
(the page's script). A numeric cell carries its number in `data-sort`, so 10 sorts after 9; an
unknown one carries none and sorts last; the reason an unknown cost is unknown is its tooltip."""

from __future__ import annotations

from typing import Any

from stagelint.formatters.html.markup import esc
from stagelint.inventory import FIELDS, csv_rows, records
from stagelint.report import Report

# Where a record says why one of its fields is unknown (JSON: `null` plus the reason).
REASON_FIELDS = {"estimated_monthly_cost": "cost_reason"}


def _heading(field: str) -> str:
    return field.replace("_", " ")


def _sort_value(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return repr(value)


def _cell(field: str, shown: str, record: dict[str, Any]) -> str:
    value = record.get(field)
    attributes = ""
    sort = _sort_value(value)
    if sort is not None:
        attributes += f" data-sort=\"{esc(sort)}\""
        if field == "estimated_monthly_cost":
            shown = f"{value:,.2f}"
    reason = record.get(REASON_FIELDS.get(field, f"{field}_reason"))
    if value is None and isinstance(reason, str):
        attributes += f" title=\"{esc(reason)}\""
    css = "unknown" if shown == "?" else ("num" if sort is not None else "")
    if field in ("location", "path"):
        css = "path"
    if css:
        attributes += f" class=\"{css}\""
    return f"<td{attributes}>{esc(shown)}</td>"


def section(report: Report) -> str:
    shown_rows = csv_rows(report)
    raw_rows = records(report)
    header = "".join(f"<th scope=\"col\"><button type=\"button\">{esc(_heading(field))}</button></th>"
                     for field in FIELDS)
    body = []
    for index, (shown, record) in enumerate(zip(shown_rows, raw_rows, strict=True)):
        cells = "".join(_cell(field, shown[field], record) for field in FIELDS)
        body.append(f"<tr data-index=\"{index}\">{cells}</tr>")
    return (
        "<section id=\"inventory\"><h2>Inventory</h2>"
        "<p class=\"note\">One row per stage, the columns of <code>stagelint inventory --format csv</code>; "
        "<code>?</code>: no value (hover a cost for why). Click a header to sort, type to filter.</p>"
        "<p class=\"controls\"><label>Filter <input type=\"search\" id=\"filter\" "
        "placeholder=\"stage, path, environment…\" autocomplete=\"off\"></label> "
        f"<span id=\"shown\">{len(body)}</span> of {len(body)} stages shown</p>"
        f"<div class=\"scroll\"><table id=\"stages\"><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )
