"""Marking an item from the terminal: ``done``, ``start``, ``skip``, ``reopen``."""

from __future__ import annotations

from ..errors import RoadmapSyncError
from ..model.load import load
from ..sync.identity import find_item, index_issues, issue_of
from ..sync.status import edit_for
from .console import say
from .context import Options, open_tracker, target_for

MARKED = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "reopened"}
ALREADY = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "open"}


def mark(opts: Options, verb: str, ref: str) -> int:
    """Edit the issue of the item ``ref`` names (an id, ``12``, ``#12`` or its title) so it
    says ``verb``; nothing when it already does."""
    loaded = load(opts.roadmap)
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        index = index_issues(tracker.snapshot(issues_only=True).issues)
        item = find_item(loaded, index, ref)
        issue = issue_of(index, item)
        if issue is None:
            msg = f"item {item.id!r} has no issue yet: run `roadmap-sync sync` first"
            raise RoadmapSyncError(msg)
        edit = edit_for(verb, issue)
        if edit is None:
            say(f"[issue {item.id}] #{issue.number} is already {ALREADY[verb]}")
            return 0
        tracker.edit_issue(issue.number, edit)
    say(f"[issue {item.id}] #{issue.number} {MARKED[verb]}")
    return 0
