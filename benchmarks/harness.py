"""Run the real CLI in a child process against the fake GitHub, and measure one run.

Every number of a row comes from outside the tool: requests from the fake's log, CPU from
``getrusage(RUSAGE_CHILDREN)`` around the child, peak RSS from the child's own rusage
(``os.wait4``), wall time from the parent's clock.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.fake_github import FakeGitHub

# Variables of the benchmark's own environment that would change what the CLI does.
_SCRUB = ("GH_TOKEN", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")


@dataclass
class Row:
    """One line of the results table (None: not measured for this kind of row)."""

    group: str
    scenario: str
    items: int
    latency: float | None
    reads: int | None = None
    writes: int | None = None
    requests: int | None = None
    counted: int | None = None
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_mb: float | None = None
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The row with rounded numbers."""
        out = asdict(self)
        for key in ("wall_s", "cpu_s", "peak_mb"):
            if out[key] is not None:
                out[key] = round(out[key], 3)
        return out


class Workdir:
    """A scratch checkout holding a roadmap, where the CLI runs as a child process."""

    def __init__(self, roadmap_text: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="roadmap-sync-bench-")
        self.path = Path(self._tmp.name)
        self.write_roadmap(roadmap_text)

    def write_roadmap(self, text: str) -> None:
        """Replace roadmap.yaml."""
        (self.path / "roadmap.yaml").write_text(text, encoding="utf-8")

    def read_roadmap(self) -> str:
        """The current roadmap.yaml."""
        return (self.path / "roadmap.yaml").read_text(encoding="utf-8")

    def cleanup(self) -> None:
        """Remove the directory."""
        self._tmp.cleanup()

    def __enter__(self) -> Workdir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


@dataclass(frozen=True)
class ChildRun:
    """What one child process cost and printed."""

    code: int
    wall_s: float
    cpu_s: float
    peak_mb: float
    out: str
    err: str


def child_env(fake: FakeGitHub) -> dict[str, str]:
    """The environment of the CLI: the fake's URL and token, no write pacing, no network."""
    env = fake.subprocess_env()  # inside serve(): the HTTP URL, and a loopback-only guard
    for name in _SCRUB:
        env.pop(name, None)
    env["ROADMAP_SYNC_WRITE_INTERVAL"] = "0"
    return env


def run_child(args: Sequence[str], cwd: Path, env: dict[str, str]) -> ChildRun:
    """Run ``python -m roadmap_sync ARGS`` in ``cwd`` and measure it."""
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "roadmap_sync", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        # wait4 rather than proc.wait(): it hands back this child's own rusage, whose
        # ru_maxrss is its peak RSS (RUSAGE_CHILDREN's is the maximum over all children).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ChildRun(
        code=proc.returncode,
        wall_s=wall,
        cpu_s=cpu,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        out=out_path.read_text(encoding="utf-8", errors="replace"),
        err=err_path.read_text(encoding="utf-8", errors="replace"),
    )


class CliFailed(RuntimeError):
    """The CLI exited non-zero: the scenario measured nothing meaningful."""


def measure_cli(
    fake: FakeGitHub,
    workdir: Workdir,
    args: Sequence[str],
    *,
    group: str,
    scenario: str,
    items: int,
    latency: float,
    note: str = "",
) -> Row:
    """One CLI run as a table row; the fake's log is cleared first."""
    fake.reset_log()
    child = run_child(args, workdir.path, child_env(fake))
    if child.code != 0:
        raise CliFailed(
            f"{scenario}: roadmap-sync {' '.join(args)} exited {child.code}\n"
            f"--- stdout (end)\n{child.out[-2000:]}\n--- stderr (end)\n{child.err[-2000:]}"
        )
    if fake.server_errors:
        raise CliFailed(f"{scenario}: the fake crashed serving a request: {fake.server_errors!r}")
    row = Row(group, scenario, items, latency, note=note)
    fill_requests(row, fake)
    row.wall_s, row.cpu_s, row.peak_mb = child.wall_s, child.cpu_s, child.peak_mb
    return row


def fill_requests(row: Row, fake: FakeGitHub) -> None:
    """Copy the fake's request counts (since its last ``reset_log``) into a row."""
    with fake.lock:
        logged = list(fake.requests)
    row.reads = sum(1 for r in logged if r.kind == "read")
    row.writes = sum(1 for r in logged if r.kind == "write")
    row.requests = len(logged)
    row.counted = sum(1 for r in logged if r.counted)
