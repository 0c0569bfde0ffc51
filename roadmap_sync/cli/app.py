"""The click application: each command parses its options and calls one plain function
``(…) -> int`` from the command modules; ``main`` maps errors to exit codes. The one module
that imports click."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import __version__
from ..errors import RoadmapError, RoadmapSyncError
from ..sync.status import VERBS
from . import authoring, github_actions, marking, reporting, scaffold, syncing
from .console import notify, prepare_streams
from .context import Options
from .options import (
    API_URL,
    CHECK_DEPENDENCIES,
    MAX_CREATES,
    ROADMAP,
    SUB_ISSUES,
    TRACKER,
    TRACKER_OPTIONS,
    VERBOSE,
    WRITE_INTERVAL,
    Group,
    json_option,
    takes,
)

MAX_PROBLEMS = 50  # a file with thousands of problems needs the first ones fixed, not all listed


def _exit(code: int) -> None:
    if code:
        raise SystemExit(code)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="roadmap-sync")
def cli() -> None:
    """Keep a learning roadmap (roadmap.yaml) in step with GitHub issues, and render progress
    into the README. Without a repository it works on a local tracker file."""


@cli.command()
@takes(ROADMAP)
def validate(opts: Options) -> None:
    """Check roadmap.yaml; no network. Every problem is printed as FILE:LINE:COL: message."""
    _exit(authoring.validate(opts.roadmap))


@cli.command("plan")
@takes(*TRACKER_OPTIONS)
@json_option("the plan")
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none."
)
@SUB_ISSUES
@CHECK_DEPENDENCIES
def plan_command(
    opts: Options,
    as_json: bool,
    detailed_exitcode: bool,
    sub_issues: bool,
    check_dependencies: bool,
) -> None:
    """Show what sync would change, and how many writes it takes. Never writes."""
    _exit(syncing.plan_command(opts, as_json, detailed_exitcode, sub_issues, check_dependencies))


@cli.command()
@takes(*TRACKER_OPTIONS, WRITE_INTERVAL)
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@json_option("the result")
@MAX_CREATES
@SUB_ISSUES
@CHECK_DEPENDENCIES
def sync(
    opts: Options,
    dry_run: bool,
    as_json: bool,
    max_creates: int,
    sub_issues: bool,
    check_dependencies: bool,
) -> None:
    """Create and update labels, milestones, issues and their dependencies so they match the
    roadmap."""
    _exit(syncing.sync(opts, dry_run, as_json, max_creates, sub_issues, check_dependencies))


@cli.command()
@takes(*TRACKER_OPTIONS)
@click.option("--items", is_flag=True, help="Also list every item with its id and issue.")
@json_option("every item's status")
def status(opts: Options, items: bool, as_json: bool) -> None:
    """Show progress per phase, read from the issues; --items lists the ids that done, start,
    skip and reopen take."""
    _exit(reporting.status(opts, as_json, items))


@cli.command("next")
@takes(*TRACKER_OPTIONS)
@click.option("--all", "show_all", is_flag=True, help="List every item that is ready, not 5.")
@json_option("the list")
def next_command(opts: Options, show_all: bool, as_json: bool) -> None:
    """What to learn next: open items whose needs are all done or skipped, the ones in
    progress first, then in roadmap order."""
    _exit(reporting.next_command(opts, show_all, as_json))


@cli.command()
@takes(*TRACKER_OPTIONS)
@click.option(
    "--readme",
    type=click.Path(path_type=Path, dir_okay=False),
    default="README.md",
    show_default=True,
    help="The README whose roadmap-sync section is rewritten.",
)
@click.option(
    "--badge",
    type=click.Path(path_type=Path, dir_okay=False),
    default=".github/badges/progress.svg",
    show_default=True,
    help="Where the progress badge SVG goes (a shields endpoint .json beside it).",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A Jinja2 template for the section instead of the shipped one (sandboxed).",
)
@click.option(
    "--badge-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where the badge per phase (phase-N.svg, .json), the burn-up chart and the pictures "
    "(map.svg, calendar.svg, card.svg) go [default: the --badge folder].",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything is out of date.")
def render(
    opts: Options,
    readme: Path,
    badge: Path,
    template: Path | None,
    badge_dir: Path | None,
    check: bool,
) -> None:
    """Rewrite the README's progress section, the badges and the pictures (the map, the
    activity calendar, the progress card) from the issues' state."""
    _exit(reporting.render(opts, readme, badge, template, badge_dir, check))


