"""The attributes and block headers `hcl_text` reads from their bytes convert exactly as tree-sitter's nodes
do: on every Terraform file of the corpus, the fixtures and the examples, on a generated module, and on
randomized one-line attributes (strings, numbers, keywords and traversals next to what must not be read
that way)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from stagelint.decoders.terraform import hcl, hcl_text
from stagelint.decoders.terraform.hcl_positions import Positions
from stagelint.decoders.terraform.syntax import Attribute, Body, Literal, Reference
from stagelint.positions import SourcePosition
from tests.conftest import CORPUS, FIXTURES, REPO, generated


def _big_terraform(stages: int) -> str:
    return str(generated("big_terraform", stages))


def _node_by_node(text: str, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Body, object]:
    """`parse_hcl` with the byte fast path off: every attribute and block converted from its nodes."""
    original = Positions.__init__

    def without_fast_path(self: Positions, data: bytes, path: str) -> None:
        original(self, data, path)
        self.simple_columns = False

    with monkeypatch.context() as patch:
        patch.setattr(Positions, "__init__", without_fast_path)
        return hcl.parse_hcl(text, path)


def _read_from_bytes(text: str, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Body, object]:
    """`parse_hcl` with the byte fast path on whatever the file's size."""
    with monkeypatch.context() as patch:
        patch.setattr(hcl, "READ_FROM_BYTES_AT", 0)
        return hcl.parse_hcl(text, path)


def _files() -> list[Path]:
    roots = [CORPUS, FIXTURES, REPO / "examples", REPO / "tests"]
    return sorted(path for root in roots if root.is_dir() for suffix in ("*.tf", "*.tfvars")
                  for path in root.rglob(suffix))


def test_every_terraform_file_converts_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files()
    assert len(files) > 50
    read_fast = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        fast = _read_from_bytes(text, str(path), monkeypatch)
        assert fast == _node_by_node(text, str(path), monkeypatch), path
        read_fast += text.isascii() and not fast[1]
    assert read_fast > 50  # the fast path was taken, not only skipped


def test_a_generated_module_converts_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _big_terraform(40)
    assert len(text.encode()) > hcl.READ_FROM_BYTES_AT  # the size a run reads from bytes by itself
    fast = hcl.parse_hcl(text, "main.tf")
    assert fast[1] is None and len(fast[0].blocks) == 120
    assert fast == _node_by_node(text, "main.tf", monkeypatch)


_VALUES = ['"plain"', '""', '"a b/c*d"', '"with $ sign"', '"${var.x}"', '"%{if x}y%{endif}"', '"a\\"b"',
           '"\\u00e9"', "0", "12", "-1", "-0", "1.5", "-2.25", "007", "1e3", "0x10", "true", "false", "null",
           "nul", "var.size", "aws_api_gateway_stage.prod.stage_name", "a-b", "a.b-c.d", "true.x", "null.y",
           "x[0]", "x.0", "local.m[\"k\"]", "for", "in", "if", "f(1)", "[1, 2]", "{ a = 1 }", "a ? b : c",
           "- 1", "1 + 2", "!true", "var.x # note", "var.x // note", "var.x /* c */"]
_NAMES = ["a", "stage_name", "cache-size", "_x", "A1"]
_INDENTS = ["", "  ", "\t"]


def test_randomized_attributes_convert_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    chooser = random.Random(15)
    valid = []
    for _ in range(400):
        spacing = chooser.choice([" = ", "=", "  =\t", " =  "])
        line = f"{chooser.choice(_INDENTS)}{chooser.choice(_NAMES)}{spacing}{chooser.choice(_VALUES)}\n"
        alone = _read_from_bytes(line, "t.tf", monkeypatch)
        assert alone == _node_by_node(line, "t.tf", monkeypatch), line
        if alone[1] is None:
            valid.append(line)
    assert len(valid) > 300
    body = "".join(valid)
    text = f'{body}resource "t" "n" {{\n{body}}}\nlocals {{ # c\n{body}}}\nx "a" b {{\n}}\ny {{}}\n'
    fast = _read_from_bytes(text, "t.tf", monkeypatch)
    assert fast[1] is None and len(fast[0].blocks) == 4
    assert fast == _node_by_node(text, "t.tf", monkeypatch)


