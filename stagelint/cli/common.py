"""What the commands share: errors and exit codes, printing and writing reports, option parsing, and
the configuration with what the command line says about reading files."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

EXIT_CONFIG = 3
REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]")


def fail(message: str) -> NoReturn:
    say(f"stagelint: error: {message}")
    sys.exit(EXIT_CONFIG)


# `check` prints without click when click did not read its command line (`cli/check_arguments.py`),
# so what it prints goes through these two, which write as `click.echo` does.

def say(message: str) -> None:
    """A line to stderr, as `click.echo(message, err=True)` writes it: escape codes are taken off when
    stderr is not a terminal."""
    stream = sys.stderr
    if stream is None:  # no standard streams (pythonw)
        return
    text = message + "\n"
    if not is_terminal(stream) and not type(stream).__module__.startswith("ipykernel."):
        from stagelint.formatters.ansi import unstyle

        text = unstyle(text)
    if getattr(stream, "buffer", None) is not None and _is_ascii(getattr(stream, "encoding", None) or "ascii"):
        # click takes an ASCII stream for a misconfigured one and writes UTF-8 to its bytes instead
        write_bytes(text.encode("utf-8", "replace"), err=True)
        return
    stream.write(text)
    stream.flush()


def write_bytes(data: bytes, err: bool = False) -> None:
    """Bytes to stdout (stderr with `err`), after what was written to its text stream, as
    `click.echo(data, nl=False)` writes them."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    binary = getattr(stream, "buffer", None)
    if not data or binary is None:  # a text-only stream (an embedding program's StringIO)
        stream.write(data.decode("utf-8", "replace"))
        stream.flush()
        return
    stream.flush()
    binary.write(data)
    binary.flush()


def _is_ascii(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "ascii"
    except LookupError:
        return False


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; not when it is closed (None: the process started without it)."""
    try:
        return bool(stream.isatty())
    except Exception:  # a stream without a file behind it
        return False


def terminal_width() -> int | None:
    """The terminal's width when writing to one (or $COLUMNS when set); None: a pipe or file, no limit."""
    if os.environ.get("COLUMNS", "").isdigit() or is_terminal(sys.stdout):
        import shutil

        return shutil.get_terminal_size(fallback=(120, 24)).columns
    return None


def encoded(text: str) -> bytes:
    """UTF-8 with anything unencodable escaped: a lone surrogate from a `"\\ud800"` escape in a value,
    or a non-UTF-8 file name (decoded with surrogateescape), is printed as `\\ud800` / `\\udcff`
    instead of aborting the run."""
    return text.encode("utf-8", "backslashreplace")


def refuse_inputs(outputs: list[str | None], inputs: Iterable[str]) -> None:
    """A usage error when an `--output` file is one of the files being linted (`-o x.yaml x.yaml`
    would replace the input with its own report)."""
    targets: dict[tuple[int, int], str] = {}
    for output in outputs:
        try:
            status = os.stat(output) if output else None
        except OSError:
            continue  # not there yet: it cannot be an input
        if status is not None:
            targets[(status.st_dev, status.st_ino)] = output  # type: ignore[assignment]
    if not targets:
        return
    for path in inputs:
        try:
            status = os.stat(path)
        except OSError:
            continue
        output = targets.get((status.st_dev, status.st_ino))
        if output is not None:
            fail(f"--output {output} is a file being linted; write the report elsewhere")


_PIECE = 1 << 20  # characters of a report written to stdout at a time


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The cyclic collector leaves every object that exists now alone until the block ends
    (`gc.freeze`); what the block makes is collected as usual.

    After the lint the heap holds what the report is written from (a large module's decoded stages,
    the findings, the summaries): alive until the end, and without garbage cycles. Writing the report
    allocates enough to set off a full collection, which walked all of it again (5 MB template: time
    in collections 0.35 -> 0.20 s, the full one gone). Undone on the way out, so a program that calls
    the command in-process keeps its collector as it was."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def emit(text: str | Iterable[str], output: str | None, color: bool = False) -> None:
    """The rendered report (whole, or in pieces that each end a line, as `formatters.stream` makes
    them) to `--output FILE` (LF line endings on every platform), or to stdout.

    A regular file is written whole or not at all (the pieces go to a temporary file beside it, then
    it is renamed), so a run that dies leaves no half report and a reader never sees one; anything
    else (`/dev/stdout`, a FIFO) is written in place."""
    from stagelint.formatters.ansi import unstyle

    pieces = _pieces(text) if isinstance(text, str) else text
    if output:
        try:
            _write_atomically(output, (encoded(piece) for piece in pieces))
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror or error}")
        return
    # Bytes, so that an unencodable character (a lone surrogate) is escaped, never fatal; without
    # colour our own styling is taken off (user text has no escape codes left: formatters escape them).
    # Pieces end at line ends (no escape code or character spans one), so the unstyled and encoded
    # copies are a piece each, not the whole report twice more.
    for piece in pieces:
        if piece:
            write_bytes(encoded(piece if color else unstyle(piece)))


