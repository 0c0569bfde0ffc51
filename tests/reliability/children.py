"""Child processes for the reliability tests: a sync killed right after GitHub applied its
k-th write, and several commands started at once. Real processes, because a kill and a race
are only honest across process boundaries."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

from tests.fake_github import FakeGitHub
from tests.reliability.test_support import child_env, cli


class Killed(Exception):
    """Raised in the server thread once the child is dead, so the fake answers nothing."""


def sync_killed_at(fake: FakeGitHub, folder: Path, k: int) -> subprocess.Popen[str]:
    """Run sync in a child process and SIGKILL it right after GitHub applied its k-th write."""
    started = threading.Event()
    children: list[subprocess.Popen[str]] = []

    def kill_at_k(number: int) -> None:
        if number == k:
            started.wait(timeout=30)
            os.kill(children[0].pid, signal.SIGKILL)
            raise Killed

    fake.after_write = kill_at_k
    child = subprocess.Popen(
        cli("sync"),
        cwd=folder,
        env=child_env(fake),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    children.append(child)
    started.set()
    try:
        child.communicate(timeout=60)
    finally:
        fake.after_write = None
    return child


def assert_killed_after_exactly(fake: FakeGitHub, child: subprocess.Popen[str], k: int) -> None:
    assert child.returncode == -signal.SIGKILL, f"the child was not killed at write {k}"
    assert fake.applied_writes == k
    writes = [r for r in fake.requests if r.kind == "write"]
    assert len(writes) == k, "the killed run sent a write after the k-th"
    assert all(r.applied for r in writes)
    assert [type(e) for e in fake.server_errors] == [Killed]
    fake.server_errors.clear()


def assert_second_run_wrote_the_rest(fake: FakeGitHub, k: int, total: int) -> None:
    """After a kill at write k of a run of ``total``: the next run sent each of the other
    writes once, all answered 2xx, and every desired write was applied exactly once."""
    second = [r for r in fake.requests if r.kind == "write"]
    assert len(second) == total - k, f"k={k}: the second run wrote {len(second)}"
    assert all(r.applied and r.status in (200, 201) for r in second)
    assert fake.applied_writes == total


def start_together(command: list[str], folders: list[Path], env: dict[str, str]) -> list[str]:
    """Start one process per folder back to back; wait for all; return their stdout."""
    children = [
        subprocess.Popen(
            command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for folder in folders
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert "Traceback" not in err
    return [out for out, _ in outputs]
