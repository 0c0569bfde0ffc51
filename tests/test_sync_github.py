"""`plan` and `sync` against the fake GitHub: the issue-3 acceptance, request counts exact."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roadmap_sync.model import load as loader
from tests.backends import numbers
from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import SHIPPED_TEXT, TOTAL_WRITES

SHIPPED = loader.load(Path(__file__).resolve().parents[1] / "roadmap.yaml")
N_ITEMS = len(SHIPPED.items)
N_LABELS = 1 + len(SHIPPED.phases) + 3  # roadmap, phase-N, topic, project, in progress
N_EDGES = sum(len(item.needs) for item in SHIPPED.items)  # each need: one "blocked by"
N_WRITES = N_LABELS + len(SHIPPED.phases) + N_ITEMS + N_EDGES
SNAPSHOT_READS = 4  # repo, labels, milestones, issues (83 fit on one page of 100)


def assert_converged(fake: FakeGitHub) -> None:
    """Exactly one open issue per item, one milestone per phase, one label per name."""
    mine = numbers(fake)
    assert sorted(mine) == sorted(item.id for item in SHIPPED.items)
    for item_id, found in mine.items():
        open_ones = [n for n in found if fake.issue(n)["state"] == "open"]
        assert len(open_ones) == 1, (item_id, found)
    titles = [m["title"] for m in fake.milestones()]
    assert sorted(titles) == sorted(p.title for p in SHIPPED.phases)
    names = [label["name"].lower() for label in fake.labels()]
    assert len(names) == len(set(names))


def test_request_budget_is_exact(github_env: Path, fake_github: FakeGitHub, run: Run) -> None:
    run("plan")
    assert (fake_github.reads, fake_github.writes) == (SNAPSHOT_READS, 0)
    fake_github.reset_log()
    run("sync")
    assert (fake_github.reads, fake_github.writes) == (SNAPSHOT_READS, N_WRITES)
    fake_github.reset_log()
    second = run("sync")
    assert (fake_github.reads, fake_github.writes) == (SNAPSHOT_READS, 0)
    assert "Up to date" in second.out
    fake_github.reset_log()
    run("plan", "--detailed-exitcode")
    assert fake_github.writes == 0


def test_plan_json_and_detailed_exitcode(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    result = run("plan", "--json", "--detailed-exitcode", expect=2)
    doc = json.loads(result.out)
    assert doc["summary"]["create"] == N_ITEMS
    assert doc["summary"]["writes"] == N_WRITES
    assert doc["changes"][0] == {
        "type": "label",
        "action": "create",
        "key": "roadmap",
        "number": None,
        "fields": [],
        "description": "create",
    }
    run("sync")
    run("plan", "--detailed-exitcode", expect=0)


@pytest.mark.parametrize("kind", ["apply_then_error", "apply_then_drop", "timeout"])
def test_a_create_applied_then_lost_is_found_not_repeated(
    github_env: Path, fake_github: FakeGitHub, run: Run, kind: str
) -> None:
    fake_github.fail(kind, method="POST", path=r"/issues$", nth=5, apply=True)
    run("sync")
    assert_converged(fake_github)
    assert len(fake_github.issues()) == N_ITEMS


@pytest.mark.parametrize("kind", ["error", "drop"])
def test_a_create_that_never_happened_is_sent_again(
    github_env: Path, fake_github: FakeGitHub, run: Run, kind: str
) -> None:
    fake_github.fail(kind, method="POST", path=r"/issues$", nth=3)
    run("sync")
    assert_converged(fake_github)


@pytest.mark.slow
def test_every_write_applied_then_502_converges_within_one_more_run(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    # The roadmap without needs: its 101 writes each fail once here; the dependency writes
    # get the same faults in tests/reliability/test_dependencies.py, on a roadmap made for it.
    (github_env / "roadmap.yaml").write_text(SHIPPED_TEXT, encoding="utf-8")
    for k in range(1, TOTAL_WRITES + 1):
        fake = FakeGitHub(token=fake_github.token)
        fake_github.state, fake_github.core = fake.state, fake.core  # a fresh repository
        fake_github.clear_faults()
        fake_github.fail("apply_then_error", method="WRITE", nth=k)
        first = run("sync", expect=None)
        if first.code != 0:
            run("sync")
        assert_converged(fake_github)
        assert len(fake_github.issues()) == N_ITEMS, k


def test_secondary_rate_limit_waits_for_retry_after(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    fake_github.fail("secondary_limit", method="POST", path=r"/issues$", nth=2, retry_after=1)
    started = time.monotonic()
    result = run("sync")
    assert time.monotonic() - started >= 1.0
    assert "rate limit: waiting 1 s" in result.err
    assert_converged(fake_github)
    assert len(fake_github.issues()) == N_ITEMS


def test_bad_token_is_one_line_and_never_printed(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "ghp_thisIsNotTheRightToken0123456789abcd"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    result = run("sync", "-v", expect=1)
    lines = [line for line in result.err.splitlines() if not line.startswith("GET ")]
    assert lines == [
        "roadmap-sync: error: GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN "
        "or GH_TOKEN to a valid token with Issues: read and write"
    ]
    assert secret not in result.out + result.err
    assert fake_github.writes == 0


def test_missing_repository_names_the_fix(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "learner/nope")
    result = run("plan", expect=1)
    assert "repository learner/nope not found (404)" in result.err
    assert result.err.count("\n") == 1


def test_max_creates_stops_before_the_first_write(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    result = run("sync", "--max-creates", "10", expect=1)
    assert f"would create {N_ITEMS} issues, more than --max-creates 10" in result.err
    assert fake_github.writes == 0


def test_pull_requests_in_the_issue_list_are_ignored(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    fake_github.ui_add_pull_request(title="A PR", labels=["roadmap"])
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


def test_a_closed_milestone_with_the_phase_title_is_reused(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    made = fake_github.ui_create_milestone("Phase 1: Foundations")
    fake_github.ui_close_milestone(made["number"])
    run("sync")
    titles = [m["title"] for m in fake_github.milestones()]
    assert titles.count("Phase 1: Foundations") == 1


def test_no_op_resync_is_conditional_and_costs_no_rate_limit(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    run("sync")  # the first snapshot after the writes fills the ETag cache
    fake_github.reset_log()
    run("sync")
    assert [r.status for r in fake_github.requests] == [304] * SNAPSHOT_READS
    assert sum(r.counted for r in fake_github.requests) == 0
    # A change made on GitHub invalidates only what changed, and is seen.
    number = numbers(fake_github)["math"][0]
    fake_github.ui_edit_issue(number, title="Edited on github.com")
    fake_github.reset_log()
    run("sync")
    assert [r.status for r in fake_github.requests if r.method == "GET"] == [304, 304, 304, 200]
    titles = {item.id: item.title for item in SHIPPED.items}
    assert fake_github.issue(number)["title"] == titles["math"]  # and sync put it back


def test_a_broken_cache_file_is_ignored(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    Path(".roadmap-sync/cache.json").write_text("{not json", encoding="utf-8")
    fake_github.reset_log()
    run("sync")
    assert [r.status for r in fake_github.requests] == [200] * SNAPSHOT_READS


def test_the_real_cli_over_http(github_env: Path, fake_github: FakeGitHub) -> None:
    """The installed entry point, in its own process, against the fake served on 127.0.0.1."""
    with fake_github.serve():
        env = {**fake_github.subprocess_env(), "ROADMAP_SYNC_WRITE_INTERVAL": "0"}
        command = [sys.executable, "-m", "roadmap_sync", "sync"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"created {N_ITEMS}, updated 0")
    assert fake_github.token not in done.stdout + done.stderr
    assert_converged(fake_github)
