"""Fault injection in the fake GitHub: every kind, targeting, determinism, hooks."""

from __future__ import annotations

from datetime import datetime

import github
import pytest
import requests
from github.Requester import Requester

from tests.fake_github import UTC, FakeGitHub, Fault, random_failures

REPO = "/repos/learner/roadmap"
ISSUES = f"{REPO}/issues"


def create(fake: FakeGitHub, title: str = "t") -> requests.Response:
    """POST an issue through requests."""
    return fake.api("POST", ISSUES, json={"title": title})


@pytest.mark.parametrize("status", [500, 502, 503])
def test_error_is_not_applied(fake_github: FakeGitHub, status: int) -> None:
    fault = fake_github.fail("error", method="POST", path=r"/issues$", status=status)
    response = create(fake_github)
    assert response.status_code == status
    assert response.json()["message"] in ("Server Error", "Service Unavailable")
    assert int(response.headers["X-RateLimit-Remaining"]) > 0
    assert fake_github.issues() == []
    assert (fault.matched, fault.fired, fake_github.requests[-1].fault) == (1, 1, "error")


def test_apply_then_error_applies_the_write(fake_github: FakeGitHub) -> None:
    fake_github.fail("apply_then_error", method="POST", path=r"/issues$")
    response = create(fake_github, "written anyway")
    assert response.status_code == 502
    assert [i["title"] for i in fake_github.issues()] == ["written anyway"]
    assert fake_github.requests[-1].applied


def test_drop_raises_connection_error_without_applying(fake_github: FakeGitHub) -> None:
    fake_github.fail("drop", method="POST")
    with pytest.raises(requests.exceptions.ConnectionError):
        create(fake_github)
    entry = fake_github.requests[-1]
    assert (entry.outcome, entry.status, entry.counted, entry.applied) == (
        "drop",
        None,
        False,
        False,
    )
    assert fake_github.issues() == []


def test_apply_then_drop_applies_before_dropping(fake_github: FakeGitHub) -> None:
    fake_github.fail("apply_then_drop", method="PATCH")
    fake_github.ui_create_issue("t")
    with pytest.raises(requests.exceptions.ConnectionError):
        fake_github.api("PATCH", f"{ISSUES}/1", json={"state": "closed"})
    assert fake_github.issue(1)["state"] == "closed"
    assert fake_github.requests[-1].counted


@pytest.mark.parametrize("apply", [False, True])
def test_timeout_optionally_applies(fake_github: FakeGitHub, apply: bool) -> None:
    fake_github.fail("timeout", method="POST", apply=apply)
    with pytest.raises(requests.exceptions.ReadTimeout):
        create(fake_github)
    assert len(fake_github.issues()) == int(apply)
    assert fake_github.requests[-1].outcome == "timeout"


@pytest.mark.parametrize(("status", "retry_after"), [(403, None), (429, 7)])
def test_secondary_limit(fake_github: FakeGitHub, status: int, retry_after: int | None) -> None:
    fake_github.fail("secondary_limit", method="POST", status=status, retry_after=retry_after)
    response = create(fake_github)
    assert response.status_code == status
    assert response.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert response.headers.get("Retry-After") == (str(retry_after) if retry_after else None)
    assert int(response.headers["X-RateLimit-Remaining"]) > 0
    assert Requester.isSecondaryRateLimitError(response.json()["message"])
    assert fake_github.issues() == []


def test_abuse_uses_the_old_wording(fake_github: FakeGitHub) -> None:
    fake_github.fail("abuse", method="POST", retry_after=60)
    response = create(fake_github)
    assert response.status_code == 403
    assert "abuse detection mechanism" in response.json()["message"]
    assert response.headers["Retry-After"] == "60"
    assert Requester.isSecondaryRateLimitError(response.json()["message"])
    assert fake_github.issues() == []


def test_primary_limit_holds_until_reset(fake_github: FakeGitHub) -> None:
    fake_github.clock.set(datetime(2025, 1, 6, 12, 0, tzinfo=UTC))
    fake_github.fail("primary_limit", method="GET", path=r"/issues$", nth=1, reset_in=120)
    limited = fake_github.api("GET", ISSUES)
    assert limited.status_code == 403
    assert limited.json()["message"].startswith("API rate limit exceeded")
    assert Requester.isPrimaryRateLimitError(limited.json()["message"])
    reset = int(limited.headers["X-RateLimit-Reset"])
    assert reset == int(datetime(2025, 1, 6, 12, 2, tzinfo=UTC).timestamp())
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    # Everything else is limited too, and nothing is applied, until the reset passes.
    fake_github.clock.advance(119)
    assert create(fake_github).status_code == 403
    assert fake_github.issues() == []
    fake_github.clock.advance(1)
    fresh = create(fake_github)
    assert (fresh.status_code, fresh.headers["X-RateLimit-Remaining"]) == (201, "4999")


def test_primary_limit_can_answer_429(fake_github: FakeGitHub) -> None:
    fake_github.fail("primary_limit", status=429, reset_in=30)
    assert fake_github.api("GET", REPO).status_code == 429


