"""Faults around the dependency writes that `needs` add, on a small roadmap with many edges:
a crash after every write, every dependency answer lost, two syncs racing, a stray edge left
by a race or a hand. After it all: exactly the roadmap's edges between the items' issues, no
edge twice, nothing else touched, and the next sync writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.fake_github.faults import Fault
from tests.reliability.children import (
    assert_killed_after_exactly,
    assert_second_run_wrote_the_rest,
    start_together,
    sync_killed_at,
)
from tests.reliability.test_support import (
    child_env,
    cli,
    issues_by_item,
    patch_sleep,
    served,
)

# Six items, eight needs: chains, a diamond, needs across phases.
ROADMAP = """\
title: Small
phases:
  - id: one
    name: One
    topics:
      - id: a
        title: A
      - id: b
        title: B
        needs: [a]
      - id: c
        title: C
        needs: [a]
    projects:
      - id: d
        title: D
        needs: [b, c]
  - id: two
    name: Two
    topics:
      - id: e
        title: E
        needs: [a, d]
      - id: f
        title: F
        needs: [d, e, b]
"""
EDGES = {("b", "a"), ("c", "a"), ("d", "b"), ("d", "c"), ("e", "a"), ("e", "d")}
EDGES |= {("f", "d"), ("f", "e"), ("f", "b")}
# roadmap, phase-1, phase-2, topic, project, in progress; 2 milestones; 6 issues; 9 edges.
TOTAL = 6 + 2 + 6 + len(EDGES)


@pytest.fixture
def small(github_env: Path) -> Path:
    (github_env / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    return github_env


def assert_exact_edges(
    fake: FakeGitHub,
    extra: frozenset[tuple[int, int]] = frozenset(),
    edges: frozenset[tuple[str, str]] = frozenset(EDGES),
) -> None:
    """Each item's one open issue is blocked by exactly its needs' issues (``edges``, plus
    ``extra`` pairs of numbers the tool must leave alone), and no other issue takes part in
    an edge."""
    keeper = {}
    for item, issues in issues_by_item(fake).items():
        open_ones = [i["number"] for i in issues if i["state"] == "open"]
        assert len(open_ones) == 1, (item, issues)
        keeper[item] = open_ones[0]
    wanted = {(keeper[item], keeper[need]) for item, need in edges} | set(extra)
    found = {(n, b) for n in range(1, 200) if fake.state.issues.get(n) for b in fake.blocked_by(n)}
    assert found == wanted
    for number in range(1, 200):
        issue = fake.state.issues.get(number)
        if issue is not None:
            summary = fake.issue(number)["issue_dependencies_summary"]
            assert summary["total_blocked_by"] == len(fake.blocked_by(number))


@pytest.mark.slow
@pytest.mark.parametrize("k", range(1, TOTAL + 1))
def test_sigkill_after_every_write_including_each_dependency(
    small: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    with served(fake_github, monkeypatch) as fake:
        child = sync_killed_at(fake, small, k)
        assert_killed_after_exactly(fake, child, k)
        fake.reset_log()
        run("sync")
        assert_second_run_wrote_the_rest(fake, k, TOTAL)
        assert_exact_edges(fake)
        fake.reset_log()
        run("sync")
        assert fake.writes == 0


LOSSES = {
    "apply_then_error-502": {"kind": "apply_then_error", "status": 502},
    "apply_then_drop": {"kind": "apply_then_drop"},
    "timeout-applied": {"kind": "timeout", "apply": True},
}


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("nth", [1, 5, 9])
def test_a_lost_answer_to_a_link_neither_loses_nor_doubles_it(
    small: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    loss: str,
    nth: int,
) -> None:
    patch_sleep(monkeypatch)
    path = r"/dependencies/blocked_by$"
    fault = fake_github.add_fault(Fault(method="POST", path=path, nth=nth, **LOSSES[loss]))
    run("sync")  # converges in this same run
    assert fault.fired == 1
    assert_exact_edges(fake_github)
    # The lost one was looked for (a read of that list) and not sent again.
    applied = [r for r in fake_github.requests if r.method == "POST" and re.search(path, r.path)]
    assert sum(r.applied for r in applied) == len(EDGES)
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


@pytest.mark.parametrize("loss", LOSSES)
def test_a_lost_answer_to_an_unlink_is_retried_once(
    small: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    loss: str,
) -> None:
    patch_sleep(monkeypatch)
    run("sync")
    Path("roadmap.yaml").write_text(ROADMAP.replace("needs: [d, e, b]", "needs: [d, e]"))
    fake_github.add_fault(Fault(method="DELETE", path=r"/blocked_by/\d+$", nth=1, **LOSSES[loss]))
    run("sync")
    assert_exact_edges(fake_github, edges=frozenset(EDGES - {("f", "b")}))
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(4))
def test_two_syncs_racing_end_with_exactly_the_edges(
    small: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    trial: int,
) -> None:
    folders = [tmp_path_factory.mktemp(f"race{n}") for n in (1, 2)]
    for folder in folders:
        (folder / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    with served(fake_github, monkeypatch) as fake:
        start_together(cli("sync"), folders, child_env(fake))
        monkeypatch.delenv("GITHUB_API_URL")
        run("sync")  # the follow-up closes duplicates and repairs the edges, in one run
        assert_exact_edges(fake)
        fake.reset_log()
        run("sync")
        assert fake.writes == 0


def test_a_stray_edge_to_a_duplicate_is_replaced_in_one_sync(
    small: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    issues = issues_by_item(fake_github)
    a, b = issues["a"][0], issues["b"][0]
    # A copy of A made by hand, and B moved onto it: B's count of blockers still says 1.
    copy = fake_github.ui_create_issue(title=a["title"], body=a["body"], labels=["roadmap"])
    fake_github.ui_remove_blocked_by(b["number"], a["number"])
    fake_github.ui_add_blocked_by(b["number"], copy["number"])
    fake_github.reset_log()
    run("sync")
    assert_exact_edges(fake_github)
    assert fake_github.issue(copy["number"])["state"] == "closed"
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


def test_an_edge_with_an_issue_the_tool_does_not_manage_is_never_touched(
    small: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    mine = issues_by_item(fake_github)
    other = fake_github.ui_create_issue(title="Buy a desk", body="not a roadmap item")
    fake_github.ui_add_blocked_by(other["number"], mine["a"][0]["number"])
    fake_github.ui_add_blocked_by(mine["f"][0]["number"], other["number"])
    for _ in range(2):
        fake_github.reset_log()
        run("sync", "--check-dependencies")
        assert not fake_github.calls("DELETE")
    extra = {
        (other["number"], mine["a"][0]["number"]),
        (mine["f"][0]["number"], other["number"]),
    }
    assert_exact_edges(fake_github, frozenset(extra))
