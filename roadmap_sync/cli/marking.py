"""Marking an item from the terminal: ``done``, ``start``, ``skip``, ``reopen``."""

from __future__ import annotations

from ..errors import RoadmapSyncError
from ..model.load import load
from ..sync.identity import find_item, index_issues, issue_of
from ..sync.status import edit_for
from .console import say
from .context import Options, open_tracker, target_for

STATE = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "reopened"}


def mark(opts: Options, verb: str, ref: str) -> int:
    """Edit the item's issue so it says ``verb``; nothing when it already does."""
    loaded = load(opts.roadmap)
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        snapshot = tracker.snapshot(issues_only=True)
        item = find_item(loaded, ref)
        issue = issue_of(index_issues(snapshot.issues), item)
        if issue is None:
            raise RoadmapSyncError(f"item {ref!r} has no issue yet: run `roadmap-sync sync` first")
        edit = edit_for(verb, issue)
        if edit is None:
            say(f"[issue {ref}] #{issue.number} is already {STATE[verb]}")
            return 0
        tracker.edit_issue(issue.number, edit)
    say(f"[issue {ref}] #{issue.number} {STATE[verb]}")
    return 0
