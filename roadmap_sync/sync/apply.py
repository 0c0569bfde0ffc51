"""Run a Plan against a Tracker: a dumb loop, in plan order, reporting each change."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import TrackerError
from ..trackers.base import IssueEdit, NewIssue, RemoteIssue, Tracker
from .changes import (
    Action,
    Change,
    DependencyChange,
    IssueChange,
    LabelChange,
    LinkChange,
    MilestoneChange,
    Plan,
)
from .dependencies import resolved
from .identity import parent_key
from .status import confirms
from .tasks import merged_body


@dataclass(frozen=True, slots=True)
class Summary:
    """What a sync did."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    reopened: int = 0
    linked: int = 0
    unchanged: int = 0
    labels: int = 0
    milestones: int = 0
    dependencies: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """The one-line summary printed at the end of a sync."""
        return (
            f"created {self.created}, updated {self.updated}, closed {self.closed}, "
            f"reopened {self.reopened}, unchanged {self.unchanged} in {self.seconds:.0f} s"
        )


Report = Callable[[Change, str], None]


def apply(plan: Plan, tracker: Tracker, report: Report | None = None) -> Summary:
    """Apply every change in order; ``report(change, what)`` is called after each one."""
    started = time.monotonic()
    milestones = dict(plan.milestones)
    created: dict[str, RemoteIssue] = {}
    counts = dict.fromkeys(Action, 0)
    labels = milestone_count = dependencies_changed = 0
    for change in plan.changes:
        if isinstance(change, LabelChange):
            if change.action is Action.CREATE:
                tracker.create_label(change.spec)
            else:
                tracker.update_label(change.current_name, change.spec)
            labels += 1
            done = f"{change.action.value}d"
        elif isinstance(change, MilestoneChange):
            if change.number is None:
                number = tracker.create_milestone(change.spec)
                milestones[change.spec.phase_id] = number
                done = f"created #{number}"
            else:
                tracker.update_milestone(change.number, change.spec)
                done = f"updated #{change.number} ({', '.join(change.fields)})"
            milestone_count += 1
        elif isinstance(change, LinkChange):
            done = _link(change, tracker, created)
            counts[change.action] += 1
        elif isinstance(change, DependencyChange):
            done = _dependency(change, tracker, created)
            dependencies_changed += 1
        else:
            done = _issue(change, tracker, milestones, created)
            counts[change.action] += 1
        if report:
            report(change, done)
    return Summary(
        created=counts[Action.CREATE],
        updated=counts[Action.UPDATE],
        closed=counts[Action.CLOSE] + counts[Action.CLOSE_DUPLICATE],
        reopened=counts[Action.REOPEN],
        linked=counts[Action.LINK] + counts[Action.UNLINK],
        unchanged=plan.unchanged,
        labels=labels,
        milestones=milestone_count,
        dependencies=dependencies_changed,
        seconds=time.monotonic() - started,
    )


def _link(change: LinkChange, tracker: Tracker, created: dict[str, RemoteIssue]) -> str:
    # Either end may have been created earlier in this same run.
    parent = change.parent or created[parent_key(change.phase_id)].number
    if change.child_id is not None and change.number is not None:
        child_id, number = change.child_id, change.number
    else:
        child_id, number = created[change.item_id].id, created[change.item_id].number
    if change.action is Action.UNLINK:
        tracker.remove_sub_issue(parent, child_id)
        return f"#{number} detached from #{parent}"
    tracker.add_sub_issue(parent, child_id, replace=change.replace)
    return f"#{number} attached to #{parent}"


def _dependency(change: DependencyChange, tracker: Tracker, created: dict[str, RemoteIssue]) -> str:
    number, blocker_id = resolved(change, created)
    blocker = change.blocker_number or created[change.need_id].number
    if change.action is Action.UNLINK:
        tracker.remove_blocked_by(number, blocker_id)
        return f"#{number} no longer blocked by #{blocker}"
    tracker.add_blocked_by(number, blocker_id)
    return f"#{number} blocked by #{blocker}"


def _issue(
    change: IssueChange,
    tracker: Tracker,
    milestones: dict[str, int],
    created: dict[str, RemoteIssue],
) -> str:
    milestone = milestones[change.milestone] if change.milestone else None
    if change.action is Action.CREATE:
        title, body, labels = change.title or "", change.body or "", change.labels or ()
        issue = tracker.create_issue(NewIssue(change.item_id, title, body, labels, milestone))
        created[change.item_id] = issue
        if change.close_as:
            closing = IssueEdit(state="closed", state_reason=change.close_as)
            tracker.edit_issue(issue.number, closing)
            return f"created #{issue.number} (closed as {change.close_as})"
        return f"created #{issue.number}"
    assert change.number is not None
    if change.comment:
        tracker.comment(change.number, change.comment)
    new_body = change.body
    if change.block is not None:
        # One fresh read: the ticks and notes of this moment, not of the snapshot.
        current = tracker.issue(change.number).body
        new_body = merged_body(change.block, current)
        if new_body is not None and new_body == current.replace("\r\n", "\n"):
            new_body = None
    edit = IssueEdit(
        title=change.title,
        body=new_body,
        labels=change.labels,
        milestone=milestone,
        state=change.state,
        state_reason=change.state_reason,
    )
    if edit == IssueEdit():
        return f"unchanged #{change.number} (already as the roadmap has it)"
    tracker.edit_issue(change.number, edit)
    verb = {
        Action.UPDATE: "updated",
        Action.CLOSE: "closed",
        Action.REOPEN: "reopened",
        Action.CLOSE_DUPLICATE: "closed as a duplicate",
    }[change.action]
    return f"{verb} #{change.number} ({', '.join(change.fields)})"


def apply_edits(tracker: Tracker, number: int, edits: tuple[IssueEdit, ...]) -> RemoteIssue:
    """Apply an issue's edits in order; the answer to the last must show the state and reason
    it asked for (GitHub may ignore a reason), or nothing is reported as done."""
    issue = None
    for edit in edits:
        issue = tracker.edit_issue(number, edit)
    assert issue is not None, "no edits"
    last = edits[-1]
    if not confirms(last, issue):
        wanted = " as ".join(x for x in (last.state, last.state_reason) if x)
        found = " as ".join(x for x in (issue.state, issue.state_reason) if x)
        raise TrackerError(
            f"[issue #{number}] the tracker answered {found}, not {wanted}: it did not take "
            "the change; run the command again"
        )
    return issue
