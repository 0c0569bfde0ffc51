"""What to learn next: the open items whose prerequisites are all done or skipped, the ones
already in progress first, then in the roadmap's order (pure)."""

from __future__ import annotations

from .progress import ItemProgress, Progress

README_COUNT = 5  # how many the README's "Next up" lists, and `next` by default


def next_items(report: Progress, limit: int | None = README_COUNT) -> list[ItemProgress]:
    """The items to work on now, at most ``limit`` of them (None: all)."""
    ready = [entry for entry in report.items if entry.open and not entry.blocked]
    ready.sort(key=lambda entry: not entry.in_progress)  # stable: roadmap order within
    return ready if limit is None else ready[:limit]


def first_blocked(report: Progress, limit: int = 3) -> list[ItemProgress]:
    """When nothing is ready: the first open items in roadmap order, with what they wait for."""
    return [entry for entry in report.items if entry.open][:limit]
