"""What every command shares: the common options, the consoles, the tracker a command talks
to, and running a plan with a progress bar. The edge between the CLI and the core."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from . import actions, desired, plan, progress, roadmap
from .apply import Summary, apply
from .errors import RoadmapSyncError
from .target import DEFAULT_TRACKER, Target, resolve
from .trackers.base import Tracker

F = TypeVar("F", bound=Callable[..., Any])
MAX_PROBLEMS = 50  # a file with thousands of problems needs the first ones fixed, not all listed


@dataclass(frozen=True, slots=True)
class Options:
    """The options every command takes after its name."""

    roadmap: Path
    repo: str | None
    api_url: str | None
    local: bool
    tracker: Path
    write_interval: float | None
    verbose: bool


def common(func: F) -> F:
    """Add the common options (DESIGN.md: CLI) and pass them as ``opts``."""
    options = [
        click.option(
            "--roadmap",
            "-f",
            "roadmap_path",
            default="roadmap.yaml",
            show_default=True,
            type=click.Path(path_type=Path, dir_okay=True),
            help="The roadmap file.",
        ),
        click.option("--repo", metavar="OWNER/NAME", help="GitHub repository holding the issues."),
        click.option("--api-url", metavar="URL", help="GitHub API root (GitHub Enterprise)."),
        click.option("--local", is_flag=True, help="Use the local tracker file, not GitHub."),
        click.option(
            "--tracker",
            "tracker_path",
            type=click.Path(path_type=Path, dir_okay=False),
            default=str(DEFAULT_TRACKER),
            show_default=True,
            help="The local tracker file.",
        ),
        click.option(
            "--write-interval",
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            help="Pause between writes to GitHub [default: 1.0].",
        ),
        click.option("-v", "--verbose", is_flag=True, help="Show every request (never the token)."),
    ]

    @functools.wraps(func)  # keeps the options already attached to func (its __dict__)
    def wrapper(**kwargs: Any) -> Any:
        opts = Options(
            roadmap=kwargs.pop("roadmap_path"),
            repo=kwargs.pop("repo"),
            api_url=kwargs.pop("api_url"),
            local=kwargs.pop("local"),
            tracker=kwargs.pop("tracker_path"),
            write_interval=kwargs.pop("write_interval"),
            verbose=kwargs.pop("verbose"),
        )
        return func(opts=opts, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def stdout() -> Console:
    """Results: a rich console that degrades to plain text off a terminal."""
    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    """Diagnostics."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def notify(message: str) -> None:
    """A diagnostic line on stderr."""
    stderr().print(message, markup=False)


def warn(message: str) -> None:
    """A warning on stderr, and as an annotation in GitHub Actions."""
    notify(f"warning: {message}")
    if actions.in_actions(os.environ):
        click.echo(actions.annotation("warning", message), err=True)


def annotate(exc: Exception) -> None:
    """In GitHub Actions, also show an error as annotations (roadmap problems at FILE:LINE:COL)."""
    if actions.in_actions(os.environ):
        for line in actions.error_annotations(exc):
            click.echo(line, err=True)


def publish_progress(report: progress.Progress) -> None:
    """Outputs (percent, done, total) and a job summary, when running in GitHub Actions."""
    actions.write_outputs(os.environ, actions.progress_outputs(report))
    actions.write_summary(os.environ, actions.progress_summary(report))


def load_roadmap(
    opts: Options, sub_issues: bool = False
) -> tuple[roadmap.Roadmap, desired.Desired]:
    """Load and fully check the roadmap, issue bodies included, before anything is written."""
    loaded = roadmap.load(opts.roadmap)
    return loaded, desired.build(loaded, sub_issues)


SUB_ISSUES = click.option(
    "--sub-issues",
    is_flag=True,
    help="One parent issue per phase, each item a sub-issue of it "
    "(also `github: {sub_issues: true}` in the roadmap).",
)


def target_for(opts: Options, loaded: roadmap.Roadmap | None) -> Target:
    """Where this command's issues live."""
    return resolve(
        repo=opts.repo,
        local=opts.local,
        api_url=opts.api_url,
        write_interval=opts.write_interval,
        roadmap_repo=loaded.repository if loaded else None,
        env=os.environ,
        tracker_path=opts.tracker,
    )


@contextlib.contextmanager
def open_tracker(target: Target, verbose: bool) -> Iterator[Tracker]:
    """The tracker of a target, held for the whole command (the local one under its lock)."""
    if target.notice:
        notify(target.notice)
    if target.is_local:
        from .trackers.local import LocalTracker

        local = LocalTracker(target.local_path)
        with local.session():
            yield local
        return
    from .trackers.github import GitHubTracker

    assert target.repo is not None
    tracker = GitHubTracker(
        target.repo,
        target.token,
        target.api_url,
        target.write_interval,
        notify,
        verbose,
        cache_path=target.local_path.parent / "cache.json",
    )
    try:
        yield tracker
    finally:
        tracker.http.close()


def run_plan(the_plan: plan.Plan, tracker: Tracker, target: Target, quiet: bool) -> Summary:
    """Apply a plan: the time it will take first, then a line per change (a progress bar on a
    terminal, nothing with ``quiet``)."""
    console = stdout()
    writes = the_plan.writes
    for conflict in the_plan.conflicts:
        warn(conflict)
    if writes and not target.is_local and target.write_interval:
        eta = writes * target.write_interval
        notify(f"{writes} writes at one per {target.write_interval:g} s: about {_duration(eta)}")
    if not console.is_terminal or quiet:
        report = None if quiet else _plain_report
        return apply(the_plan, tracker, report)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("sync", total=len(the_plan.changes))

        def report(change: plan.Change, what: str) -> None:
            bar.console.print(f"[{change.key}] {what}", markup=False)
            bar.advance(task)

        return apply(the_plan, tracker, report)


def _plain_report(change: plan.Change, what: str) -> None:
    click.echo(f"[{change.key}] {what}")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def summary_json(summary: Summary, the_plan: plan.Plan) -> dict[str, Any]:
    """What ``sync --json`` prints."""
    return {
        "created": summary.created,
        "updated": summary.updated,
        "closed": summary.closed,
        "reopened": summary.reopened,
        "linked": summary.linked,
        "unchanged": summary.unchanged,
        "labels": summary.labels,
        "milestones": summary.milestones,
        "writes": the_plan.writes,
        "seconds": round(summary.seconds, 3),
        "conflicts": list(the_plan.conflicts),
    }


def missing_notice(report: progress.Progress) -> None:
    """Say on stderr when items have no issue yet."""
    if report.missing:
        notify(f"{report.missing} items have no issue yet: run `roadmap-sync sync`")


def check_creates(the_plan: plan.Plan, max_creates: int) -> None:
    """The safety valve: refuse, before the first write, a plan that creates too many issues."""
    if the_plan.creates > max_creates:
        raise RoadmapSyncError(
            f"this sync would create {the_plan.creates} issues, more than --max-creates "
            f"{max_creates}; nothing was written. Check the roadmap and the repository, "
            "then raise --max-creates if it is right"
        )
