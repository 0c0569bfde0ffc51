"""Phase milestones: which one is each phase's, what to change, and in what order (pure).

GitHub refuses two milestones with one title, so when phases are inserted or reordered the
renames must free each title before another milestone takes it: they are ordered so, a swap
goes through a temporary title, and new milestones come after every rename.
"""

from __future__ import annotations

from dataclasses import replace

from ..trackers.base import MilestoneSpec, RemoteMilestone
from .changes import Action, MilestoneChange
from .identity import phase_marker


def milestone_plan(
    specs: tuple[MilestoneSpec, ...], remote: tuple[RemoteMilestone, ...]
) -> tuple[list[MilestoneChange], dict[str, int]]:
    """The milestone changes in a safe order, and phase id → existing milestone number."""
    by_marker: dict[str, RemoteMilestone] = {}
    by_title: dict[str, RemoteMilestone] = {}
    for milestone in sorted(remote, key=lambda m: m.number):
        marker = phase_marker(milestone.description)
        if marker:
            by_marker.setdefault(marker, milestone)
        by_title.setdefault(milestone.title.lower(), milestone)
    creates: list[MilestoneChange] = []
    updates: list[MilestoneChange] = []
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    for spec in specs:
        have = by_marker.get(spec.phase_id)
        if have is None:
            candidate = by_title.get(spec.title.lower())
            # A milestone already carrying another phase's marker is not ours to adopt.
            if candidate and phase_marker(candidate.description) in (None, spec.phase_id):
                have = candidate
        if have is None or have.number in taken:
            creates.append(MilestoneChange(Action.CREATE, spec))
            continue
        taken.add(have.number)
        numbers[spec.phase_id] = have.number
        fields = tuple(
            name
            for name, differs in (
                ("title", have.title != spec.title),
                ("description", (have.description or "").strip() != spec.description.strip()),
                ("due_on", have.due_on != spec.due_on),
            )
            if differs
        )
        if fields:
            updates.append(MilestoneChange(Action.UPDATE, spec, have.number, fields))
    return _ordered(updates, remote) + creates, numbers


def _ordered(
    updates: list[MilestoneChange], remote: tuple[RemoteMilestone, ...]
) -> list[MilestoneChange]:
    """Renames after the renames that free their titles; cycles broken by a detour."""
    holder = {m.title.lower(): m.number for m in remote}
    done: list[MilestoneChange] = [u for u in updates if "title" not in u.fields]
    pending = {u.number or 0: u for u in updates if "title" in u.fields}  # updates have numbers
    while pending:
        ready = [
            (number, u)
            for number, u in pending.items()
            if holder.get(u.spec.title.lower(), number) in (number, None)
            or holder.get(u.spec.title.lower()) not in pending
        ]
        if not ready:
            # Every pending rename waits for another: move one aside to a title no one has.
            number = min(pending)
            detour = replace(pending[number].spec, title=f"{pending[number].spec.title} (moving)")
            done.append(MilestoneChange(Action.UPDATE, detour, number, ("title",)))
            _move(holder, number, detour.title)
            continue
        for number, u in sorted(ready):
            done.append(u)
            _move(holder, number, u.spec.title)
            del pending[number]
    return done


def _move(holder: dict[str, int], number: int, title: str) -> None:
    for key in [k for k, v in holder.items() if v == number]:
        del holder[key]
    holder[title.lower()] = number
