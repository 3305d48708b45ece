"""`printable` returns printable text unchanged without its regex: that is only right if every
character the regex escapes is one `str.isprintable` rejects."""

from __future__ import annotations

import re

from stagelint.formatters.escape import _OTHERS, printable


def test_every_escaped_character_is_not_printable() -> None:
    unsafe = re.compile(f"[\x00-\x1f{_OTHERS}]")
    assert [hex(code) for code in range(0x110000) if unsafe.match(chr(code)) and chr(code).isprintable()] == []


def test_printable_escapes_what_it_did() -> None:
    assert printable("a\tb\u202ec\ud800 é") == "a\\x09b\\u202ec\\ud800 é"
    assert printable("plain text: ok") == "plain text: ok"
