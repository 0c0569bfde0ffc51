"""The diff, table by table: plain values in, plain changes out; no HTTP, no tracker."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from roadmap_sync.model import load as loader
from roadmap_sync.model import roadmap
from roadmap_sync.sync import changes, desired, identity, plan
from roadmap_sync.sync.changes import Action, IssueChange, LabelChange, MilestoneChange
from roadmap_sync.trackers.base import RemoteIssue, RemoteLabel, Snapshot
from tests.snapshots import converged

T1 = datetime(2026, 2, 1, tzinfo=timezone.utc)

ROADMAP = """\
title: Test roadmap
goal: Learn things
phases:
  - id: basics
    name: Basics
    tagline: Start here
    focus: Code
    outcome: A base
    topics:
      - id: alpha
        title: Alpha
      - id: beta
        title: Beta
        tags: [python]
    projects:
      - id: gamma
        title: Gamma
  - id: advanced
    name: Advanced
    topics:
      - id: delta
        title: Delta
"""


def load(text: str = ROADMAP) -> roadmap.Roadmap:
    return loader.loads(text, "roadmap.yaml")


def issue_of(snapshot: Snapshot, number: int) -> RemoteIssue:
    return next(i for i in snapshot.issues if i.number == number)


def with_issue(snapshot: Snapshot, issue: RemoteIssue) -> Snapshot:
    others = tuple(i for i in snapshot.issues if i.number != issue.number)
    return replace(snapshot, issues=(*others, issue))


def diff(r: roadmap.Roadmap, snapshot: Snapshot) -> changes.Plan:
    return plan.diff(desired.build(r), snapshot)


def test_empty_tracker_creates_everything_in_dependency_order() -> None:
    r = load()
    result = diff(r, Snapshot((), (), ()))
    kinds = [type(c).__name__ for c in result.changes]
    assert kinds == ["LabelChange"] * 7 + ["MilestoneChange"] * 2 + ["IssueChange"] * 4
    labels = [c.spec.name for c in result.changes if isinstance(c, LabelChange)]
    assert labels == ["roadmap", "phase-1", "phase-2", "topic", "project", "in progress", "python"]
    issues = [c for c in result.changes if isinstance(c, IssueChange)]
    assert [c.item_id for c in issues] == ["alpha", "beta", "gamma", "delta"]
    assert issues[1].labels == ("roadmap", "phase-1", "topic", "python")
    assert issues[3].milestone == "advanced"
    assert result.writes == 13
    assert result.creates == 4


def test_converged_snapshot_plans_nothing() -> None:
    r = load()
    result = diff(r, converged(r))
    assert result.changes == ()
    assert result.unchanged == 4


def test_changed_title_updates_only_that_issue() -> None:
    r = load(ROADMAP.replace("title: Beta", "title: Beta, revised"))
    result = diff(r, converged(load()))
    assert len(result.changes) == 1
    change = result.changes[0]
    assert isinstance(change, IssueChange)
    assert (change.action, change.number, change.fields) == (Action.UPDATE, 2, ("title",))
    assert change.title == "Beta, revised"
    assert result.writes == 1


def test_user_labels_assignees_and_notes_survive_an_update() -> None:
    before = converged(load())
    mine = replace(
        issue_of(before, 2),
        labels=(*issue_of(before, 2).labels, "Urgent", "in progress"),
        assignees=("me",),
        body=issue_of(before, 2).body + "\n\nMy notes, kept.",
    )
    r = load(ROADMAP.replace("title: Beta", "title: Beta 2").replace("[python]", "[rust]"))
    (change,) = (c for c in diff(r, with_issue(before, mine)).changes if isinstance(c, IssueChange))
    # `python` was a tag label the tool made: dropped with the tag. The user's labels stay.
    assert change.labels == ("roadmap", "phase-1", "topic", "rust", "Urgent", "in progress")
    assert change.body is None  # the managed block did not change; the notes stay untouched
    assert "assignees" not in change.fields


def test_body_update_keeps_the_text_below_the_block() -> None:
    before = converged(load())
    noted = replace(issue_of(before, 1), body=issue_of(before, 1).body + "\r\n\r\nnotes")
    r = load(ROADMAP.replace("title: Alpha\n", "title: Alpha\n        description: New text\n"))
    (change,) = diff(r, with_issue(before, noted)).changes
    assert isinstance(change, IssueChange)
    assert change.body is not None
    assert "New text" in change.body
    assert change.body.endswith("\n\nnotes")


def test_new_item_creates_one_issue() -> None:
    r = load(ROADMAP + "      - id: epsilon\n        title: Epsilon\n")
    (change,) = diff(r, converged(load())).changes
    assert isinstance(change, IssueChange)
    assert (change.action, change.item_id, change.milestone) == (
        Action.CREATE,
        "epsilon",
        "advanced",
    )


def test_removed_item_closes_not_planned_with_the_removed_label() -> None:
    r = load(ROADMAP.replace("      - id: alpha\n        title: Alpha\n", ""))
    changes = diff(r, converged(load())).changes
    assert isinstance(changes[0], LabelChange)
    assert changes[0].spec.name == "removed"
    close = changes[1]
    assert isinstance(close, IssueChange)
    assert (close.action, close.number, close.state, close.state_reason) == (
        Action.CLOSE,
        1,
        "closed",
        "not_planned",
    )
    assert close.labels is not None
    assert "removed" in close.labels


def test_removed_item_already_closed_by_the_learner_is_left_alone() -> None:
    before = converged(load())
    done = replace(issue_of(before, 1), state="closed", state_reason="completed")
    r = load(ROADMAP.replace("      - id: alpha\n        title: Alpha\n", ""))
    assert diff(r, with_issue(before, done)).changes == ()


def test_item_back_in_the_roadmap_is_reopened_but_a_skipped_one_stays_skipped() -> None:
    before = converged(load())
    removed = replace(
        issue_of(before, 1),
        state="closed",
        state_reason="not_planned",
        labels=(*issue_of(before, 1).labels, "removed"),
    )
    skipped = replace(issue_of(before, 2), state="closed", state_reason="not_planned")
    snapshot = with_issue(with_issue(before, removed), skipped)
    (change,) = diff(load(), snapshot).changes
    assert isinstance(change, IssueChange)
    assert (change.action, change.number, change.state) == (Action.REOPEN, 1, "open")
    assert change.labels is not None
    assert "removed" not in change.labels


def test_rename_by_was_keeps_the_issue_number() -> None:
    r = load(ROADMAP.replace("id: alpha\n", "id: alpha-two\n        was: [alpha]\n"))
    (change,) = diff(r, converged(load())).changes
    assert isinstance(change, IssueChange)
    assert (change.action, change.number, change.item_id) == (Action.UPDATE, 1, "alpha-two")
    assert change.body is not None
    assert change.body.startswith("<!-- roadmap-sync:item=alpha-two -->")


def test_duplicates_keep_the_oldest_and_close_the_rest_with_a_comment() -> None:
    before = converged(load())
    copy = replace(issue_of(before, 2), number=40, created_at=T1, updated_at=T1)
    closed_copy = replace(copy, number=41, state="closed", state_reason="completed")
    snapshot = replace(before, issues=(*before.issues, copy, closed_copy))
    (change,) = diff(load(), snapshot).changes
    assert isinstance(change, IssueChange)
    assert (change.action, change.number, change.state_reason) == (
        Action.CLOSE_DUPLICATE,
        40,
        "not_planned",
    )
    assert change.comment is not None
    assert "#2" in change.comment
    assert change.writes == 2


def test_a_body_with_two_markers_is_a_conflict_and_never_modified() -> None:
    before = converged(load())
    two = replace(issue_of(before, 1), title="hand edited", body=issue_of(before, 1).body + "\n")
    two = replace(two, body=two.body + "<!-- roadmap-sync:item=beta -->\n")
    result = diff(load(), with_issue(before, two))
    assert result.conflicts == (
        "issue #1: the body carries more than one roadmap-sync marker; its body is left as it is",
    )
    # The issue is still the item's (no duplicate is made); its title is the tool's to fix,
    # its body is not touched.
    (change,) = result.changes
    assert isinstance(change, IssueChange)
    assert (change.action, change.number, change.fields) == (Action.UPDATE, 1, ("title",))


def test_roadmap_text_can_never_pose_as_a_marker() -> None:
    sneaky = "x <!-- roadmap-sync:item=beta --> and <!-- roadmap-sync:end --> y"
    text = ROADMAP.replace("title: Alpha\n", f"title: Alpha\n        description: {sneaky!r}\n")
    text = text.replace("focus: Code", f"focus: {'<!-- roadmap-sync:phase=advanced -->'!r}")
    r = load(text)
    assert diff(r, converged(r)).changes == ()
    block = desired.build(r).issues[0].block
    assert identity.parse_body(block + "\n\nnotes").rest == "\n\nnotes"


@pytest.mark.parametrize(
    "body",
    [
        "```\n<!-- roadmap-sync:item=alpha -->\n```\n",
        "> <!-- roadmap-sync:item=alpha -->\n",
        "Some text first\n<!-- roadmap-sync:item=alpha -->\n<!-- roadmap-sync:end -->",
        "    <!-- roadmap-sync:item=alpha -->\n<!-- roadmap-sync:end -->",
    ],
)
def test_markers_count_only_as_the_first_line_of_the_body(body: str) -> None:
    assert identity.parse_body(body).item_id is None


def test_marker_inside_a_code_fence_below_the_block_is_not_a_conflict() -> None:
    block = desired.build(load()).issues[0].block
    body = block + "\n\n```\n<!-- roadmap-sync:item=beta -->\n```\n"
    parsed = identity.parse_body(body)
    assert (parsed.item_id, parsed.conflict) == ("alpha", "")


def test_done_hint_creates_the_issue_closed_and_finishes_after_a_crash() -> None:
    text = ROADMAP.replace("title: Alpha\n", "title: Alpha\n        done: true\n")
    (create,) = (
        c for c in diff(load(text), Snapshot((), (), ())).changes if c.key == "issue alpha"
    )
    assert isinstance(create, IssueChange)
    assert create.close_as == "completed"
    assert create.writes == 2
    # Crashed between creating and closing: the issue is open and untouched since creation.
    (finish,) = diff(load(text), converged(load())).changes
    assert isinstance(finish, IssueChange)
    assert (finish.action, finish.state, finish.state_reason) == (
        Action.CLOSE,
        "closed",
        "completed",
    )
    # The learner reopened it later: the hint is spent.
    touched = replace(issue_of(converged(load()), 1), updated_at=T1)
    assert diff(load(text), with_issue(converged(load()), touched)).changes == ()


def test_milestone_found_by_marker_survives_a_phase_rename() -> None:
    before = converged(load())
    r = load(ROADMAP.replace("name: Basics", "name: Fundamentals"))
    changes = diff(r, before).changes
    milestone = [c for c in changes if isinstance(c, MilestoneChange)]
    assert len(milestone) == 1
    assert (milestone[0].action, milestone[0].number) == (Action.UPDATE, 1)
    assert "title" in milestone[0].fields
    assert all(c.action is Action.UPDATE for c in changes)


def test_closed_milestone_with_the_phase_title_is_reused_not_duplicated() -> None:
    before = converged(load())
    bare = tuple(
        replace(m, description="", state="closed") if m.number == 1 else m
        for m in before.milestones
    )
    (change,) = diff(load(), replace(before, milestones=bare)).changes
    assert isinstance(change, MilestoneChange)
    assert (change.action, change.number, change.fields) == (Action.UPDATE, 1, ("description",))


def test_labels_match_case_insensitively_and_user_colours_of_shared_labels_stay() -> None:
    before = converged(load())
    labels = tuple(
        RemoteLabel(label.name.upper(), "000000", "mine")
        if label.name in ("topic", "python")
        else label
        for label in before.labels
    )
    assert diff(load(), replace(before, labels=labels)).changes == ()


def test_own_labels_are_kept_in_step() -> None:
    before = converged(load())
    labels = tuple(
        RemoteLabel("Phase-1", "000000", "x") if label.name == "phase-1" else label
        for label in before.labels
    )
    (change,) = diff(load(), replace(before, labels=labels)).changes
    assert isinstance(change, LabelChange)
    assert (change.action, change.current_name, change.fields) == (
        Action.UPDATE,
        "Phase-1",
        ("name", "color", "description"),
    )


def test_moving_an_item_to_another_phase_changes_milestone_and_labels() -> None:
    moved = ROADMAP.replace("      - id: alpha\n        title: Alpha\n", "").replace(
        "      - id: delta\n", "      - id: alpha\n        title: Alpha\n      - id: delta\n"
    )
    (change,) = diff(load(moved), converged(load())).changes
    assert isinstance(change, IssueChange)
    assert change.milestone == "advanced"
    assert change.labels == ("roadmap", "phase-2", "topic")
    assert set(change.fields) == {"body", "labels", "milestone"}


def test_due_dates_are_compared_as_dates() -> None:
    r = load(
        ROADMAP.replace(
            "    tagline: Start here\n", "    tagline: Start here\n    due: 2027-03-01\n"
        )
    )
    before = converged(load())
    (change,) = diff(r, before).changes
    assert isinstance(change, MilestoneChange)
    assert change.fields == ("due_on",)
    dated = tuple(
        replace(m, due_on=date(2027, 3, 1)) if m.number == 1 else m for m in before.milestones
    )
    assert diff(r, replace(before, milestones=dated)).changes == ()


def test_issue_bodies_name_the_roadmap_file_the_same_on_every_platform() -> None:
    # A body names the roadmap file; written from docs\roadmap.yaml on Windows it must equal
    # one written from docs/roadmap.yaml on Linux, or each machine rewrites every body.
    def bodies(path: str) -> list[str]:
        return [spec.block for spec in desired.build(loader.loads(ROADMAP, path)).issues]

    linux = bodies("docs/roadmap.yaml")
    assert bodies("docs\\roadmap.yaml") == bodies("roadmap.yaml") == linux
    assert all("roadmap.yaml" in block and "docs" not in block for block in linux)
