"""The HTML report's building blocks: escaping, a little Markdown (the rule docs), and SVG bar charts.

Everything that comes from a linted file, the command line or the configuration is user-controlled
text. `esc` first makes control, bidi and surrogate characters visible escapes (`printable`, as every
human format does), then HTML-escapes it with quotes, so it is inert both in element content and in
attribute values. No other function here puts text into the page unescaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from stagelint.formatters.escape import printable


def esc(text: object) -> str:
    """`text` as safe HTML text or attribute value."""
    return html.escape(printable(str(text)), quote=True)


def anchor(text: str) -> str:
    """An id made of `text`'s letters and digits (ids must not need escaping)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower() or "x"


def _inline(text: str) -> str:
    """One Markdown line: `code` spans become <code>, the rest is escaped text."""
    parts = re.split(r"(`[^`]+`)", text)
    return "".join(f"<code>{esc(part[1:-1])}</code>" if part.startswith("`") and part.endswith("`") and len(part) > 1
                   else esc(part) for part in parts)


def _code_block(lines: list[str]) -> str:
    # Line by line: `esc` shows a newline inside a value as `\x0a`, and these are real line breaks.
    return "<pre class=\"doc\"><code>" + "\n".join(esc(line.replace("\t", "    ")) for line in lines) + "</code></pre>"


def markdown(text: str) -> str:
    """The rule docs' Markdown subset: paragraphs, `- ` lists, fenced code blocks and `code` spans."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if paragraph:
            out.append("<p>" + _inline(" ".join(paragraph)) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        if code is not None:
            if line.startswith("```"):
                out.append(_code_block(code))
                code = None
            else:
                code.append(line)
        elif line.startswith("```"):
            flush()
            code = []
        elif not line.strip():
            flush()
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            paragraph.append(line.strip())
    if code is not None:  # an unclosed fence still shows its code
        out.append(_code_block(code))
    flush()
    return "\n".join(out)


def money(amount: float) -> str:
    return f"${amount:,.2f}"


BAR_HEIGHT = 16
BAR_GAP = 4
LABEL_WIDTH = 110
BAR_WIDTH = 130
VALUE_WIDTH = 100


def bar_chart(title: str, bars: Sequence[tuple[str, float, str]], css_class: str = "") -> str:
    """A small horizontal bar chart as inline SVG: one (label, value, shown value) per bar, in order.
    Bars are scaled to the largest value; the numbers are printed beside them, so the chart is
    readable in black and white and by a screen reader (the <title> and the text are real text)."""
    if not bars:
        return f"<figure class=\"chart\"><figcaption>{esc(title)}</figcaption><p class=\"empty\">none</p></figure>"
    largest = max(value for _, value, _ in bars) or 1.0
    height = len(bars) * (BAR_HEIGHT + BAR_GAP)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    rows = []
    for index, (label, value, shown) in enumerate(bars):
        top = index * (BAR_HEIGHT + BAR_GAP)
        length = round(BAR_WIDTH * value / largest, 1) if value > 0 else 0
        middle = top + BAR_HEIGHT / 2
        short = label if len(label) <= 18 else label[:17] + "…"
        rows.append(
            f"<g><title>{esc(label)}: {esc(shown)}</title>"
            f"<text x=\"{LABEL_WIDTH - 6}\" y=\"{middle}\" text-anchor=\"end\" dominant-baseline=\"central\">"
            f"{esc(short)}</text>"
            f"<rect class=\"bar {esc(anchor(label))}\" x=\"{LABEL_WIDTH}\" y=\"{top}\" width=\"{length}\" "
            f"height=\"{BAR_HEIGHT}\" rx=\"2\"></rect>"
            f"<text x=\"{LABEL_WIDTH + length + 4}\" y=\"{middle}\" dominant-baseline=\"central\">"
            f"{esc(shown)}</text></g>"
        )
    return (f"<figure class=\"chart {esc(css_class)}\"><figcaption>{esc(title)}</figcaption>"
            f"<svg role=\"img\" aria-label=\"{esc(title)}\" "
            f"viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
            + "".join(rows) + "</svg></figure>")
