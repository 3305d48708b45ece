"""The "could not be verified" section: every value stagelint left unknown, grouped by why, and every
file that could not be read or parsed.

The notes are the report's `--verbose` notes (one per value skipped, per resource not linked, per
file that is not a stage file). Their messages are sentences written by the decoders; the reason
classes below are matched on the wording of the reason, first match wins, and a note no class
matches is still shown, under "other". Nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stagelint.findings import Note
from stagelint.formatters.html.markup import anchor, esc
from stagelint.inventory import unreadable
from stagelint.report import Report

# (pattern on the note's message, the group's heading). Ordered: the more specific wording first.
REASONS: tuple[tuple[str, str], ...] = (
    (r"known after apply", "known only after `terraform apply` (plan)"),
    (r"cannot be resolved before deployment|pseudo parameter",
     "resolved only at deployment (GetAtt, ImportValue, pseudo parameters)"),
    (r"names no parameter or resource", "a reference to nothing in the template"),
    (r"has no \S+ property", "a property the resource type does not have"),
    (r"has no default|no value in terraform\.tfvars", "a variable or parameter with no value"),
    (r"is not declared in this module|is not defined in this module", "a variable or local that is not declared"),
    (r"output of a child module", "an output of a child module"),
    (r"another resource's attribute", "another resource's attribute"),
    (r"dynamic \"[^\"]+\" block", "a dynamic block that cannot be expanded"),
    (r"(count|for_each) not expanded", "count / for_each that cannot be expanded"),
    (r"operator expression|cannot be decided", "a condition or operator expression (not evaluated)"),
    (r"computed at plan time", "an index computed at plan time"),
    (r"function \S+ is not evaluated|is not evaluated by stagelint", "a function stagelint does not evaluate"),
    (r"may protect this stage|not linked to a stage|is not linted", "a resource that cannot be linked to its stage"),
    (r"is not created", "a stage that is not created (condition false)"),
    (r"is a remote module|is not followed", "a module call that is not followed (remote source)"),
    (r"not reported here: .* belongs to module\.|a module call in this run sets the variable",
     "a finding reported where the module is called"),
    (r"not a stage file|not a file type stagelint reads", "not a stage file"),
    (r"directory skipped", "a directory skipped"),
    (r"is not a mapping|is not a list", "a setting of the wrong shape"),
)
_COMPILED = tuple((re.compile(pattern), heading) for pattern, heading in REASONS)
OTHER = "other"


def reason_of(message: str) -> str:
    """The group a note belongs to (a heading of REASONS, or "other")."""
    for pattern, heading in _COMPILED:
        if pattern.search(message):
            return heading
    return OTHER


def _where(note: Note) -> str:
    if note.position is None:
        return note.path
    return f"{note.position.path}:{note.position.line}:{note.position.column}"


def _sort_key(note: Note) -> tuple[str, int, int, str]:
    position = note.position
    return (note.path, position.line if position else 0, position.column if position else 0, note.message)


def group_notes(notes: Sequence[Note]) -> list[tuple[str, list[Note]]]:
    """(heading, notes) with the largest group first; notes in file order; duplicates shown once."""
    groups: dict[str, list[Note]] = {}
    for note in sorted(set(notes), key=_sort_key):
        groups.setdefault(reason_of(note.message), []).append(note)
    order = {heading: index for index, (_, heading) in enumerate(REASONS)}
    return sorted(groups.items(), key=lambda item: (-len(item[1]), order.get(item[0], len(order)), item[0]))


def count(report: Report) -> int:
    return len(set(report.notes)) + len(unreadable(report))


def section(report: Report) -> str:
    failed = unreadable(report)
    parts = ["<section id=\"unverified\"><h2>Could not be verified</h2>",
             "<p class=\"note\">stagelint never guesses: a value it cannot resolve produces no finding. "
             "These are the values, resources and files it could not check, and why.</p>"]
    parts.append(f"<h3 id=\"unparsed\">Files that could not be read or parsed ({len(failed)})</h3>")
    if failed:
        parts.append("<table class=\"plain\"><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>")
        parts += [f"<tr><td class=\"path\">{esc(item['path'])}</td><td>{esc(item['reason'])}</td></tr>"
                  for item in failed]
        parts.append("</tbody></table>")
    else:
        parts.append("<p class=\"empty\">none: every file was read</p>")
    groups = group_notes(report.notes)
    parts.append(f"<h3>Unknown values and skipped items, by reason ({sum(len(notes) for _, notes in groups)})</h3>")
    if not groups:
        parts.append("<p class=\"empty\">none: every value was known</p>")
    for heading, notes in groups:
        parts.append(f"<details class=\"reason\" id=\"reason-{anchor(heading)}\" open>"
                     f"<summary>{esc(heading)} <span class=\"count\">{len(notes)}</span></summary><ul>")
        parts += [f"<li><span class=\"path\">{esc(_where(note))}</span> {esc(note.message)}</li>" for note in notes]
        parts.append("</ul></details>")
    parts.append("</section>")
    return "".join(parts)
