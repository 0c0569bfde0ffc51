"""The local tracker: issues kept in a JSON file in the repository, for working offline.

It mirrors what GitHub does with the same requests (numbering, state reasons, implicit labels,
case-insensitive names), so the whole loop works without a token and offline progress lives in
git. Writes are atomic and serialised between processes with ``fcntl.flock``, which is
POSIX-only: the tool targets Linux and macOS (GitHub's runners included), not Windows.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeGuard

from ..desired import MANAGED_LABEL, LabelSpec, MilestoneSpec
from ..errors import TrackerError
from .base import IssueEdit, NewIssue, RemoteIssue, RemoteLabel, RemoteMilestone, Snapshot

FORMAT = 1
DEFAULT_PATH = Path(".roadmap-sync/tracker.json")
IMPLICIT_LABEL_COLOR = "ededed"  # GitHub's colour for a label created by naming it on an issue
ISSUE_ID_BASE = 1_000_000  # ids never equal numbers, so code that mixes them up fails here too
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")
FIX = "fix the file or restore it from git"
GITIGNORE = (
    "# Commit {name} (your progress); locks and temp files stay local.\n*\n!.gitignore\n!{name}\n"
)
Record = dict[str, Any]


def utc_now() -> datetime:
    """The current time in UTC, to the second (GitHub's precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class LocalTracker:
    """Labels, milestones and issues in one JSON file, by default ``.roadmap-sync/tracker.json``.

    Every mutating call is a read-modify-write under an exclusive lock on the ``.lock`` file
    beside it. Inside :meth:`session` the lock is held throughout: the file is read once and
    written once, when the outermost session ends (after an error too, so every call that
    returned is kept); a kill before then leaves the previous state, whole.
    """

    def __init__(self, path: Path = DEFAULT_PATH, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self.lock_path = self.path.with_suffix(".lock")

    @property
    def name(self) -> str:
        """``local PATH``, for messages."""
        return f"local {self.path}"

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Hold the lock across several calls, e.g. to make snapshot → plan → apply one critical
        section. Re-entrant in this thread; other threads and processes wait."""
        hold = _hold(self.lock_path)
        with hold.guard:
            if hold.depth == 0:
                hold.fd = self._acquire()
                hold.owner = threading.get_ident()
            hold.depth += 1
            try:
                yield
            finally:
                hold.depth -= 1
                if hold.depth == 0:
                    self._release(hold)

    def snapshot(self, issues_only: bool = False) -> Snapshot:
        """Every label and milestone, and the issues carrying the managed label (in any case),
        like GitHub's ``labels=roadmap`` listing; ``issues_only`` leaves out labels and
        milestones, as the GitHub tracker does (so no caller comes to rely on them here)."""
        state = self._read()
        issues = tuple(
            _issue(raw)
            for _, raw in sorted(state.issues.items())
            if MANAGED_LABEL in (name.lower() for name in raw["labels"])
        )
        if issues_only:
            return Snapshot((), (), issues)
        labels = sorted(state.labels.values(), key=lambda raw: raw["name"].lower())
        return Snapshot(
            tuple(RemoteLabel(raw["name"], raw["color"], raw["description"]) for raw in labels),
            tuple(_milestone(raw) for _, raw in sorted(state.milestones.items())),
            issues,
        )

    def issue(self, number: int) -> RemoteIssue:
        """One issue by number, managed or not; TrackerError when there is none."""
        return _issue(self._issue_record(self._read(), number))

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; one of the same name (in any case) already there counts as success."""
        _check_label(spec)
        with self._change() as state:
            state.labels.setdefault(spec.name.lower(), _label_record(spec))

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        """Rename and recolour a label; the issues carrying it follow, as on GitHub."""
        _check_label(spec)
        old, new = current_name.lower(), spec.name.lower()
        with self._change() as state:
            if old not in state.labels:
                raise TrackerError(f"[label {current_name}] no such label in {self.path}")
            if new != old and new in state.labels:
                raise TrackerError(f"[label {spec.name}] a label of that name already exists")
            del state.labels[old]
            state.labels[new] = _label_record(spec)
            for raw in state.issues.values():
                raw["labels"] = [spec.name if n.lower() == old else n for n in raw["labels"]]

    def create_milestone(self, spec: MilestoneSpec) -> int:
        """Create a milestone, or return the number of the one with that title (any case,
        open or closed), as GitHub's refusal of a duplicate title lets the GitHub tracker do."""
        _check_title(spec.title, f"milestone {spec.phase_id}")
        with self._change() as state:
            for number, raw in sorted(state.milestones.items()):
                if raw["title"].lower() == spec.title.lower():
                    return number
            number, state.next_milestone = state.next_milestone, state.next_milestone + 1
            state.milestones[number] = _set_milestone({"number": number, "state": "open"}, spec)
            return number

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        """Change a milestone's title, description and due date."""
        what = f"milestone {spec.phase_id}"
        _check_title(spec.title, what)
        with self._change() as state:
            self._check_milestone(state, number, what)
            for other, raw in state.milestones.items():
                if other != number and raw["title"].lower() == spec.title.lower():
                    raise TrackerError(f"[{what}] milestone #{other} already has that title")
            _set_milestone(state.milestones[number], spec)

    def create_issue(self, new: NewIssue) -> RemoteIssue:
        """Create an open issue; unknown labels are created, as GitHub does."""
        what = f"issue {new.item_id}"
        _check_title(new.title, what)
        with self._change() as state:
            if new.milestone is not None:
                self._check_milestone(state, new.milestone, what)
            number, now = state.next_issue, _stamp(self.clock())
            raw = _defaults("issues")
            raw.update(number=number, id=state.next_id, title=new.title, body=new.body)
            raw.update(state="open", milestone=new.milestone, created_at=now, updated_at=now)
            raw["labels"] = _ensure_labels(state, new.labels, what)
            state.issues[number] = raw
            state.next_issue, state.next_id = number + 1, state.next_id + 1
            return _issue(raw)

    def edit_issue(self, number: int, edit: IssueEdit) -> RemoteIssue:
        """Change the given fields; ``updated_at`` moves only if something changed (GitHub's
        rule). Closing sets ``closed_at`` and a reason (``completed`` unless given); reopening
        sets the reason ``reopened`` and clears ``closed_at``; milestone 0 removes it."""
        what = f"issue #{number}"
        if edit.title is not None:
            _check_title(edit.title, what)
        if edit.state not in (None, "open", "closed"):
            raise TrackerError(f"[{what}] state {edit.state!r} is not 'open' or 'closed'")
        reason = edit.state_reason
        if reason not in (None, *STATE_REASONS) or (edit.state, reason) == ("closed", "reopened"):
            raise TrackerError(f"[{what}] {reason!r} is not a valid state_reason")
        with self._change() as state:
            raw = self._issue_record(state, number)
            if edit.milestone:
                self._check_milestone(state, edit.milestone, what)
            before = _fields(raw)
            if edit.labels is not None:
                raw["labels"] = _ensure_labels(state, edit.labels, what)
            raw.update(
                {k: getattr(edit, k) for k in ("title", "body") if getattr(edit, k) is not None}
            )
            if edit.milestone is not None:
                raw["milestone"] = edit.milestone or None
            now = _stamp(self.clock())
            if edit.state == "closed" and raw["state"] == "open":
                raw.update(state="closed", closed_at=now, state_reason=reason or "completed")
            elif edit.state == "open" and raw["state"] == "closed":
                raw.update(state="open", closed_at=None, state_reason="reopened")
            elif raw["state"] == "closed" and reason not in (None, "reopened"):
                raw["state_reason"] = reason  # a new reason for a closed issue keeps closed_at
            if _fields(raw) != before:
                raw["updated_at"] = now
            return _issue(raw)

    def comment(self, number: int, body: str) -> None:
        """Append a comment to the issue's ``comments`` list; like GitHub, it bumps
        ``updated_at``."""
        if not body:
            raise TrackerError(f"[issue #{number} comment] the comment is empty")
        with self._change() as state:
            raw = self._issue_record(state, number)
            raw["updated_at"] = now = _stamp(self.clock())
            raw["comments"].append({"body": body, "created_at": now})

    def add_sub_issue(self, parent: int, child_id: int, replace: bool = False) -> None:
        """Like GitHub: a child has at most one parent; moving it needs ``replace``."""
        with self._change() as state:
            self._issue_record(state, parent)
            child = self._by_id(state, child_id)
            if child["parent"] not in (None, parent) and not replace:
                raise TrackerError(
                    f"[issue #{child['number']}] already a sub-issue of #{child['parent']}"
                )
            if child["parent"] != parent:
                child["parent"] = parent
                child["updated_at"] = _stamp(self.clock())

    def remove_sub_issue(self, parent: int, child_id: int) -> None:
        """Detach a child from its parent; detaching a child of another parent is an error."""
        with self._change() as state:
            child = self._by_id(state, child_id)
            if child["parent"] != parent:
                raise TrackerError(f"[issue #{child['number']}] not a sub-issue of #{parent}")
            child["parent"] = None
            child["updated_at"] = _stamp(self.clock())

    def _by_id(self, state: _State, child_id: int) -> Record:
        for raw in state.issues.values():
            if raw["id"] == child_id:
                return raw
        raise TrackerError(f"[issue id {child_id}] no such issue in {self.path}")

    def _check_milestone(self, state: _State, number: int, what: str) -> None:
        if number not in state.milestones:
            raise TrackerError(f"[{what}] milestone #{number} does not exist in {self.path}")

    def _issue_record(self, state: _State, number: int) -> Record:
        if number not in state.issues:
            raise TrackerError(f"[issue #{number}] no such issue in {self.path}")
        return state.issues[number]

    def _read(self) -> _State:
        """The session's state when this thread holds the lock, else a fresh read (safe
        without the lock: the file is only ever replaced whole)."""
        hold = _HOLDS.get(_key(self.lock_path))
        if hold is None or hold.owner != threading.get_ident():
            return self._load()
        if hold.state is None:
            hold.state = self._load()
        return hold.state

    @contextlib.contextmanager
    def _change(self) -> Iterator[_State]:
        # Callers check everything before they mutate, so an error leaves the state untouched.
        with self.session():
            yield self._read()
            _hold(self.lock_path).dirty = True

    def _load(self) -> _State:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _State()
        except OSError as exc:
            raise TrackerError(f"{self.path}: cannot read: {exc.strerror}") from None
        try:
            text = raw.decode("utf-8")
            data = json.loads(text)
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - raw.rfind(b"\n", 0, exc.start)
            msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
            raise TrackerError(f"{self.path}:{line}:{col}: {msg}; {FIX}") from None
        except json.JSONDecodeError as exc:
            raise TrackerError(f"{self.path}:{exc.lineno}:{exc.colno}: {exc.msg}; {FIX}") from None
        except RecursionError:
            raise TrackerError(f"{self.path}: nested too deeply for a tracker; {FIX}") from None
        return _parse(data, text, str(self.path))

    def _acquire(self) -> int:
        fd = -1
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits while another roadmap-sync holds it
            self._ignore()
        except OSError as exc:
            if fd >= 0:
                os.close(fd)
            raise TrackerError(f"{self.lock_path}: cannot lock: {exc.strerror}") from None
        return fd

    def _ignore(self) -> None:
        """Before the first write, keep the lock and temp files out of git. Only in our own
        folder: a '*' in the repository's root would hide everything."""
        ignore = self.path.parent / ".gitignore"
        if self.path.parent.name == DEFAULT_PATH.parent.name and not (
            ignore.exists() or self.path.exists()
        ):
            ignore.write_text(GITIGNORE.format(name=self.path.name), encoding="utf-8")

    def _release(self, hold: _Hold) -> None:
        try:
            text = hold.state.dump() if hold.dirty and hold.state else ""
            if text and hold.state and text != hold.state.text:
                self._write(text)
        finally:
            hold.state, hold.dirty, hold.owner = None, False, None
            os.close(hold.fd)  # which releases the flock

    def _write(self, text: str) -> None:
        """Replace the file atomically: readers and crashes see the old state or the new."""
        folder, prefix = self.path.parent, f".{self.path.name}."
        for name in os.listdir(folder):  # we hold the lock: any temp file is a killed writer's
            if name.startswith(prefix) and name.endswith(".tmp"):
                _discard(str(folder / name))
        try:
            mode = self.path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644  # not mkstemp's 0600, which would hide the file from other users
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                os.fchmod(handle.fileno(), mode)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException as exc:
            _discard(tmp)
            if isinstance(exc, OSError):
                raise TrackerError(f"{self.path}: cannot write: {exc.strerror}") from None
            raise
        # The rename is only durable once the directory is; some file systems refuse this.
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def _discard(path: str) -> None:
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)


@dataclass
class _State:
    """The file's records, indexed; ``text`` is the file as read, to skip identical writes."""

    labels: dict[str, Record] = field(default_factory=dict)  # by lower-case name
    milestones: dict[int, Record] = field(default_factory=dict)
    issues: dict[int, Record] = field(default_factory=dict)
    next_issue: int = 1
    next_milestone: int = 1
    next_id: int = ISSUE_ID_BASE + 1  # not stored: one more than the largest id
    extra: Record = field(default_factory=dict)  # unknown top-level keys, kept as they are
    text: str = ""

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


@dataclass
class _Hold:
    """This process's hold on one lock file, shared by every LocalTracker using it."""

    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    owner: int | None = None
    fd: int = -1
    state: _State | None = None
    dirty: bool = False


_HOLDS: dict[str, _Hold] = {}
_HOLDS_GUARD = threading.Lock()


def _key(lock_path: Path) -> str:
    return os.path.abspath(lock_path)


def _hold(lock_path: Path) -> _Hold:
    with _HOLDS_GUARD:
        return _HOLDS.setdefault(_key(lock_path), _Hold())


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _parses(parse: Callable[[str], object], value: Any) -> bool:
    try:
        return isinstance(value, str) and bool(parse(value))
    except ValueError:
        return False


# What each field of a record must hold: a kind from _KINDS, with "!" when the field is
# required, "?" when it may be null (a missing optional field gets the kind's default, or null).
# Kind: (check, what the value must be, default).
# fmt: off
_KINDS: dict[str, tuple[Callable[[Any], bool], str, Any]] = {
    "int": (_int, "an integer", None),
    "str": (lambda v: isinstance(v, str), "text", ""),
    "name": (lambda v: isinstance(v, str) and v != "", "a non-empty name", None),
    "state": (lambda v: v in ("open", "closed"), "'open' or 'closed'", "open"),
    "strs": (lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v), "names", []),
    "objs": (lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v), "objects", []),
    "time": (lambda v: _parses(_parse_time, v), "a time like 2024-01-31T12:00:00Z", None),
    "day": (lambda v: _parses(date.fromisoformat, v), "a date like 2024-01-31", None),
}
_SHAPES: dict[str, dict[str, str]] = {
    "labels": {"name": "name!", "color": "str", "description": "str"},
    "milestones": {"number": "int!", "title": "str!", "description": "str", "state": "state",
                   "due_on": "day?"},
    "issues": {"number": "int!", "id": "int!", "title": "str!", "body": "str", "state": "state!",
               "state_reason": "str?", "labels": "strs", "milestone": "int?", "assignees": "strs",
               "created_at": "time!", "updated_at": "time!", "closed_at": "time?",
               "parent": "int?", "comments": "objs"},
}
# fmt: on


