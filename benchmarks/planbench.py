"""The pure core alone: ``desired.build`` + ``plan.diff`` in this process, no IO."""

from __future__ import annotations

import gc
import time
import tracemalloc
from dataclasses import dataclass

from roadmap_sync.model.roadmap import Roadmap
from roadmap_sync.sync import changes, desired, plan
from roadmap_sync.trackers.base import Snapshot

from .generate import roadmap_model

EMPTY = Snapshot((), (), ())


@dataclass(frozen=True)
class PlanCost:
    """CPU and wall seconds (best of the repeats) and traced peak memory of one plan."""

    cpu_s: float
    wall_s: float
    peak_mb: float | None
    changes: int
    unchanged: int


def _plan(roadmap: Roadmap, snapshot: Snapshot) -> changes.Plan:
    return plan.diff(desired.build(roadmap), snapshot)


def measure(roadmap: Roadmap, snapshot: Snapshot, repeats: int, trace: bool = True) -> PlanCost:
    """Time ``repeats`` plans without tracing, then one under tracemalloc for its peak.

    Tracing makes every allocation slow (a 100,000-item plan takes ~25 s under it), so the
    clock never runs while it is on.
    """
    _plan(roadmap_model(3, 1), EMPTY)  # compile the issue template once, outside the clock
    cpu = wall = float("inf")
    result = None
    for _ in range(repeats):
        result = None
        gc.collect()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        result = _plan(roadmap, snapshot)
        cpu = min(cpu, time.process_time() - cpu_start)
        wall = min(wall, time.perf_counter() - wall_start)
    assert result is not None
    changes, unchanged = len(result.changes), result.unchanged
    del result
    if not trace:
        return PlanCost(cpu, wall, None, changes, unchanged)
    gc.collect()
    tracemalloc.start()
    try:
        kept = _plan(roadmap, snapshot)  # alive at the end: the peak includes the result
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return PlanCost(cpu, wall, peak / 2**20, changes, unchanged)
