"""Carry progress from one tracker to another: the done, skipped and in-progress marks and the
ticked tasks of the local tracker's issues, applied to the GitHub issues of the same items
(pure)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model.roadmap import Roadmap
from ..trackers.base import IssueEdit, RemoteIssue, Snapshot
from .identity import index_issues, issue_of, parse_body
from .status import Status, edits_for, status_of
from .tasks import ticked, with_ticks

_VERB = {Status.DONE: "done", Status.SKIPPED: "skip", Status.IN_PROGRESS: "start"}


@dataclass(frozen=True, slots=True)
class Transfer:
    """The issue edits (at most two) that carry an item's status and its ticks (``ticks`` of
    them) over."""

    item_id: str
    number: int
    status: Status
    edits: tuple[IssueEdit, ...]
    ticks: int = 0


def transfers(roadmap: Roadmap, source: Snapshot, target: Snapshot) -> list[Transfer]:
    """The edits that give every target issue its item's status and ticks in the source.

    Items still to do with nothing ticked, items without a target issue, and issues already
    in the right state need nothing, so running this twice changes nothing the second time.
    Ticks are only ever added: a box ticked on the target stays ticked.
    """
    have, want = index_issues(source.issues), index_issues(target.issues)
    result = []
    for item in roadmap.items:
        before, after = issue_of(have, item), issue_of(want, item)
        if before is None or after is None:
            continue
        status = status_of(before)
        verb = _VERB.get(status)
        edits = edits_for(verb, after) if verb else ()
        body, ticks = _ticks_body(before, after)
        if body is not None:
            first = dataclasses.replace(edits[0] if edits else IssueEdit(), body=body)
            edits = (first, *edits[1:])
        if edits:
            result.append(Transfer(item.id, after.number, status, edits, ticks))
    return result


def _ticks_body(before: RemoteIssue, after: RemoteIssue) -> tuple[str | None, int]:
    """The target's body with the source's ticks added, and how many were added; None when
    there is nothing to add (or the target's body is not ours to rewrite)."""
    source, target = parse_body(before.body), parse_body(after.body)
    if target.conflict or target.item_id is None:
        return None, 0
    have = ticked(target.block)
    keys = have | ticked(source.block)
    block = with_ticks(target.block, keys)
    added = len(ticked(block) - have)
    return (block + target.rest, added) if added else (None, 0)
