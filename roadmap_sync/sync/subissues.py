"""Sub-issues mode (pure): which item issues hang under which phase's parent issue."""

from __future__ import annotations

from collections.abc import Mapping

from ..trackers.base import RemoteIssue
from .changes import Action, LinkChange
from .desired import Desired


def phase_complete(
    desired: Desired, phase_id: str, keepers: Mapping[str, RemoteIssue | None]
) -> bool:
    """Every item of the phase has an issue, and every one of them is closed."""
    items = [s for s in desired.issues if s.phase_id == phase_id and not s.parent]
    return bool(items) and all(
        (issue := keepers.get(spec.item_id)) is not None and issue.state == "closed"
        for spec in items
    )


def links(
    desired: Desired,
    keepers: Mapping[str, RemoteIssue | None],
    issues: tuple[RemoteIssue, ...],
    closing: set[int],
) -> list[LinkChange]:
    """Attach each item's issue to its phase's parent; detach the issues of removed items.

    A moved item is re-parented with ``replace`` in one request; an issue already under the
    right parent costs nothing.
    """
    parents = {spec.phase_id: keepers.get(spec.item_id) for spec in desired.issues if spec.parent}
    ours = {issue.number for issue in parents.values() if issue is not None}
    changes = []
    live = set()
    for spec in desired.issues:
        if spec.parent:
            continue
        child, parent = keepers.get(spec.item_id), parents.get(spec.phase_id)
        if child is not None:
            live.add(child.number)
        if child is not None and parent is not None and child.parent == parent.number:
            continue
        changes.append(
            LinkChange(
                Action.LINK,
                spec.item_id,
                spec.phase_id,
                number=child.number if child else None,
                child_id=child.id if child else None,
                parent=parent.number if parent else None,
                replace=child is not None and child.parent is not None,
            )
        )
    for issue in issues:
        gone = issue.number not in live and (issue.number in closing or issue.state == "closed")
        if gone and issue.parent in ours and issue.number not in ours:
            changes.append(
                LinkChange(
                    Action.UNLINK,
                    f"#{issue.number}",
                    "",
                    number=issue.number,
                    child_id=issue.id,
                    parent=issue.parent,
                )
            )
    return changes
