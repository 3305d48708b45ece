"""The commonest HCL lines read from their bytes, not from tree-sitter's nodes below them.

Most attributes in real modules are one line, `name = "text"`, a number, a bool or `a.b.c`, and most
block headers are `type "label" "label" {`. Converting them node by node made a Python object for
each of the ~6 tree-sitter nodes under every one (most of the conversion of a 5,000-stage module).
Here one regular expression over the node's bytes gives the same `syntax` values: only in an ASCII
file (byte columns are code-point columns) and only when the whole text matches; anything else
(escapes, interpolations, `%{`, keywords, comments, more than one line) is converted node by node.
`tests/test_hcl_text.py` checks that both ways agree on every attribute and block of the corpus.

`simple_body` goes one step further for a chunk of a large file (`hcl._in_chunks`) made only of such
lines, block ends, blank lines and whole-line comments, as generated modules are: it is read line by
line, without tree-sitter (whose parse was a quarter of a 5,000-stage module's run). Any other line
and the chunk is parsed by tree-sitter, as is every file below `hcl.CHUNK_BYTES`.
"""

from __future__ import annotations

import re

from stagelint.decoders.terraform.syntax import Attribute, Block, Body, Expression, Literal, Reference
from stagelint.positions import SourcePosition

_NAME = rb"[A-Za-z_][A-Za-z0-9_-]*"
# One line, the whole attribute: `name = value`, the value a string without escapes, interpolations
# or directives, a decimal number, a keyword literal, or a traversal of names.
_ATTRIBUTE = re.compile(
    rb"(" + _NAME + rb")[ \t]*=[ \t]*(?:"
    rb'"([^"\\$%\r\n]*)"'  # 2: a plain string
    rb"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)"  # 3: a number
    rb"|(true|false|null)"  # 4: a keyword literal
    rb"|(" + _NAME + rb"(?:\." + _NAME + rb")*))"  # 5: a traversal
)
# A block's header up to its `{`: the type and plain string labels, on one line.
_HEADER = re.compile(rb"(" + _NAME + rb")((?:[ \t]+\"[^\"\\$%\r\n]*\")*)[ \t]*\{")
_LABEL = re.compile(rb'"([^"]*)"')
_KEYWORDS = {"true": True, "false": False, "null": None}
# Names that are keywords somewhere in HCL: a traversal starting with one is left to the nodes.
_RESERVED = frozenset({"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"})


def attribute(data: bytes, start: int, end: int, path: str, line: int, column: int) -> Attribute | None:
    """The attribute written in `data[start:end]` from 1-based `line` and `column`, or None when it is
    not one of the simple forms."""
    match = _ATTRIBUTE.fullmatch(data, start, end)
    if match is None:
        return None
    form = match.lastindex or 0  # the value's group: exactly one of 2 to 5 matched
    value_start = match.start(form) - (form == 2)  # a string's span takes its opening quote
    text = data[value_start:end].decode("ascii")
    span = SourcePosition(path, line, column + value_start - start, line, column + end - start)
    value: Expression
    if form == 2:
        value = Literal(text[1:-1], span, text)
    elif form == 3:
        value = Literal(float(text) if "." in text else int(text), span, text)
    elif form == 4:
        value = Literal(_KEYWORDS[text], span, text)
    else:
        parts = text.split(".")
        if parts[0] in _RESERVED:
            return None
        value = Reference(tuple(parts), span, text)
    name_end = match.end(1)
    return Attribute(data[start:name_end].decode("ascii"),
                     SourcePosition(path, line, column, line, column + name_end - start), value)


Header = tuple[str, tuple[str, ...], int]  # a block's type, its labels, and where its `{` ends


def header(data: bytes, start: int) -> Header | None:
    """A block header at `start`: its type, its labels and how many bytes from `start` its `{` ends
    (where the block's span ends); None when it is not one line of plain labels."""
    match = _HEADER.match(data, start)
    if match is None:
        return None
    labels = tuple(label.decode("ascii") for label in _LABEL.findall(match.group(2)))
    return match.group(1).decode("ascii"), labels, match.end() - start


def simple_body(data: bytes, path: str, first_line: int, max_depth: int) -> Body | None:
    """The body of `data` (ASCII, whole lines, its first on line `first_line`) when every line is an
    attribute `attribute` reads, a block header `header` reads ending the line, a lone `}`, blank or a
    `#`/`//` comment, and the blocks balance within `max_depth` levels; None otherwise."""
    top = Body()
    open_blocks: list[Body] = []
    body = top
    start = 0
    line = first_line
    for text in data.split(b"\n"):
        end = start + len(text)
        stripped = text.strip(b" \t")
        if not stripped or stripped[:1] == b"#" or stripped[:2] == b"//":
            pass  # blank, or a comment to the line's end
        elif stripped == b"}":
            if not open_blocks:
                return None
            body = open_blocks.pop()
        else:
            indent = len(text) - len(text.lstrip(b" \t"))
            item_end = start + indent + len(stripped)
            if stripped[-1:] == b"{":
                read = header(data, start + indent)
                if read is None or start + indent + read[2] != item_end or len(open_blocks) >= max_depth:
                    return None
                block_type, labels, length = read
                column = indent + 1
                inner = Body()
                body.blocks.append(Block(block_type, labels, inner,
                                         SourcePosition(path, line, column, line, column + length)))
                open_blocks.append(body)
                body = inner
            else:
                attribute_read = attribute(data, start + indent, item_end, path, line, indent + 1)
                if attribute_read is None:
                    return None
                body.attributes.append(attribute_read)
        start = end + 1
        line += 1
    return top if not open_blocks else None
