"""The report's inline style sheet and script. Nothing is loaded from anywhere: no font, image or
script URL, and the page's Content-Security-Policy allows only these two inline blocks (the script by
its hash), so even a value that escaped escaping could not run or fetch anything."""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa;
  --error: #b42318; --warning: #9a6700; --info: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 0 24px 48px; max-width: 1280px; }
header { border-bottom: 2px solid var(--fg); padding: 16px 0 8px; margin-bottom: 8px; }
h1 { font-size: 22px; margin: 0; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 13px; margin: 8px 0 2px; }
nav.sections a { margin-right: 14px; color: var(--info); text-decoration: none; }
code, pre, .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.path { word-break: break-all; color: var(--muted); }
.note, .empty { color: var(--muted); } .count { color: var(--muted); font-weight: normal; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; min-width: 90px;
  background: var(--soft); }
.tile .number { display: block; font-size: 18px; font-weight: 600; }
.tile.error .number { color: var(--error); } .tile.warning .number { color: var(--warning); }
.tile.info .number { color: var(--info); } .tile.unknown .number { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 8px 28px; }
figure.chart { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font-size: 11px; fill: var(--fg); } rect.bar { fill: #8c959f; }
rect.bar.error { fill: var(--error); } rect.bar.warning { fill: #d4a72c; } rect.bar.info { fill: var(--info); }
rect.bar.prod { fill: #cf222e; } rect.bar.staging { fill: #bf8700; } rect.bar.dev { fill: #2da44e; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; white-space: nowrap; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
#stages td.path { white-space: nowrap; word-break: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.unknown { color: var(--muted); text-align: center; }
tbody tr:nth-child(even) { background: #fafbfc; }
.scroll { overflow-x: auto; }
.controls input { font: inherit; padding: 3px 6px; width: 280px; }
details.reason { margin: 4px 0; } details.reason ul { margin: 4px 0 8px; padding-left: 20px; }
details.reason li { margin: 2px 0; }
nav.toc ul { columns: 3; list-style: none; padding: 0; } nav.toc a { color: var(--info); }
section.rule { border-top: 1px solid var(--line); margin-top: 14px; }
.why p, .fix p { margin: 4px 0; } pre.doc { background: var(--soft); padding: 6px 8px; overflow-x: auto; }
article.finding { border-left: 4px solid var(--line); padding: 2px 0 2px 10px; margin: 10px 0; break-inside: avoid; }
article.finding.error { border-color: var(--error); } article.finding.warning { border-color: #d4a72c; }
article.finding.info { border-color: var(--info); }
article.finding p { margin: 2px 0; } .stage { color: var(--muted); margin-left: 8px; }
.sev { font-size: 11px; font-weight: 600; text-transform: uppercase; padding: 0 4px; border-radius: 3px; color: #fff; }
.sev.error { background: var(--error); }
.sev.warning { background: var(--warning); }
.sev.info { background: var(--info); }
pre.snippet { background: var(--soft); border: 1px solid var(--line); padding: 4px 0; margin: 4px 0; overflow-x: auto; }
pre.snippet .line { display: block; padding: 0 8px; white-space: pre; } pre.snippet .hit { background: #fff8c5; }
.gutter { display: inline-block; min-width: 4ch; color: var(--muted); text-align: right; margin-right: 10px;
  user-select: none; }
mark { background: #ffd8b5; border-bottom: 2px solid var(--error); }
ol.origin { margin: 4px 0; padding-left: 22px; }
.unjustified { color: var(--error); font-weight: 600; }
.warning { border: 2px solid var(--error); color: var(--error); padding: 6px 10px; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; word-break: break-word; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10px; }
  nav.sections, .controls, nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; } h3 { break-after: avoid; } tr, .tile, figure.chart { break-inside: avoid; }
  thead { display: table-header-group; } thead th { position: static; }
  .scroll { overflow: visible; }
  table { font-size: 8px; }
  pre.snippet, pre.doc { white-space: pre-wrap; overflow: visible; }
  pre.snippet .line { white-space: pre-wrap; }
  #stages td.path { white-space: normal; word-break: break-all; width: 40%; }
  table .path, table code { font-size: 8px; }
  details::details-content { content-visibility: visible; display: block; }
  section { break-inside: auto; }
}
"""

# Sorting and filtering the inventory table, and opening every <details> before printing.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("stages");
  var filter = document.getElementById("filter");
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  if (!table) { return; }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, column) {
    var cell = row.cells[column];
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  }
  function sortBy(column) {
    var header = headers[column];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.some(function (r) { return r.cells[column].hasAttribute("data-sort"); });
    rows.sort(function (a, b) {
      var x = key(a, column), y = key(b, column), order;
      if (numeric) {
        var u = a.cells[column].hasAttribute("data-sort"), v = b.cells[column].hasAttribute("data-sort");
        if (u !== v) { return u ? -1 : 1; }  /* unknown values last, either way */
        order = u ? Number(x) - Number(y) : 0;
      } else {
        order = x.localeCompare(y);
      }
      if (!ascending) { order = -order; }
      return order || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  headers.forEach(function (header, column) {
    header.addEventListener("click", function () { sortBy(column); });
  });
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    document.getElementById("shown").textContent = String(shown);
  });
})();
"""


def script_hash() -> str:
    """The CSP source that allows exactly SCRIPT (`'sha256-…'`)."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
