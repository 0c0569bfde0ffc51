"""The terminal: results on stdout, diagnostics on stderr, one line per object prefixed by its
identity; tables, colours and a progress bar only on a terminal. The one module that uses rich."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
from collections.abc import Iterator

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report.activity import streaks
from ..report.pace import Pace, sentence
from ..report.progress import ItemProgress, Progress
from ..report.text import bar, plural
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
            headings = {
                "Label": "Labels",
                "Milestone": "Milestones",
                "Issue": "Issues",
                "Dependency": "Dependencies",
            }
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


def print_status(
    console: Console, report: Progress, pace: Pace | None = None, items: bool = False
) -> None:
    """A table per phase (a plain one off a terminal), the overall line and the pace; with
    ``items``, every item under its phase with its issue number, status and id."""
    table = Table(box=None if not console.is_terminal else box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Phase", overflow="fold")
    for name in ("Done", "%", "Doing", "Skipped", "Todo", "Tasks"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for phase in report.phases:
        table.add_row(
            escape(f"{phase.phase.number}. {phase.phase.name}"),
            f"{phase.done}/{phase.countable}",
            f"{phase.percent}%",
            str(phase.in_progress),
            str(phase.skipped),
            str(phase.todo),
            f"{phase.tasks_done}/{phase.tasks_total}" if phase.tasks_total else "",
            bar(phase.percent, 10, *bar_glyphs()),
        )
    console.print(table)
    doing = f" · {report.in_progress} in progress" if report.in_progress else ""
    console.print(f"Overall: {report.fraction}{doing}{report.skipped_note}", markup=False)
    if pace is not None and pace.settled:
        line = f"Last 4 weeks: {pace.done_last_4_weeks} done. {sentence(pace)}"
        console.print(line.strip(), markup=False)
    elif pace is not None:
        console.print(sentence(pace), markup=False)
    found = streaks(report)
    if found.longest:
        console.print(
            f"Streak: {plural(found.current, 'week')} in a row with something done "
            f"(longest {plural(found.longest, 'week')})",
            markup=False,
        )
    if not items:
        console.print("Every item with its id: roadmap-sync status --items", markup=False)
        return
    for phase in report.phases:
        console.print("", markup=False)
        title = f"Phase {phase.phase.number}: {phase.phase.name} · {phase.fraction}"
        console.print(title + phase.skipped_note, markup=False)
        width = max((len(i.item.id) for i in phase.items), default=0)
        for entry in phase.items:
            tasks = f" ({entry.tasks_done}/{entry.tasks_total} tasks)" if entry.tasks_total else ""
            console.print(item_line(entry, width) + tasks, markup=False)


def item_line(entry: ItemProgress, width: int) -> str:
    """``     #2  todo         virtual-envs  Virtual environments: venv / conda``: an item
    in a list, its id padded to ``width`` so the titles line up."""
    number = f"#{entry.number}" if entry.number is not None else "-"
    return f"  {number:>5}  {entry.status.value:<11}  {entry.item.id:<{width}}  {entry.item.title}"


BAR_GLYPHS = ("█", "░")
ASCII_BAR = ("#", "-")
# What the tool itself prints beyond ASCII: bars, the middle dot, dashes, arrows, ellipses.
_OWN_GLYPHS = "█░·—→…"


def _encodes(encoding: str | None, text: str) -> bool:
    try:
        codecs.encode(text, encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def prepare_streams() -> None:
    """On a console or pipe that is not UTF-8 (a Windows console in cp1252), characters it
    cannot show are printed as '?': a title with an emoji never ends in UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not _encodes(stream.encoding, _OWN_GLYPHS):
            stream.reconfigure(errors="replace")


def bar_glyphs() -> tuple[str, str]:
    """The text bar's full and empty cells: blocks where stdout can show them, else ASCII."""
    encoding = getattr(sys.stdout, "encoding", None)
    return BAR_GLYPHS if _encodes(encoding, "".join(BAR_GLYPHS)) else ASCII_BAR


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
