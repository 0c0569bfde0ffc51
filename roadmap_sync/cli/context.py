"""What the commands share: their options, the roadmap loaded and checked, and the tracker
they talk to (GitHub or the local file), chosen from options, environment and roadmap.yaml."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import RoadmapSyncError
from ..files import CACHE_FILE, TRACKER_FILE
from ..model.load import load
from ..model.roadmap import Roadmap
from ..report.progress import Progress
from ..sync.changes import Plan
from ..sync.desired import Desired, build
from ..trackers.base import Tracker
from . import github_actions
from .console import notify
from .target import Target, resolve


@dataclass(frozen=True, slots=True)
class Options:
    """The options that choose the roadmap and the tracker; a command that takes only some of
    them leaves the others at their defaults."""

    roadmap: Path = Path("roadmap.yaml")
    repo: str | None = None
    api_url: str | None = None
    local: bool = False
    tracker: Path = TRACKER_FILE
    write_interval: float | None = None
    verbose: bool = False


def load_roadmap(opts: Options, sub_issues: bool = False) -> tuple[Roadmap, Desired]:
    """Load and fully check the roadmap, issue bodies included, before anything is written."""
    loaded = load(opts.roadmap)
    return loaded, build(loaded, sub_issues)


def target_for(opts: Options, loaded: Roadmap | None) -> Target:
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
        from ..trackers.local import LocalTracker

        local = LocalTracker(target.local_path)
        with local.session():
            yield local
        return
    from ..trackers.github import GitHubTracker

    assert target.repo is not None
    tracker = GitHubTracker(
        target.repo,
        target.token,
        target.api_url,
        target.write_interval,
        notify,
        verbose,
        cache_path=CACHE_FILE,
    )
    try:
        yield tracker
    finally:
        tracker.http.close()


def publish_progress(report: Progress) -> None:
    """Outputs (percent, done, total) and a job summary, when running in GitHub Actions."""
    github_actions.write_outputs(os.environ, github_actions.progress_outputs(report))
    github_actions.write_summary(os.environ, github_actions.progress_summary(report))


def missing_notice(report: Progress) -> None:
    """Say on stderr when items have no issue yet."""
    if report.missing:
        notify(f"{report.missing} items have no issue yet: run `roadmap-sync sync`")


def check_creates(plan: Plan, max_creates: int) -> None:
    """The safety valve: refuse, before the first write, a plan that creates too many issues."""
    if plan.creates > max_creates:
        raise RoadmapSyncError(
            f"this sync would create {plan.creates} issues, more than --max-creates "
            f"{max_creates}; nothing was written. Check the roadmap and the repository, "
            "then raise --max-creates if it is right"
        )
