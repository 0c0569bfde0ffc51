"""The local JSON-file tracker: GitHub's semantics, the sync loop on it, and its safety."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from roadmap_sync.errors import TrackerError
from roadmap_sync.model import load as loader
from roadmap_sync.sync import apply, changes, desired, plan
from roadmap_sync.sync.changes import Action, IssueChange
from roadmap_sync.trackers.base import IssueEdit, LabelSpec, MilestoneSpec, NewIssue
from roadmap_sync.trackers.local import LocalTracker
from tests import local_tracker_child as child

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(child.__file__)
START = datetime(2024, 1, 31, 12, 0, 0, tzinfo=timezone.utc)
FIX = "; fix the file or restore it from git"


class Clock:
    """An injected clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: int = 60) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".roadmap-sync" / "tracker.json"


@pytest.fixture
def tracker(path: Path, clock: Clock) -> LocalTracker:
    return LocalTracker(path, clock)


def new(title: str = "Python core", labels: tuple[str, ...] = ("roadmap",)) -> NewIssue:
    return NewIssue("python-core", title, "body", labels, None)


def spec(name: str, color: str = "1d76db", description: str = "") -> LabelSpec:
    return LabelSpec(name, color, description)


def temp_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(".*.tmp"))


# -- the file ---------------------------------------------------------------------------------


def test_missing_file_is_an_empty_tracker_and_reading_creates_nothing(
    tracker: LocalTracker, path: Path
) -> None:
    assert tracker.name == f"local {path}"
    snapshot = tracker.snapshot()
    assert (snapshot.labels, snapshot.milestones, snapshot.issues) == ((), (), ())
    assert not path.parent.exists()


def test_first_write_creates_the_folder_a_gitignore_and_a_deterministic_file(
    tracker: LocalTracker, path: Path, clock: Clock
) -> None:
    tracker.create_label(spec("roadmap"))
    tracker.create_issue(new())
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["format"] == 1
    assert (data["next_issue"], data["next_milestone"]) == (2, 1)
    assert set(data["issues"][0]) == {
        *("number", "id", "title", "body", "state", "state_reason", "labels", "milestone"),
        *("assignees", "created_at", "updated_at", "closed_at", "parent", "comments"),
        "blocked_by",
    }
    assert data["issues"][0]["created_at"] == "2024-01-31T12:00:00Z"
    ignore = (path.parent / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in ignore if not line.startswith("#")] == [
        "*",
        "!.gitignore",
        "!tracker.json",
    ]
    # The same calls give the same bytes: the file is meant to be committed.
    other = path.parent.parent / "again" / ".roadmap-sync" / "tracker.json"
    again = LocalTracker(other, clock)
    again.create_label(spec("roadmap"))
    again.create_issue(new())
    assert other.read_bytes() == path.read_bytes()


def test_a_read_only_session_leaves_git_clean(tracker: LocalTracker, path: Path) -> None:
    with tracker.session():  # the CLI holds one for every command, reading ones too
        assert tracker.snapshot().issues == ()
    assert sorted(p.name for p in path.parent.iterdir()) == [".gitignore", "tracker.lock"]
    assert not path.exists()


def test_a_call_that_changes_nothing_does_not_rewrite_the_file(
    tracker: LocalTracker, path: Path
) -> None:
    tracker.create_label(spec("roadmap"))
    before = path.stat()
    tracker.create_label(spec("ROADMAP", "ffffff"))
    assert path.stat().st_ino == before.st_ino  # os.replace would give a new inode


def test_no_gitignore_outside_a_folder_of_its_own(tmp_path: Path) -> None:
    LocalTracker(tmp_path / "tracker.json").create_label(spec("roadmap"))
    assert (tmp_path / "tracker.json").exists()
    assert not (tmp_path / ".gitignore").exists()  # '*' here would hide the whole repository


# -- labels -------------------------------------------------------------------------------------


def test_create_label_is_a_no_op_for_an_existing_name_in_any_case(tracker: LocalTracker) -> None:
    tracker.create_label(spec("Topic", "c2e0c6", "a topic"))
    tracker.create_label(spec("topic", "000000", "other"))
    assert [(lb.name, lb.color, lb.description) for lb in tracker.snapshot().labels] == [
        ("Topic", "c2e0c6", "a topic")
    ]


