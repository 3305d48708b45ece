"""Resources looked up by address (type, name): an index built once per list of resources.

A module's method settings and WAF associations each name their stage by address; scanning every
resource for each of them made a big module quadratic (5,000 stages: minutes instead of seconds).
"""

from __future__ import annotations

from stagelint.decoders.terraform.module import _Resource

Address = tuple[str, str]


class AddressIndex:
    """`lookup(resources, key)`: the resources of that list with that address, in the list's order.

    One index per list, kept while the list lives: the builder's lists (the module's resources, its
    stage resources) are made once and never changed afterwards.
    """

    def __init__(self) -> None:
        self.indexes: dict[int, tuple[list[_Resource], dict[Address, list[_Resource]]]] = {}

    def lookup(self, resources: list[_Resource], key: Address) -> list[_Resource]:
        cached = self.indexes.get(id(resources))
        if cached is None or cached[0] is not resources:
            index: dict[Address, list[_Resource]] = {}
            for resource in resources:
                index.setdefault((resource.type, resource.name), []).append(resource)
            cached = self.indexes[id(resources)] = (resources, index)
        return cached[1].get(key, [])
