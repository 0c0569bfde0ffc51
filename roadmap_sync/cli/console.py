"""The terminal: results on stdout, diagnostics on stderr, one line per object prefixed by its
identity; tables, colours and a progress bar only on a terminal. The one module that uses rich."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report.pace import Pace, sentence
from ..report.progress import Progress
from ..report.text import bar
from ..sync.apply import Report
from ..sync.changes import Action, Change, Plan
from . import github_actions
from .plan_words import describe, summary_line

_STYLE = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.REOPEN: "cyan",
    Action.CLOSE: "red",
    Action.CLOSE_DUPLICATE: "red",
    Action.LINK: "blue",
    Action.UNLINK: "magenta",
}


def print_plan(console: Console, plan: Plan) -> None:
    """The plan, one line per change; grouped and coloured when the console is a terminal."""
    section = ""
    for change in plan.changes:
        if console.is_terminal:
            kind = type(change).__name__.removesuffix("Change")
            headings = {"Label": "Labels", "Milestone": "Milestones", "Issue": "Issues"}
            heading = headings.get(kind, "Sub-issues")
            if heading != section:
                console.print(f"[bold]{heading}[/bold]")
                section = heading
            style = _STYLE[change.action]
            console.print(f"  [{style}]{escape(f'[{change.key}] {describe(change)}')}[/{style}]")
        else:
            console.print(f"[{change.key}] {describe(change)}", markup=False, highlight=False)
    for conflict in plan.conflicts:
        console.print(f"warning: {conflict}", markup=False, highlight=False)
    console.print(summary_line(plan), markup=False, highlight=False)


def print_status(console: Console, report: Progress, pace: Pace | None = None) -> None:
    """A table per phase (a plain one off a terminal), the overall line and the pace."""
    table = Table(box=None if not console.is_terminal else box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Phase", overflow="fold")
    for name in ("Done", "Doing", "Skipped", "Todo", "%"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for phase in report.phases:
        table.add_row(
            escape(f"{phase.phase.number}. {phase.phase.name}"),
            str(phase.done),
            str(phase.in_progress),
            str(phase.skipped),
            str(phase.todo),
            f"{phase.percent}%",
            bar(phase.percent, 10),
        )
    console.print(table)
    console.print(
        f"Overall: {report.percent}% ({report.done}/{report.total} done, "
        f"{report.in_progress} in progress, {report.skipped} skipped)",
        markup=False,
    )
    if pace is not None:
        line = f"Last 4 weeks: {pace.done_last_4_weeks} done. {sentence(pace)}"
        console.print(line.strip(), markup=False)


def stdout() -> Console:
    """Results: a rich console that degrades to plain text off a terminal."""
    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    """Diagnostics."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """A result line on stdout, as it is (no markup, no wrapping)."""
    sys.stdout.write(message + "\n")


def notify(message: str) -> None:
    """A diagnostic line on stderr."""
    stderr().print(message, markup=False)


def warn(message: str) -> None:
    """A warning on stderr, and as an annotation in GitHub Actions."""
    notify(f"warning: {message}")
    if github_actions.in_actions(os.environ):
        sys.stderr.write(github_actions.annotation("warning", message) + "\n")


@contextlib.contextmanager
def change_reporter(total: int, quiet: bool) -> Iterator[Report | None]:
    """How a sync reports each change: a line per change, above a progress bar on a
    terminal; nothing with ``quiet``."""
    console = stdout()
    if quiet:
        yield None
        return
    if not console.is_terminal:
        yield _plain_report
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Bar(*columns, console=console, transient=True) as progress_bar:
        task = progress_bar.add_task("sync", total=total)

        def report(change: Change, what: str) -> None:
            progress_bar.console.print(f"[{change.key}] {what}", markup=False)
            progress_bar.advance(task)

        yield report


def _plain_report(change: Change, what: str) -> None:
    say(f"[{change.key}] {what}")