def _pieces(text: str) -> Iterator[str]:
    """A whole report cut at line ends, about `_PIECE` characters at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + _PIECE)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _write_atomically(output: str, data: Iterable[bytes]) -> None:
    import stat
    import tempfile

    existing: int | None = None
    with contextlib.suppress(FileNotFoundError):
        existing = os.stat(output).st_mode
    regular = existing is None or stat.S_ISREG(existing)
    if not regular or os.path.islink(output):
        with open(output, "wb") as handle:  # a device, a FIFO or a link: written where it points
            for piece in data:
                handle.write(piece)
        return
    directory = os.path.dirname(os.path.abspath(output))
    descriptor, temporary = tempfile.mkstemp(prefix=".stagelint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as file:
            for piece in data:
                file.write(piece)
        if existing is not None:
            mode = stat.S_IMODE(existing)  # the report it replaces keeps its permissions
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # what open() would have given, not mkstemp's 0600
        os.chmod(temporary, mode)
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def use_color(choice: str) -> bool:
    """Colour for the printed text report: `--color always|never`, else NO_COLOR (off) and FORCE_COLOR
    (on) as https://no-color.org and force-color.org say, else only when stdout is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(sys.stdout)


def split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select SL1,SL2 --select SL3` → ("SL1", "SL2", "SL3")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def selection_changes(config: Any, select: tuple[str, ...], extend_select: tuple[str, ...],
                      ignore: tuple[str, ...]) -> dict[str, Any]:
    """The configuration values `--select`, `--extend-select` and `--ignore` give: --select replaces the
    file's selection, the other two add to it."""
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = split(select)
    if extend_select:
        changes["extend_select"] = config.extend_select + split(extend_select)
    if ignore:
        changes["ignore"] = config.ignore + split(ignore)
    return changes


def pairs(values: tuple[str, ...], option: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, equals, rest = value.partition("=")
        if not equals or not key:
            fail(f"{option} takes KEY=VALUE, got {value!r}")
        pairs.append((key.strip(), rest))
    return tuple(pairs)



def with_decode_options(config: Any, var_file: tuple[str, ...], variables: tuple[str, ...],
                         parameter: tuple[str, ...], parameter_file: tuple[str, ...], max_file_size: int | None,
                         timeout: float | None) -> Any:
    """The configuration with what the command line says about reading files (limits, variables, parameters)."""
    from stagelint.config import DecodeOptions
    from stagelint.limits import MIB
    from stagelint.records import replace

    limits = config.decode.limits
    if max_file_size is not None:
        limits = replace(limits, max_file_bytes=max_file_size * MIB)
    if timeout is not None:
        if timeout != timeout:  # nan
            fail("--timeout takes a number of seconds (0 or inf for no limit), not nan")
        limits = replace(limits, max_seconds_per_file=0 if timeout == float("inf") else timeout)
    return replace(config, decode=DecodeOptions(
        limits=limits,
        # After the configured `var-files`: Terraform lets a later file win, so the command line does.
        terraform_var_files=config.decode.terraform_var_files + var_file,
        terraform_vars=pairs(variables, "--var"),
        cloudformation_parameters=pairs(parameter, "--parameter"),
        cloudformation_parameter_files=parameter_file,
    ))


def region_name(value: str) -> str:
    """`--region`'s check, for click (a click callback)."""
    import click

    if not REGION_NAME.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not an AWS Region name (like us-east-1)")
    return value


def file_config(config_file: str | None, isolated: bool) -> Any:
    """The defaults with the configuration file applied (a file is read only when there is one)."""
    from stagelint.config import Config
    from stagelint.config_files import resolve_config

    config, _ = resolve_config(Config(), config_file=config_file, isolated=isolated)
    return config


def resolved_config(config_file: str | None, isolated: bool) -> tuple[Any, Any]:
    """`file_config` and the configuration file it read (None when there was none)."""
    from stagelint.config import Config
    from stagelint.config_files import resolve_config

    return resolve_config(Config(), config_file=config_file, isolated=isolated)


def config_location(path: Any, key: str) -> str:
    """`pyproject.toml:12`: where `key` is written in the configuration file at `path`."""
    from stagelint.config_files import key_line, shown

    line = key_line(path, [key])
    return shown(path) + (f":{line}" if line is not None else "")


def print_notes(report: Any) -> None:
    """`--verbose`: every note (what was skipped, and why) on stderr, escaped."""
    from stagelint.formatters.escape import printable

    for note in report.notes:
        where = f"{note.position.path}:{note.position.line}:{note.position.column}" if note.position else note.path
        write_bytes(encoded(printable(f"{where}: note: {note.message}") + "\n"), err=True)
