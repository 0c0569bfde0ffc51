"""The tracker file's contents, read from its JSON and dumped back, and every tracker operation
as a change of its records, mirroring what GitHub does with the same request (numbering, state
reasons, implicit labels, case-insensitive names). Pure: reading, locking and writing the file
is local.py's business; the records' shapes and checks are local_records.py's."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import TrackerError
from .base import (
    MANAGED_LABEL,
    IssueEdit,
    LabelSpec,
    MilestoneSpec,
    NewIssue,
    RemoteIssue,
    RemoteLabel,
    Snapshot,
)
from .local_records import (
    FIX,
    FORMAT,
    IMPLICIT_LABEL_COLOR,
    ISSUE_ID_BASE,
    KINDS,
    SHAPES,
    Record,
    defaults,
    is_int,
    issue_value,
    label_record,
    milestone_value,
    record_fields,
    set_milestone,
)

MAX_DEPENDENCIES = 50  # GitHub's limit per relationship type and issue


@dataclass
class FileState:
    """The file's records, indexed; ``text`` is the file as read, to skip identical writes."""

    labels: dict[str, Record] = field(default_factory=dict)  # by lower-case name
    milestones: dict[int, Record] = field(default_factory=dict)
    issues: dict[int, Record] = field(default_factory=dict)
    next_issue: int = 1
    next_milestone: int = 1
    next_id: int = ISSUE_ID_BASE + 1  # not stored: one more than the largest id
    extra: Record = field(default_factory=dict)  # unknown top-level keys, kept as they are
    text: str = ""
    where: str = "the tracker file"  # how messages name the file

    def dump(self) -> str:
        """Pretty, sorted, deterministic JSON: the file is committed and diffed."""
        doc = {
            **self.extra,
            "format": FORMAT,
            "labels": sorted(self.labels.values(), key=lambda raw: raw["name"].lower()),
            "milestones": [raw for _, raw in sorted(self.milestones.items())],
            "issues": [raw for _, raw in sorted(self.issues.items())],
            "next_issue": self.next_issue,
            "next_milestone": self.next_milestone,
        }
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def snapshot(self, issues_only: bool) -> Snapshot:
        """Every label and milestone, and the issues carrying the managed label (in any case),
        like GitHub's ``labels=roadmap`` listing; ``issues_only`` leaves out labels and
        milestones, as the GitHub tracker does (so no caller comes to rely on them here)."""
        issues = tuple(
            issue_value(raw, self.blocking(raw["id"]))
            for _, raw in sorted(self.issues.items())
            if MANAGED_LABEL in (name.lower() for name in raw["labels"])
        )
        if issues_only:
            return Snapshot((), (), issues)
        labels = sorted(self.labels.values(), key=lambda raw: raw["name"].lower())
        return Snapshot(
            tuple(RemoteLabel(raw["name"], raw["color"], raw["description"]) for raw in labels),
            tuple(milestone_value(raw) for _, raw in sorted(self.milestones.items())),
            issues,
        )

    def create_label(self, spec: LabelSpec) -> None:
        """A label; one of the same name (in any case) already there counts as success."""
        self.labels.setdefault(spec.name.lower(), label_record(spec))

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        """Rename and recolour a label; the issues carrying it follow, as on GitHub."""
        old, new = current_name.lower(), spec.name.lower()
        if old not in self.labels:
            raise TrackerError(f"[label {current_name}] no such label in {self.where}")
        if new != old and new in self.labels:
            raise TrackerError(f"[label {spec.name}] a label of that name already exists")
        del self.labels[old]
        self.labels[new] = label_record(spec)
        for raw in self.issues.values():
            raw["labels"] = [spec.name if n.lower() == old else n for n in raw["labels"]]

    def create_milestone(self, spec: MilestoneSpec) -> int:
        """A new milestone's number, or the number of the one with that title (any case,
        open or closed), as GitHub's refusal of a duplicate title lets the GitHub tracker do."""
        for number, raw in sorted(self.milestones.items()):
            if raw["title"].lower() == spec.title.lower():
                return number
        number, self.next_milestone = self.next_milestone, self.next_milestone + 1
        self.milestones[number] = set_milestone({"number": number, "state": "open"}, spec)
        return number

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        """Change a milestone's title, description and due date."""
        what = f"milestone {spec.phase_id}"
        self._check_milestone(number, what)
        for other, raw in self.milestones.items():
            if other != number and raw["title"].lower() == spec.title.lower():
                raise TrackerError(f"[{what}] milestone #{other} already has that title")
        set_milestone(self.milestones[number], spec)

    def create_issue(self, new: NewIssue, now: str) -> RemoteIssue:
        """An open issue; unknown labels are created, as GitHub does."""
        what = f"issue {new.item_id}"
        if new.milestone is not None:
            self._check_milestone(new.milestone, what)
        number = self.next_issue
        raw = defaults("issues")
        raw.update(number=number, id=self.next_id, title=new.title, body=new.body)
        raw.update(state="open", milestone=new.milestone, created_at=now, updated_at=now)
        raw["labels"] = ensure_labels(self, new.labels, what)
        self.issues[number] = raw
        self.next_issue, self.next_id = number + 1, self.next_id + 1
        return issue_value(raw)

    def edit_issue(self, number: int, edit: IssueEdit, now: str) -> RemoteIssue:
        """Change the given fields; ``updated_at`` moves only if something changed (GitHub's
        rule). Closing sets ``closed_at`` and a reason (``completed`` unless given); reopening
        sets the reason ``reopened`` and clears ``closed_at``; milestone 0 removes it. As on
        GitHub, a reason is ignored unless the state changes."""
        what = f"issue #{number}"
        raw = self.record(number)
        if edit.milestone:
            self._check_milestone(edit.milestone, what)
        before = record_fields(raw)
        if edit.labels is not None:
            raw["labels"] = ensure_labels(self, edit.labels, what)
        raw.update({k: getattr(edit, k) for k in ("title", "body") if getattr(edit, k) is not None})
        if edit.milestone is not None:
            raw["milestone"] = edit.milestone or None
        reason = edit.state_reason
        if edit.state == "closed" and raw["state"] == "open":
            raw.update(state="closed", closed_at=now, state_reason=reason or "completed")
        elif edit.state == "open" and raw["state"] == "closed":
            raw.update(state="open", closed_at=None, state_reason="reopened")
        if record_fields(raw) != before:
            raw["updated_at"] = now
        return issue_value(raw)

    def comment(self, number: int, body: str, now: str) -> None:
        """Append a comment; like GitHub, it bumps ``updated_at``."""
        raw = self.record(number)
        raw["updated_at"] = now
        raw["comments"].append({"body": body, "created_at": now})

    def add_sub_issue(self, parent: int, child_id: int, replace: bool, now: str) -> None:
        """Like GitHub: a child has at most one parent; moving it needs ``replace``."""
        self.record(parent)
        child = self._by_id(child_id)
        if child["parent"] not in (None, parent) and not replace:
            raise TrackerError(
                f"[issue #{child['number']}] already a sub-issue of #{child['parent']}"
            )
        if child["parent"] != parent:
            child["parent"] = parent
            child["updated_at"] = now

    def remove_sub_issue(self, parent: int, child_id: int, now: str) -> None:
        """Detach a child from its parent; detaching a child of another parent is an error."""
        child = self._by_id(child_id)
        if child["parent"] != parent:
            raise TrackerError(f"[issue #{child['number']}] not a sub-issue of #{parent}")
        child["parent"] = None
        child["updated_at"] = now

    def blocking(self, issue_id: int) -> tuple[int, ...]:
        """The ids of the issues the issue with this id blocks."""
        return tuple(
            raw["id"] for _, raw in sorted(self.issues.items()) if issue_id in raw["blocked_by"]
        )

    def add_blocked_by(self, number: int, blocker_id: int, now: str) -> None:
        """Like GitHub: the blocker by id, never the issue itself, at most 50 per issue."""
        raw, blocker = self.record(number), self._by_id(blocker_id)
        if blocker is raw:
            raise TrackerError(f"[issue #{number}] an issue cannot block itself")
        if blocker_id in raw["blocked_by"]:
            return
        if len(raw["blocked_by"]) >= MAX_DEPENDENCIES:
            raise TrackerError(f"[issue #{number}] already blocked by {MAX_DEPENDENCIES} issues")
        raw["blocked_by"] = sorted([*raw["blocked_by"], blocker_id])
        raw["updated_at"] = now

    def remove_blocked_by(self, number: int, blocker_id: int, now: str) -> None:
        """Remove the dependency; one that is not there is already gone."""
        raw = self.record(number)
        if blocker_id in raw["blocked_by"]:
            raw["blocked_by"] = [i for i in raw["blocked_by"] if i != blocker_id]
            raw["updated_at"] = now

    def record(self, number: int) -> Record:
        """One issue's record by number, managed or not; TrackerError when there is none."""
        if number not in self.issues:
            raise TrackerError(f"[issue #{number}] no such issue in {self.where}")
        return self.issues[number]

    def _by_id(self, child_id: int) -> Record:
        for raw in self.issues.values():
            if raw["id"] == child_id:
                return raw
        raise TrackerError(f"[issue id {child_id}] no such issue in {self.where}")

    def _check_milestone(self, number: int, what: str) -> None:
        if number not in self.milestones:
            raise TrackerError(f"[{what}] milestone #{number} does not exist in {self.where}")