def test_update_label_renames_it_on_every_issue(tracker: LocalTracker) -> None:
    tracker.create_issue(new(labels=("roadmap", "phase-1")))
    tracker.update_label("PHASE-1", spec("phase-one", "0e8a16", "Foundations"))
    snapshot = tracker.snapshot()
    assert ("phase-one", "0e8a16", "Foundations") in [
        (lb.name, lb.color, lb.description) for lb in snapshot.labels
    ]
    assert "phase-1" not in [lb.name for lb in snapshot.labels]
    assert snapshot.issues[0].labels == ("phase-one", "roadmap")


@pytest.mark.parametrize(
    ("current", "label", "message"),
    [
        ("missing", spec("missing"), r"\[label missing\] no such label"),
        ("topic", spec("Project"), r"\[label Project\] a label of that name already exists"),
        ("topic", spec("topic", "blue"), r"colour of 6 hex digits"),
        ("topic", spec("topic", description="x" * 101), r"over 100 characters"),
    ],
)
def test_update_label_refusals(
    tracker: LocalTracker, path: Path, current: str, label: LabelSpec, message: str
) -> None:
    tracker.create_label(spec("topic"))
    tracker.create_label(spec("project"))
    before = path.read_bytes()
    with pytest.raises(TrackerError, match=message):
        tracker.update_label(current, label)
    assert path.read_bytes() == before


# -- milestones ---------------------------------------------------------------------------------


def test_milestones_are_numbered_from_one_and_a_duplicate_title_returns_the_existing(
    tracker: LocalTracker, path: Path
) -> None:
    first = MilestoneSpec("basics", "Phase 1: Basics", "desc", date(2024, 3, 1))
    assert tracker.create_milestone(first) == 1
    assert tracker.create_milestone(MilestoneSpec("web", "Phase 2: Web", "")) == 2
    # Closed milestones count too (the state is only ever changed by hand here).
    data = json.loads(path.read_text(encoding="utf-8"))
    data["milestones"][0]["state"] = "closed"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert tracker.create_milestone(MilestoneSpec("x", "PHASE 1: basics", "other")) == 1
    milestones = tracker.snapshot().milestones
    assert [(m.number, m.title, m.state, m.due_on) for m in milestones] == [
        (1, "Phase 1: Basics", "closed", date(2024, 3, 1)),
        (2, "Phase 2: Web", "open", None),
    ]


def test_update_milestone(tracker: LocalTracker) -> None:
    tracker.create_milestone(MilestoneSpec("basics", "Phase 1: Basics", "old"))
    tracker.create_milestone(MilestoneSpec("web", "Phase 2: Web", ""))
    tracker.update_milestone(
        1, MilestoneSpec("basics", "Phase 1: Bedrock", "new", date(2025, 1, 2))
    )
    first = tracker.snapshot().milestones[0]
    assert (first.title, first.description, first.due_on) == (
        "Phase 1: Bedrock",
        "new",
        date(2025, 1, 2),
    )
    with pytest.raises(
        TrackerError, match=r"\[milestone web\] milestone #1 already has that title"
    ):
        tracker.update_milestone(2, MilestoneSpec("web", "phase 1: bedrock", ""))
    with pytest.raises(TrackerError, match=r"milestone #9 does not exist"):
        tracker.update_milestone(9, MilestoneSpec("web", "Phase 9", ""))


# -- issues -------------------------------------------------------------------------------------


def test_create_issue(tracker: LocalTracker, clock: Clock) -> None:
    tracker.create_label(spec("roadmap"))
    milestone = tracker.create_milestone(MilestoneSpec("basics", "Phase 1: Basics", ""))
    first = tracker.create_issue(NewIssue("a", "A", "body", ("ROADMAP", "New Tag"), milestone))
    clock.tick()
    second = tracker.create_issue(new("B"))
    assert (first.number, second.number) == (1, 2)
    assert len({first.id, second.id, 1, 2}) == 4  # ids are unique and never the numbers
    assert first.created_at == first.updated_at == START
    assert second.created_at == second.updated_at == START + timedelta(seconds=60)
    assert (first.state, first.state_reason, first.closed_at) == ("open", None, None)
    assert (first.milestone, first.url, first.assignees, first.parent) == (milestone, "", (), None)
    # Labels keep the stored spelling; unknown ones are created with GitHub's implicit colour.
    assert first.labels == ("New Tag", "roadmap")
    assert ("New Tag", "ededed") in [(lb.name, lb.color) for lb in tracker.snapshot().labels]
    assert tracker.issue(1) == first


