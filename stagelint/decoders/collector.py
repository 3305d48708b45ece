"""The cyclic garbage collector paused while one large document's trees are built.

Building a tree allocates millions of objects that all stay alive until the tree is done, and makes
no garbage cycles; the collector, triggered by allocations, would walk the growing tree again and
again (measured: +21–77 % wall time on 0.5–5 MB templates, growing with the size). Small documents
leave it on: a run over many small files keeps its normal memory behaviour. Never paused globally,
and an embedding application that turned the collector off itself finds it off afterwards.
"""

from __future__ import annotations

import gc
from types import TracebackType

LARGE_DOCUMENT_BYTES = 256 * 1024  # below this the collector costs too little to matter
LARGE_MODULE_RESOURCES = 1_000  # a Terraform module's resources, for the evaluation of the module


class CollectorPaused:
    """`with CollectorPaused(large):` runs the block with the cyclic collector off when `large`."""

    def __init__(self, large: bool) -> None:
        self.paused = large and gc.isenabled()

    def __enter__(self) -> None:
        if self.paused:
            gc.disable()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.paused:
            # What the block made and kept (a large unit's results) is all in the youngest generation:
            # the next collections would walk it twice to age it (~0.15 s after a 5 MB template).
            # Freezing and unfreezing moves every object to the oldest generation without a walk, as
            # two collections would have; a full collection still looks at them. Not when something
            # else froze objects (an embedding application's `gc.freeze`): unfreezing would undo it.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
