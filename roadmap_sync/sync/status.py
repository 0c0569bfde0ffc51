"""An issue's status in the roadmap's words, both ways: what an issue says (done, in progress,
skipped, to do) and the edit that makes it say so (``done``, ``start``, ``skip``, ``reopen``).
Pure."""

from __future__ import annotations

import enum

from ..trackers.base import IssueEdit, RemoteIssue

IN_PROGRESS_LABEL = "in progress"
VERBS = ("done", "start", "skip", "reopen")
# GitHub's reasons for closing an issue that mean "not done"; any other reason (completed,
# or none at all on issues closed before GitHub recorded reasons) means done.
SKIP_REASONS = frozenset({"not_planned", "duplicate"})


class Status(enum.Enum):
    """Where an item stands, read from its issue."""

    DONE = "done"
    IN_PROGRESS = "in progress"
    SKIPPED = "skipped"
    TODO = "todo"


def status_of(issue: RemoteIssue, ticked: int = 0) -> Status:
    """The status an issue gives its item: closed as completed is done, closed as not
    planned is skipped; open with the ``in progress`` label, an assignee or a ticked task
    (``ticked`` of its item's tasks are) is in progress."""
    if issue.state == "closed":
        return Status.SKIPPED if issue.state_reason in SKIP_REASONS else Status.DONE
    labelled = any(name.lower() == IN_PROGRESS_LABEL for name in issue.labels)
    return Status.IN_PROGRESS if labelled or issue.assignees or ticked else Status.TODO


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
