"""Commands that read progress back from the issues: ``status`` and ``render``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .. import files
from ..errors import RoadmapSyncError
from ..model.load import load, read_text
from ..model.roadmap import Roadmap
from ..report.next_up import README_COUNT, first_blocked, next_items
from ..report.pace import pace as pace_of
from ..report.progress import Progress, progress
from . import json_output
from .console import item_line, notify, print_status, say, stdout
from .context import Options, missing_notice, open_tracker, publish_progress, target_for


def read_progress(opts: Options, loaded: Roadmap) -> Progress:
    """Every item's status, from the roadmap and the tracker's issues (two requests on GitHub)."""
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        report = progress(loaded, tracker.snapshot(issues_only=True))
    publish_progress(report)
    return report


def status(opts: Options, as_json: bool, items: bool = False) -> int:
    """Progress per phase; the pace counts up to today (unlike the README, which must not change
    by itself from day to day)."""
    report = read_progress(opts, load(opts.roadmap))
    pace = pace_of(report, datetime.now(timezone.utc).date())
    if as_json:
        say(json_output.dumps(json_output.status_json(report, pace)))
    else:
        print_status(stdout(), report, pace, items)
    missing_notice(report)
    return 0


def next_command(opts: Options, show_all: bool, as_json: bool) -> int:
    """The items to work on now: open, every need done or skipped, in progress first."""
    report = read_progress(opts, load(opts.roadmap))
    ready = next_items(report, None)
    chosen = ready if show_all else ready[:README_COUNT]
    if as_json:
        say(json_output.dumps(json_output.next_json(chosen)))
    elif chosen:
        count = len(ready)
        say(f"Next up ({len(chosen)} of {count} ready):" if count > len(chosen) else "Next up:")
        width = max(len(entry.item.id) for entry in chosen)
        for entry in chosen:
            say(item_line(entry, width))
    elif not any(entry.open for entry in report.items):
        say("Nothing left: every item is done or skipped.")
    else:
        say("Nothing is ready: every open item waits for another.")
        for entry in first_blocked(report):
            waits = "; ".join(need.title for need in entry.waits_for)
            say(f"  {entry.item.id} waits for: {waits}")
    missing_notice(report)
    return 0


def render(
    opts: Options,
    readme: Path,
    badge: Path,
    template: Path | None,
    badge_dir: Path | None,
    check: bool,
) -> int:
    """Rewrite the README's section and the badges; with ``check``, write nothing and fail when
    anything is out of date."""
    loaded = load(opts.roadmap)
    user_template = read_text(template, "template") if template else None
    # Every input is read before the tracker is opened: a bad one leaves no lock file behind.
    current = files.read_utf8(readme, "README")
    report = read_progress(opts, loaded)
    from ..report.outputs import render_files  # Jinja2's sandbox and the badge library

    wanted = render_files(report, current, readme, badge, user_template, badge_dir)
    totals = f"({report.fraction} done{report.skipped_note})"
    if check:
        stale = [path for path, data in wanted.contents if files.read_bytes(path) != data]
        if stale:
            names = ", ".join(str(path) for path in stale)
            raise RoadmapSyncError(f"out of date: {names}; run `roadmap-sync render`")
        say(f"{readme}: up to date {totals}")
        return 0
    if wanted.notice:
        notify(wanted.notice)
    changed = [path for path, data in wanted.contents if files.write_atomic(path, data)]
    say(f"{readme}: {'updated' if readme in changed else 'unchanged'} {totals}")
    missing_notice(report)
    return 0
