"""What a decoder returns for one file (`DecodedFile`) and how it says a file could not be read."""

from __future__ import annotations

from typing import NamedTuple

from stagelint.findings import Note, Violation
from stagelint.model import Stage
from stagelint.positions import SourcePosition
from stagelint.records import dataclass
from stagelint.suppressions import Suppression


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """A file (or a part of one) that could not be read or parsed: reported as SL000."""

    path: str
    message: str
    position: SourcePosition | None = None


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A mapping key written twice (YAML and JSON loaders, and CloudFormation, keep the later one)."""

    key: str
    key_path: str  # `Resources.Prod.Properties.CacheClusterSize`: the fingerprint's attribute
    span: SourcePosition  # the later key, the one in force
    earlier: SourcePosition

    @property
    def violation(self) -> Violation:
        message = (f"duplicate key `{self.key}`: line {self.span.line} repeats the key from line "
                   f"{self.earlier.line}; the later value (line {self.span.line}) is the one used")
        return Violation(message, self.span, f"duplicate-key:{self.key_path}")


@dataclass(frozen=True, slots=True)
class DecodedFile:
    """A decoder's answer for one file: its stages, its failures and what it skipped."""

    path: str
    format: str | None  # None: not a stage file
    stages: tuple[Stage, ...] = ()
    failures: tuple[ParseFailure, ...] = ()
    notes: tuple[Note, ...] = ()
    duplicate_keys: tuple[DuplicateKey, ...] = ()  # reported as SL010 by the checker
    suppressions: tuple[Suppression, ...] = ()  # `# stagelint: ignore` comments, scanned from the text
    skipped_reason: str | None = None
    # Stage resources the file declares that are not created (a false condition, `count = 0`): the
    # summary line counts them, so a run that found nothing to lint says why.
    skipped_stages: tuple[str, ...] = ()
    # Defaults of a called module's variables that a caller in this module sets (`modules_local`):
    # the engine drops the called module's own findings that come from them.
    overridden_defaults: tuple[SourcePosition, ...] = ()
    # Characters the evaluation of its values produced (`Limits.max_evaluated_chars`, a budget per
    # file): the parts of a document read in shares (`Share`) add theirs up.
    evaluated_chars: int = 0
    # A part of a document (`Share`) whose text less the stage resources other parts own did not
    # parse into the template its layout said (`cloudformation.layout`): it read the whole text, and
    # the other parts' cuts, made from the same layout, cannot be trusted (`checker.merge_shares`).
    cut_refused: bool = False


class Share(NamedTuple):
    """Part `part` (from 0) of `parts` of a large document, decoded and checked in a process of its
    own (`parallel`): that part of its stage resources, in order, each part a contiguous run of
    them, so the parts' results put one after another are in the order the whole document's are.

    A decoder that can read a document in parts (`cloudformation.shardable`) gives the first part
    the whole file's own notes; its failures and duplicate keys every part finds (a part may leave
    out the text of the stage resources others own) and the merge reports once. A document it
    cannot read in parts is read whole by the first part, and the others are empty
    (`DecodedFile(path, None)`). `checker.merge_shares` puts the parts' results together."""

    part: int
    parts: int
    # The key lines [first, end) of the stage resources this part owns, when the document's layout
    # tells them (`cloudformation.layout`); else they are counted in the tree's order.
    lines: tuple[int, int] | None = None
    # The resources whose text this part leaves out (other parts' stage resources): still declared,
    # so that a `Ref` to one reads as it does in the whole template.
    absent: frozenset[str] = frozenset()

    def owns(self, position: int, total: int, line: int) -> bool:
        """Whether the stage resource at `position` (of `total`, in the document's order), whose key is
        on `line`, is this part's."""
        if self.lines is not None:
            return self.lines[0] <= line < self.lines[1]
        return self.start(total) <= position < Share(self.part + 1, self.parts).start(total)

    def start(self, total: int) -> int:
        """Where this part's run of `total` stage resources starts: the parts are even. (The first
        runs in the main process, which also takes the others' results; most of that happens while
        it runs, and a first part a tenth smaller, tried, only left it waiting for them longer.)"""
        return self.part * total // self.parts
