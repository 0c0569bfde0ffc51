"""The "Done when" checklist: validation, the block it renders, and the learner's ticks (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_sync.errors import RoadmapError
from roadmap_sync.model.load import loads
from roadmap_sync.report.progress import progress
from roadmap_sync.sync.desired import build
from roadmap_sync.sync.status import Status
from roadmap_sync.sync.tasks import count_ticked, merged_body, set_tick, ticked, with_ticks
from roadmap_sync.trackers.base import RemoteIssue, Snapshot
from tests.snapshots import T0

ROADMAP = """\
title: T
phases:
  - id: p
    name: Basics
    topics:
      - id: a
        title: A thing
        description: What A is.
        tasks:
          - Write the first function
          - Test it
          - "Ship it: to PyPI"
      - id: b
        title: B
"""
BLOCK = build(loads(ROADMAP)).issues[0].block


def tick_lines(block: str, *numbers: int) -> str:
    """The block as GitHub leaves it after the learner clicked these boxes (1-based)."""
    lines = block.split("\n")
    boxes = [i for i, line in enumerate(lines) if line.startswith("- [ ] ")]
    for number in numbers:
        lines[boxes[number - 1]] = lines[boxes[number - 1]].replace("- [ ]", "- [x]", 1)
    return "\n".join(lines)


def test_the_block_lists_the_tasks_under_done_when_before_the_resources() -> None:
    assert "What A is.\n\n### Done when\n\n- [ ] Write the first function\n- [ ] Test it\n" in BLOCK
    assert "- [ ] Ship it: to PyPI\n\n<sub>Managed by roadmap-sync" in BLOCK
    assert "your ticks kept. Tick the boxes as you go" in BLOCK
    plain = build(loads(ROADMAP)).issues[1].block
    assert "Done when" not in plain
    assert "Close the issue when you are done" in plain


def test_ticks_are_read_by_task_text_ignoring_case_and_spaces() -> None:
    block = tick_lines(BLOCK, 1, 3)
    assert ticked(block) == {"write the first function", "ship it: to pypi"}
    assert ticked(block.replace("- [x] Ship", "- [X] Ship")) == ticked(block)
    assert ticked(BLOCK) == frozenset()


def test_a_reworded_task_starts_unticked_a_removed_one_disappears() -> None:
    twice = ROADMAP.replace('- "Ship it: to PyPI"', '- "  write THE first function "')
    with pytest.raises(RoadmapError):  # the same task twice (in other case and spacing)
        loads(twice)
    roadmap = ROADMAP.replace("- Test it", "- Test it with pytest").replace(
        '- "Ship it: to PyPI"', "- New task"
    )
    new = build(loads(roadmap)).issues[0].block
    body = merged_body(new, tick_lines(BLOCK, 1, 2, 3) + "\n\nmy note")
    assert body is not None
    assert "- [x] Write the first function\n- [ ] Test it with pytest\n- [ ] New task\n" in body
    assert body.endswith("<!-- roadmap-sync:end -->\n\nmy note")


def test_sync_never_adds_a_tick_and_never_removes_one_it_can_keep() -> None:
    assert merged_body(BLOCK, BLOCK) == BLOCK
    assert merged_body(BLOCK, tick_lines(BLOCK, 2)) == tick_lines(BLOCK, 2)
    assert merged_body(BLOCK, "no marker") is None
    conflict = BLOCK.replace("<!-- roadmap-sync:end -->", "")
    assert merged_body(BLOCK, conflict) is None


def test_set_tick_and_count() -> None:
    tasks = ("Write the first function", "Test it", "Ship it: to PyPI")
    one = set_tick(BLOCK, "  test IT ", True)
    assert one == tick_lines(BLOCK, 2)
    assert count_ticked(tasks, one) == 1
    assert set_tick(one, "Test it", False) == BLOCK
    assert set_tick(BLOCK, "Not a task of this item", True) is None
    assert count_ticked(tasks, with_ticks(BLOCK, frozenset({"test it", "ship it: to pypi"}))) == 2


@given(st.sets(st.integers(1, 3)))
def test_ticks_survive_any_rewrite_of_the_same_tasks(numbers: set[int]) -> None:
    current = tick_lines(BLOCK, *numbers)
    assert merged_body(BLOCK, current) == current
    assert len(ticked(current)) == len(numbers)


def issue(
    number: int, item: str, block: str, state: str = "open", reason: str | None = None
) -> RemoteIssue:
    body = block.replace("item=a", f"item={item}") if item != "a" else block
    return RemoteIssue(number, item, body, state, reason, ("roadmap",), None, T0, T0)


def test_partial_progress_is_read_back_from_the_bodies() -> None:
    roadmap = loads(ROADMAP + "      - id: c\n        title: C\n        tasks: [One, Two]\n")
    blocks = {spec.item_id: spec.block for spec in build(roadmap).issues}
    snapshot = Snapshot(
        (),
        (),
        (
            issue(1, "a", tick_lines(blocks["a"], 1, 3)),
            issue(2, "b", blocks["b"]),
            issue(3, "c", blocks["c"], "closed", "completed"),
        ),
    )
    report = progress(roadmap, snapshot)
    a, b, c = report.items
    assert (a.status, a.tasks_done, a.tasks_total) == (Status.IN_PROGRESS, 2, 3)
    assert (b.status, b.tasks_done, b.tasks_total) == (Status.TODO, 0, 0)
    assert (c.status, c.tasks_done, c.tasks_total) == (Status.DONE, 2, 2)  # done: all ticked
    assert (report.tasks_done, report.tasks_total) == (4, 5)
    skipped = Snapshot(
        (), (), (*snapshot.issues[:2], issue(3, "c", blocks["c"], "closed", "not_planned"))
    )
    again = progress(roadmap, skipped)
    assert (again.tasks_done, again.tasks_total) == (2, 3)  # a skipped item's tasks are left out
    assert again.percent == 0  # closing the issue is still what "done" means


TASK_PROBLEMS = [
    ("tasks: []", ["r.yaml:6:16: tasks: needs at least one entry"]),
    (
        "tasks: [" + ", ".join(f"t{i}" for i in range(13)) + "]",
        ["r.yaml:6:16: tasks: has 13 entries, over the limit of 12"],
    ),
    (
        "tasks: [" + "x" * 201 + "]",
        ["r.yaml:6:17: tasks: is 201 characters long, over the limit of 200"],
    ),
    ('tasks: ["one\\ntwo"]', ["r.yaml:6:17: tasks: must be a single line"]),
    ('tasks: ["  "]', ["r.yaml:6:17: tasks: a task must not be blank"]),
    ("tasks: [7]", ["r.yaml:6:17: tasks: must be text"]),
    ("tasks: do it", ["r.yaml:6:16: tasks: must be a list"]),
    (
        "tasks: [Do it, '  do IT ']",
        ["r.yaml:6:24: tasks: the same task as number 1 (line 6); give each task once"],
    ),
]


@pytest.mark.parametrize(("line", "expected"), TASK_PROBLEMS)
def test_task_problems_are_reported_with_their_position(line: str, expected: list[str]) -> None:
    text = f"title: T\nphases:\n  - name: P\n    topics:\n      - title: A\n        {line}\n"
    with pytest.raises(RoadmapError) as caught:
        loads(text, "r.yaml")
    assert [str(p) for p in caught.value.problems] == expected
