"""The local tracker: issues kept in a JSON file in the repository, for working offline.

The file's records and what each operation does to them live in local_state.py; this module
reads the file, holds the lock and writes it back. Writes are atomic and serialised between
processes with an OS file lock (``files.exclusive``), on Linux, macOS and Windows alike.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import files
from ..errors import RoadmapSyncError, TrackerError, not_utf8
from .base import IssueEdit, LabelSpec, MilestoneSpec, NewIssue, RemoteIssue, Snapshot
from .local_records import FIX, check_edit, check_label, check_title, issue_value, stamp
from .local_state import FileState, parse_file

DEFAULT_PATH = files.TRACKER_FILE


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
        with files.exclusive(self.lock_path) as outermost:
            if not outermost:
                yield
                return
            # Before the first write, keep the lock and temp files out of git.
            if not self.path.exists():
                files.ignore_state_files(self.path.parent, keep=self.path.name)
            session = _Session()
            _SESSIONS[_key(self.lock_path)] = session
            try:
                yield
            finally:
                del _SESSIONS[_key(self.lock_path)]
                self._save(session)

    def snapshot(self, issues_only: bool = False) -> Snapshot:
        """The labels, milestones and managed issues (see FileState.snapshot)."""
        return self._read().snapshot(issues_only)

    def issue(self, number: int) -> RemoteIssue:
        """One issue by number, managed or not; TrackerError when there is none."""
        return issue_value(self._read().record(number))

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; one of the same name (in any case) already there counts as success."""
        check_label(spec)
        with self._change() as state:
            state.create_label(spec)

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        """Rename and recolour a label; the issues carrying it follow, as on GitHub."""
        check_label(spec)
        with self._change() as state:
            state.update_label(current_name, spec)

    def create_milestone(self, spec: MilestoneSpec) -> int:
        """Create a milestone, or return the number of the one with that title."""
        check_title(spec.title, f"milestone {spec.phase_id}")
        with self._change() as state:
            return state.create_milestone(spec)

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        """Change a milestone's title, description and due date."""
        check_title(spec.title, f"milestone {spec.phase_id}")
        with self._change() as state:
            state.update_milestone(number, spec)

    def create_issue(self, new: NewIssue) -> RemoteIssue:
        """Create an open issue; unknown labels are created, as GitHub does."""
        check_title(new.title, f"issue {new.item_id}")
        with self._change() as state:
            return state.create_issue(new, stamp(self.clock()))

    def edit_issue(self, number: int, edit: IssueEdit) -> RemoteIssue:
        """Change the given fields, as GitHub does (see FileState.edit_issue)."""
        check_edit(number, edit)
        with self._change() as state:
            return state.edit_issue(number, edit, stamp(self.clock()))

    def comment(self, number: int, body: str) -> None:
        """Append a comment to the issue's ``comments`` list."""
        if not body:
            raise TrackerError(f"[issue #{number} comment] the comment is empty")
        with self._change() as state:
            state.comment(number, body, stamp(self.clock()))

    def add_sub_issue(self, parent: int, child_id: int, replace: bool = False) -> None:
        """Like GitHub: a child has at most one parent; moving it needs ``replace``."""
        with self._change() as state:
            state.add_sub_issue(parent, child_id, replace, stamp(self.clock()))

    def remove_sub_issue(self, parent: int, child_id: int) -> None:
        """Detach a child from its parent; detaching a child of another parent is an error."""
        with self._change() as state:
            state.remove_sub_issue(parent, child_id, stamp(self.clock()))

    def blocked_by(self, number: int) -> tuple[int, ...]:
        """The ids of the issues blocking issue ``number``."""
        return tuple(self._read().record(number)["blocked_by"])

    def blocking(self, number: int) -> tuple[int, ...]:
        """The ids of the issues issue ``number`` blocks."""
        state = self._read()
        return state.blocking(state.record(number)["id"])

    def add_blocked_by(self, number: int, blocker_id: int) -> None:
        """Make the issue with id ``blocker_id`` block issue ``number``."""
        with self._change() as state:
            state.add_blocked_by(number, blocker_id, stamp(self.clock()))

    def remove_blocked_by(self, number: int, blocker_id: int) -> None:
        """Remove that dependency, if it is there."""
        with self._change() as state:
            state.remove_blocked_by(number, blocker_id, stamp(self.clock()))

    def _read(self) -> FileState:
        """The session's state when this thread holds the lock, else a fresh read (safe
        without the lock: the file is only ever replaced whole)."""
        session = _SESSIONS.get(_key(self.lock_path))
        if session is None or not files.holding(self.lock_path):
            return self._load()
        if session.state is None:
            session.state = self._load()
        return session.state

    @contextlib.contextmanager
    def _change(self) -> Iterator[FileState]:
        # State methods check everything before they mutate, so an error leaves it untouched.
        with self.session():
            yield self._read()
            _SESSIONS[_key(self.lock_path)].dirty = True

    def _load(self) -> FileState:
        raw = files.read_bytes(self.path)
        if raw is None:
            return FileState(where=str(self.path))
        try:
            text = raw.decode("utf-8")
            data = json.loads(text)
        except UnicodeDecodeError as exc:
            raise TrackerError(str(not_utf8(str(self.path), raw, exc, FIX))) from None
        except json.JSONDecodeError as exc:
            raise TrackerError(f"{self.path}:{exc.lineno}:{exc.colno}: {exc.msg}; {FIX}") from None
        except RecursionError:
            raise TrackerError(f"{self.path}: nested too deeply for a tracker; {FIX}") from None
        return parse_file(data, text, str(self.path))

    def _save(self, session: _Session) -> None:
        """Write the session's state if it changed; we hold the lock, so any temporary file
        beside the tracker is a killed writer's."""
        state = session.state
        text = state.dump() if session.dirty and state else ""
        if not text or state is None or text == state.text:
            return
        files.discard_temporaries(self.path)
        try:
            files.write_atomic(self.path, text)
        except RoadmapSyncError as exc:
            raise TrackerError(str(exc)) from None


@dataclass
class _Session:
    """The state read once and written once inside a session of this process."""

    state: FileState | None = None
    dirty: bool = False


# By lock file: every LocalTracker of one file in this process shares the session.
_SESSIONS: dict[str, _Session] = {}


def _key(lock_path: Path) -> str:
    return os.path.abspath(lock_path)
