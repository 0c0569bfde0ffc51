"""The tracker file's records: the shape of each kind (checked on reading, defaults filled in),
the checks GitHub makes on a write, and the records turned into the protocol's values. Pure."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any, TypeGuard

from ..errors import TrackerError
from .base import (
    IssueEdit,
    LabelSpec,
    MilestoneSpec,
    RemoteIssue,
    RemoteMilestone,
    parse_time,
)

FORMAT = 1
IMPLICIT_LABEL_COLOR = "ededed"  # GitHub's colour for a label created by naming it on an issue
ISSUE_ID_BASE = 1_000_000  # ids never equal numbers, so code that mixes them up fails here too
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")
FIX = "fix the file or restore it from git"
Record = dict[str, Any]


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _parses(parse: Callable[[str], object], value: Any) -> bool:
    try:
        return isinstance(value, str) and bool(parse(value))
    except ValueError:
        return False


# What each field of a record must hold: a kind from KINDS, with "!" when the field is
# required, "?" when it may be null (a missing optional field gets the kind's default, or null).
# Kind: (check, what the value must be, default).
# fmt: off
KINDS: dict[str, tuple[Callable[[Any], bool], str, Any]] = {
    "int": (is_int, "an integer", None),
    "str": (lambda v: isinstance(v, str), "text", ""),
    "name": (lambda v: isinstance(v, str) and v != "", "a non-empty name", None),
    "state": (lambda v: v in ("open", "closed"), "'open' or 'closed'", "open"),
    "strs": (lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v), "names", []),
    "objs": (lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v), "objects", []),
    "ids": (lambda v: isinstance(v, list) and all(is_int(i) for i in v), "issue ids", []),
    "time": (lambda v: _parses(parse_time, v), "a time like 2024-01-31T12:00:00Z", None),
    "day": (lambda v: _parses(date.fromisoformat, v), "a date like 2024-01-31", None),
}
SHAPES: dict[str, dict[str, str]] = {
    "labels": {"name": "name!", "color": "str", "description": "str"},
    "milestones": {"number": "int!", "title": "str!", "description": "str", "state": "state",
                   "due_on": "day?"},
    "issues": {"number": "int!", "id": "int!", "title": "str!", "body": "str", "state": "state!",
               "state_reason": "str?", "labels": "strs", "milestone": "int?", "assignees": "strs",
               "created_at": "time!", "updated_at": "time!", "closed_at": "time?",
               "parent": "int?", "comments": "objs", "blocked_by": "ids"},
}
# fmt: on


def defaults(kind: str) -> Record:
    """A record of the kind with every optional field at its default."""
    return {
        name: None if shape.endswith("?") else copy.copy(KINDS[shape][2])
        for name, shape in SHAPES[kind].items()
        if not shape.endswith("!")
    }


def check_label(spec: LabelSpec) -> None:
    """Refuse what GitHub refuses: a bad colour, a description over 100 characters."""
    # GitHub's rules for a label (it answers 422 otherwise).
    if not spec.name or not re.fullmatch(r"[0-9a-fA-F]{6}", spec.color):
        raise TrackerError(f"[label {spec.name}] needs a name and a colour of 6 hex digits")
    if len(spec.description) > 100:
        raise TrackerError(f"[label {spec.name}] the description is over 100 characters")


def check_title(title: str, what: str) -> None:
    """Refuse a blank title, as GitHub does."""
    if not title:
        raise TrackerError(f"[{what}] the title is empty")


def check_edit(number: int, edit: IssueEdit) -> None:
    """Refuse what GitHub refuses in an issue edit: a blank title, an unknown state or reason."""
    what = f"issue #{number}"
    if edit.title is not None:
        check_title(edit.title, what)
    if edit.state not in (None, "open", "closed"):
        raise TrackerError(f"[{what}] state {edit.state!r} is not 'open' or 'closed'")
    reason = edit.state_reason
    if reason not in (None, *STATE_REASONS) or (edit.state, reason) == ("closed", "reopened"):
        raise TrackerError(f"[{what}] {reason!r} is not a valid state_reason")


def stamp(moment: datetime) -> str:
    """A time as the file (and GitHub) writes it: ISO 8601, UTC, ``Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # a naive clock is taken to be UTC
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def label_record(spec: LabelSpec) -> Record:
    """A label as the file keeps it."""
    return {"name": spec.name, "color": spec.color, "description": spec.description}


def set_milestone(raw: Record, spec: MilestoneSpec) -> Record:
    """A milestone record with the spec's title, description and due date."""
    due = spec.due_on.isoformat() if spec.due_on else None
    raw.update(title=spec.title, description=spec.description, due_on=due)
    return raw


def record_fields(raw: Record) -> tuple[Any, ...]:
    """What an edit can change; the order of labels does not count, as on GitHub."""
    keys = ("title", "body", "milestone", "state", "state_reason")
    return (*(raw[key] for key in keys), sorted(name.lower() for name in raw["labels"]))


def milestone_value(raw: Record) -> RemoteMilestone:
    """A milestone record as the protocol's value."""
    due = date.fromisoformat(raw["due_on"]) if raw["due_on"] else None
    return RemoteMilestone(raw["number"], raw["title"], raw["description"], raw["state"], due)


def issue_value(raw: Record, blocking: tuple[int, ...] = ()) -> RemoteIssue:
    """An issue record as the protocol's value; ``blocking``: the ids of the issues it blocks
    (the file keeps each dependency once, on the blocked issue)."""
    plain = ("number", "id", "title", "body", "state", "state_reason", "milestone", "parent")
    return RemoteIssue(
        **{key: raw[key] for key in plain},
        created_at=parse_time(raw["created_at"]),
        updated_at=parse_time(raw["updated_at"]),
        closed_at=parse_time(raw["closed_at"]) if raw["closed_at"] else None,
        labels=tuple(raw["labels"]),
        assignees=tuple(raw["assignees"]),
        url="",  # a local issue has no web page
        blocked_by_total=len(raw["blocked_by"]),
        blocked_by=tuple(raw["blocked_by"]),
        blocking_total=len(blocking),
        blocking=blocking,
    )
