"""A block-style YAML template's resources told apart line by line, so that one part of a large
document (`Share`) parses only the stage resources it owns (besides everything else).

Each part of a document parses its text, which was most of a part's time: a part's text can leave
out the `AWS::ApiGateway::Stage` and `AWS::ApiGatewayV2::Stage` resources other parts own, as blank
lines, so that every other node keeps its line and column. That is only right when the lines read
as blocks are the template's resources, which a reading of the text cannot promise (a quoted
scalar may span lines that look like keys): `layout` finds the blocks, `cut` blanks the others'
stage resources, and `verified` checks the tree parsed from the cut text against the layout — its
`Resources` keys are exactly the blocks kept, where the layout put them, every kept block ends
before the next block starts, and the part's own stage blocks are stage resources — or the part
parses the whole text (and the run, the whole document: `checker.merge_shares`). Which stage resources a part
owns follows the layout's blocks either way (`Share.lines`), so the parts always partition them.

Read as blocks: a `Resources:` line at column 0 (one only), then keys at two spaces of indentation,
each alone on its line, names written once, until the next line at column 0; a stage resource's
`Type:` line at four spaces, the block's only one. Anything else: no layout, and the parts split the
stage resources by their order in the tree (`Share.owns`).
"""

from __future__ import annotations

import bisect
import re

from stagelint.decoders.result import Share
from stagelint.decoders.tree import MappingNode, Node, ScalarNode, SequenceNode
from stagelint.records import dataclass

# Only these can be left out: every part must see every other resource (their APIs, deployments,
# the account's logging role, what `shardable` looks for) and read the same.
CUT_TYPES = frozenset({"AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"})

# Each pattern starts with a newline, not `^` in multi-line mode: the search then skips from one
# newline to the next instead of trying every position (a tenth of the time on a 5 MB template).
_RESOURCES = re.compile(r"""\n(?:Resources|"Resources"|'Resources')[ \t]*:""")
_PLAIN_RESOURCES = re.compile(r"Resources:[ \t]*(?:#[^\n]*)?")
_COLUMN_ZERO = re.compile(r"\n[^ \t\n#]")  # a line that ends the section
_BLOCK_KEY = re.compile(r"\n  ([A-Za-z0-9]+):[ \t]*(?:#[^\n]*)?(?=\n)")
_AT_TWO_SPACES = re.compile(r"\n  (?![ \n])")  # any line there (a key, a comment, an item…)
_TYPE = re.compile(r"""\n    (["']?)Type\1[ \t]*:[ \t]*([^\n]*)""")
_STAGE_TYPE = re.compile(rf"""(["']?)({"|".join(map(re.escape, sorted(CUT_TYPES)))})\1[ \t]*(?:#.*)?""")


@dataclass(frozen=True, slots=True)
class Block:
    """A resource as lines: its name, its key's line (from 1) and the offsets of its text."""

    name: str
    line: int
    start: int  # offset of its key line
    end: int  # offset of the next block's key line, or of the section's end
    cuttable: bool  # a stage resource of CUT_TYPES, by its one `Type:` line


@dataclass(frozen=True, slots=True)
class Layout:
    resources_line: int  # the `Resources:` line (from 1)
    blocks: tuple[Block, ...]

    @property
    def stage_blocks(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.cuttable)


def layout(text: str) -> Layout | None:
    """The template's resources as blocks of lines, or None when it is not laid out that simply (or
    has an anchor)."""
    if _has_anchor(text):
        return None
    found = [match.start() + 1 for match in _RESOURCES.finditer(text)]
    if _RESOURCES.match("\n" + text[:12]) is not None:
        found.insert(0, 0)
    if len(found) != 1:
        return None
    start = found[0]
    line_end = text.find("\n", start)
    if line_end == -1 or _PLAIN_RESOURCES.fullmatch(text, start, line_end) is None:
        return None
    ending = _COLUMN_ZERO.search(text, line_end)
    section_end = ending.start() + 1 if ending is not None else len(text)
    # (searched from the newline that ends the `Resources:` line, so that the first key is found)
    keys = list(_BLOCK_KEY.finditer(text, line_end, section_end))
    # every line at two spaces must be a block's key (a comment there, or a key with its value on
    # the line, is not a layout this reads), and the first line of the section one of them
    if not keys or sum(1 for _ in _AT_TWO_SPACES.finditer(text, line_end, section_end)) != len(keys) \
            or keys[0].start() + 1 != _first_content(text, line_end + 1, section_end):
        return None
    names = [key.group(1) for key in keys]
    if len(set(names)) != len(names):
        return None
    offsets = [key.start() + 1 for key in keys]
    types: dict[int, list[str]] = {}
    for match in _TYPE.finditer(text, line_end, section_end):
        types.setdefault(bisect.bisect_right(offsets, match.start()) - 1, []).append(match.group(2))
    line = text.count("\n", 0, start) + 1
    resources_line, blocks = line, []
    position = start
    for index, offset in enumerate(offsets):
        line += text.count("\n", position, offset)
        position = offset
        written = types.get(index, [])
        cuttable = len(written) == 1 and _STAGE_TYPE.fullmatch(written[0].rstrip()) is not None
        end = offsets[index + 1] if index + 1 < len(offsets) else section_end
        blocks.append(Block(names[index], line, offset, end, cuttable))
    return Layout(resources_line, tuple(blocks))


