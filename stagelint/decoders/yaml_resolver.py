"""ruamel.yaml's implicit-tag resolver, with its per-scalar overhead taken out (for the C parser only).

ruamel's `VersionedResolver.resolve` runs for every scalar the C composer builds. Before it tries
its regular expressions it asks `processing_version` (a property that looks for the version through
three attribute lookups, two of which raise AttributeError on the C parser) and `versioned_resolver`,
and each match allocates a new `Tag`: on a 2 MB template that was ~0.9 s of a 1.4 s compose.

The resolver here gives the same tags by construction: it uses ruamel's own table of regular
expressions for the version ruamel would pick (looked up once per document: on the C path it comes
from the loader, never from the document, so it cannot change while one is composed), tries them in
ruamel's order, and only shares one `Tag` per tag name instead of making one per scalar. Anything
it does not cover (path resolvers) goes to ruamel's own method.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

_tags: dict[str, Tag] = {}  # shared: composed nodes only read their tag


def _tag(name: str) -> Tag:
    tag = _tags.get(name)
    if tag is None:
        tag = _tags[name] = Tag(suffix=name)
    return tag


_Named = tuple[tuple[str, Any], ...]  # (tag string, its pattern's match), in the order ruamel tries them


class FastResolver(VersionedResolver):
    """`VersionedResolver` with the version's table looked up once per document."""

    # first character → ((Tag, the compiled pattern's match), ...): ruamel's own patterns, unwrapped
    # once from their lazy wrapper (whose __getattribute__ ran in Python on every use)
    _candidates: dict[Any, tuple[tuple[Tag, Any], ...]] | None = None
    _others: tuple[tuple[Tag, Any], ...] = ()  # those filed under None: tried last, for any character

    def _prepare(self) -> dict[Any, tuple[tuple[Tag, Any], ...]]:
        table = self.versioned_resolver
        others = tuple((_tag(name), pattern.match) for name, pattern in table.get(None, ()))
        self._others = others
        candidates = {first: (*((_tag(name), pattern.match) for name, pattern in entries), *others)
                      for first, entries in table.items() if first is not None}
        self._candidates = candidates
        return candidates

    def scalar_tag_strings(self) -> tuple[dict[Any, _Named], _Named, str] | None:
        """`resolve`'s answers for scalars as strings: (first character → ((tag string, match), ...), the
        candidates for any other character, the tag of a scalar not resolved implicitly). None when path
        resolvers are set (then `resolve` it is, scalar by scalar). The events builder reads a tag only
        as its string, so it skips making and looking up a Tag per scalar."""
        if self.yaml_path_resolvers:
            return None
        candidates = self._candidates if self._candidates is not None else self._prepare()
        named = {first: tuple((str(tag), match) for tag, match in entries) for first, entries in candidates.items()}
        return named, tuple((str(tag), match) for tag, match in self._others), str(self.DEFAULT_SCALAR_TAG)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers:  # never set by stagelint; kept exact all the same
            return super().resolve(kind, value, implicit)
        if kind is ScalarNode:
            if implicit[0]:
                candidates = self._candidates
                if candidates is None:
                    candidates = self._prepare()
                for tag, match in candidates.get(value[0] if value else "", self._others):
                    if match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return None