@cli.command("migrate")
@takes(ROADMAP, API_URL, TRACKER, WRITE_INTERVAL, VERBOSE)
@click.option("--to", "to_repo", required=True, metavar="OWNER/NAME", help="The GitHub repo.")
@MAX_CREATES
def migrate_command(opts: Options, to_repo: str, max_creates: int) -> None:
    """Move to GitHub: create the issues there and carry over what is done, skipped and in
    progress in the local tracker. Safe to run again: nothing is created twice."""
    _exit(syncing.migrate(opts, to_repo, max_creates))


@cli.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default="roadmap.yaml",
    show_default=True,
    help="Where to write the roadmap.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def import_command(source: Path, out: Path, force: bool) -> None:
    """Turn a markdown checklist roadmap (FILE.md) into roadmap.yaml."""
    _exit(authoring.import_markdown(source, out, force))


@cli.command("init")
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=".", required=False
)
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Import this markdown checklist as the roadmap (as `import` does).",
)
@click.option("--empty", is_flag=True, help="Start from a small commented example instead.")
@click.option("--repo", metavar="OWNER/NAME", help="Write `repository:` into the roadmap.")
@click.option("--force", is_flag=True, help="Replace an existing roadmap, workflow and scripts.")
def init_command(
    folder: Path, source: Path | None, empty: bool, repo: str | None, force: bool
) -> None:
    """Set a repository up: roadmap.yaml (the shipped roadmap unless --from or --empty), the
    GitHub Actions workflow pinned to this version, the progress markers in README.md and the
    cache line in .gitignore. Offline; FOLDER defaults to the current one."""
    _exit(scaffold.init(folder, source, empty, repo, force))


_MARK_HELP = {
    "done": "Close an item's issue as completed.",
    "start": "Mark an item in progress (adds the `in progress` label; reopens it if closed).",
    "skip": "Close an item's issue as not planned: skipped, left out of the percent.",
    "reopen": "Reopen an item's issue.",
}
_ID_HELP = (
    "\n\nID is the item's id, its issue's number (12 or #12) or its exact title; "
    "`roadmap-sync status --items` lists them."
)


def _mark_command(verb: str) -> None:
    @takes(*TRACKER_OPTIONS)
    @click.argument("item_id", metavar="ID")
    def command(opts: Options, item_id: str) -> None:
        _exit(marking.mark(opts, verb, item_id))

    command.__name__ = verb
    cli.command(verb, help=_MARK_HELP[verb] + _ID_HELP)(command)


for _verb in VERBS:
    _mark_command(_verb)


def _tick_command(ticked: bool) -> None:
    @takes(*TRACKER_OPTIONS)
    @click.argument("item_id", metavar="ID")
    @click.argument("number", metavar="N", type=int)
    def command(opts: Options, item_id: str, number: int) -> None:
        _exit(marking.tick(opts, item_id, number, ticked))

    name = "tick" if ticked else "untick"
    verb = "Tick" if ticked else "Untick"
    help_text = (
        f"{verb} task N (1, 2, …, in the roadmap's order) of an item's \"done when\" checklist "
        "in its issue." + _ID_HELP
    )
    command.__name__ = name
    cli.command(name, help=help_text)(command)


_tick_command(True)
_tick_command(False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 user error, 2 usage or drift)."""
    prepare_streams()
    try:
        cli.main(args=argv, prog_name="roadmap-sync", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else 1
    except click.exceptions.Abort:
        notify("interrupted; run the command again to finish (nothing is duplicated)")
        return 130
    except RoadmapError as exc:
        _annotate(exc)
        for problem in exc.problems[:MAX_PROBLEMS]:
            click.echo(str(problem), err=True)
        if len(exc.problems) > MAX_PROBLEMS:
            more = len(exc.problems) - MAX_PROBLEMS
            click.echo(f"... and {more} more problems (fix these first)", err=True)
        return 1
    except RoadmapSyncError as exc:
        _annotate(exc)
        secrets = [os.environ.get("GITHUB_TOKEN", ""), os.environ.get("GH_TOKEN", "")]
        message = github_actions.redact(str(exc), secrets)
        click.echo(f"roadmap-sync: error: {message}", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        notify("interrupted; run the command again to finish (nothing is duplicated)")
        return 130
    return 0


def _annotate(exc: Exception) -> None:
    """In GitHub Actions, also show an error as annotations (roadmap problems at FILE:LINE:COL)."""
    if github_actions.in_actions(os.environ):
        for line in github_actions.error_annotations(exc):
            click.echo(line, err=True)


if __name__ == "__main__":
    sys.exit(main())
