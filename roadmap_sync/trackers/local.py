"""The local tracker: issues kept in a JSON file in the repository, for working offline.

It mirrors what GitHub does with the same requests (numbering, state reasons, implicit labels,
case-insensitive names), so the whole loop works without a token and offline progress lives in
git. Writes are atomic and serialised between processes with an OS file lock (filelock:
``flock`` on Linux and macOS, ``LockFileEx`` on Windows, a lock file where neither exists).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

with warnings.catch_warnings():
    # Without fcntl (a rare POSIX build) filelock falls back to a lock file and warns once; the
    # fallback is the right lock there, and the warning would reach the learner's terminal.
    warnings.simplefilter("ignore")
    from filelock import BaseFileLock, FileLock

from ..desired import MANAGED_LABEL, LabelSpec, MilestoneSpec
from ..errors import TrackerError
from .base import IssueEdit, NewIssue, RemoteIssue, RemoteLabel, Snapshot
from .local_file import (
    FIX,
    GITIGNORE,
    STATE_REASONS,
    FileState,
    Record,
    check_label,
    check_title,
    defaults,
    ensure_labels,
    issue_value,
    label_record,
    milestone_value,
    parse_file,
    record_fields,
    set_milestone,
    stamp,
)

DEFAULT_PATH = Path(".roadmap-sync/tracker.json")


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
                hold.lock = self._acquire()
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
            issue_value(raw)
            for _, raw in sorted(state.issues.items())
            if MANAGED_LABEL in (name.lower() for name in raw["labels"])
        )
        if issues_only:
            return Snapshot((), (), issues)
        labels = sorted(state.labels.values(), key=lambda raw: raw["name"].lower())
        return Snapshot(
            tuple(RemoteLabel(raw["name"], raw["color"], raw["description"]) for raw in labels),
            tuple(milestone_value(raw) for _, raw in sorted(state.milestones.items())),
            issues,
        )

    def issue(self, number: int) -> RemoteIssue:
        """One issue by number, managed or not; TrackerError when there is none."""
        return issue_value(self._issue_record(self._read(), number))

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; one of the same name (in any case) already there counts as success."""
        check_label(spec)
        with self._change() as state:
            state.labels.setdefault(spec.name.lower(), label_record(spec))

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        """Rename and recolour a label; the issues carrying it follow, as on GitHub."""
        check_label(spec)
        old, new = current_name.lower(), spec.name.lower()
        with self._change() as state:
            if old not in state.labels:
                raise TrackerError(f"[label {current_name}] no such label in {self.path}")
            if new != old and new in state.labels:
                raise TrackerError(f"[label {spec.name}] a label of that name already exists")
            del state.labels[old]
            state.labels[new] = label_record(spec)
            for raw in state.issues.values():
                raw["labels"] = [spec.name if n.lower() == old else n for n in raw["labels"]]

    def create_milestone(self, spec: MilestoneSpec) -> int:
        """Create a milestone, or return the number of the one with that title (any case,
        open or closed), as GitHub's refusal of a duplicate title lets the GitHub tracker do."""
        check_title(spec.title, f"milestone {spec.phase_id}")
        with self._change() as state:
            for number, raw in sorted(state.milestones.items()):
                if raw["title"].lower() == spec.title.lower():
                    return number
            number, state.next_milestone = state.next_milestone, state.next_milestone + 1
            state.milestones[number] = set_milestone({"number": number, "state": "open"}, spec)
            return number

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        """Change a milestone's title, description and due date."""
        what = f"milestone {spec.phase_id}"
        check_title(spec.title, what)
        with self._change() as state:
            self._check_milestone(state, number, what)
            for other, raw in state.milestones.items():
                if other != number and raw["title"].lower() == spec.title.lower():
                    raise TrackerError(f"[{what}] milestone #{other} already has that title")
            set_milestone(state.milestones[number], spec)

    def create_issue(self, new: NewIssue) -> RemoteIssue:
        """Create an open issue; unknown labels are created, as GitHub does."""
        what = f"issue {new.item_id}"
        check_title(new.title, what)
        with self._change() as state:
            if new.milestone is not None:
                self._check_milestone(state, new.milestone, what)
            number, now = state.next_issue, stamp(self.clock())
            raw = defaults("issues")
            raw.update(number=number, id=state.next_id, title=new.title, body=new.body)
            raw.update(state="open", milestone=new.milestone, created_at=now, updated_at=now)
            raw["labels"] = ensure_labels(state, new.labels, what)
            state.issues[number] = raw
            state.next_issue, state.next_id = number + 1, state.next_id + 1
            return issue_value(raw)

    def edit_issue(self, number: int, edit: IssueEdit) -> RemoteIssue:
        """Change the given fields; ``updated_at`` moves only if something changed (GitHub's
        rule). Closing sets ``closed_at`` and a reason (``completed`` unless given); reopening
        sets the reason ``reopened`` and clears ``closed_at``; milestone 0 removes it."""
        what = f"issue #{number}"
        if edit.title is not None:
            check_title(edit.title, what)
        if edit.state not in (None, "open", "closed"):
            raise TrackerError(f"[{what}] state {edit.state!r} is not 'open' or 'closed'")
        reason = edit.state_reason
        if reason not in (None, *STATE_REASONS) or (edit.state, reason) == ("closed", "reopened"):
            raise TrackerError(f"[{what}] {reason!r} is not a valid state_reason")
        with self._change() as state:
            raw = self._issue_record(state, number)
            if edit.milestone:
                self._check_milestone(state, edit.milestone, what)
            before = record_fields(raw)
            if edit.labels is not None:
                raw["labels"] = ensure_labels(state, edit.labels, what)
            raw.update(
                {k: getattr(edit, k) for k in ("title", "body") if getattr(edit, k) is not None}
            )
            if edit.milestone is not None:
                raw["milestone"] = edit.milestone or None
            now = stamp(self.clock())
            if edit.state == "closed" and raw["state"] == "open":
                raw.update(state="closed", closed_at=now, state_reason=reason or "completed")
            elif edit.state == "open" and raw["state"] == "closed":
                raw.update(state="open", closed_at=None, state_reason="reopened")
            elif raw["state"] == "closed" and reason not in (None, "reopened"):
                raw["state_reason"] = reason  # a new reason for a closed issue keeps closed_at
            if record_fields(raw) != before:
                raw["updated_at"] = now
            return issue_value(raw)

    def comment(self, number: int, body: str) -> None:
        """Append a comment to the issue's ``comments`` list; like GitHub, it bumps
        ``updated_at``."""
        if not body:
            raise TrackerError(f"[issue #{number} comment] the comment is empty")
        with self._change() as state:
            raw = self._issue_record(state, number)
            raw["updated_at"] = now = stamp(self.clock())
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
                child["updated_at"] = stamp(self.clock())

    def remove_sub_issue(self, parent: int, child_id: int) -> None:
        """Detach a child from its parent; detaching a child of another parent is an error."""
        with self._change() as state:
            child = self._by_id(state, child_id)
            if child["parent"] != parent:
                raise TrackerError(f"[issue #{child['number']}] not a sub-issue of #{parent}")
            child["parent"] = None
            child["updated_at"] = stamp(self.clock())

    def _by_id(self, state: FileState, child_id: int) -> Record:
        for raw in state.issues.values():
            if raw["id"] == child_id:
                return raw
        raise TrackerError(f"[issue id {child_id}] no such issue in {self.path}")

    def _check_milestone(self, state: FileState, number: int, what: str) -> None:
        if number not in state.milestones:
            raise TrackerError(f"[{what}] milestone #{number} does not exist in {self.path}")

    def _issue_record(self, state: FileState, number: int) -> Record:
        if number not in state.issues:
            raise TrackerError(f"[issue #{number}] no such issue in {self.path}")
        return state.issues[number]

    def _read(self) -> FileState:
        """The session's state when this thread holds the lock, else a fresh read (safe
        without the lock: the file is only ever replaced whole)."""
        hold = _HOLDS.get(_key(self.lock_path))
        if hold is None or hold.owner != threading.get_ident():
            return self._load()
        if hold.state is None:
            hold.state = self._load()
        return hold.state

    @contextlib.contextmanager
    def _change(self) -> Iterator[FileState]:
        # Callers check everything before they mutate, so an error leaves the state untouched.
        with self.session():
            yield self._read()
            _hold(self.lock_path).dirty = True

    def _load(self) -> FileState:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return FileState()
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
        return parse_file(data, text, str(self.path))

    def _acquire(self) -> BaseFileLock:
        lock = FileLock(self.lock_path, mode=0o644)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()  # waits while another roadmap-sync holds it
            self._ignore()
        except OSError as exc:
            if lock.is_locked:
                lock.release()
            raise TrackerError(f"{self.lock_path}: cannot lock: {exc.strerror}") from None
        return lock

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
            if hold.lock is not None:
                hold.lock.release()
                hold.lock = None

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
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)  # not fchmod: Windows has none
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
class _Hold:
    """This process's hold on one lock file, shared by every LocalTracker using it."""

    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    owner: int | None = None
    lock: BaseFileLock | None = None
    state: FileState | None = None
    dirty: bool = False


_HOLDS: dict[str, _Hold] = {}
_HOLDS_GUARD = threading.Lock()


def _key(lock_path: Path) -> str:
    return os.path.abspath(lock_path)


def _hold(lock_path: Path) -> _Hold:
    with _HOLDS_GUARD:
        return _HOLDS.setdefault(_key(lock_path), _Hold())
