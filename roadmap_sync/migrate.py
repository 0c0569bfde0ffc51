"""Carry progress from one tracker to another: the done, skipped and in-progress marks of the
local tracker's issues, applied to the GitHub issues of the same items (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .mark import edit_for
from .plan import index_issues
from .progress import Status, progress
from .roadmap import Roadmap
from .trackers.base import IssueEdit, Snapshot

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
    index = index_issues(target.issues)
    result = []
    for entry in progress(roadmap, source).items:
        verb = _VERB.get(entry.status)
        candidates = index.candidates(entry.item.id, entry.item.was)
        if verb is None or not candidates:
            continue
        edit = edit_for(verb, candidates[0])
        if edit is not None:
            result.append(Transfer(entry.item.id, candidates[0].number, entry.status, edit))
    return result
