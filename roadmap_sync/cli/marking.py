"""Marking an item from the terminal: ``done``, ``start``, ``skip``, ``reopen``, and ticking
its tasks: ``tick``, ``untick``."""

from __future__ import annotations

from ..errors import RoadmapSyncError
from ..model.load import load
from ..model.roadmap import Item
from ..report.text import plural
from ..sync.apply import apply_edits
from ..sync.identity import IssueIndex, find_item, index_issues, issue_of, parse_body
from ..sync.status import edits_for
from ..sync.tasks import count_ticked, set_tick
from ..trackers.base import IssueEdit, RemoteIssue
from .console import say
from .context import Options, open_tracker, target_for

MARKED = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "reopened"}
ALREADY = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "open"}


def _issue(index: IssueIndex, item: Item) -> RemoteIssue:
    """The item's issue; an error that says how to make one when there is none."""
    issue = issue_of(index, item)
    if issue is None:
        msg = f"item {item.id!r} has no issue yet: run `roadmap-sync sync` first"
        raise RoadmapSyncError(msg)
    return issue


def mark(opts: Options, verb: str, ref: str) -> int:
    """Edit the issue of the item ``ref`` names (an id, ``12``, ``#12`` or its title) so it
    says ``verb``; nothing when it already does."""
    loaded = load(opts.roadmap)
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        index = index_issues(tracker.snapshot(issues_only=True).issues)
        item = find_item(loaded, index, ref)
        issue = _issue(index, item)
        edits = edits_for(verb, issue)
        if not edits:
            say(f"[issue {item.id}] #{issue.number} is already {ALREADY[verb]}")
            return 0
        apply_edits(tracker, issue.number, edits)
    say(f"[issue {item.id}] #{issue.number} {MARKED[verb]}")
    return 0


def tick(opts: Options, ref: str, number: int, ticked: bool) -> int:
    """Tick (or untick) task ``number`` (1-based, in roadmap order) of an item's "done when"
    checklist, in its issue's body: one edit of the body, nothing when it already is so."""
    loaded = load(opts.roadmap)
    verb = "ticked" if ticked else "unticked"
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        index = index_issues(tracker.snapshot(issues_only=True).issues)
        item = find_item(loaded, index, ref)
        count = len(item.tasks)
        if not count:
            msg = f"item {item.id!r} has no tasks; add a `tasks:` list to it in {opts.roadmap}"
            raise RoadmapSyncError(msg)
        if not 1 <= number <= count:
            valid = "1" if count == 1 else f"1 to {count}"
            msg = f"item {item.id!r} has {plural(count, 'task')}: N must be {valid}"
            raise RoadmapSyncError(msg)
        issue = _issue(index, item)
        task = item.tasks[number - 1]
        parsed = parse_body(issue.body)
        block = set_tick(parsed.block, task, ticked) if not parsed.conflict else None
        if block is None:
            msg = f"task {number} is not in issue #{issue.number} yet: run `roadmap-sync sync`"
            raise RoadmapSyncError(msg)
        prefix = f"[issue {item.id}] #{issue.number} task {number}"
        if bool(count_ticked((task,), parsed.block)) == ticked:
            say(f"{prefix} is already {verb}: {task}")
            return 0
        tracker.edit_issue(issue.number, IssueEdit(body=block + parsed.rest))
    say(f"{prefix} {verb}: {task}")
    return 0
