"""Marking an item from the terminal: done, start, skip, reopen → an edit of its issue (pure)."""

from __future__ import annotations

import difflib

from .desired import IN_PROGRESS_LABEL
from .errors import RoadmapSyncError
from .plan import index_issues
from .roadmap import Roadmap
from .trackers.base import IssueEdit, RemoteIssue, Snapshot

VERBS = ("done", "start", "skip", "reopen")


def find_issue(roadmap: Roadmap, snapshot: Snapshot, item_id: str) -> RemoteIssue:
    """The issue of an item, or an error that says what to type or run instead."""
    items = {item.id: item for item in roadmap.items}
    item = items.get(item_id)
    if item is None:
        close = difflib.get_close_matches(item_id, list(items), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else "`roadmap-sync status` lists the ids"
        raise RoadmapSyncError(f"no item {item_id!r} in {roadmap.path}; {hint}")
    candidates = index_issues(snapshot.issues).candidates(item.id, item.was)
    if not candidates:
        raise RoadmapSyncError(f"item {item_id!r} has no issue yet: run `roadmap-sync sync` first")
    return candidates[0]


def edit_for(verb: str, issue: RemoteIssue) -> IssueEdit | None:
    """The edit that marks an issue, or None when it already is in that state."""
    in_progress = any(name.lower() == IN_PROGRESS_LABEL for name in issue.labels)
    without = tuple(name for name in issue.labels if name.lower() != IN_PROGRESS_LABEL)
    if verb == "done":
        if issue.state == "closed" and issue.state_reason in ("completed", None):
            return None
        labels = without if in_progress else None
        return IssueEdit(labels=labels, state="closed", state_reason="completed")
    if verb == "skip":
        if issue.state == "closed" and issue.state_reason == "not_planned":
            return None
        labels = without if in_progress else None
        return IssueEdit(labels=labels, state="closed", state_reason="not_planned")
    if verb == "start":
        if issue.state == "open" and in_progress:
            return None
        return IssueEdit(
            labels=(*issue.labels, IN_PROGRESS_LABEL) if not in_progress else None,
            state="open" if issue.state == "closed" else None,
        )
    if verb == "reopen":
        return IssueEdit(state="open") if issue.state == "closed" else None
    raise ValueError(verb)
