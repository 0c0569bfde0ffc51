"""A flaky GitHub: one request in five fails, for 20 seeds and two mixes of failures.

Each seed replays exactly (the fault's RNG draws once per request, in order). The sync is run
up to three times while GitHub stays flaky; it must converge within the same run or after at
most two reruns, each failed run ending on one line (no traceback), to exactly the desired
repository: every create applied once (101 POSTs in all), nothing missing, nothing doubled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Result, Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import (
    TOTAL_WRITES,
    applied_posts,
    assert_exact_state,
    patch_sleep,
)

SEEDS = range(20)
MIXES = {
    # 500/502/503 (picked by the seed) and dropped connections: nothing was applied.
    "errors-and-drops": ("error", "drop"),
    # The same, plus the two that apply the write before failing.
    "applied-too": ("error", "drop", "apply_then_error", "apply_then_drop"),
}
RATE = 0.2
MAX_RUNS = 3  # the first run and at most two reruns


def assert_failed_cleanly(result: Result) -> None:
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert result.err.splitlines()[-1].startswith("roadmap-sync: error: ")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mix", MIXES)
def test_sync_converges_on_a_flaky_github(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    mix: str,
    seed: int,
) -> None:
    sleeper = patch_sleep(monkeypatch)
    fault = fake_github.random_failures(rate=RATE, seed=seed, kinds=MIXES[mix])
    results = []
    for _ in range(MAX_RUNS):
        results.append(run("sync", expect=None))
        if results[-1].code == 0:
            break
        assert_failed_cleanly(results[-1])
    assert results[-1].code == 0, f"seed {seed}: still failing after {MAX_RUNS} runs"
    assert fault.fired >= 10, "GitHub was not flaky enough to prove anything"
    assert applied_posts(fake_github) == TOTAL_WRITES  # every create applied exactly once
    assert_exact_state(fake_github)
    assert all(0 < wait <= 8 for wait in sleeper.waits)  # backoff, capped
    fake_github.clear_faults()
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0


@pytest.mark.parametrize("seed", range(5))
def test_plan_status_and_render_read_through_a_flaky_github(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    patch_sleep(monkeypatch)
    run("sync")
    fake_github.reset_log()
    clean_plan = run("plan", "--json").out
    clean_status = run("status", "--json").out
    fake_github.random_failures(rate=RATE, seed=seed, kinds=MIXES["errors-and-drops"])
    # Reads are retried five times: one in five failing never gets through five in a row
    # with these seeds, so the answers are the same as with a healthy GitHub.
    assert run("plan", "--json").out == clean_plan
    assert run("status", "--json").out == clean_status
    run("render")
    assert Path("README.md").read_bytes().count(b"roadmap-sync:start") == 1
    assert fake_github.writes == 0
