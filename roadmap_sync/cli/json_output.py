"""Every ``--json`` document the CLI prints, built here and nowhere else: ``plan --json``,
``sync --json`` and ``status --json``. Keys come in a fixed order (dicts keep insertion
order), so the output is stable and diffable."""

from __future__ import annotations

import json
from typing import Any

from ..report.activity import streaks
from ..report.pace import Pace
from ..report.progress import Counts, ItemProgress, Progress
from ..sync.apply import Summary
from ..sync.changes import Plan
from .plan_words import counts, describe

PLAN_FORMAT = 1
_TYPES = {
    "LabelChange": "label",
    "MilestoneChange": "milestone",
    "IssueChange": "issue",
    "LinkChange": "sub-issue",
    "DependencyChange": "dependency",
}


def dumps(doc: dict[str, Any] | list[dict[str, Any]]) -> str:
    """A document as the CLI prints it."""
    return json.dumps(doc, indent=2)


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


def summary_json(summary: Summary, plan: Plan) -> dict[str, Any]:
    """What ``sync --json`` prints."""
    return {
        "created": summary.created,
        "updated": summary.updated,
        "closed": summary.closed,
        "reopened": summary.reopened,
        "linked": summary.linked,
        "dependencies": summary.dependencies,
        "unchanged": summary.unchanged,
        "labels": summary.labels,
        "milestones": summary.milestones,
        "writes": plan.writes,
        "seconds": round(summary.seconds, 3),
        "conflicts": list(plan.conflicts),
    }


def _counts(counts: Counts) -> dict[str, int]:
    return {
        "done": counts.done,
        "in_progress": counts.in_progress,
        "skipped": counts.skipped,
        "todo": counts.todo,
        "total": counts.total,
        "countable": counts.countable,
        "percent": counts.percent,
        "tasks_done": counts.tasks_done,
        "tasks_total": counts.tasks_total,
    }


def status_json(progress: Progress, pace: Pace | None) -> dict[str, Any]:
    """The ``status --json`` document: overall and per-phase counts, every item, the pace and
    the weekly streaks."""
    found = streaks(progress)
    return {
        "title": progress.roadmap.title,
        **_counts(progress),
        "missing": progress.missing,
        "phases": [
            {"id": p.phase.id, "number": p.phase.number, "name": p.phase.name, **_counts(p)}
            for p in progress.phases
        ],
        "items": [
            {
                "id": i.item.id,
                "title": i.item.title,
                "kind": i.item.kind.value,
                "phase": i.phase.id,
                "status": i.status.value,
                "number": i.number,
                "url": i.url,
                "closed_at": i.closed_at.isoformat() if i.closed_at else None,
                "tasks_done": i.tasks_done,
                "tasks_total": i.tasks_total,
                "needs": list(i.item.needs),
                "blocked": i.blocked,
            }
            for i in progress.items
        ],
        "pace": pace_json(pace),
        "streak": {"current": found.current, "longest": found.longest},
    }


def next_json(entries: list[ItemProgress]) -> list[dict[str, Any]]:
    """What ``next --json`` prints: the items to work on now, in that order."""
    return [
        {
            "id": e.item.id,
            "title": e.item.title,
            "number": e.number,
            "status": e.status.value,
            "phase": e.phase.id,
        }
        for e in entries
    ]


def pace_json(pace: Pace | None) -> dict[str, Any] | None:
    """The pace for ``status --json``: null when nothing was done in the last four weeks;
    ``per_week`` and ``finish`` are null until two weeks lie between the first and the latest
    completion (``since`` and ``done_since`` say what there is so far)."""
    if pace is None:
        return None
    return {
        "as_of": pace.as_of.isoformat(),
        "since": pace.since.isoformat(),
        "done_since": pace.done_since,
        "done_last_4_weeks": pace.done_last_4_weeks,
        "per_week": pace.per_week,
        "remaining": pace.remaining,
        "finish": pace.finish.isoformat() if pace.finish else None,
    }
