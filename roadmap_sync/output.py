"""How plans and results read: one line per object, prefixed by its identity; JSON for machines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .plan import Action, Change, IssueChange, LabelChange, LinkChange, MilestoneChange, Plan
from .progress import Progress

if TYPE_CHECKING:
    from .burnup import Pace

PLAN_FORMAT = 1
_STYLE = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.REOPEN: "cyan",
    Action.CLOSE: "red",
    Action.CLOSE_DUPLICATE: "red",
    Action.LINK: "blue",
    Action.UNLINK: "magenta",
}


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
    }
    for change in plan.changes:
        if isinstance(change, LabelChange):
            result["labels"] += 1
        elif isinstance(change, MilestoneChange):
            result["milestones"] += 1
        elif isinstance(change, LinkChange):
            result["links"] += 1
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
        + (f"; {c['links']} sub-issue links." if c["links"] else ".")
    )


def print_plan(console: Console, plan: Plan) -> None:
    """The plan, one line per change; grouped and coloured when the console is a terminal."""
    section = ""
    for change in plan.changes:
        if console.is_terminal:
            kind = type(change).__name__.removesuffix("Change")
            headings = {"Label": "Labels", "Milestone": "Milestones", "Issue": "Issues"}
            heading = headings.get(kind, "Sub-issues")
            if heading != section:
                console.print(f"[bold]{heading}[/bold]")
                section = heading
            style = _STYLE[change.action]
            console.print(f"  [{style}]{escape(f'[{change.key}] {describe(change)}')}[/{style}]")
        else:
            console.print(f"[{change.key}] {describe(change)}", markup=False, highlight=False)
    for conflict in plan.conflicts:
        console.print(f"warning: {conflict}", markup=False, highlight=False)
    console.print(summary_line(plan), markup=False, highlight=False)


_TYPES = {
    "LabelChange": "label",
    "MilestoneChange": "milestone",
    "IssueChange": "issue",
    "LinkChange": "sub-issue",
}


def plan_json(plan: Plan, target: str) -> dict[str, Any]:
    """The documented JSON form of a plan (README: "plan --json")."""
    changes = []
    for change in plan.changes:
        entry: dict[str, Any] = {
            "type": _TYPES[type(change).__name__],
            "action": change.action.value,
            "key": change.key.split(" ", 1)[1],
            "number": getattr(change, "number", None) or None,
            "fields": list(change.fields),
            "description": describe(change),
        }
        changes.append(entry)
    return {
        "format": PLAN_FORMAT,
        "target": target,
        "changes": changes,
        "summary": counts(plan),
        "conflicts": list(plan.conflicts),
    }


def print_status(console: Console, report: Progress, pace: Pace | None = None) -> None:
    """A table per phase (a plain one off a terminal), the overall line and the pace."""
    table = Table(box=None if not console.is_terminal else box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Phase", overflow="fold")
    for name in ("Done", "Doing", "Skipped", "Todo", "%"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for phase in report.phases:
        table.add_row(
            escape(f"{phase.phase.number}. {phase.phase.name}"),
            str(phase.done),
            str(phase.in_progress),
            str(phase.skipped),
            str(phase.todo),
            f"{phase.percent}%",
            _bar(phase.percent),
        )
    console.print(table)
    console.print(
        f"Overall: {report.percent}% ({report.done}/{report.total} done, "
        f"{report.in_progress} in progress, {report.skipped} skipped)",
        markup=False,
    )
    if pace is not None:
        from .burnup import sentence

        line = f"Last 4 weeks: {pace.done_last_4_weeks} done. {sentence(pace)}"
        console.print(line.strip(), markup=False)


def pace_json(pace: Pace | None) -> dict[str, Any] | None:
    """The pace for ``status --json``: null when nothing was done in the last four weeks."""
    if pace is None:
        return None
    return {
        "as_of": pace.as_of.isoformat(),
        "done_last_4_weeks": pace.done_last_4_weeks,
        "per_week": pace.per_week,
        "remaining": pace.remaining,
        "finish": pace.finish.isoformat() if pace.finish else None,
    }


def _bar(percent: int, width: int = 10) -> str:
    filled = percent * width // 100
    return "█" * filled + "░" * (width - filled)