def part_of(text: str, share: Share) -> tuple[str, Share, frozenset[int], Layout] | None:
    """What part `share` of the template parses (the text less the cuttable stage resources other
    parts own), the share with the key lines it owns, those of its cuttable blocks, and the layout;
    None when the text has no layout, or too few stage resources to cut (then nothing is cut)."""
    shape = layout(text)
    if shape is None:
        return None
    stages = shape.stage_blocks
    if len(stages) < 2 * share.parts:
        return None
    # Lines from the start of the file to the end, split at stage blocks: every stage resource of
    # the tree, the blocks' or any other (a Deployment, a Type the layout did not read), is one part's.
    bounds = [0, *(stages[Share(part, share.parts).start(len(stages))].line for part in range(1, share.parts)),
              1 << 62]
    lines = (bounds[share.part], bounds[share.part + 1])
    kept = frozenset(block.line for block in stages if lines[0] <= block.line < lines[1])
    owned = share._replace(lines=lines, absent=frozenset(block.name for block in stages if block.line not in kept))
    return cut(text, shape.blocks, kept), owned, kept, shape


def _has_anchor(text: str) -> bool:
    """Whether `&name` stands where a node may start: without an anchor the document has no aliases,
    which a cut could part from their anchors (and which `verified` refuses). Quoted text rarely
    reads so; when it does, nothing is cut. (Found by `str.find`: a search for the pattern itself
    would try every position of the text.)"""
    position = text.find("&")
    while position != -1:
        before = text[position - 1] if position else " "
        after = text[position + 1:position + 2]
        if before in " \t\n[{,:-" and after and after not in " \t\n]},":
            return True
        position = text.find("&", position + 1)
    return False


def _first_content(text: str, start: int, end: int) -> int:
    """The offset of the first line in [start, end) that is not blank (a comment there is content)."""
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        if text[position:line_end].strip():
            return position
        position = line_end + 1
    return end


def cut(text: str, blocks: tuple[Block, ...], kept: frozenset[int]) -> str:
    """`text` with the cuttable blocks whose key line is not in `kept` made blank lines."""
    pieces: list[str] = []
    position = 0
    for block in blocks:
        if block.cuttable and block.line not in kept:
            pieces.append(text[position:block.start])
            pieces.append("\n" * text.count("\n", block.start, block.end))
            position = block.end
    pieces.append(text[position:])
    return "".join(pieces)


def verified(root: Node | None, shape: Layout, kept: frozenset[int]) -> bool:
    """Whether the tree parsed from `cut(…, kept)` is the template the layout says, less the blocks
    cut: its `Resources` keys are the blocks kept, at their lines, each kept block's last node ends
    before the next block (kept or cut) begins, and each stage block kept is a stage resource."""
    if not isinstance(root, MappingNode) or root.facts is None or root.facts.aliases:
        return False  # (no facts: composed the ruamel way; an alias may stand where a block ends)
    key = root.key_node("Resources")
    resources = root.get("Resources")
    if key is None or key.lines[0] != shape.resources_line or not isinstance(resources, MappingNode) \
            or not resources.written_once():
        return False
    blocks = [block for block in shape.blocks if not block.cuttable or block.line in kept]
    pairs = resources.items()
    if len(pairs) != len(blocks):
        return False
    # A kept block followed by a cut one is where the cut could have left lines that read as its own
    # (a block followed by a kept one ends at that one's key, found in its place above).
    cut_after = {block.line: after.line for block, after in zip(shape.blocks, shape.blocks[1:], strict=False)
                 if after.cuttable and after.line not in kept}
    for (name, value), block in zip(pairs, blocks, strict=True):
        if name.value != block.name or name.lines[0] != block.line:
            return False
        if block.line in cut_after and _last_line(value) >= cut_after[block.line]:
            return False
        if block.cuttable:  # this part's own: a stage resource indeed, which the others left out
            kind = value.get("Type") if isinstance(value, MappingNode) else None
            if not isinstance(kind, ScalarNode) or kind.value not in CUT_TYPES:
                return False
    return True


def _last_line(node: Node) -> int:
    """The line a node's text ends on, by its last descendant (the tree has no aliases: `verified`).
    An empty collection is a flow one (`{}`, `[]`), whose span ends at its closing bracket."""
    while True:
        if isinstance(node, SequenceNode) and node.items:
            node = node.items[-1]
        elif isinstance(node, MappingNode) and node.pairs:
            node = node.pairs[-1][1]  # the pair written last (not `items()`, which is the winners)
        else:
            return node.lines[1]