def parse_file(data: Any, text: str, where: str) -> FileState:
    """Check the shape of a decoded tracker file and fill in defaults; say what is wrong."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise TrackerError(f"{where}: must hold a JSON object, not a {kind}; {FIX}")
    version = data.get("format")
    if not is_int(version) or version < 1:
        raise TrackerError(f"{where}: 'format' must be the integer {FORMAT}; {FIX}")
    if version > FORMAT:
        msg = f"format {version} was written by a newer roadmap-sync"
        raise TrackerError(f"{where}: {msg}; upgrade (pip install -U roadmap-sync)")
    known = {"format", "next_issue", "next_milestone", *SHAPES}
    extra = {k: v for k, v in data.items() if k not in known}
    state = FileState(extra=extra, text=text, where=where)
    ids: set[int] = set()  # issue ids, unique like numbers
    for kind, shape in SHAPES.items():
        records = data.get(kind, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TrackerError(f"{where}: '{kind}' must be a list of objects; {FIX}")
        table: dict[Any, Record] = getattr(state, kind)
        for index, raw in enumerate(records):
            for name, value in defaults(kind).items():
                raw.setdefault(name, value)
            for name, kind_of in shape.items():
                check, expected, _ = KINDS[kind_of.rstrip("!?")]
                if name not in raw:
                    raise TrackerError(f"{where}: {kind}[{index}] has no '{name}'; {FIX}")
                if not (check(raw[name]) or (kind_of.endswith("?") and raw[name] is None)):
                    msg = f"{kind}[{index}] '{name}' must be {expected}, not {raw[name]!r}"
                    raise TrackerError(f"{where}: {msg}; {FIX}")
            key = raw["name"].lower() if kind == "labels" else raw["number"]
            if key in table or (kind == "issues" and raw["id"] in ids):
                raise TrackerError(f"{where}: {kind}[{index}] repeats {key!r} or its id; {FIX}")
            table[key] = raw
            if kind == "issues":
                ids.add(raw["id"])
    for name, numbers in (("next_issue", state.issues), ("next_milestone", state.milestones)):
        counter = data.get(name, 1)
        if not is_int(counter):
            raise TrackerError(f"{where}: '{name}' must be an integer; {FIX}")
        # Never reuse a number, even when a hand edit left the counter behind.
        setattr(state, name, max([counter, *(number + 1 for number in numbers)]))
    state.next_id = max([ISSUE_ID_BASE, *(raw["id"] for raw in state.issues.values())]) + 1
    return state


def ensure_labels(state: FileState, names: tuple[str, ...], what: str) -> list[str]:
    """The labels' stored names, deduplicated and sorted as GitHub lists them; a missing
    label is created with GitHub's implicit colour."""
    if not all(names):
        raise TrackerError(f"[{what}] a label name is empty")
    found: dict[str, str] = {}
    for name in names:
        implicit = {"name": name, "color": IMPLICIT_LABEL_COLOR, "description": ""}
        found.setdefault(name.lower(), state.labels.setdefault(name.lower(), implicit)["name"])
    return sorted(found.values(), key=str.lower)
