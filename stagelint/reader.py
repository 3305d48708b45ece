"""Reading a file's text once, within limits, with a clear message for everything that can go wrong."""

from __future__ import annotations

import codecs
import os
import stat

from stagelint.limits import Limits


class ReadError(Exception):
    """The file cannot be read as text; the message says why (reported as SL000).

    `line`/`column` (1-based, code points) locate the offending byte when there is one.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def read_text(path: str, limits: Limits) -> str:
    """The file's text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Line endings are kept."""
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(status.st_mode):
            # Opening a FIFO blocks until something writes to it; a device may never end.
            raise ReadError("not a regular file (a FIFO, socket or device): not read")
        size = status.st_size
        if size > limits.max_file_bytes:
            raise ReadError(
                f"file is {size / 1048576:.1f} MiB, over the {limits.max_file_bytes / 1048576:g} MiB limit "
                "(raise it with --max-file-size)"
            )
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except ReadError:
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


def decode_bytes(data: bytes) -> str:
    if data.startswith(_UTF32_BOMS):
        raise ReadError("file is UTF-32 encoded; stagelint reads UTF-8 and UTF-16")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadError(f"invalid UTF-16 at byte {error.start}") from None
    if b"\x00" in data[:8192]:
        raise ReadError("binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", "replace")) + 1
        raise ReadError(f"not valid UTF-8: byte 0x{data[error.start]:02x} on line {line}", line, column) from None
