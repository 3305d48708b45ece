"""`CollectorPaused`: the collector off inside a large block, on again after it with what the block kept
aged to the oldest generation, and an embedding application's own collector settings left as they were."""

from __future__ import annotations

import gc

from stagelint.decoders.collector import CollectorPaused


def _generation_of(thing: object) -> int | None:
    return next((generation for generation in range(3)
                 if any(found is thing for found in gc.get_objects(generation=generation))), None)


def test_a_large_block_runs_without_the_collector_and_leaves_what_it_kept_in_the_oldest_generation() -> None:
    assert gc.isenabled()
    with CollectorPaused(True):
        assert not gc.isenabled()
        kept = [[number] for number in range(1000)]
    assert gc.isenabled()
    assert _generation_of(kept) == 2 and _generation_of(kept[500]) == 2  # no collection walked them to age them


def test_an_applications_frozen_objects_and_disabled_collector_stay_so() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with CollectorPaused(True):
            made = [[1]]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        assert made
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with CollectorPaused(True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
