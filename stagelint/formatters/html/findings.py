"""The findings, grouped by rule (most severe first): the rule's why and fix once from its docs, then
each finding with its source snippet and the value's origin chain (the positions it came from).

Source lines are read again from the files, each file at most once, as the `full` format does; a
file that cannot be read again shows the finding without a snippet. A very long line (minified
JSON) is shown as a window around the value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from stagelint.findings import Finding
from stagelint.formatters.html.markup import anchor, esc, markdown
from stagelint.positions import SourcePosition
from stagelint.registry import RuleSet

CONTEXT_LINES = 1  # lines shown above and below the value's line
WINDOW = 160  # characters of a long line shown around the value


class SourceLines:
    """Lines of the linted files, read once each (None: the file cannot be read any more)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._files:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8-sig", errors="surrogateescape")
                self._files[path] = [row.rstrip("\r").replace("\t", "    ") for row in text.split("\n")]
            except OSError:
                self._files[path] = None
        return self._files[path]


def _window(text: str, start: int, end: int) -> tuple[str, int, int, bool, bool]:
    """`text` cut to about WINDOW characters around [start, end): (text, start, end, cut left, cut right)."""
    if len(text) <= WINDOW:
        return text, start, end, False, False
    left = max(0, min(start - WINDOW // 4, len(text) - WINDOW))
    right = min(len(text), left + WINDOW)
    return text[left:right], start - left, min(end, right) - left, left > 0, right < len(text)


def snippet(position: SourcePosition, sources: SourceLines) -> str:
    """The value's line with a line or so around it, the value itself marked."""
    rows = sources.lines(position.path)
    if rows is None or not 1 <= position.line <= len(rows):
        return ""
    first = max(1, position.line - CONTEXT_LINES)
    last = min(len(rows), position.line + CONTEXT_LINES)
    out = []
    for number in range(first, last + 1):
        text = rows[number - 1]
        if number == position.line:
            start = max(position.column - 1, 0)
            end = position.end_column - 1 if position.end_line == position.line else len(text)
            end = max(end, start + 1)
            text, start, end, cut_left, cut_right = _window(text, start, end)
            body = (("…" if cut_left else "") + esc(text[:start]) + "<mark>" + esc(text[start:end]) + "</mark>"
                    + esc(text[end:]) + ("…" if cut_right else ""))
            out.append(f"<span class=\"line hit\"><span class=\"gutter\">{number}</span>{body}</span>")
        else:
            text, _, _, cut_left, cut_right = _window(text, 0, 0)
            out.append(f"<span class=\"line\"><span class=\"gutter\">{number}</span>{esc(text)}"
                       f"{'…' if cut_right else ''}</span>")
    return "<pre class=\"snippet\">" + "".join(out) + "</pre>"  # each line is a block: no newline needed


def _where(position: SourcePosition) -> str:
    return f"{position.path}:{position.line}:{position.column}"


def finding_block(finding: Finding, sources: SourceLines) -> str:
    stage = f" <span class=\"stage\">stage {esc(finding.stage)}</span>" if finding.stage else ""
    parts = [f"<article class=\"finding {finding.severity.value}\">",
             f"<p class=\"head\"><span class=\"sev {finding.severity.value}\">{finding.severity.value}</span> "
             f"<span class=\"path\">{esc(_where(finding.position))}</span>{stage}</p>",
             f"<p class=\"message\">{esc(finding.message)}</p>",
             snippet(finding.position, sources)]
    if finding.related:
        parts.append("<ol class=\"origin\" aria-label=\"where the value comes from\">")
        for expression, origin in finding.related:
            parts.append(f"<li>value from <code>{esc(expression)}</code>, at "
                         f"<span class=\"path\">{esc(_where(origin))}</span>{snippet(origin, sources)}</li>")
        parts.append("</ol>")
    parts.append("</article>")
    return "".join(parts)


def _fix(example: str) -> str:
    """The "Use instead:" part of a rule doc's Example section (the fix), or "" when it has none."""
    _, found, after = example.partition("Use instead:")
    return after.strip() if found else ""


def _rule_docs(rule_id: str, rules: RuleSet) -> str:
    spec = rules.get(rule_id)
    if spec is None:
        return ""
    doc = spec.doc
    why = doc.section("Why is this bad?")
    fix = _fix(doc.section("Example"))
    parts = [f"<p class=\"summary\">{esc(doc.summary)}</p>"]
    if why:
        parts.append(f"<div class=\"why\"><h4>Why is this bad?</h4>{markdown(why)}</div>")
    if fix:
        parts.append(f"<details class=\"fix\"><summary>Fix (use instead)</summary>{markdown(fix)}</details>")
    if spec.help_uri:
        parts.append(f"<p class=\"docs\">Documentation: <code>{esc(spec.help_uri)}</code>"
                     f" (or <code>stagelint explain {esc(spec.id)}</code>)</p>")
    return "".join(parts)


def section(findings: Sequence[Finding], rules: RuleSet) -> str:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule_id].append(finding)
    order = sorted(by_rule, key=lambda rule_id: (-max(f.severity.rank for f in by_rule[rule_id]), rule_id))
    sources = SourceLines()
    parts = [f"<section id=\"findings\"><h2>Findings ({len(findings)})</h2>"]
    if not findings:
        parts.append("<p class=\"empty\">No finding.</p>")
    if order:
        parts.append("<nav class=\"toc\"><ul>" + "".join(
            f"<li><a href=\"#rule-{anchor(rule_id)}\">{esc(rule_id)}</a> {esc(by_rule[rule_id][0].rule_name)} "
            f"<span class=\"count\">{len(by_rule[rule_id])}</span></li>" for rule_id in order) + "</ul></nav>")
    for rule_id in order:
        group = by_rule[rule_id]
        parts.append(f"<section class=\"rule\" id=\"rule-{anchor(rule_id)}\">"
                     f"<h3>{esc(rule_id)} {esc(group[0].rule_name)} <span class=\"count\">{len(group)}</span></h3>")
        parts.append(_rule_docs(rule_id, rules))
        parts += [finding_block(finding, sources) for finding in group]
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)
