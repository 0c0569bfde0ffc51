"""Carry progress from one tracker to another: the done, skipped and in-progress marks of the
local tracker's issues, applied to the GitHub issues of the same items (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.roadmap import Roadmap
from ..trackers.base import IssueEdit, Snapshot
from .identity import index_issues, issue_of
from .status import Status, edit_for, status_of

_VERB = {Status.DONE: "done", Status.SKIPPED: "skip", Status.IN_PROGRESS: "start"}


@dataclass(frozen=True, slots=True)
class Transfer:
    """One issue edit that carries an item's status over."""

    item_id: str
    number: int
    status: Status
    edit: IssueEdit


def transfers(roadmap: Roadmap, source: Snapshot, target: Snapshot) -> list[Transfer]:
    """The edits that give every target issue its item's status in the source.

    Items still to do, items without a target issue, and issues already in the right state
    need nothing, so running this twice changes nothing the second time.
    """
    have, want = index_issues(source.issues), index_issues(target.issues)
    result = []
    for item in roadmap.items:
        before, after = issue_of(have, item), issue_of(want, item)
        if before is None or after is None:
            continue
        status = status_of(before)
        verb = _VERB.get(status)
        edit = edit_for(verb, after) if verb else None
        if edit is not None:
            result.append(Transfer(item.id, after.number, status, edit))
    return result
