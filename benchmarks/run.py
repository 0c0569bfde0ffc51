"""Request counts, time and memory of roadmap-sync against a fake GitHub with latency.

Run from the repository root: ``.venv/bin/python -m benchmarks.run [--quick] [--json PATH]``.
See benchmarks/README.md for what each scenario and column means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python benchmarks/run.py`: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import baseline, generate, planbench
from benchmarks.harness import Row, Workdir, fill_requests, measure_cli
from benchmarks.report import Check, Results, report
from roadmap_sync.model import load as loader
from roadmap_sync.sync import desired
from tests.fake_github import FakeGitHub
from tests.snapshots import converged

REPO_ROOT = Path(__file__).resolve().parents[1]
LARGE_ITEMS, LARGE_PHASES = 10_000, 20
PLAN_SIZES = (10_000, 100_000)
PER_PAGE = 100
EDITS = 5
GROUPS = ("shipped", "large", "plan")


# -- CLI scenarios ---------------------------------------------------------------------------
class CliGroup:
    """The CLI scenarios of one roadmap against one fake, in the order a user meets them."""

    def __init__(self, group: str, text: str, fake: FakeGitHub, results: Results) -> None:
        self.group, self.text, self.fake, self.results = group, text, fake, results
        loaded = loader.loads(text, "roadmap.yaml")
        self.wanted = desired.build(loaded)
        self.n = len(loaded.items)
        self.label = f"{self.n:,} items"
        self.pages = math.ceil(self.n / PER_PAGE)
        self.sync = ["sync", "--max-creates", str(self.n)]

    def run(self, latency: float, first_sync_latency: float, parallelism: int) -> None:
        """First sync, no-op, repeated no-op, 5 edits and render; then the baseline."""
        with Workdir(self.text) as work:
            if first_sync_latency == latency:
                with self.fake.serve(latency=latency):
                    self.first_sync(work, latency, "")
                    self.steady(work, latency, parallelism)
                return
            with self.fake.serve(latency=first_sync_latency):
                note = f"at latency {first_sync_latency:g}, not {latency:g}"
                self.first_sync(work, first_sync_latency, note)
            # A new server, a new port: the ETag cache of the first sync is not used (it is
            # stale after the writes anyway, so the no-op re-sync asks for the same pages).
            with self.fake.serve(latency=latency):
                self.steady(work, latency, parallelism)

    def first_sync(self, work: Workdir, latency: float, note: str) -> None:
        """Create every label, milestone, issue and dependency in an empty repository."""
        wanted = self.wanted
        writes = len(wanted.labels) + len(wanted.milestones) + len(wanted.issues)
        writes += len(wanted.needs)
        first = self.cli(work, self.sync, "first sync", latency, note)
        self.check("first sync reads", 4, first.reads)  # one page of each list, all empty
        self.check("first sync writes", writes, first.writes)
        made = [i for i in self.fake.issues() if "pull_request" not in i]
        self.check("issues after the first sync", self.n, len(made))

    def steady(self, work: Workdir, latency: float, parallelism: int) -> None:
        """Everything after the first sync, at the benchmark's latency."""
        noop = self.cli(work, self.sync, "no-op re-sync", latency)
        self.check("no-op re-sync writes", 0, noop.writes)
        repeated = self.cli(work, self.sync, "repeated no-op re-sync", latency)
        statuses = sorted({r.status or 0 for r in self.fake.requests})
        self.check("repeated no-op re-sync statuses", [304], statuses)
        self.check("repeated no-op re-sync counted", 0, repeated.counted)
        work.write_roadmap(generate.edit_titles(work.read_roadmap(), EDITS))
        edits = self.cli(work, self.sync, f"re-sync after {EDITS} edits", latency)
        self.check(f"re-sync after {EDITS} edits writes", EDITS, edits.writes)
        readme = ["render", "--readme", "README.md", "--badge", "badge.svg"]
        render = self.cli(work, readme, "render", latency)
        # repo + labels + milestones + the issue pages; render reads the repo and the issues.
        for row, fixed in ((noop, 3), (repeated, 3), (edits, 3), (render, 1)):
            name = f"{row.scenario} reads = ceil(n/{PER_PAGE}) + {fixed}"
            self.check(name, self.pages + fixed, row.reads)
        if self.n <= PER_PAGE:  # the targets for the shipped roadmap
            for row, most in ((noop, 5), (repeated, 5), (render, 2)):
                self.target(f"{row.scenario} requests", f"<= {most}", row.requests, most)
                self.target(f"{row.scenario} wall s", "< 1", round(row.wall_s or 0, 2), 1)
        cold, warm = baselines(self, latency, parallelism)
        for ours, theirs in ((noop, cold), (repeated, warm)):
            self.results.comparisons.append(_compare(self.label, ours, theirs))

    def cli(
        self, work: Workdir, args: Sequence[str], scenario: str, latency: float, note: str = ""
    ) -> Row:
        """Measure one CLI run and add its row."""
        row = measure_cli(
            self.fake,
            work,
            args,
            group=self.group,
            scenario=scenario,
            items=self.n,
            latency=latency,
            note=note,
        )
        self.results.rows.append(row)
        print(
            f"  {self.label}: {scenario}: {row.requests} requests, {row.wall_s:.2f} s", flush=True
        )
        return row

    def check(self, name: str, wanted: object, got: object) -> None:
        """An exact expectation."""
        self.results.checks.append(
            Check(f"{self.label}: {name}", str(wanted), str(got), got == wanted)
        )

    def target(self, name: str, wanted: str, got: float | None, below: float) -> None:
        """A target: ``got`` at most (requests) or under (seconds) ``below``."""
        ok = got is not None and (got <= below if wanted.startswith("<=") else got < below)
        self.results.checks.append(Check(f"{self.label}: {name}", wanted, str(got), ok))