def _defaults(kind: str) -> Record:
    """A record of the kind with every optional field at its default."""
    return {
        name: None if shape.endswith("?") else copy.copy(_KINDS[shape][2])
        for name, shape in _SHAPES[kind].items()
        if not shape.endswith("!")
    }


def _parse(data: Any, text: str, where: str) -> _State:
    """Check the shape of a decoded tracker file and fill in defaults; say what is wrong."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise TrackerError(f"{where}: must hold a JSON object, not a {kind}; {FIX}")
    version = data.get("format")
    if not _int(version) or version < 1:
        raise TrackerError(f"{where}: 'format' must be the integer {FORMAT}; {FIX}")
    if version > FORMAT:
        msg = f"format {version} was written by a newer roadmap-sync"
        raise TrackerError(f"{where}: {msg}; upgrade (pip install -U roadmap-sync)")
    known = {"format", "next_issue", "next_milestone", *_SHAPES}
    state = _State(extra={k: v for k, v in data.items() if k not in known}, text=text)
    ids: set[int] = set()  # issue ids, unique like numbers
    for kind, shape in _SHAPES.items():
        records = data.get(kind, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TrackerError(f"{where}: '{kind}' must be a list of objects; {FIX}")
        table: dict[Any, Record] = getattr(state, kind)
        for index, raw in enumerate(records):
            for name, value in _defaults(kind).items():
                raw.setdefault(name, value)
            for name, kind_of in shape.items():
                check, expected, _ = _KINDS[kind_of.rstrip("!?")]
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
        if not _int(counter):
            raise TrackerError(f"{where}: '{name}' must be an integer; {FIX}")
        # Never reuse a number, even when a hand edit left the counter behind.
        setattr(state, name, max([counter, *(number + 1 for number in numbers)]))
    state.next_id = max([ISSUE_ID_BASE, *(raw["id"] for raw in state.issues.values())]) + 1
    return state


def _check_label(spec: LabelSpec) -> None:
    # GitHub's rules for a label (it answers 422 otherwise).
    if not spec.name or not re.fullmatch(r"[0-9a-fA-F]{6}", spec.color):
        raise TrackerError(f"[label {spec.name}] needs a name and a colour of 6 hex digits")
    if len(spec.description) > 100:
        raise TrackerError(f"[label {spec.name}] the description is over 100 characters")


def _check_title(title: str, what: str) -> None:
    if not title:
        raise TrackerError(f"[{what}] the title is empty")


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # a naive clock is taken to be UTC
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> datetime:
    # Python 3.10's fromisoformat does not read "Z".
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _label_record(spec: LabelSpec) -> Record:
    return {"name": spec.name, "color": spec.color, "description": spec.description}


def _set_milestone(raw: Record, spec: MilestoneSpec) -> Record:
    due = spec.due_on.isoformat() if spec.due_on else None
    raw.update(title=spec.title, description=spec.description, due_on=due)
    return raw


def _ensure_labels(state: _State, names: tuple[str, ...], what: str) -> list[str]:
    """The labels' stored names, deduplicated and sorted as GitHub lists them; a missing
    label is created with GitHub's implicit colour."""
    if not all(names):
        raise TrackerError(f"[{what}] a label name is empty")
    found: dict[str, str] = {}
    for name in names:
        implicit = {"name": name, "color": IMPLICIT_LABEL_COLOR, "description": ""}
        found.setdefault(name.lower(), state.labels.setdefault(name.lower(), implicit)["name"])
    return sorted(found.values(), key=str.lower)


def _fields(raw: Record) -> tuple[Any, ...]:
    """What an edit can change; the order of labels does not count, as on GitHub."""
    keys = ("title", "body", "milestone", "state", "state_reason")
    return (*(raw[key] for key in keys), sorted(name.lower() for name in raw["labels"]))


def _milestone(raw: Record) -> RemoteMilestone:
    due = date.fromisoformat(raw["due_on"]) if raw["due_on"] else None
    return RemoteMilestone(raw["number"], raw["title"], raw["description"], raw["state"], due)


def _issue(raw: Record) -> RemoteIssue:
    plain = ("number", "id", "title", "body", "state", "state_reason", "milestone", "parent")
    return RemoteIssue(
        **{key: raw[key] for key in plain},
        created_at=_parse_time(raw["created_at"]),
        updated_at=_parse_time(raw["updated_at"]),
        closed_at=_parse_time(raw["closed_at"]) if raw["closed_at"] else None,
        labels=tuple(raw["labels"]),
        assignees=tuple(raw["assignees"]),
        url="",  # a local issue has no web page
    )
