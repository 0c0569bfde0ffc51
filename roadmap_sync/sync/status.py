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
    labelled = _in_progress(issue)
    return Status.IN_PROGRESS if labelled or issue.assignees or ticked else Status.TODO


def _in_progress(issue: RemoteIssue) -> bool:
    """Whether the issue has the ``in progress`` label (GitHub compares labels caselessly)."""
    return any(name.lower() == IN_PROGRESS_LABEL for name in issue.labels)


def edits_for(verb: str, issue: RemoteIssue) -> tuple[IssueEdit, ...]:
    """The edits that mark an issue, in order; none when it already is in that state.

    GitHub ignores ``state_reason`` unless the state changes, so a closed issue whose reason
    must change (done → skipped, skipped → done) is reopened first and closed again with the
    new reason: two writes, the most it ever takes.
    """
    in_progress = _in_progress(issue)
    without = tuple(name for name in issue.labels if name.lower() != IN_PROGRESS_LABEL)
    labels = without if in_progress else None
    if verb in ("done", "skip"):
        reason = "completed" if verb == "done" else "not_planned"
        if issue.state == "closed":
            if (issue.state_reason or "completed") == reason or (
                verb == "skip" and issue.state_reason in SKIP_REASONS
            ):
                return ()
            return (
                IssueEdit(labels=labels, state="open"),
                IssueEdit(state="closed", state_reason=reason),
            )
        return (IssueEdit(labels=labels, state="closed", state_reason=reason),)
    if verb == "start":
        if issue.state == "open" and in_progress:
            return ()
        return (
            IssueEdit(
                labels=(*issue.labels, IN_PROGRESS_LABEL) if not in_progress else None,
                state="open" if issue.state == "closed" else None,
            ),
        )
    if verb == "reopen":
        return (IssueEdit(state="open"),) if issue.state == "closed" else ()
    raise ValueError(verb)


def confirms(edit: IssueEdit, issue: RemoteIssue) -> bool:
    """Whether the tracker's answer shows the state and reason an edit asked for."""
    if edit.state is not None and issue.state != edit.state:
        return False
    return edit.state_reason is None or issue.state_reason == edit.state_reason