def baselines(scenarios: CliGroup, latency: float, parallelism: int) -> tuple[Row, Row]:
    """terraform-style refreshes of the synced repository: without, then with ETags."""
    fake = scenarios.fake
    state = baseline.Resources(
        labels=tuple(spec.name for spec in scenarios.wanted.labels),
        milestones=tuple(m["number"] for m in fake.milestones()),
        issues=tuple(i["number"] for i in fake.issues() if "pull_request" not in i),
    )
    paths = state.paths(fake.full_name)
    etags: dict[str, str] | None = None
    made = []
    for scenario in ("baseline refresh, no ETags", "baseline refresh, ETags in state"):
        fake.reset_log()
        done = baseline.refresh(fake.base_url, fake.token, paths, etags, parallelism)
        etags = done.etags
        row = Row(scenarios.group, scenario, scenarios.n, latency, wall_s=done.seconds)
        row.note = f"{parallelism} at a time"
        fill_requests(row, fake)
        scenarios.results.rows.append(row)
        made.append(row)
        print(f"  {scenarios.label}: {scenario}: {row.requests} requests, {done.seconds:.2f} s")
    return made[0], made[1]


def _compare(label: str, ours: Row, theirs: Row) -> str:
    assert ours.requests is not None
    assert theirs.requests is not None
    assert ours.wall_s is not None
    assert theirs.wall_s is not None
    return (
        f"{label}, {ours.scenario} vs {theirs.scenario}: requests {theirs.requests} / "
        f"{ours.requests} = {theirs.requests / ours.requests:.1f}x, counted {theirs.counted} / "
        f"{ours.counted}, wall {theirs.wall_s:.2f} s / {ours.wall_s:.2f} s = "
        f"{theirs.wall_s / ours.wall_s:.2f}x"
    )


def shipped(latency: float, parallelism: int, results: Results) -> None:
    """The repository's own roadmap.yaml (83 items)."""
    text = (REPO_ROOT / "roadmap.yaml").read_text(encoding="utf-8")
    CliGroup("shipped", text, FakeGitHub(), results).run(latency, latency, parallelism)


def large(latency: float, parallelism: int, results: Results) -> None:
    """A generated roadmap of 10,000 items in 20 phases; its first sync runs at latency 0."""
    text = generate.roadmap_yaml(LARGE_ITEMS, LARGE_PHASES)
    fake = FakeGitHub(rate_limit=100_000)  # the first sync alone makes ~10,050 requests
    CliGroup("large", text, fake, results).run(latency, 0.0, parallelism)


