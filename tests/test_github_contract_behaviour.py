"""What the product does where GitHub is strict or silent (GitHub issue "The fake GitHub agrees
with GitHub"): a closed issue's reason changes only by reopening it, and nothing relies on an
undocumented message or case rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses

from roadmap_sync.errors import TrackerError
from roadmap_sync.trackers.base import MilestoneSpec
from roadmap_sync.trackers.github import GitHubTracker
from tests.backends import Backend, numbers
from tests.conftest import Run
from tests.fake_github import DEFAULT_TOKEN, FakeGitHub


def status_of(run: Run, item_id: str) -> str:
    items = json.loads(run("status", "--json").out)["items"]
    return str(next(i["status"] for i in items if i["id"] == item_id))


def test_done_then_skip_and_skip_then_done_really_change_the_reason(
    backend: Backend, run: Run
) -> None:
    run("sync")
    x, y = numbers(backend)["math"][0], numbers(backend)["git-github"][0]
    run("done", "math")
    before = backend.issue(x)
    assert (before["state"], before["state_reason"]) == ("closed", "completed")
    assert run("skip", "math").out == f"[issue math] #{x} skipped\n"
    after = backend.issue(x)
    assert (after["state"], after["state_reason"]) == ("closed", "not_planned")
    assert status_of(run, "math") == "skipped"

    run("skip", "git-github")
    assert run("done", "git-github").out == f"[issue git-github] #{y} done\n"
    done = backend.issue(y)
    assert (done["state"], done["state_reason"]) == ("closed", "completed")
    assert status_of(run, "git-github") == "done"
    # A reason already right costs nothing.
    assert run("done", "git-github").out == f"[issue git-github] #{y} is already done\n"


def test_changing_a_reason_costs_two_writes_and_a_right_one_none(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    number = numbers(fake_github)["math"][0]
    run("done", "math")
    fake_github.reset_log()
    run("skip", "math")
    writes = [(r.method, r.body) for r in fake_github.requests if r.kind == "write"]
    assert writes == [
        ("PATCH", {"state": "open"}),
        ("PATCH", {"state": "closed", "state_reason": "not_planned"}),
    ]
    assert fake_github.issue(number)["state_reason"] == "not_planned"
    fake_github.reset_log()
    run("skip", "math")
    assert fake_github.writes == 0


def test_success_github_does_not_confirm_is_never_reported(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync")
    number = numbers(fake_github)["math"][0]
    run("done", "math")
    seen: list[int] = []

    def close_before_our_second_write() -> None:
        # Someone closes it as done between our reopen and our close: GitHub then ignores
        # our reason, and its answer still says completed.
        seen.append(1)
        if len(seen) == 2:
            fake_github.ui_close_issue(number, "completed")

    fake_github.before("PATCH", rf"/issues/{number}$", close_before_our_second_write, times=2)
    result = run("skip", "math", expect=1)
    assert result.err.endswith(
        f"roadmap-sync: error: [issue #{number}] the tracker answered closed as completed, "
        "not closed as not_planned: it did not take the change; run the command again\n"
    )
    assert result.out == ""  # no "skipped" printed
    run("skip", "math")  # and running it again does it
    assert fake_github.issue(number)["state_reason"] == "not_planned"


def test_migrate_carries_a_skip_onto_an_issue_github_already_closed_as_done(
    workdir: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("sync")  # the local tracker
    run("skip", "math")
    monkeypatch.setenv("GITHUB_TOKEN", fake_github.token)
    run("migrate", "--to", fake_github.full_name)
    number = numbers(fake_github)["math"][0]
    fake_github.ui_close_issue(number, "completed")  # GitHub has it done meanwhile
    run("migrate", "--to", fake_github.full_name)
    issue = fake_github.issue(number)
    assert (issue["state"], issue["state_reason"]) == ("closed", "not_planned")


def test_a_sub_issue_422_is_checked_by_reading_the_parent(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    run("sync", "--sub-issues")
    child = fake_github.issue(numbers(fake_github)["math"][0])
    parent = int(child["parent_issue_url"].rsplit("/", 1)[1])
    tracker = GitHubTracker(fake_github.full_name, DEFAULT_TOKEN, write_interval=0)
    fake_github.reset_log()
    # Linked already: GitHub answers a bare 422 (no wording to rely on), and the tool looks at
    # the parent's sub-issues instead, finds the child there, and counts that as done.
    tracker.add_sub_issue(parent, child["id"])
    sent = [(r.method, r.path.rsplit("/", 1)[-1], r.status) for r in fake_github.requests]
    assert sent == [("POST", "sub_issues", 422), ("GET", "sub_issues", 200)]
    other = fake_github.issue(numbers(fake_github)["supervised-unsupervised"][0])  # phase 2
    with pytest.raises(TrackerError, match="GitHub refused it \\(422\\)"):
        tracker.add_sub_issue(parent, other["id"])  # under another parent, no replace: refused


@pytest.mark.parametrize("case_sensitive", [False, True])
def test_a_milestone_clashing_only_in_case_works_either_way(case_sensitive: bool) -> None:
    fake = FakeGitHub(milestone_titles_case_sensitive=case_sensitive)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        fake.ui_create_milestone("phase 1: basics")
        tracker = GitHubTracker(fake.full_name, fake.token, write_interval=0)
        spec = MilestoneSpec("basics", "Phase 1: Basics", "the phase")
        number = tracker.create_milestone(spec)
        titles = {m["number"]: m["title"] for m in fake.milestones()}
    if case_sensitive:
        assert titles == {1: "phase 1: basics", number: "Phase 1: Basics"}
        assert number == 2
    else:
        assert (number, titles) == (1, {1: "phase 1: basics"})  # found, not duplicated
