"""Rate limits: secondary (403 and 429, with and without retry-after) and primary (reset in
3 seconds, and in an hour). The sync waits what GitHub asks, says so on stderr, and loses or
doubles no write; a wait over 15 minutes stops the run with one line, and the next run, after
the reset, finishes the job.

In-process runs sleep through a recording Sleeper that also moves the fake's clock, so a
reset really passes; one subprocess test waits for a primary reset in real time.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import (
    FIRST_ISSUE_WRITE,
    TOTAL_WRITES,
    applied_posts,
    assert_exact_state,
    child_env,
    cli,
    patch_sleep,
    served,
)

WHERE = {
    "issue-create": ("POST", r"/issues$", 5),
    "label-create": ("POST", r"/labels$", 1),
    "snapshot-read": ("GET", r"/milestones$", 1),
}
WAIT_LINE = "GitHub rate limit: waiting {:.0f} s before going on"


def assert_waited_once_then_went_on(fake: FakeGitHub, method: str, status: int) -> None:
    limited = [r for r in fake.requests if r.fault]
    assert [(r.method, r.status, r.applied) for r in limited] == [(method, status, False)]
    after = fake.requests[fake.requests.index(limited[0]) + 1]
    assert (after.method, after.path, after.status) == (
        limited[0].method,
        limited[0].path,
        201 if method == "POST" else 200,
    ), "the limited request was not sent again first"
    assert applied_posts(fake) == TOTAL_WRITES
    assert sum(r.kind == "write" for r in fake.requests) == TOTAL_WRITES + (method != "GET")
    assert_exact_state(fake)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("retry_after", [1, None])
@pytest.mark.parametrize("status", [403, 429])
def test_secondary_limit_waits_as_asked_and_goes_on(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    retry_after: int | None,
    where: str,
) -> None:
    sleeper = patch_sleep(monkeypatch)
    method, path, nth = WHERE[where]
    fake_github.fail(
        "secondary_limit", method=method, path=path, nth=nth, status=status, retry_after=retry_after
    )
    result = run("sync")
    # With retry-after, exactly that; without, GitHub's advice: at least a minute.
    wanted = float(retry_after) if retry_after is not None else 60.0
    assert sleeper.waits == [wanted]
    assert WAIT_LINE.format(wanted) in result.err.splitlines()
    assert_waited_once_then_went_on(fake_github, method, status)


def test_the_old_abuse_wording_is_a_limit_too(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeper = patch_sleep(monkeypatch)
    fake_github.fail("abuse", method="POST", path=r"/issues$", nth=3)
    result = run("sync")
    assert sleeper.waits == [60.0]
    assert WAIT_LINE.format(60) in result.err
    assert_waited_once_then_went_on(fake_github, "POST", 403)


def test_a_secondary_limit_that_never_lifts_stops_in_one_line_and_a_rerun_finishes(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeper = patch_sleep(monkeypatch)
    fake_github.fail("secondary_limit", method="POST", path=r"/issues$", retry_after=2)
    result = run("sync", expect=1)
    assert result.err.splitlines()[-1] == (
        "roadmap-sync: error: GitHub's secondary rate limit keeps refusing requests; "
        "wait an hour and run again (nothing is lost)"
    )
    assert "Traceback" not in result.err
    assert sleeper.waits == [2.0] * 5
    assert fake_github.issues() == []
    fake_github.clear_faults()
    run("sync")
    assert applied_posts(fake_github) == TOTAL_WRITES
    assert_exact_state(fake_github)


@pytest.mark.parametrize("status", [403, 429])
def test_primary_limit_reset_in_3_seconds_is_waited_for(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    sleeper = patch_sleep(monkeypatch, clock=fake_github.clock)
    fake_github.fail("primary_limit", method="WRITE", nth=30, reset_in=3, status=status)
    result = run("sync")
    # reset - now + 1 s of margin, GitHub's reset being a whole second: 3 to 4 s in all (two
    # waits if a second ticked between the answer and the computation).
    assert 3.0 <= sum(sleeper.waits) <= 4.5, sleeper.waits
    assert re.search(r"^GitHub rate limit: waiting [34] s before going on$", result.err, re.M)
    limited = [r for r in fake_github.requests if r.status == status]
    assert limited
    assert not any(r.applied for r in limited)
    assert applied_posts(fake_github) == TOTAL_WRITES
    assert_exact_state(fake_github)


@pytest.mark.parametrize("status", [403, 429])
def test_primary_limit_reset_in_an_hour_stops_and_the_run_after_it_finishes(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    sleeper = patch_sleep(monkeypatch, clock=fake_github.clock)
    k = FIRST_ISSUE_WRITE + 10
    fake_github.fail("primary_limit", method="WRITE", nth=k, reset_in=3600, status=status)
    first = run("sync", expect=1)
    assert sleeper.waits == []
    (line,) = first.err.splitlines()
    assert re.fullmatch(
        r"roadmap-sync: error: GitHub's API rate limit is used up until \d\d:\d\d UTC "
        r"\(in 60 min\); run again after that: the next run carries on where this one stopped",
        line,
    ), line
    assert fake_github.applied_writes == k - 1
    # Too early: still refused, still one line, nothing written.
    fake_github.clear_faults()
    fake_github.reset_log()
    run("sync", expect=1)
    assert fake_github.applied_writes == k - 1
    fake_github.clock.advance(3600)
    fake_github.reset_log()
    run("sync")
    writes = [r for r in fake_github.requests if r.kind == "write"]
    assert len(writes) == TOTAL_WRITES - (k - 1)
    assert fake_github.applied_writes == TOTAL_WRITES
    assert_exact_state(fake_github)


@pytest.mark.slow
def test_a_real_process_really_waits_for_a_primary_reset(
    github_env: Path, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    with served(fake_github, monkeypatch) as fake:
        fake.fail("primary_limit", method="POST", path=r"/issues$", nth=3, reset_in=3)
        started = time.monotonic()
        child = subprocess.run(
            cli("sync"), cwd=github_env, env=child_env(fake), capture_output=True, text=True
        )
        elapsed = time.monotonic() - started
    assert child.returncode == 0, child.stderr
    assert re.search(r"^GitHub rate limit: waiting [34] s before going on$", child.stderr, re.M)
    assert elapsed >= 3.0  # the wait itself, whatever else the run took
    assert fake.applied_writes == TOTAL_WRITES
    assert_exact_state(fake)
