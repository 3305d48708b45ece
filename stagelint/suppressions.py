"""Inline suppressions: `# stagelint: ignore[SL102] reason` comments in YAML and HCL files.

Forms (rule ids or names, comma-separated; the text after the bracket is the reason):

- `# stagelint: ignore[SL102] legacy size, see TICKET-1` at the end of the offending line, or alone
  on the line(s) above it (it then applies to the next line that is not a comment or blank);
- `# stagelint: ignore-file[SL002]` anywhere in the file: for the whole file;
- bare `# stagelint: ignore` / `# stagelint: ignore-file`: every rule (use sparingly).

HCL also accepts `//` comments. JSON has no comments: use `per-file-ignores`, the baseline, or (for
CloudFormation) the resource's `Metadata: {stagelint: {ignore: [...]}}`. Parse errors (SL000) cannot
be suppressed. This module only finds the comments; `style_guide.StyleGuide.apply` decides what they
suppress, and reports a comment (or a rule named in one) that matches nothing as SL900
unused-suppression when that rule is enabled (it is off by default), and a rule name that does not
exist as SL901 suppression-unknown-rule (on by default).

Comments are scanned by the decoders while they hold the text (`decoders/documents.py`,
`decoders/terraform/module.py`), never by reading a file again; a substring check for `stagelint:`
skips texts without any suppression before any scanning. Which files have comments at all comes
from the format table (`decoders.FORMATS`).
"""

from __future__ import annotations

import re

from stagelint.findings import UNSUPPRESSIBLE, Finding
from stagelint.positions import SourcePosition
from stagelint.records import dataclass

MARKER = "stagelint:"
_DIRECTIVE = (
    r"^(?:#|//)\s*stagelint:\s*(?P<kind>ignore-file|ignore)(?![\w-])"
    r"(?:\[(?P<codes>[^\]]*)\])?\s*(?P<reason>.*?)\s*$"
)


@dataclass(frozen=True, slots=True)
class Suppression:
    position: SourcePosition  # the comment itself
    codes: tuple[str, ...]  # rule ids (upper-cased) or names; empty: every rule
    reason: str
    target_line: int | None  # None: the whole file

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id in UNSUPPRESSIBLE:
            return False
        if self.target_line is not None and finding.position.line != self.target_line:
            return False
        return not self.codes or finding.rule_id in self.codes or finding.rule_name in self.codes

    @property
    def label(self) -> str:
        kind = "ignore" if self.target_line is not None else "ignore-file"
        return f"{kind}[{','.join(self.codes)}]" if self.codes else kind


# Line breaks as each parser counts them, so that a comment's line is the finding's line: YAML
# (ruamel) also breaks at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR and a lone CR; tree-sitter's
# rows (HCL) break at LF only, so a form feed, VT or U+2028 in an earlier comment shifts nothing.
_YAML_LINES = r"\r\n|[\n\r\x85\u2028\u2029]"  # compiled on first use (re's cache): most files have no suppression


def _lines(text: str, hcl: bool) -> list[str]:
    if hcl:
        return [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")]
    return re.split(_YAML_LINES, text.removesuffix("\n").removesuffix("\r"))


def _opens_quote(line: str, index: int, slashes: bool) -> bool:
    """Whether the quote at `index` starts a quoted string. HCL has only `"…"`. In YAML a quote
    starts a scalar only where a value starts (line start, after `: `, `- `, `? `, `[`, `{`, `,`, a
    tag or an anchor); elsewhere it is a character of a plain scalar (`name: it's.bad`)."""
    if slashes:
        return line[index] == '"'
    before = line[:index].rstrip()
    if not before or before[-1] in "[{,":
        return True
    if before[-1] in ":-?" and index > len(before):  # the indicator is followed by a space
        return True
    last = before.split()[-1]
    return last.startswith(("!", "&"))


def _comment_start(line: str, slashes: bool) -> int | None:
    """Where a comment starts on `line` (outside quotes), or None. `#` (and `//` for HCL) must start
    the line or follow whitespace, as YAML requires, so `a#b` and URLs stay values."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'" and _opens_quote(line, index, slashes):
            quote = char
        elif (char == "#" or (slashes and line.startswith("//", index))) and (index == 0 or line[index - 1].isspace()):
            return index
        index += 1
    return None


def scan(path: str, text: str, hcl: bool) -> list[Suppression]:
    """Every suppression comment in `text` (a YAML file, or HCL when `hcl`)."""
    if MARKER not in text:
        return []
    lines = _lines(text, hcl)
    found: list[Suppression] = []
    pending: list[tuple[int, int, re.Match[str], str]] = []  # own-line comments waiting for their line
    for number, line in enumerate(lines, start=1):
        start = _comment_start(line, hcl)
        own_line = start is not None and not line[:start].strip()
        if not line.strip() or (own_line and start is not None and MARKER not in line[start:]):
            continue  # blank and ordinary comment lines do not end a pending suppression's search
        if start is not None and MARKER in line[start:]:
            comment = line[start:]
            match = re.match(_DIRECTIVE, comment)
            if match is not None:
                if match.group("kind") == "ignore-file":
                    found.append(_suppression(path, number, start, comment, match, None))
                elif own_line:
                    pending.append((number, start, match, comment))
                else:
                    found.append(_suppression(path, number, start, comment, match, number))
            if own_line:
                continue
        for comment_line, comment_start, match, comment in pending:
            found.append(_suppression(path, comment_line, comment_start, comment, match, number))
        pending = []
    for comment_line, comment_start, match, comment in pending:  # nothing below: applies to nothing
        found.append(_suppression(path, comment_line, comment_start, comment, match, comment_line + 1))
    return found


def _suppression(path: str, line: int, start: int, comment: str, match: re.Match[str],
                 target: int | None) -> Suppression:
    codes = tuple(code.strip() for code in (match.group("codes") or "").split(",") if code.strip())
    normalized = tuple(code.upper() if re.fullmatch(r"[A-Za-z]{1,5}\d{1,4}", code) else code for code in codes)
    end = start + len(comment.rstrip())
    position = SourcePosition(path, line, start + 1, line, end + 1)
    return Suppression(position, normalized, match.group("reason"), target)
