"""Crash at every point: a sync killed right after its k-th write, for every k, then run again.

The first sync of the shipped roadmap is 101 writes: labels 1-11, milestones 12-18, issues
19-101. For each k the child ``python -m roadmap_sync sync`` is SIGKILLed from the fake's
server thread the moment GitHub has applied its k-th write, before the answer leaves: the
worst moment, a write done but never acknowledged. Then sync runs again to completion.

What is asserted, exactly: the killed run applied k writes; the second run sends exactly
101 - k writes, every one applied; so every desired write was applied exactly once across
the two runs (``fake.applied_writes == 101``). There is no "give or take one" here: the k-th
write was applied, so the second run must recognise it in the repository (by title for a
label, by marker for a milestone or an issue); redoing it would make 102 - k writes and, for
a create, a duplicate. The final repository is checked field by field (assert_exact_state).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.children import (
    assert_killed_after_exactly,
    assert_second_run_wrote_the_rest,
    sync_killed_at,
)
from tests.reliability.test_support import (
    FIRST_ISSUE_WRITE,
    FIRST_MILESTONE_WRITE,
    N_ITEMS,
    TOTAL_WRITES,
    assert_exact_state,
    child_env,
    cli,
    served,
)

EVERY_K = range(1, TOTAL_WRITES + 1)
# First, last, and both sides of every kind boundary (last label, first milestone, last
# milestone, first issue), plus a few in the middle of the issues.
BOUNDARIES = sorted(
    {
        1,
        2,
        FIRST_MILESTONE_WRITE - 2,
        FIRST_MILESTONE_WRITE - 1,
        FIRST_MILESTONE_WRITE,
        FIRST_MILESTONE_WRITE + 1,
        FIRST_ISSUE_WRITE - 2,
        FIRST_ISSUE_WRITE - 1,
        FIRST_ISSUE_WRITE,
        FIRST_ISSUE_WRITE + 1,
        50,
        77,
        TOTAL_WRITES - 1,
        TOTAL_WRITES,
    }
)


class Interrupt(BaseException):
    """Stands for a crash inside the process: escapes every ``except Exception``."""


@pytest.mark.slow
@pytest.mark.parametrize("k", EVERY_K)
def test_sigkill_after_every_write_then_sync_again(
    github_env: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    with served(fake_github, monkeypatch) as fake:
        child = sync_killed_at(fake, github_env, k)
        assert_killed_after_exactly(fake, child, k)
        fake.reset_log()
        # The second run in-process, over the same HTTP server and with the ETag cache the
        # killed child left behind; a subprocess second run is the test below.
        run("sync")
        assert_second_run_wrote_the_rest(fake, k, TOTAL_WRITES)
        assert_exact_state(fake)
        fake.reset_log()
        run("plan", "--detailed-exitcode")
        assert fake.writes == 0


@pytest.mark.slow
@pytest.mark.parametrize("k", BOUNDARIES)
def test_sigkill_then_a_second_sync_process(
    github_env: Path, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    with served(fake_github, monkeypatch) as fake:
        child = sync_killed_at(fake, github_env, k)
        assert_killed_after_exactly(fake, child, k)
        fake.reset_log()
        second = subprocess.run(
            cli("sync"), cwd=github_env, env=child_env(fake), capture_output=True, text=True
        )
        assert second.returncode == 0, second.stderr
        made = k - (FIRST_ISSUE_WRITE - 1) if k >= FIRST_ISSUE_WRITE else 0  # issues k made
        last = second.stdout.splitlines()[-1]
        if k == TOTAL_WRITES:
            assert last.startswith(f"Up to date: {N_ITEMS} issues match the roadmap")
        else:
            assert last.startswith(f"created {N_ITEMS - made}, updated 0, closed 0, reopened 0")
        assert_second_run_wrote_the_rest(fake, k, TOTAL_WRITES)
        assert_exact_state(fake)


@pytest.mark.parametrize("k", BOUNDARIES)
def test_ctrl_c_after_a_write_says_so_and_the_next_sync_finishes(
    github_env: Path, fake_github: FakeGitHub, run: Run, k: int
) -> None:
    def interrupt_at_k(number: int) -> None:
        if number == k:
            raise KeyboardInterrupt

    fake_github.after_write = interrupt_at_k
    first = run("sync", expect=130)
    fake_github.after_write = None
    assert first.err.splitlines()[-1] == (
        "interrupted; run the command again to finish (nothing is duplicated)"
    )
    assert "Traceback" not in first.err
    assert fake_github.applied_writes == k
    fake_github.reset_log()
    run("sync")
    assert_second_run_wrote_the_rest(fake_github, k, TOTAL_WRITES)
    assert_exact_state(fake_github)


@pytest.mark.parametrize("k", BOUNDARIES)
def test_a_crash_escaping_every_handler_loses_and_doubles_nothing(
    github_env: Path, fake_github: FakeGitHub, run: Run, k: int
) -> None:
    def crash_at_k(number: int) -> None:
        if number == k:
            raise Interrupt

    fake_github.after_write = crash_at_k
    with pytest.raises(Interrupt):
        run("sync")
    fake_github.after_write = None
    assert fake_github.applied_writes == k
    fake_github.reset_log()
    run("sync")
    assert_second_run_wrote_the_rest(fake_github, k, TOTAL_WRITES)
    assert_exact_state(fake_github)
