"""Snapshot + Roadmap → Progress: each item's status and the counts per phase (pure)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timezone

from ..model.roadmap import Item, Phase, Roadmap
from ..sync.identity import index_issues, issue_of, parse_body
from ..sync.status import Status, status_of
from ..sync.tasks import count_ticked
from ..trackers.base import Snapshot


class Counts:
    """Counts and percent shared by a phase and the whole roadmap, from ``_entries``."""

    __slots__ = ()

    def _entries(self) -> tuple[ItemProgress, ...]:
        raise NotImplementedError

    def _statuses(self) -> tuple[Status, ...]:
        return tuple(entry.status for entry in self._entries())

    @property
    def tasks_done(self) -> int:
        """Ticked tasks (all of a done item's), skipped items left out."""
        return sum(e.tasks_done for e in self._entries() if e.status is not Status.SKIPPED)

    @property
    def tasks_total(self) -> int:
        """Every task of the items not skipped."""
        return sum(e.tasks_total for e in self._entries() if e.status is not Status.SKIPPED)

    @property
    def done(self) -> int:
        """Items whose issue was closed as completed."""
        return self._statuses().count(Status.DONE)

    @property
    def in_progress(self) -> int:
        """Open items with the ``in progress`` label or an assignee."""
        return self._statuses().count(Status.IN_PROGRESS)

    @property
    def skipped(self) -> int:
        """Items whose issue was closed as not planned (or duplicate)."""
        return self._statuses().count(Status.SKIPPED)

    @property
    def todo(self) -> int:
        """Items not started, including those with no issue yet."""
        return self._statuses().count(Status.TODO)

    @property
    def total(self) -> int:
        """Every item, skipped ones included."""
        return len(self._statuses())

    @property
    def countable(self) -> int:
        """What the percent counts against: every item but the skipped ones. Skipping what you
        will not learn is not failing it, so skipped items leave the denominator (and the
        burn-up's goal, which the line reaches exactly when the roadmap reads 100%)."""
        return self.total - self.skipped

    @property
    def percent(self) -> int:
        """``done / (total - skipped)`` as a whole percent, rounded down.

        0 when there are no items (nothing is not complete); 100 when every item is skipped
        (nothing is left to do). Rounded down: 99.9% is not done.
        """
        if self.total == 0:
            return 0
        return self.done * 100 // self.countable if self.countable else 100

    @property
    def fraction(self) -> str:
        """``done/countable · percent%``, e.g. ``10/82 · 12%``: the one way a total is shown
        (README, table, badges, burn-up, status), so a fraction and its percent always agree."""
        return f"{self.done}/{self.countable} · {self.percent}%"

    @property
    def skipped_note(self) -> str:
        """`` · N skipped`` beside a fraction whose denominator left them out, else ``""``."""
        return f" · {self.skipped} skipped" if self.skipped else ""

    @property
    def complete(self) -> bool:
        """Every item done or skipped (and there is at least one item)."""
        return self.total > 0 and self.percent == 100


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """One item and what its issue says; ``number`` is None when it has no issue yet.

    ``tasks_done`` of ``tasks_total`` are the item's "done when" tasks ticked in its issue;
    a done item counts all of them. ``waits_for`` are the needs of an open item that are
    neither done nor skipped, in the roadmap's order of its needs.
    """

    item: Item
    phase: Phase
    status: Status
    number: int | None = None
    url: str = ""
    closed_at: datetime | None = None
    tasks_done: int = 0
    tasks_total: int = 0
    waits_for: tuple[Item, ...] = ()

    @property
    def open(self) -> bool:
        """Still to do: neither done nor skipped."""
        return self.status in (Status.TODO, Status.IN_PROGRESS)

    @property
    def in_progress(self) -> bool:
        """Started: the ``in progress`` label, an assignee or a ticked task."""
        return self.status is Status.IN_PROGRESS

    @property
    def blocked(self) -> bool:
        """Open, with a need that is neither done nor skipped (``waits_for``)."""
        return bool(self.waits_for)


@dataclass(frozen=True, slots=True)
class PhaseProgress(Counts):
    """A phase's items in roadmap order, with their counts."""

    phase: Phase
    items: tuple[ItemProgress, ...]

    def _entries(self) -> tuple[ItemProgress, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class Progress(Counts):
    """The whole roadmap's progress; ``missing`` counts items that have no issue yet.

    ``done_days`` is the UTC closing day of every done item, oldest first: the history the
    pace, the burn-up, the calendar and the streaks are all drawn from. A done item without
    ``closed_at`` cannot be placed in time and is left out; GitHub and the local tracker both
    record the time, so only a hand-made state lacks it.
    """

    roadmap: Roadmap
    phases: tuple[PhaseProgress, ...]
    done_days: tuple[date, ...]
    missing: int = 0

    def _entries(self) -> tuple[ItemProgress, ...]:
        return self.items

    @property
    def items(self) -> tuple[ItemProgress, ...]:
        """Every item of every phase, in roadmap order."""
        return tuple(i for phase in self.phases for i in phase.items)


def progress(roadmap: Roadmap, snapshot: Snapshot) -> Progress:
    """Every item's status from its issue; items without an issue are todo and ``missing``.

    The issue of an item is the one ``plan`` picks (the oldest under its id or a ``was:``
    id), so ``status`` and ``sync`` never disagree about which issue belongs to an item.
    An item's ``done:`` import hint is ignored: the issue is the truth.
    """
    index = index_issues(snapshot.issues)
    entries: dict[str, ItemProgress] = {}
    missing = 0
    for phase in roadmap.phases:
        for item in phase.items:
            issue = issue_of(index, item)
            total = len(item.tasks)
            if issue is None:
                missing += 1
                entries[item.id] = ItemProgress(item, phase, Status.TODO, tasks_total=total)
                continue
            ticks = count_ticked(item.tasks, parse_body(issue.body).block) if total else 0
            status = status_of(issue, ticks)
            done = total if status is Status.DONE else ticks
            entries[item.id] = ItemProgress(
                item, phase, status, issue.number, issue.url, issue.closed_at, done, total
            )
    phases = []
    for phase in roadmap.phases:
        items = []
        for item in phase.items:
            entry = entries[item.id]
            waits = tuple(entries[n].item for n in item.needs if n in entries and entries[n].open)
            items.append(dataclasses.replace(entry, waits_for=waits) if entry.open else entry)
        phases.append(PhaseProgress(phase, tuple(items)))
    done_days = sorted(
        # closed_at is aware (trackers.base.parse_time): the UTC day, wherever this runs.
        e.closed_at.astimezone(timezone.utc).date()
        for e in entries.values()
        if e.status is Status.DONE and e.closed_at is not None
    )
    return Progress(roadmap, tuple(phases), tuple(done_days), missing)