# -- plan only ---------------------------------------------------------------------------------
def plan_only(results: Results, trace_limit: int) -> None:
    """desired.build + plan.diff in this process against converged and empty snapshots.

    Memory is traced for plans of at most ``trace_limit`` items (tracing is slow).
    """
    peaks: dict[tuple[int, str], float] = {}
    for n in PLAN_SIZES:
        model = generate.roadmap_model(n, LARGE_PHASES)
        for kind, snapshot in (
            ("converged", converged(model)),
            ("empty", planbench.EMPTY),
        ):
            cost = planbench.measure(model, snapshot, 3 if n <= 10_000 else 1, n <= trace_limit)
            scenario = f"plan only, {kind} snapshot"
            row = Row("plan", scenario, n, None, cpu_s=cost.cpu_s, wall_s=cost.wall_s)
            row.peak_mb = cost.peak_mb
            row.note = f"{cost.changes:,} changes; peak MB: tracemalloc"
            if cost.peak_mb is None:
                row.note = f"{cost.changes:,} changes; memory not traced (--quick)"
            else:
                peaks[n, kind] = cost.peak_mb
            results.rows.append(row)
            limit = 0.5 * n / 10_000
            results.checks.append(
                Check(
                    f"{n:,} items: {scenario}: CPU",
                    f"< {limit:g} s",
                    f"{cost.cpu_s:.3f} s",
                    cost.cpu_s < limit,
                )
            )
            print(f"  {n:,} items: {scenario}: {cost.cpu_s:.2f} s CPU", flush=True)
    small, big = PLAN_SIZES
    for kind in ("converged", "empty"):
        if (big, kind) not in peaks:
            continue
        ratio = peaks[big, kind] / peaks[small, kind]
        want = big / small
        results.checks.append(
            Check(
                f"plan only, {kind}: memory {big:,} / {small:,} items",
                f"~{want:g} (linear)",
                f"{ratio:.2f}",
                0.8 * want <= ratio <= 1.2 * want,
            )
        )


def metadata(args: argparse.Namespace, groups: Sequence[str]) -> dict[str, Any]:
    """Where and how the numbers were taken."""
    return {
        "latency": args.latency,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "groups": list(groups),
        "quick": args.quick,
        "baseline_parallelism": args.baseline_parallelism,
        "large_first_sync_latency": 0.0,
    }


# -- main --------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Run roadmap-sync's CLI against a local fake GitHub and print what it costs.",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.1,
        metavar="SECONDS",
        help="Delay the fake adds to every request (default 0.1).",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="Also write the results here.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Skip the 10,000-item CLI scenarios (group large) and tracing a 100,000-item plan.",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=GROUPS,
        metavar="NAME",
        help=f"Run only this group ({', '.join(GROUPS)}); repeatable.",
    )
    parser.add_argument(
        "--baseline-parallelism",
        type=int,
        default=baseline.TERRAFORM_PARALLELISM,
        metavar="N",
        help="Concurrent requests of the baseline (terraform's default -parallelism: 10).",
    )
    args = parser.parse_args(argv)
    if args.latency < 0 or args.baseline_parallelism < 1:
        parser.error("--latency must be >= 0 and --baseline-parallelism >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen groups, print the table, optionally write JSON; 1 if a target is missed."""
    args = parse_args(argv)
    groups = [g for g in GROUPS if g in (args.only or GROUPS)]
    if args.quick and not args.only:
        groups.remove("large")
    results = Results([], [], [])
    runners: dict[str, Callable[[], None]] = {
        "shipped": lambda: shipped(args.latency, args.baseline_parallelism, results),
        "large": lambda: large(args.latency, args.baseline_parallelism, results),
        "plan": lambda: plan_only(results, PLAN_SIZES[0] if args.quick else PLAN_SIZES[-1]),
    }
    for group in groups:
        print(f"{group}...", flush=True)
        runners[group]()
    print()
    print(report(results))
    if args.json:
        doc = {
            "metadata": metadata(args, groups),
            "rows": [row.as_json() for row in results.rows],
            "comparisons": results.comparisons,
            "checks": [check.as_json() for check in results.checks],
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0 if all(check.ok for check in results.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
