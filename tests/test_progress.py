"""progress(): each item's status from its issue, and the counts; plain values, no tracker."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from roadmap_sync.cli.json_output import status_json
from roadmap_sync.model.load import loads
from roadmap_sync.model.roadmap import Roadmap
from roadmap_sync.report.progress import progress
from roadmap_sync.sync.status import Status, status_of
from roadmap_sync.trackers.base import RemoteIssue, Snapshot

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
T1 = datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)


def issue(
    number: int,
    item_id: str,
    state: str = "open",
    reason: str | None = None,
    labels: tuple[str, ...] = ("roadmap",),
    assignees: tuple[str, ...] = (),
    url: str | None = None,
) -> RemoteIssue:
    """An issue as a tracker reports it, its body carrying the item marker."""
    body = f"<!-- roadmap-sync:item={item_id} -->\nmanaged\n<!-- roadmap-sync:end -->\nnotes"
    return RemoteIssue(
        number=number,
        title=item_id,
        body=body,
        state=state,
        state_reason=reason,
        labels=labels,
        milestone=None,
        created_at=T0,
        updated_at=T0,
        closed_at=T1 if state == "closed" else None,
        assignees=assignees,
        url=f"https://github.com/me/plan/issues/{number}" if url is None else url,
    )


def snapshot(*issues: RemoteIssue) -> Snapshot:
    return Snapshot(labels=(), milestones=(), issues=issues)


def roadmap(*phases: list[str], was: dict[str, list[str]] | None = None) -> Roadmap:
    """A roadmap whose phases hold topics with these ids (through the real loader)."""
    lines = ["title: Test roadmap", "phases:"]
    for number, ids in enumerate(phases, 1):
        lines += [f"  - name: Phase {number}", "    topics:"]
        for item_id in ids:
            lines += [f"      - id: {item_id}", f"        title: Title of {item_id}"]
            for old in (was or {}).get(item_id, []):
                lines += [f"        was: [{old}]"]
    return loads("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("state", "reason", "labels", "assignees", "expected"),
    [
        ("closed", "completed", (), (), Status.DONE),
        ("closed", None, (), (), Status.DONE),  # closed before GitHub recorded reasons
        ("closed", "not_planned", (), (), Status.SKIPPED),
        ("closed", "duplicate", (), (), Status.SKIPPED),
        ("closed", "completed", ("in progress",), ("me",), Status.DONE),
        ("open", None, (), (), Status.TODO),
        ("open", "reopened", ("roadmap", "phase-1"), (), Status.TODO),
        ("open", None, ("in progress",), (), Status.IN_PROGRESS),
        ("open", None, ("In Progress",), (), Status.IN_PROGRESS),
        ("open", None, (), ("octocat",), Status.IN_PROGRESS),
    ],
)
def test_status_rules(
    state: str,
    reason: str | None,
    labels: tuple[str, ...],
    assignees: tuple[str, ...],
    expected: Status,
) -> None:
    found = issue(1, "a", state, reason, labels, assignees)
    assert status_of(found) is expected
    result = progress(roadmap(["a"]), snapshot(found))
    assert result.items[0].status is expected


def test_item_without_issue_is_todo_and_missing() -> None:
    result = progress(roadmap(["a", "b"], ["c"]), snapshot(issue(1, "b", "closed", "completed")))
    assert [(i.item.id, i.status, i.number) for i in result.items] == [
        ("a", Status.TODO, None),
        ("b", Status.DONE, 1),
        ("c", Status.TODO, None),
    ]
    assert result.missing == 2
    assert result.items[0].url == ""
    assert result.items[0].closed_at is None


def test_item_records_its_issue() -> None:
    result = progress(roadmap(["a"]), snapshot(issue(7, "a", "closed", "completed")))
    (item,) = result.items
    assert (item.number, item.url, item.closed_at) == (
        7,
        "https://github.com/me/plan/issues/7",
        T1,
    )
    assert item.phase.name == "Phase 1"


def test_percent_rounds_down_and_leaves_skipped_out() -> None:
    ids = [f"item-{n}" for n in range(83)]
    issues = [issue(n + 1, ids[n], "closed", "completed") for n in range(10)]
    issues.append(issue(11, ids[10], "closed", "not_planned"))
    result = progress(roadmap(ids), snapshot(*issues))
    assert (result.done, result.skipped, result.total) == (10, 1, 83)
    assert result.percent == 12  # 10 / 82 = 12.2%
    assert result.phases[0].percent == 12


def test_percent_never_rounds_up() -> None:
    result = progress(
        roadmap(["a", "b", "c"]), snapshot(issue(1, "a", "closed"), issue(2, "b", "closed"))
    )
    assert result.percent == 66  # 66.7%: not done until it is


def test_counts_per_phase_and_overall() -> None:
    issues = snapshot(
        issue(1, "a", "closed", "completed"),
        issue(2, "b", labels=("in progress",)),
        issue(3, "c", "closed", "not_planned"),
        issue(4, "d"),
        issue(5, "e", "closed", "completed"),
    )
    result = progress(roadmap(["a", "b", "c", "d"], ["e", "f"]), issues)
    first, second = result.phases
    assert (first.done, first.in_progress, first.skipped, first.todo, first.total) == (
        1,
        1,
        1,
        1,
        4,
    )
    assert first.percent == 33
    assert (second.done, second.todo, second.total, second.percent) == (1, 1, 2, 50)
    assert (result.done, result.in_progress, result.skipped, result.todo) == (2, 1, 1, 2)
    assert (result.total, result.percent, result.missing) == (6, 40, 1)
    assert not first.complete
    assert not result.complete


def test_all_skipped_is_complete_and_empty_is_not() -> None:
    skipped = progress(roadmap(["a"]), snapshot(issue(1, "a", "closed", "not_planned")))
    assert skipped.phases[0].percent == 100
    assert skipped.phases[0].complete
    done = progress(
        roadmap(["a", "b"]),
        snapshot(issue(1, "a", "closed"), issue(2, "b", "closed", "not_planned")),
    )
    assert done.phases[0].complete
    empty = progress(Roadmap("Empty", ()), snapshot())
    assert (empty.total, empty.percent, empty.complete) == (0, 0, False)


def test_former_ids_find_the_issue() -> None:
    result = progress(
        roadmap(["new-id"], was={"new-id": ["old-id"]}),
        snapshot(issue(4, "old-id", "closed", "completed")),
    )
    assert (result.items[0].number, result.items[0].status, result.missing) == (4, Status.DONE, 0)


def test_duplicates_the_oldest_issue_counts() -> None:
    # Listed newest first on purpose: the oldest (lowest number) is the item's issue.
    issues = snapshot(issue(9, "a"), issue(3, "a", "closed", "completed"), issue(12, "a"))
    result = progress(roadmap(["a"]), issues)
    assert (result.items[0].number, result.items[0].status, result.total) == (3, Status.DONE, 1)


def test_issues_without_a_marker_or_of_other_items_are_ignored() -> None:
    stray = RemoteIssue(1, "a", "no marker here", "closed", "completed", ("roadmap",), None, T0, T0)
    result = progress(roadmap(["a"]), snapshot(stray, issue(2, "gone", "closed")))
    assert (result.items[0].status, result.missing) == (Status.TODO, 1)


def test_status_json() -> None:
    result = progress(
        roadmap(["a", "b"], ["c"]),
        snapshot(issue(1, "a", "closed", "completed"), issue(2, "b", assignees=("me",))),
    )
    data = status_json(result, None)
    assert list(data) == [
        "title",
        "done",
        "in_progress",
        "skipped",
        "todo",
        "total",
        "countable",
        "percent",
        "tasks_done",
        "tasks_total",
        "missing",
        "phases",
        "items",
        "pace",
        "streak",
    ]
    assert data["percent"] == 33
    assert data["missing"] == 1
    assert data["phases"][1] == {
        "id": "phase-2",
        "number": 2,
        "name": "Phase 2",
        "done": 0,
        "in_progress": 0,
        "skipped": 0,
        "todo": 1,
        "total": 1,
        "countable": 1,
        "percent": 0,
        "tasks_done": 0,
        "tasks_total": 0,
    }
    assert data["items"][0] == {
        "id": "a",
        "title": "Title of a",
        "kind": "topic",
        "phase": "phase-1",
        "status": "done",
        "number": 1,
        "url": "https://github.com/me/plan/issues/1",
        "closed_at": "2024-03-01T12:30:00+00:00",
        "tasks_done": 0,
        "tasks_total": 0,
        "needs": [],
        "blocked": False,
    }
    assert [i["status"] for i in data["items"]] == ["done", "in progress", "todo"]
    assert data["items"][2]["number"] is None
    # Serialisable as is, and the same state gives the same bytes.
    assert json.dumps(data) == json.dumps(status_json(result, None))
