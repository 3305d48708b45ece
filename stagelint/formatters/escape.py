"""Values from the linted files (stage names, paths, messages quoting them) are shown escaped.

A stage name is attacker-controlled text: printed raw, an ESC or OSC sequence drives the terminal,
a CR overwrites the line, an LF forges a whole finding line or a fake "All clear", bidi controls
reorder what a reviewer reads (Trojan Source), and NUL, ESC or BEL make JUnit invalid XML. Every human
format shows such characters as Python-style escapes (`\\x1b`, `\\u202e`); JSON and SARIF keep the
value but write those characters as JSON `\\u` escapes (`json_safe`), so the bytes are inert while a
parser still reads the original string.
"""

from __future__ import annotations

import re

# C0 controls (TAB included: it would break column-aligned output), DEL, C1 controls, the
# Unicode line and paragraph separators, bidi embeddings/overrides/isolates and marks, lone
# surrogates, and the two noncharacters XML 1.0 forbids.
_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
# Sources, compiled on first use by `re`'s cache (~1.5 ms: the ranges are wide), which plain text never
# needs: every character above is one `str.isprintable` rejects (Cc, Cf, Zl, Zp, Cs, Cn).
_UNSAFE = f"[\x00-\x1f{_OTHERS}]"
# json.dumps escapes C0 controls inside strings itself; raw LFs left in its output are indentation.
_UNSAFE_IN_JSON = f"[{_OTHERS}]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, bidi and surrogate character written as a visible escape."""
    return text if text.isprintable() else re.sub(_UNSAFE, _escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(document: str) -> str:
    """A JSON text (from `json.dumps(..., ensure_ascii=False)`) with the same unsafe characters as JSON
    escapes: the parsed value is unchanged (a lone surrogate stays one), the bytes are terminal-safe and
    always encodable as UTF-8. JSON strings already escape C0 controls; this adds the rest."""
    return re.sub(_UNSAFE_IN_JSON, _json_escape, document)
