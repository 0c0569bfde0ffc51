"""Sub-issues mode against the fake GitHub and the local tracker: parents, links, re-parenting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from roadmap_sync.model import load as loader
from roadmap_sync.model.roadmap import Roadmap
from roadmap_sync.sync import desired, plan
from roadmap_sync.sync.apply import apply
from roadmap_sync.trackers.local import LocalTracker
from tests.backends import map_items, numbers, rewrite_roadmap
from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.test_sync_github import N_ITEMS, N_WRITES, SNAPSHOT_READS

N_PHASES = 7


def parents(fake: FakeGitHub) -> dict[str, int]:
    """Phase id → number of its parent issue."""
    found = {}
    for issue in fake.issues():
        first = (issue["body"] or "").split("\n", 1)[0]
        if first.startswith("<!-- roadmap-sync:phase="):
            found[first.removeprefix("<!-- roadmap-sync:phase=").removesuffix(" -->")] = issue[
                "number"
            ]
    return found


def parent_of(fake: FakeGitHub, number: int) -> int | None:
    url = fake.issue(number).get("parent_issue_url")
    return int(url.rsplit("/", 1)[1]) if url else None


def test_first_sync_creates_seven_parents_and_links_all_83(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    shipped = loader.load("roadmap.yaml")
    planned = run("plan", "--sub-issues", "--json")
    assert '"links": 83' in planned.out
    run("sync", "--sub-issues")
    tops = parents(fake_github)
    assert len(tops) == N_PHASES
    phase_of = shipped.phase_of()
    for item_id, (number,) in numbers(fake_github).items():
        assert parent_of(fake_github, number) == tops[phase_of[item_id].id]
    top = fake_github.issue(tops["foundations"])
    assert top["title"] == "Phase 1: Foundations"
    assert {label["name"] for label in top["labels"]} == {"roadmap", "phase-1"}
    assert "**Focus:** Code, math, data" in top["body"]
    assert top["sub_issues_summary"]["total"] == 13
    # writes: the usual ones, 7 parents, 83 links; a second run writes nothing.
    assert fake_github.writes == N_WRITES + N_PHASES + N_ITEMS
    fake_github.reset_log()
    run("sync", "--sub-issues")
    assert (fake_github.reads, fake_github.writes) == (SNAPSHOT_READS, 0)


def test_moving_an_item_re_parents_it_with_exactly_the_needed_requests(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync", "--sub-issues")
    number = numbers(fake_github)["math"][0]

    def move_math(roadmap: Roadmap) -> Roadmap:
        math = next(item for item in roadmap.items if item.id == "math")
        first, second, *rest = roadmap.phases
        first = replace(first, topics=tuple(i for i in first.topics if i.id != "math"))
        second = replace(second, topics=(math, *second.topics))
        return replace(roadmap, phases=(first, second, *rest))

    rewrite_roadmap(move_math)
    fake_github.reset_log()
    run("sync", "--sub-issues")
    # One PATCH for the issue (body, labels, milestone), one POST to re-parent it.
    assert [
        (r.method, r.path.split("/issues")[-1]) for r in fake_github.requests if r.kind == "write"
    ] == [
        ("PATCH", f"/{number}"),
        ("POST", f"/{parents(fake_github)['ml-essentials']}/sub_issues"),
    ]
    assert parent_of(fake_github, number) == parents(fake_github)["ml-essentials"]


def test_a_removed_item_is_detached_and_a_finished_phase_closes_its_parent(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync", "--sub-issues")
    ids = numbers(fake_github)
    gone = ids["eda-project"][0]
    # The item leaves, and so do the needs on it (validate would ask for that).
    rewrite_roadmap(
        lambda roadmap: map_items(
            roadmap,
            lambda i: (
                None
                if i.id == "eda-project"
                else replace(i, needs=tuple(n for n in i.needs if n != "eda-project"))
            ),
        )
    )
    run("sync", "--sub-issues")
    assert parent_of(fake_github, gone) is None
    shipped = loader.load("roadmap.yaml")
    leadership = [item.id for item in shipped.phases[6].items]
    for item_id in leadership:
        fake_github.ui_close_issue(
            ids[item_id][0], "completed" if item_id != "mentoring" else "not_planned"
        )
    run("sync", "--sub-issues")
    top = fake_github.issue(parents(fake_github)["leadership"])
    assert (top["state"], top["state_reason"]) == ("closed", "completed")
    fake_github.ui_reopen_issue(ids["mentoring"][0])
    run("sync", "--sub-issues")
    assert fake_github.issue(parents(fake_github)["leadership"])["state"] == "open"


def test_the_local_tracker_keeps_parent_links_too(tmp_path: Path) -> None:
    shipped = loader.load(Path(__file__).resolve().parents[1] / "roadmap.yaml")
    tracker = LocalTracker(tmp_path / "tracker.json")
    wanted = desired.build(shipped, sub_issues=True)
    summary = apply(plan.diff(wanted, tracker.snapshot()), tracker)
    assert (summary.created, summary.linked) == (N_ITEMS + N_PHASES, N_ITEMS)
    snapshot = tracker.snapshot()
    tops = {i.number for i in snapshot.issues if i.body.startswith("<!-- roadmap-sync:phase=")}
    assert len(tops) == N_PHASES
    assert all(i.parent in tops for i in snapshot.issues if i.number not in tops)
    assert plan.diff(wanted, snapshot).changes == ()
