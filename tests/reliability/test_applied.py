"""Writes GitHub applied but answered with a failure: every kind of write × every way to lose
the answer (a 502, a dropped connection, a timeout), in the same run.

A PATCH is idempotent and may simply be sent again; a POST must not be: the tool looks for
what it created (a 422 ``already_exists`` for labels and milestones, the item marker for
issues) or, for a comment, never resends. Every case is expected to converge within the same
run, exit 0, with every POST applied exactly once; none needs a rerun. Waits between retries
go through a recording sleep, so these tests take no wall time for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_sync.model import load as loader
from roadmap_sync.model import roadmap
from tests.backends import map_items, rewrite_roadmap, set_item
from tests.conftest import Run
from tests.fake_github import FakeGitHub, Fault
from tests.reliability.test_support import (
    SHIPPED,
    SHIPPED_TEXT,
    applied_posts,
    assert_duplicates_closed_once,
    assert_exact_state,
    comments_on,
    issues_by_item,
    patch_sleep,
)

REPO = "/repos/learner/roadmap"
LOSSES = {
    "apply_then_error-502": {"kind": "apply_then_error", "status": 502},
    "apply_then_drop": {"kind": "apply_then_drop"},
    "timeout-applied": {"kind": "timeout", "apply": True},
}


def number_of(fake: FakeGitHub, item_id: str) -> int:
    return issues_by_item(fake)[item_id][0]["number"]


@dataclass(frozen=True)
class Case:
    """A write to fail: how to make the next sync want it, and which request it is."""

    method: str
    path: str
    prepare: Callable[[FakeGitHub, Run], None]
    posts: int  # POSTs the faulty sync must apply, each exactly once
    check: Callable[[FakeGitHub], None] = lambda fake: None


def nothing(fake: FakeGitHub, run: Run) -> None:
    """A first sync: every label, milestone and issue is created."""


def synced(fake: FakeGitHub, run: Run) -> None:
    run("sync")


def stale_label(fake: FakeGitHub, run: Run) -> None:
    # Wrong case, colour and text: the update renames it too (PATCH /labels/Roadmap).
    fake.ui_create_label("Roadmap", "ffffff", "somebody else's")


def stale_milestone(fake: FakeGitHub, run: Run) -> None:
    run("sync")
    fake.api("PATCH", f"{REPO}/milestones/3", json={"description": "edited by hand"})


def milestone_kept_its_marker(fake: FakeGitHub) -> None:
    assert "roadmap-sync:phase=deep-learning" in fake.milestones()[2]["description"]


def edited_issue(fake: FakeGitHub, run: Run) -> None:
    run("sync")
    fake.ui_edit_issue(number_of(fake, "math"), title="edited on github.com")


def removed_item(fake: FakeGitHub, run: Run) -> None:
    run("sync")
    rewrite_roadmap(lambda roadmap: map_items(roadmap, lambda i: None if i.id == "data-viz" else i))


def removed_item_closed(fake: FakeGitHub) -> None:
    (issue,) = issues_by_item(fake)["data-viz"]
    assert (issue["state"], issue["state_reason"]) == ("closed", "not_planned")
    assert "removed" in {label["name"] for label in issue["labels"]}


def done_hint(fake: FakeGitHub, run: Run) -> None:
    # An imported item already done: its new issue is created, then closed as completed.
    set_item("git-github", done=True)


def returning_item(fake: FakeGitHub, run: Run) -> None:
    removed_item(fake, run)
    run("sync")
    Path("roadmap.yaml").write_text(SHIPPED_TEXT, encoding="utf-8")  # the item is back


def hand_made_duplicate(fake: FakeGitHub, run: Run) -> None:
    run("sync")
    source = fake.issue(number_of(fake, "math"))
    fake.ui_create_issue(source["title"], source["body"], labels=["roadmap"])


def duplicate_closed_with_one_comment(fake: FakeGitHub) -> None:
    assert assert_duplicates_closed_once(fake) == 1


CASES = {
    "label-create": Case("POST", r"/labels$", nothing, 101),
    "label-update": Case("PATCH", r"/labels/Roadmap$", stale_label, 100),
    "milestone-create": Case("POST", r"/milestones$", nothing, 101),
    "milestone-update": Case("PATCH", r"/milestones/3$", stale_milestone, 0),
    "issue-create": Case("POST", r"/issues$", nothing, 101),
    "issue-update": Case("PATCH", r"/issues/\d+$", edited_issue, 0),
    "issue-close-removed": Case("PATCH", r"/issues/\d+$", removed_item, 1, removed_item_closed),
    "issue-close-done-hint": Case("PATCH", r"/issues/\d+$", done_hint, 101),
    "issue-reopen": Case("PATCH", r"/issues/\d+$", returning_item, 0),
    "duplicate-comment": Case(
        "POST", r"/issues/\d+/comments$", hand_made_duplicate, 1, duplicate_closed_with_one_comment
    ),
}
CASES["milestone-update"] = Case(
    "PATCH", r"/milestones/3$", stale_milestone, 0, milestone_kept_its_marker
)


def current_roadmap() -> roadmap.Roadmap:
    return loader.load(Path("roadmap.yaml"))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("name", CASES)
def test_an_applied_write_whose_answer_is_lost_is_neither_lost_nor_doubled(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    loss: str,
) -> None:
    case = CASES[name]
    sleeper = patch_sleep(monkeypatch)
    case.prepare(fake_github, run)
    fake_github.reset_log()
    fault = fake_github.add_fault(Fault(method=case.method, path=case.path, nth=1, **LOSSES[loss]))
    result = run("sync")  # converges in this same run: exit 0
    assert fault.fired == 1, "the write under test was never sent"
    (lost,) = [r for r in fake_github.requests if r.fault]
    assert lost.applied, "the fault did not apply the write first"
    assert applied_posts(fake_github) == case.posts
    assert "Traceback" not in result.err
    expected = current_roadmap()
    removed = ("data-viz",) if name == "issue-close-removed" else ()
    duplicates = name == "duplicate-comment"
    assert_exact_state(fake_github, expected, duplicates_allowed=duplicates, removed=removed)
    case.check(fake_github)
    if case.method == "PATCH":
        # An idempotent write is simply sent again, once, after a pause, in this same run.
        assert len(fake_github.calls("PATCH", re.escape(lost.path) + "$")) == 2
        assert len(sleeper.waits) == 1
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


def test_a_lost_comment_is_reported_and_never_sent_twice(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    hand_made_duplicate(fake_github, run)
    fake_github.fail("apply_then_error", method="POST", path=r"/comments$", nth=1)
    result = run("sync")
    duplicate = issues_by_item(fake_github)["math"][1]["number"]
    assert f"[issue #{duplicate}] the comment may not have been posted" in result.err
    assert len(comments_on(fake_github, duplicate)) == 1
    assert len(fake_github.calls("POST", r"/comments$")) == 1


def test_every_issue_field_survives_a_lost_create(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The create found again after its answer was lost carries its milestone and labels:
    # the tool does not have to patch it afterwards.
    patch_sleep(monkeypatch)
    fake_github.fail("apply_then_drop", method="POST", path=r"/issues$", nth=40)
    run("sync")
    assert len(fake_github.calls("PATCH")) == 0
    assert_exact_state(fake_github, SHIPPED)