def test_create_issue_refuses_an_unknown_milestone_and_writes_nothing(
    tracker: LocalTracker, path: Path
) -> None:
    with pytest.raises(TrackerError, match=r"\[issue python-core\] milestone #3 does not exist"):
        tracker.create_issue(NewIssue("python-core", "T", "b", ("roadmap", "x"), 3))
    assert not path.exists()


def test_edit_issue_changes_only_the_given_fields(tracker: LocalTracker, clock: Clock) -> None:
    tracker.create_milestone(MilestoneSpec("basics", "Phase 1: Basics", ""))
    created = tracker.create_issue(NewIssue("a", "A", "body", ("roadmap",), 1))
    # Nothing changes: updated_at stays (GitHub's rule, which the plan's done hint relies on).
    clock.tick()
    same = tracker.edit_issue(1, IssueEdit(title="A", labels=("Roadmap",)))
    assert same == created
    later = clock.tick()
    edited = tracker.edit_issue(1, IssueEdit(body="new body", labels=("roadmap", "in progress")))
    assert (edited.title, edited.body, edited.milestone) == ("A", "new body", 1)
    assert edited.labels == ("in progress", "roadmap")
    assert (edited.created_at, edited.updated_at) == (START, later)
    removed = tracker.edit_issue(1, IssueEdit(milestone=0))
    assert (removed.milestone, removed.title, removed.body) == (None, "A", "new body")


def test_closing_and_reopening(tracker: LocalTracker, clock: Clock) -> None:
    tracker.create_issue(new())
    closed_at = clock.tick()
    closed = tracker.edit_issue(1, IssueEdit(state="closed"))
    assert (closed.state, closed.state_reason, closed.closed_at) == (
        "closed",
        "completed",
        closed_at,
    )
    assert closed.updated_at == closed_at
    clock.tick()
    # As on GitHub, a reason is ignored unless the state changes: still completed, untouched.
    same = tracker.edit_issue(1, IssueEdit(state="closed", state_reason="not_planned"))
    assert (same.state_reason, same.closed_at, same.updated_at) == (
        "completed",
        closed_at,
        closed_at,
    )
    reopened_at = clock.tick()
    reopened = tracker.edit_issue(1, IssueEdit(state="open"))
    assert (reopened.state, reopened.state_reason, reopened.closed_at) == ("open", "reopened", None)
    assert reopened.updated_at == reopened_at
    clock.tick()
    not_planned = tracker.edit_issue(1, IssueEdit(state="closed", state_reason="not_planned"))
    assert (not_planned.state_reason, not_planned.closed_at) == ("not_planned", clock.now)


@pytest.mark.parametrize(
    ("number", "edit", "message"),
    [
        (9, IssueEdit(title="x"), r"\[issue #9\] no such issue"),
        (1, IssueEdit(state="done"), r"state 'done' is not 'open' or 'closed'"),
        (1, IssueEdit(state="closed", state_reason="reopened"), r"not a valid state_reason"),
        (1, IssueEdit(state_reason="finished"), r"not a valid state_reason"),
        (1, IssueEdit(title=""), r"the title is empty"),
        (1, IssueEdit(milestone=4), r"milestone #4 does not exist"),
        (1, IssueEdit(labels=("roadmap", "")), r"a label name is empty"),
    ],
)
def test_edit_issue_refusals(
    tracker: LocalTracker, path: Path, number: int, edit: IssueEdit, message: str
) -> None:
    tracker.create_issue(new())
    before = path.read_bytes()
    with pytest.raises(TrackerError, match=message):
        tracker.edit_issue(number, edit)
    assert path.read_bytes() == before


def test_comment_appends_and_bumps_updated_at(
    tracker: LocalTracker, path: Path, clock: Clock
) -> None:
    tracker.create_issue(new())
    later = clock.tick()
    tracker.comment(1, "Closed by roadmap-sync: a duplicate.")
    tracker.comment(1, "second")
    raw = json.loads(path.read_text(encoding="utf-8"))["issues"][0]
    assert raw["comments"] == [
        {"body": "Closed by roadmap-sync: a duplicate.", "created_at": "2024-01-31T12:01:00Z"},
        {"body": "second", "created_at": "2024-01-31T12:01:00Z"},
    ]
    assert tracker.issue(1).updated_at == later
    with pytest.raises(TrackerError, match=r"no such issue"):
        tracker.comment(7, "x")
    with pytest.raises(TrackerError, match=r"the comment is empty"):
        tracker.comment(1, "")


