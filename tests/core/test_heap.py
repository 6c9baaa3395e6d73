"""app.core.heap: the start-up heap is frozen out of the garbage collector's walks."""

from __future__ import annotations

import gc

from app.core.heap import freeze_startup_heap


def test_freeze_moves_the_live_heap_out_of_the_collected_generations():
    gc.unfreeze()
    try:
        before = len(gc.get_objects())
        frozen = freeze_startup_heap()
        # What was alive is now permanent: the collector no longer sees (and walks) it.
        assert frozen == gc.get_freeze_count()
        assert frozen > before // 2
        assert len(gc.get_objects()) < before // 10
        # New garbage is still collected.
        cycle: list = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
