"""Reading a file's text once, within limits, with a clear message for everything that can go wrong."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable

from stagelint.limits import Limits


class ReadError(Exception):
    """The file cannot be read as text; the message says why (reported as SL000).

    `line`/`column` (1-based, code points) locate the offending byte when there is one.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class NotAStageFile(Exception):
    """An oversized file whose head shows it holds no stages (a 9 MiB `package-lock.json`): skipped,
    not failed. The message says why."""


# How much of an oversized file is read to tell a stage file (or a plan) from anything else.
HEAD_BYTES = 64 * 1024
_PLAN_KEYS = ('"terraform_version"', '"format_version"')

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def read_text(path: str, limits: Limits, may_hold_stages: Callable[[str], bool] | None = None,
              given: bytes | None = None) -> str:
    """The file's text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Line endings are kept.

    A file over `max_file_bytes` has its head sniffed when `may_hold_stages` is given: a Terraform
    plan is read up to `max_plan_bytes`; a head with no stage keys raises NotAStageFile. `given` is the
    file's content when it does not come from disk (stdin, `--stdin-filename`): the same limits apply."""
    if given is not None:
        limit = limits.max_file_bytes
        if len(given) > limit:
            limit = _oversized_limit(given[:HEAD_BYTES], len(given), limits, may_hold_stages)
        if len(given) > limit:
            raise ReadError(f"file is {len(given) / 1048576:.1f} MiB, over the {limit / 1048576:g} MiB limit "
                            "(raise it with --max-file-size)")
        return decode_bytes(given)
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(status.st_mode):
            # Opening a FIFO blocks until something writes to it; a device may never end.
            raise ReadError("not a regular file (a FIFO, socket or device): not read")
        size = status.st_size
        limit = limits.max_file_bytes
        if size > limit:
            with open(path, "rb") as handle:
                head_bytes = handle.read(HEAD_BYTES)
            limit = _oversized_limit(head_bytes, size, limits, may_hold_stages)
        if size > limit:
            raise ReadError(
                f"file is {size / 1048576:.1f} MiB, over the {limit / 1048576:g} MiB limit "
                "(raise it with --max-file-size)"
            )
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (ReadError, NotAStageFile):
        raise
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as error:  # ELOOP (a symlink to itself), EIO…
        raise ReadError(f"cannot read: {error.strerror or error}") from None
    return decode_bytes(data)


def _oversized_limit(head_bytes: bytes, size: int, limits: Limits,
                     may_hold_stages: Callable[[str], bool] | None) -> int:
    """The limit that applies to a file over `max_file_bytes`, judged by its head."""
    encoding = "utf-16" if head_bytes.startswith(_UTF16_BOMS) else "utf-8"
    head = head_bytes.decode(encoding, "replace")
    if all(key in head for key in _PLAN_KEYS):
        return max(limits.max_plan_bytes, limits.max_file_bytes)
    if may_hold_stages is not None and not may_hold_stages(head):
        raise NotAStageFile(f"over the {limits.max_file_bytes / 1048576:g} MiB limit ({size / 1048576:.1f} MiB) "
                            "and its head has no stage keys; not read")
    return limits.max_file_bytes


def decode_bytes(data: bytes) -> str:
    if data.startswith(_UTF32_BOMS):
        raise ReadError("file is UTF-32 encoded; stagelint reads UTF-8 and UTF-16")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadError(f"invalid UTF-16 at byte {error.start}") from None
    nul = data.find(b"\x00", 0, 8192)
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        column = len(data[data.rfind(b"\n", 0, nul) + 1:nul].decode("utf-8", "replace")) + 1
        raise ReadError("binary file (it contains NUL bytes)", line, column)
    if data.startswith(b"\xef\xbb\xbf"):
        # The BOM is cut here, not by the "utf-8-sig" codec: that codec is a module to import on every
        # run, and its errors count from after the BOM, which put positions 3 bytes off.
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", "replace")) + 1
        raise ReadError(f"not valid UTF-8: byte 0x{data[error.start]:02x} on line {line}", line, column) from None
