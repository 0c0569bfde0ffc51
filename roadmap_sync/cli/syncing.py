"""Commands that make the tracker match the roadmap: ``plan``, ``sync``, ``migrate``."""

from __future__ import annotations

import dataclasses
import os

from ..sync import apply, dependencies, plan
from ..sync.apply import apply_edits
from ..sync.changes import Plan
from ..sync.desired import Desired
from ..sync.migrate import transfers
from ..trackers.base import Snapshot, Tracker
from . import github_actions, json_output
from .console import change_reporter, notify, print_plan, say, stdout, warn
from .context import Options, check_creates, load_roadmap, open_tracker, target_for
from .plan_words import summary_line
from .target import Target


def show_plan(the_plan: Plan, name: str, as_json: bool) -> None:
    """The plan on stdout, as text or as the documented JSON."""
    if as_json:
        say(json_output.dumps(json_output.plan_json(the_plan, name)))
    else:
        print_plan(stdout(), the_plan)


def current(tracker: Tracker, wanted: Desired, check_dependencies: bool) -> Snapshot:
    """The tracker's state as a plan needs it: the snapshot, with the blocked-by lists of the
    issues whose dependency counts differ from the roadmap's (all of them when checking):
    those ``dependencies.to_read`` asks for. The reads are here, at the edge: sync/ decides
    what to read, and stays pure."""
    snapshot = tracker.snapshot()
    blocked_by, blocking = dependencies.to_read(wanted, snapshot, check_dependencies)
    if not blocked_by and not blocking:
        return snapshot
    issues = []
    for issue in snapshot.issues:
        if issue.number in blocked_by:
            issue = dataclasses.replace(issue, blocked_by=tracker.blocked_by(issue.number))
        if issue.number in blocking:
            issue = dataclasses.replace(issue, blocking=tracker.blocking(issue.number))
        issues.append(issue)
    # An issue some stray issue blocks has a count that proves nothing: read its list too, so
    # one sync both removes the stray dependency and makes the right one.
    stray = {blocked for issue in issues for blocked in issue.blocking or ()}
    return dataclasses.replace(
        snapshot,
        issues=tuple(
            dataclasses.replace(issue, blocked_by=tracker.blocked_by(issue.number))
            if issue.id in stray and issue.blocked_by is None
            else issue
            for issue in issues
        ),
    )


def plan_command(
    opts: Options,
    as_json: bool,
    detailed_exitcode: bool,
    sub_issues: bool,
    check_dependencies: bool = False,
) -> int:
    """What sync would change; exit 2 with ``detailed_exitcode`` when anything would."""
    loaded, wanted = load_roadmap(opts, sub_issues)
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        the_plan = plan.diff(wanted, current(tracker, wanted, check_dependencies))
        show_plan(the_plan, tracker.name, as_json)
    return 2 if detailed_exitcode and the_plan.changes else 0


def sync(
    opts: Options,
    dry_run: bool,
    as_json: bool,
    max_creates: int,
    sub_issues: bool,
    check_dependencies: bool = False,
) -> int:
    """Apply the plan (or only print it, with ``dry_run``)."""
    loaded, wanted = load_roadmap(opts, sub_issues)
    target = target_for(opts, loaded)
    with open_tracker(target, opts.verbose) as tracker:
        the_plan = plan.diff(wanted, current(tracker, wanted, check_dependencies))
        if dry_run:
            show_plan(the_plan, tracker.name, as_json)
            return 0
        check_creates(the_plan, max_creates)
        summary = run_plan(the_plan, tracker, target, quiet=as_json)
    github_actions.write_outputs(os.environ, github_actions.sync_outputs(summary))
    if as_json:
        say(json_output.dumps(json_output.summary_json(summary, the_plan)))
    elif not the_plan.changes:
        say(summary_line(the_plan))
    else:
        say(summary.line())
    return 0


def migrate(opts: Options, to_repo: str, max_creates: int) -> int:
    """Create the issues on GitHub and carry over the local tracker's progress; safe to rerun."""
    loaded, wanted = load_roadmap(opts)
    local_target = target_for(dataclasses.replace(opts, local=True), loaded)
    github_target = target_for(dataclasses.replace(opts, repo=to_repo, local=False), loaded)
    with open_tracker(local_target, opts.verbose) as local:
        source = local.snapshot(issues_only=True)
    with open_tracker(github_target, opts.verbose) as github:
        the_plan = plan.diff(wanted, current(github, wanted, False))
        check_creates(the_plan, max_creates)
        summary = run_plan(the_plan, github, github_target, quiet=False)
        moves = transfers(loaded, source, github.snapshot(issues_only=True))
        for move in moves:
            apply_edits(github, move.number, move.edits)
            marked = any(edit.state or edit.labels for edit in move.edits)
            what = [move.status.value] if marked else []
            what += [f"{move.ticks} task{'s' * (move.ticks > 1)} ticked"] if move.ticks else []
            say(f"[issue {move.item_id}] #{move.number} {', '.join(what)}")
    say(f"{to_repo}: {summary.line()}; {len(moves)} statuses carried over")
    if loaded.repository != to_repo:
        notify(f"next: add `repository: {to_repo}` to {opts.roadmap} so commands use GitHub")
    return 0


def run_plan(the_plan: Plan, tracker: Tracker, target: Target, quiet: bool) -> apply.Summary:
    """Apply a plan: the time it will take first, then a line per change (a progress bar on a
    terminal, nothing with ``quiet``)."""
    writes = the_plan.writes
    for conflict in the_plan.conflicts:
        warn(conflict)
    if writes and not target.is_local and target.write_interval:
        eta = writes * target.write_interval
        notify(f"{writes} writes at one per {target.write_interval:g} s: about {_duration(eta)}")
    with change_reporter(len(the_plan.changes), quiet) as report:
        return apply.apply(the_plan, tracker, report)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"