def test_nth_times_and_targeting(fake_github: FakeGitHub) -> None:
    second = fake_github.fail("error", method="POST", path=r"/issues$", nth=2)
    reads = fake_github.fail("error", method="READ", path=r"/labels", times=1)
    statuses = [create(fake_github, f"t{n}").status_code for n in range(3)]
    assert statuses == [201, 502, 201]
    assert (second.matched, second.fired) == (3, 1)
    assert [fake_github.api("GET", f"{REPO}/labels").status_code for _ in range(2)] == [502, 200]
    assert fake_github.api("GET", REPO).status_code == 200  # path does not match
    assert (reads.matched, reads.fired) == (2, 1)


def test_write_method_class(fake_github: FakeGitHub) -> None:
    fake_github.fail("error", method="WRITE")
    assert fake_github.api("GET", ISSUES).status_code == 200
    assert create(fake_github).status_code == 502
    fake_github.clear_faults()
    assert create(fake_github).status_code == 201


def test_first_firing_fault_wins_and_both_count(fake_github: FakeGitHub) -> None:
    first = fake_github.fail("secondary_limit", method="POST", nth=1)
    second = fake_github.fail("error", method="POST|PATCH")
    assert create(fake_github).status_code == 403
    assert create(fake_github).status_code == 502
    assert (first.matched, first.fired, second.matched, second.fired) == (2, 1, 2, 1)


def _pattern(seed: int, rate: float = 0.3) -> list[bool]:
    fault = Fault("error", probability=rate, seed=seed)
    return [fault.decide() is not None for _ in range(200)]


def test_probability_is_seeded_and_deterministic() -> None:
    assert _pattern(7) == _pattern(7)
    assert _pattern(7) != _pattern(8)
    fired = sum(_pattern(7))
    assert 40 <= fired <= 80  # about 30 % of 200


def test_random_failures_helper(fake_github: FakeGitHub) -> None:
    kinds = ("error", "secondary_limit")
    fault = fake_github.random_failures(0.5, seed=3, kinds=kinds)
    statuses = [create(fake_github, f"t{n}").status_code for n in range(40)]
    assert set(fault.history) == set(kinds)
    assert set(statuses) <= {201, 403, 500, 502, 503}
    assert statuses.count(201) == 40 - fault.fired
    assert len(fake_github.issues()) == statuses.count(201)
    # The same seed replays the same failures, with the same statuses, in the same order.
    replay = random_failures(0.5, seed=3, kinds=kinds)
    decisions = [replay.decide() for _ in range(40)]
    assert [d[1] if d else 201 for d in decisions] == statuses
    assert [d[0] for d in decisions if d] == fault.history


def test_unknown_fault_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")


def test_after_write_hook_sees_applied_writes_only(fake_github: FakeGitHub) -> None:
    seen: list[int] = []
    fake_github.after_write = seen.append
    fake_github.fail("error", method="POST", nth=2)
    fake_github.fail("apply_then_error", method="POST", nth=3)
    create(fake_github)  # 1: applied
    create(fake_github)  # error before applying
    create(fake_github)  # 2: applied, then 502
    fake_github.api("POST", ISSUES, json={"title": "x", "milestone": 9})  # 422, not applied
    fake_github.api("GET", ISSUES)
    fake_github.api("PATCH", f"{ISSUES}/1", json={"state": "closed"})  # 3
    assert seen == [1, 2, 3]
    assert fake_github.applied_writes == 3
    assert fake_github.writes == 5


def test_after_write_can_stop_a_run_at_the_kth_write(fake_github: FakeGitHub) -> None:
    class Killed(Exception):
        pass

    def kill_at_second(number: int) -> None:
        if number == 2:
            raise Killed

    fake_github.after_write = kill_at_second
    create(fake_github, "one")
    with pytest.raises(Killed):
        create(fake_github, "two")
    assert [i["title"] for i in fake_github.issues()] == ["one", "two"]  # k-th write landed


def _pygithub(fake: FakeGitHub) -> github.Github:
    return github.Github(
        auth=github.Auth.Token(fake.token),
        lazy=True,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def test_pygithub_retries_are_visible_in_the_log(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_issue("t")
    fake_github.fail("error", method="GET", path=r"/issues/1$", nth=1)
    with _pygithub(fake_github) as gh:
        issue = gh.get_repo("learner/roadmap").get_issue(1)
    assert issue.title == "t"
    assert [r.status for r in fake_github.calls("GET", r"/issues/1$")] == [502, 200]


def test_pygithub_retry_after_apply_then_error_duplicates(fake_github: FakeGitHub) -> None:
    # GitHub applied the POST but answered 502; PyGithub's retry policy repeats POSTs.
    fake_github.fail("apply_then_error", method="POST", path=r"/issues$", nth=1)
    with _pygithub(fake_github) as gh:
        gh.get_repo("learner/roadmap").create_issue("once")
    assert [i["title"] for i in fake_github.issues()] == ["once", "once"]
    assert [r.status for r in fake_github.calls("POST")] == [502, 201]


def test_pygithub_backs_off_on_secondary_limit(fake_github: FakeGitHub) -> None:
    fake_github.fail("secondary_limit", method="POST", nth=1, retry_after=1)
    with _pygithub(fake_github) as gh:
        gh.get_repo("learner/roadmap").create_label("x", "ededed")
    assert [r.status for r in fake_github.calls("POST")] == [403, 201]
    assert [lb["name"] for lb in fake_github.labels()].count("x") == 1
