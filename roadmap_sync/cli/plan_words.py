"""What a plan says in words: each change described, and the counts by kind (pure text, the
same for the terminal and for ``--json``)."""

from __future__ import annotations

from ..sync.changes import (
    Action,
    Change,
    DependencyChange,
    IssueChange,
    LabelChange,
    LinkChange,
    MilestoneChange,
    Plan,
)


def describe(change: Change) -> str:
    """What a change will do, without its identity prefix."""
    if isinstance(change, LabelChange):
        if change.action is Action.CREATE:
            return "create"
        return f"update {change.current_name!r} ({', '.join(change.fields)})"
    if isinstance(change, MilestoneChange):
        if change.action is Action.CREATE:
            return f"create {change.spec.title!r}"
        return f"update #{change.number} ({', '.join(change.fields)})"
    if isinstance(change, LinkChange):
        child = f"#{change.number}" if change.number else "the new issue"
        parent = f"#{change.parent}" if change.parent else f"the new parent of {change.phase_id}"
        if change.action is Action.UNLINK:
            return f"detach {child} from {parent}"
        return f"{'move' if change.replace else 'attach'} {child} under {parent}"
    if isinstance(change, DependencyChange):
        blocked = f"#{change.number}" if change.number else "the new issue"
        blocker = f"#{change.blocker_number}" if change.blocker_number else "the new issue"
        blocker += f" ({change.need_id})"
        if change.action is Action.UNLINK:
            return f"{blocked} no longer blocked by {blocker}"
        return f"{blocked} blocked by {blocker}"
    return _describe_issue(change)


def _describe_issue(change: IssueChange) -> str:
    if change.action is Action.CREATE:
        closed = f", closed as {change.close_as}" if change.close_as else ""
        return f"create {change.title!r}{closed}"
    fields = ", ".join(change.fields)
    if change.action is Action.CLOSE and change.state_reason == "not_planned":
        return f"close #{change.number} as not planned (the item left the roadmap)"
    if change.action is Action.CLOSE:
        return f"close #{change.number} as {change.state_reason} ({fields})"
    if change.action is Action.CLOSE_DUPLICATE:
        return f"close #{change.number} as a duplicate, with a comment"
    return f"{change.action.value} #{change.number} ({fields})"


def counts(plan: Plan) -> dict[str, int]:
    """Changes by kind, for summaries."""
    result = {
        "writes": plan.writes,
        "labels": 0,
        "milestones": 0,
        "create": 0,
        "update": 0,
        "close": 0,
        "reopen": 0,
        "links": 0,
        "dependencies": 0,
    }
    for change in plan.changes:
        if isinstance(change, LabelChange):
            result["labels"] += 1
        elif isinstance(change, MilestoneChange):
            result["milestones"] += 1
        elif isinstance(change, LinkChange):
            result["links"] += 1
        elif isinstance(change, DependencyChange):
            result["dependencies"] += 1
        else:
            action = change.action.value
            result["close" if action == "close-duplicate" else action] += 1
    result["unchanged"] = plan.unchanged
    return result


def summary_line(plan: Plan) -> str:
    """``Plan: 101 writes — 11 labels, 7 milestones; issues: 83 to create, …``."""
    if not plan.changes:
        return f"Up to date: {plan.unchanged} issues match the roadmap, nothing to write."
    c = counts(plan)
    return (
        f"Plan: {c['writes']} writes: {c['labels']} labels, {c['milestones']} milestones; "
        f"issues: {c['create']} to create, {c['update']} to update, {c['close']} to close, "
        f"{c['reopen']} to reopen, {c['unchanged']} unchanged"
        + (f"; {c['links']} sub-issue links" if c["links"] else "")
        + (f"; {c['dependencies']} dependencies." if c["dependencies"] else ".")
    )