def test_the_simple_forms_are_read_and_the_others_are_not() -> None:
    def read(line: str) -> object:
        data = line.encode()
        return hcl_text.attribute(data, 0, len(data), "t.tf", 3, 5)

    literal = read('name = "prod"')
    assert isinstance(literal, Attribute) and literal.value == Literal(
        "prod", SourcePosition("t.tf", 3, 12, 3, 18), '"prod"')
    assert literal.name_span == SourcePosition("t.tf", 3, 5, 3, 9)
    reference = read("id = aws_api_gateway_rest_api.api.id")
    assert isinstance(reference, Attribute) and isinstance(reference.value, Reference)
    assert reference.value.parts == ("aws_api_gateway_rest_api", "api", "id")
    for line in ('a = "${x}"', 'a = "x\\n"', "a = true.x", "a = x[0]", "a = 1e3", "a = f(1)", "a = x # c"):
        assert read(line) is None, line
    assert hcl_text.header(b'resource "a" "b" {\n', 0) == ("resource", ("a", "b"), 18)
    assert hcl_text.header(b"locals {", 0) == ("locals", (), 8)
    assert hcl_text.header(b'resource a "b" {', 0) is None


def _whole(text: str, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Body, object]:
    with monkeypatch.context() as patch:
        patch.setattr(hcl, "CHUNK_BYTES", 1 << 62)
        return hcl.parse_hcl(text, path)


def _chunked(text: str, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Body, object]:
    """Cut before every line that starts with a name (a chunk's first 8 bytes excepted)."""
    with monkeypatch.context() as patch:
        patch.setattr(hcl, "CHUNK_BYTES", 8)
        return hcl.parse_hcl(text, path)


_UNUSUAL_CUTS = [
    'x = <<EOT\nresource "a" "b" {\nname = 1\nEOT\nresource "c" "d" {}\n',  # a heredoc's lines
    'x = <<-EOT\n  a\nb = 2\n  EOT\ny = 1\n',
    'locals {\na = 1\nb = "two"\n}\nresource "t" "n" {\nc = local.a\n}\n',  # a block's unindented body
    "/* a comment\nresource over lines\n*/\nz = 3\n",
    "x = [\na,\nb\n]\ny = {\nk = 1\n}\n",
    "x = a ?\nb : c\ny = f(\nz)\n",
    'x = "${\nvar.a\n}"\ny = 1\n',
    'x = 1 # trailing\n# a comment line\ny = 2\n// another\nz = "é"\nw = "ü${v}"\n',
    'resource "a" "b" {\n  x = 1\n}\nresource "c" "d" {\n  y = [\nfor k in var.m : k\n  ]\n}\n',
    'x = "unterminated\ny = 2\n',  # a syntax error: reported the same either way
    "x = {\ny = 1\n",
    # what hcl_text.simple_body reads, and what it must leave to tree-sitter
    'a = 1\n# c\n// d\n\t\nresource "t" "n" {\n\tb = "x" \n  # e\n  inner {\n    c = true\n  }\n  empty {\n}\n}\n',
    'resource "t" "n" {\n  a = 1\n} # after\n',
    'x { a = 1 }\ny = 2\n',
    'x {\n  a = 1\n}\n}\n',
    'x "a" {\n  /* c */\n  b = 1\n}\n',
    'a = 1\r\nb = 2\r\n',
    *("".join(f"{'  ' * level}b{level} {{\n" for level in range(levels))  # around MAX_BLOCK_DEPTH
      + "".join(f"{'  ' * level}}}\n" for level in reversed(range(levels))) for levels in (32, 33, 34)),
    "a = 1\n/ oops\n",  # not a comment: a syntax error
    "x {\n  y = 1\n",  # an unclosed block
    "a = 1\n/x = 2\n",
    'x = "#"\ny = "//"\nz = "{"\nw = "}"\n',
]


def test_a_large_file_parsed_in_chunks_gives_what_the_whole_file_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in _files()]
    texts += [*_UNUSUAL_CUTS, _big_terraform(30)]
    read = {"lines": 0, "tree-sitter": 0}
    simple_body = hcl_text.simple_body

    def counting(*arguments: object) -> Body | None:
        body = simple_body(*arguments)  # type: ignore[arg-type]
        read["lines" if body is not None else "tree-sitter"] += 1
        return body

    monkeypatch.setattr(hcl_text, "simple_body", counting)
    cut = 0
    for text in texts:
        chunked = _chunked(text, "main.tf", monkeypatch)
        assert chunked == _whole(text, "main.tf", monkeypatch), text[:200]
        cut += chunked[1] is None and "\n" in text.strip()
    assert cut > 50
    assert read["lines"] > 300 and read["tree-sitter"] > 300, read  # both ways were taken, many times


def test_a_chunk_is_cut_only_before_a_line_starting_with_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bytes] = []
    simple_body = hcl_text.simple_body

    def recording(data: bytes, *arguments: object) -> Body | None:
        seen.append(data)
        return simple_body(data, *arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(hcl_text, "simple_body", recording)
    text = _big_terraform(3)
    _chunked(text, "main.tf", monkeypatch)
    assert b"".join(seen) == text.encode() and len(seen) == 9  # a chunk per block
    assert all(chunk[:1].isalpha() for chunk in seen)