def test_snapshot_lists_only_issues_carrying_the_managed_label(tracker: LocalTracker) -> None:
    tracker.create_issue(new("managed"))
    tracker.create_issue(new("someone else's", labels=("bug",)))
    tracker.create_issue(new("shouted", labels=("bug", "ROADMAP")))
    assert [i.number for i in tracker.snapshot().issues] == [1, 3]
    progress_only = tracker.snapshot(issues_only=True)
    assert (progress_only.labels, progress_only.milestones) == ((), ())
    assert progress_only.issues == tracker.snapshot().issues
    assert tracker.issue(2).title == "someone else's"  # the lookup sees every issue
    with pytest.raises(TrackerError, match=r"\[issue #4\] no such issue in .*tracker.json"):
        tracker.issue(4)


def test_a_counter_left_behind_by_a_hand_edit_never_reuses_a_number(
    tracker: LocalTracker, path: Path
) -> None:
    tracker.create_issue(new())
    tracker.create_issue(new())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["next_issue"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    third = tracker.create_issue(new())
    assert third.number == 3
    assert third.id not in {tracker.issue(1).id, tracker.issue(2).id}


def test_times_are_stored_in_utc_to_the_second(path: Path) -> None:
    plus_two = timezone(timedelta(hours=2))
    tracker = LocalTracker(path, lambda: datetime(2024, 5, 1, 14, 30, 15, 999, tzinfo=plus_two))
    tracker.create_issue(new())
    assert json.loads(path.read_text(encoding="utf-8"))["issues"][0]["created_at"] == (
        "2024-05-01T12:30:15Z"
    )


# -- sessions -----------------------------------------------------------------------------------


def test_session_is_reentrant_and_shared_by_trackers_on_the_same_file(
    tracker: LocalTracker, path: Path
) -> None:
    other = LocalTracker(path)
    with tracker.session():
        tracker.create_issue(new())
        with other.session():  # a second lock of the same file would deadlock
            other.edit_issue(1, IssueEdit(title="renamed"))
        assert tracker.snapshot().issues[0].title == "renamed"
    assert LocalTracker(path).issue(1).title == "renamed"


def test_calls_that_returned_are_kept_when_a_session_fails(
    tracker: LocalTracker, path: Path
) -> None:
    def create_then_fail() -> None:
        with tracker.session():
            tracker.create_issue(new())
            tracker.edit_issue(5, IssueEdit(title="x"))

    with pytest.raises(TrackerError, match=r"no such issue"):
        create_then_fail()
    assert [i.number for i in LocalTracker(path).snapshot().issues] == [1]


def test_a_session_makes_other_threads_wait(tracker: LocalTracker, path: Path) -> None:
    tracker.create_issue(new())
    seen: list[str] = []

    def rename() -> None:
        LocalTracker(path).edit_issue(1, IssueEdit(title="from the thread"))
        seen.append("renamed")

    with tracker.session():
        tracker.snapshot()
        worker = threading.Thread(target=rename)
        worker.start()
        worker.join(0.2)
        assert seen == []
        tracker.edit_issue(1, IssueEdit(body="from the session"))
    worker.join(10)
    issue = tracker.issue(1)
    assert (issue.title, issue.body, seen) == ("from the thread", "from the session", ["renamed"])


@pytest.mark.slow
def test_a_session_makes_other_processes_wait(tracker: LocalTracker, path: Path) -> None:
    with tracker.session():
        tracker.create_issue(new())
        other = subprocess.Popen(
            [sys.executable, str(CHILD), "label", str(path), "from-the-child"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        time.sleep(1.0)  # long enough to import and reach the lock
        assert other.poll() is None
        tracker.create_label(spec("from-the-session"))
    assert other.wait(30) == 0
    names = {label.name for label in tracker.snapshot().labels}
    assert {"from-the-child", "from-the-session", "roadmap"} <= names
    assert [i.number for i in tracker.snapshot().issues] == [1]


# -- the sync loop on it ------------------------------------------------------------------------

ROADMAP = """\
title: Learn Python
phases:
  - id: basics
    name: Basics
    tagline: Build the bedrock
    due: 2024-06-30
    topics:
      - id: python-core
        title: Python core
        tags: [Syntax]
      - id: git-basics
        title: Git basics
    projects:
      - id: cli-tool
        title: A command-line tool
  - id: web
    name: Web
    topics:
      - id: http
        title: HTTP
"""


def sync(text: str, tracker: LocalTracker) -> changes.Plan:
    """What the CLI's sync does: snapshot, plan and apply in one critical section."""
    with tracker.session():
        planned = plan.diff(desired.build(loader.loads(text)), tracker.snapshot())
        apply.apply(planned, tracker)
    return planned


def pending(text: str, tracker: LocalTracker) -> tuple[object, ...]:
    return plan.diff(desired.build(loader.loads(text)), tracker.snapshot()).changes


def test_the_sync_loop_converges_and_follows_roadmap_edits(tracker: LocalTracker) -> None:
    first = sync(ROADMAP, tracker)
    assert first.creates == 4
    assert pending(ROADMAP, tracker) == ()
    by_title = {i.title: i for i in tracker.snapshot().issues}
    assert by_title["Python core"].milestone == 1
    assert {"roadmap", "phase-1", "topic", "Syntax"} <= set(by_title["Python core"].labels)

    # Progress is the user's: closing an issue is not undone by the next sync.
    tracker.edit_issue(by_title["HTTP"].number, IssueEdit(state="closed"))
    assert pending(ROADMAP, tracker) == ()

    renamed = ROADMAP.replace("title: Python core", "title: Core Python")
    (change,) = pending(renamed, tracker)
    assert isinstance(change, IssueChange)
    assert (change.action, change.number) == (Action.UPDATE, by_title["Python core"].number)
    assert "title" in change.fields
    sync(renamed, tracker)
    assert pending(renamed, tracker) == ()

    project = "    projects:\n      - id: cli-tool\n        title: A command-line tool\n"
    removed = renamed.replace(project, "")
    sync(removed, tracker)
    gone = tracker.issue(by_title["A command-line tool"].number)
    assert (gone.state, gone.state_reason) == ("closed", "not_planned")
    assert "removed" in gone.labels
    assert pending(removed, tracker) == ()

    moved = removed.replace("- id: git-basics\n", "- id: git-intro\n        was: [git-basics]\n")
    sync(moved, tracker)
    kept = tracker.issue(by_title["Git basics"].number)
    assert kept.body.startswith("<!-- roadmap-sync:item=git-intro -->")
    assert len(tracker.snapshot().issues) == 4  # nothing new was created
    assert pending(moved, tracker) == ()

    back = moved.replace(
        "    topics:\n      - id: http\n", project + "    topics:\n      - id: http\n"
    )
    sync(back, tracker)
    returned = tracker.issue(gone.number)
    assert (returned.state, returned.state_reason, returned.closed_at) == ("open", "reopened", None)
    assert "removed" not in returned.labels
    assert pending(back, tracker) == ()


# -- broken files -------------------------------------------------------------------------------

VALID = json.dumps({"format": 1, "labels": [], "milestones": [], "issues": []}, indent=2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(VALID[: len(VALID) // 2].encode(), None, id="truncated"),
        pytest.param(b'{\n  "format": 1,\n  "issues": [}\n', None, id="syntax"),
        pytest.param(b"", None, id="empty"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\xff\xfe", r":1:1: not UTF-8 text \(byte 0x89\)", id="binary"
        ),
        pytest.param(b"[]", r": must hold a JSON object, not a list", id="list"),
        pytest.param(b'{"labels": []}', r": 'format' must be the integer 1", id="no-format"),
        pytest.param(
            b'{"format": 1, "issues": [{"title": "x"}]}',
            r": issues\[0\] has no 'number'",
            id="no-number",
        ),
        pytest.param(
            b'{"format": 1, "issues": {}}',
            r": 'issues' must be a list of objects",
            id="issues-object",
        ),
        pytest.param(
            json.dumps({"format": 1, "milestones": [{"number": "1", "title": "Phase 1"}]}).encode(),
            r": milestones\[0\] 'number' must be an integer, not '1'",
            id="string-number",
        ),
        pytest.param(
            b'{"format": 1, "labels": [{"name": "a"}, {"name": "A"}]}',
            r": labels\[1\] repeats 'a'",
            id="duplicate-label",
        ),
    ],
)
def test_a_broken_file_is_reported_and_never_overwritten(
    tracker: LocalTracker, path: Path, content: bytes, message: str | None
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    if message is None:  # a JSON syntax error: the position json itself reports
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads(content)
        message = rf":{caught.value.lineno}:{caught.value.colno}: {re.escape(caught.value.msg)}"
    pattern = re.escape(str(path)) + message + ".*" + re.escape(FIX) + "$"
    for call in (tracker.snapshot, lambda: tracker.create_label(spec("roadmap"))):
        with pytest.raises(TrackerError, match=pattern) as error:
            call()
        assert "\n" not in str(error.value)
    assert path.read_bytes() == content
    assert temp_files(path) == []


def test_a_file_from_a_newer_version_is_refused(tracker: LocalTracker, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 2, "shiny": true}', encoding="utf-8")
    upgrade = "written by a newer roadmap-sync; upgrade (pip install -U roadmap-sync)"
    with pytest.raises(TrackerError, match=re.escape(upgrade)):
        tracker.create_issue(new())
    assert path.read_text(encoding="utf-8") == '{"format": 2, "shiny": true}'


def test_a_leftover_temp_file_is_ignored_then_removed(tracker: LocalTracker, path: Path) -> None:
    tracker.create_issue(new())
    leftover = path.parent / ".tracker.json.k1ll3d.tmp"
    leftover.write_text('{"format": 1, "issues": []', encoding="utf-8")
    assert [i.number for i in tracker.snapshot().issues] == [1]
    tracker.create_issue(new())
    assert temp_files(path) == []


# -- processes ----------------------------------------------------------------------------------

ROUNDS = 50


@pytest.mark.slow
def test_two_processes_marking_at_the_same_moment_lose_nothing(
    tracker: LocalTracker, path: Path
) -> None:
    with tracker.session():
        for _ in range(1 + 2 * ROUNDS):
            tracker.create_issue(new())
    context = multiprocessing.get_context("spawn")  # no fork of the test runner's threads
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=child.race, args=(str(path), worker, ROUNDS, barrier))
        for worker in (0, 1)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    codes = [worker.exitcode for worker in workers]
    for worker in workers:
        worker.kill()  # only still running if the other failed
    assert codes == [0, 0]
    issues = tracker.snapshot().issues
    assert [i.number for i in issues if i.state == "open"] == [child.SHARED_ISSUE]
    comments = json.loads(path.read_text(encoding="utf-8"))["issues"][0]["comments"]
    assert len(comments) == 2 * ROUNDS


@pytest.fixture
def writers(path: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, str(CHILD), "writers", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as server:
        watchdog = threading.Timer(60, server.kill)  # a hang becomes a failure, not a stall
        watchdog.start()
        yield server
        watchdog.cancel()
        assert server.stdin is not None
        server.stdin.close()  # the server's loop ends
        assert server.wait(30) == 0


def read_until(prefix: str, server: subprocess.Popen[str]) -> list[str]:
    """The server's lines up to the first that starts with the prefix."""
    assert server.stdout is not None
    lines = [server.stdout.readline()]
    while not lines[-1].startswith(prefix):
        assert lines[-1], "the writer server died"  # its watchdog kills it if it hangs
        lines.append(server.stdout.readline())
    return lines


@pytest.mark.slow
def test_kill_9_while_writing_leaves_the_old_or_the_new_state(
    tracker: LocalTracker, path: Path, writers: subprocess.Popen[str]
) -> None:
    with tracker.session():
        tracker.create_issue(NewIssue("gen", "generations", child.body(0), ("roadmap",), None))
        for number in range(2, 201):
            tracker.create_issue(new(f"filler {number}", ("roadmap", f"tag-{number % 9}")))
    fillers = tracker.snapshot().issues[1:]
    rng = random.Random(20240131)
    assert writers.stdin is not None
    assert writers.stdout is not None
    last, interrupted = 0, 0
    for round_ in range(20):
        writers.stdin.write("go\n")
        writers.stdin.flush()
        lines = read_until("pid ", writers)
        if round_ % 2:
            time.sleep(rng.uniform(0.0, 0.12))  # anywhere: reading, planning or writing
        else:
            deadline, earlier = time.monotonic() + 0.5, set(temp_files(path))
            while set(temp_files(path)) <= earlier and time.monotonic() < deadline:
                pass  # aim at the write itself: kill as soon as a new temp file appears
        os.kill(int(lines[-1].split()[1]), signal.SIGKILL)
        lines += read_until("reaped", writers)
        wrote = [int(line.split()[1]) for line in lines if line.startswith("wrote ")]
        last = wrote[-1] if wrote else last
        # The file parses, and holds the last write that returned or the one under way.
        now = child.generation(tracker)
        assert now in (last, last + 1)
        assert tracker.snapshot().issues[1:] == fillers
        last = now
        interrupted += bool(temp_files(path))
    tracker.create_issue(new())  # the next write clears what the killed writers left
    assert temp_files(path) == []
    assert last >= 5  # the writers did write between the kills
    assert interrupted  # and some kills hit a write half done
