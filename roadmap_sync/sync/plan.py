"""diff(Desired, Snapshot) → Plan: the ordered writes that make the tracker match (pure)."""

from __future__ import annotations

from collections.abc import Mapping

from ..trackers.base import LabelSpec, RemoteIssue, RemoteLabel, Snapshot
from . import dependencies, subissues
from .changes import Action, Change, IssueChange, LabelChange, Plan
from .desired import REMOVED_LABEL, TAG_DESCRIPTION, Desired, IssueSpec
from .identity import index_issues
from .milestones import milestone_plan
from .tasks import merged_body


def diff(desired: Desired, snapshot: Snapshot) -> Plan:
    """Everything that must change so the tracker matches the desired state."""
    changes: list[Change] = list(_labels(desired, snapshot.labels))
    milestone_changes, milestones = milestone_plan(desired.milestones, snapshot.milestones)
    changes += milestone_changes
    ours = {label.name.lower() for label in snapshot.labels if label.description == TAG_DESCRIPTION}
    managed = desired.managed_labels | ours
    issue_changes, conflicts, unchanged, keepers = _issues(desired, snapshot, milestones, managed)
    if any(c.labels and REMOVED_LABEL in c.labels for c in issue_changes):
        have = {label.name.lower() for label in snapshot.labels}
        if REMOVED_LABEL not in have:
            spec = LabelSpec(REMOVED_LABEL, "cfd3d7", "Roadmap: the item left the roadmap")
            changes.append(LabelChange(Action.CREATE, spec))
    changes += issue_changes
    if desired.sub_issues:
        closing = {c.number for c in issue_changes if c.action is Action.CLOSE and c.number}
        changes += subissues.links(desired, keepers, snapshot.issues, closing)
    # Last: every issue an edge needs exists by then.
    changes += dependencies.changes(desired, snapshot)
    return Plan(tuple(changes), milestones, conflicts, unchanged)


def _labels(desired: Desired, remote: tuple[RemoteLabel, ...]) -> list[LabelChange]:
    by_name = {label.name.lower(): label for label in remote}
    changes = []
    for spec in desired.labels:
        have = by_name.get(spec.name.lower())
        if have is None:
            changes.append(LabelChange(Action.CREATE, spec))
            continue
        if not spec.own:
            continue
        fields = tuple(
            name
            for name, differs in (
                ("name", have.name != spec.name),
                ("color", have.color.lower() != spec.color.lower()),
                ("description", (have.description or "") != spec.description),
            )
            if differs
        )
        if fields:
            changes.append(LabelChange(Action.UPDATE, spec, have.name, fields))
    return changes


def _issues(
    desired: Desired,
    snapshot: Snapshot,
    milestones: Mapping[str, int],
    managed: frozenset[str],
) -> tuple[list[IssueChange], tuple[str, ...], int, dict[str, RemoteIssue | None]]:
    index = index_issues(snapshot.issues)
    changes: list[IssueChange] = []
    duplicates: list[IssueChange] = []
    unchanged = 0
    claimed: set[int] = set()
    keepers: dict[str, RemoteIssue | None] = {}
    for spec in desired.issues:
        found = [
            i for i in index.candidates(spec.item_id, spec.former_ids) if i.number not in claimed
        ]
        keepers[spec.item_id] = found[0] if found else None
        # A phase's parent issue is closed exactly when each of its items is (done or skipped).
        complete = spec.parent and subissues.phase_complete(desired, spec.phase_id, keepers)
        if not found:
            changes.append(
                IssueChange(
                    Action.CREATE,
                    spec.item_id,
                    title=spec.title,
                    body=spec.block,
                    labels=spec.labels,
                    milestone=spec.phase_id,
                    close_as="completed" if spec.done_hint or complete else None,
                )
            )
            continue
        keeper, *extra = found
        claimed.update(i.number for i in found)
        state = ("closed" if complete else "open") if spec.parent else None
        rest = index.rests[keeper.number]
        change = _update(spec, keeper, rest, managed, milestones, state)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
        duplicates += [_close_duplicate(spec.item_id, dup, keeper) for dup in extra if _open(dup)]

    live = {spec.item_id for spec in desired.issues}
    for item_id, issues in sorted(index.by_id.items()):
        if item_id in live:
            continue
        for issue in issues:
            if issue.number in claimed or not _open(issue):
                continue
            labels = tuple(dict.fromkeys([*issue.labels, REMOVED_LABEL]))
            changes.append(
                IssueChange(
                    Action.CLOSE,
                    item_id,
                    issue.number,
                    labels=labels,
                    state="closed",
                    state_reason="not_planned",
                    fields=("state", "labels"),
                )
            )
    return changes + duplicates, index.conflicts, unchanged, keepers


def _open(issue: RemoteIssue) -> bool:
    return issue.state == "open"


def _update(
    spec: IssueSpec,
    issue: RemoteIssue,
    rest: str | None,
    managed: frozenset[str],
    milestones: Mapping[str, int],
    state: str | None = None,
) -> IssueChange | None:
    """The edit that brings an issue in line with its spec; ``state`` is set only for the
    issues whose open/closed state the tool owns (phase parents)."""
    removed = REMOVED_LABEL in _label_set(issue.labels)
    reopen = (removed and issue.state == "closed") or (state == "open" and issue.state == "closed")
    wanted = _label_set(spec.labels)
    kept = [
        name
        for name in issue.labels
        if name.lower() not in managed | wanted and name.lower() != REMOVED_LABEL
    ]
    labels = (*spec.labels, *kept)
    body = merged_body(spec.block, issue.body) if rest is not None else None
    target = milestones.get(spec.phase_id)
    title_change = spec.title if issue.title != spec.title else None
    same = body is None or issue.body.replace("\r\n", "\n") == body
    body_change = None if same else body
    labels_change = labels if _label_set(labels) != _label_set(issue.labels) else None
    milestone_change = spec.phase_id if target is None or issue.milestone != target else None
    # A done hint from `import` closes a new issue; a crash between its creation and its
    # closing leaves it open but untouched since creation, which is how we recognise it.
    finish = spec.done_hint and _open(issue) and issue.updated_at == issue.created_at
    finish = finish or (state == "closed" and _open(issue))
    fields = tuple(
        name
        for name, value in (
            ("title", title_change),
            ("body", body_change),
            ("labels", labels_change),
            ("milestone", milestone_change),
            ("state", reopen or finish or None),
        )
        if value is not None
    )
    if not fields:
        return None
    return IssueChange(
        Action.REOPEN if reopen else Action.CLOSE if finish else Action.UPDATE,
        spec.item_id,
        issue.number,
        title=title_change,
        body=body_change,
        block=spec.block if body_change is not None else None,
        labels=labels_change,
        milestone=milestone_change,
        state="open" if reopen else "closed" if finish else None,
        state_reason="completed" if finish else None,
        fields=fields,
    )


def _label_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name.lower() for name in names)


def _close_duplicate(item_id: str, duplicate: RemoteIssue, keeper: RemoteIssue) -> IssueChange:
    return IssueChange(
        Action.CLOSE_DUPLICATE,
        item_id,
        duplicate.number,
        state="closed",
        state_reason="not_planned",
        comment=f"Closed by roadmap-sync: a duplicate of #{keeper.number}, "
        f"which tracks roadmap item `{item_id}`.",
        fields=("state",),
    )
