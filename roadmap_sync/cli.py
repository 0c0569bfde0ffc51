"""The command line: resolve options and environment, call the core, print, map to exit codes."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from . import __version__, actions, mark, output, plan, progress, roadmap
from .errors import RoadmapError, RoadmapSyncError
from .runtime import (
    MAX_PROBLEMS,
    SUB_ISSUES,
    Options,
    annotate,
    check_creates,
    common,
    load_roadmap,
    missing_notice,
    notify,
    open_tracker,
    publish_progress,
    run_plan,
    stdout,
    summary_json,
    target_for,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="roadmap-sync")
def cli() -> None:
    """Keep a learning roadmap (roadmap.yaml) in step with GitHub issues, and render progress
    into the README. Without a repository it works on a local tracker file."""


@cli.command()
@common
def validate(opts: Options) -> None:
    """Check roadmap.yaml; no network. Every problem is printed as FILE:LINE:COL: message."""
    loaded, _ = load_roadmap(opts)
    click.echo(f"{opts.roadmap}: {len(loaded.phases)} phases, {len(loaded.items)} items")


@cli.command("plan")
@common
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none."
)
@SUB_ISSUES
def plan_command(opts: Options, as_json: bool, detailed_exitcode: bool, sub_issues: bool) -> None:
    """Show what sync would change, and how many writes it takes. Never writes."""
    loaded, wanted = load_roadmap(opts, sub_issues)
    target = target_for(opts, loaded)
    with open_tracker(target, opts.verbose) as tracker:
        the_plan = plan.diff(wanted, tracker.snapshot())
        _show_plan(the_plan, tracker.name, as_json)
    if detailed_exitcode and the_plan.changes:
        raise SystemExit(2)


def _show_plan(the_plan: plan.Plan, name: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(output.plan_json(the_plan, name), indent=2))
    else:
        output.print_plan(stdout(), the_plan)


@cli.command()
@common
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--max-creates",
    type=click.IntRange(min=0),
    default=500,
    show_default=True,
    help="Refuse to start if more issues than this would be created (GitHub's hourly limit).",
)
@SUB_ISSUES
def sync(opts: Options, dry_run: bool, as_json: bool, max_creates: int, sub_issues: bool) -> None:
    """Create and update labels, milestones and issues so they match the roadmap."""
    loaded, wanted = load_roadmap(opts, sub_issues)
    target = target_for(opts, loaded)
    with open_tracker(target, opts.verbose) as tracker:
        the_plan = plan.diff(wanted, tracker.snapshot())
        if dry_run:
            _show_plan(the_plan, tracker.name, as_json)
            return
        check_creates(the_plan, max_creates)
        summary = run_plan(the_plan, tracker, target, quiet=as_json)
    actions.write_outputs(os.environ, actions.sync_outputs(summary))
    if as_json:
        click.echo(json.dumps(summary_json(summary, the_plan), indent=2))
    elif not the_plan.changes:
        click.echo(output.summary_line(the_plan))
    else:
        click.echo(summary.line())


@cli.command()
@common
@click.option("--json", "as_json", is_flag=True, help="Print every item's status as JSON.")
def status(opts: Options, as_json: bool) -> None:
    """Show progress per phase, read from the issues."""
    loaded = roadmap.load(opts.roadmap)
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        report = progress.progress(loaded, tracker.snapshot(issues_only=True))
    publish_progress(report)
    # Unlike the README (which must not change by itself from day to day), status counts
    # the pace up to today.
    from .burnup import pace as pace_of

    pace = pace_of(report, datetime.now(timezone.utc).date())
    if as_json:
        doc = progress.to_json(report)
        doc["pace"] = output.pace_json(pace)
        click.echo(json.dumps(doc, indent=2))
    else:
        output.print_status(stdout(), report, pace)
    missing_notice(report)


@cli.command()
@common
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
    help="Also write a badge per phase (phase-N.svg, phase-N.json) and the burn-up chart "
    "(burnup.svg) into this folder.",
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
    """Rewrite the README's progress section and the badge from the issues' state."""
    loaded = roadmap.load(opts.roadmap)
    user_template = roadmap.read_text(template) if template else None
    with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
        report = progress.progress(loaded, tracker.snapshot(issues_only=True))
    publish_progress(report)
    from . import publish  # Jinja2's sandbox and the badge library: only render needs them

    files = publish.render_files(report, readme, badge, user_template, badge_dir)
    if check:
        stale = publish.stale(files)
        if stale:
            names = ", ".join(str(path) for path in stale)
            raise RoadmapSyncError(f"out of date: {names}; run `roadmap-sync render`")
        click.echo(f"{readme}: up to date ({report.percent}%, {report.done}/{report.total} done)")
        return
    if files.notice:
        notify(files.notice)
    changed = publish.write(files)
    state = "updated" if readme in changed else "unchanged"
    click.echo(f"{readme}: {state} ({report.percent}%, {report.done}/{report.total} done)")
    missing_notice(report)


@cli.command("migrate")
@common
@click.option("--to", "to_repo", required=True, metavar="OWNER/NAME", help="The GitHub repo.")
@click.option(
    "--max-creates",
    type=click.IntRange(min=0),
    default=500,
    show_default=True,
    help="Refuse to start if more issues than this would be created.",
)
def migrate_command(opts: Options, to_repo: str, max_creates: int) -> None:
    """Move to GitHub: create the issues there and carry over what is done, skipped and in
    progress in the local tracker. Safe to run again: nothing is created twice."""
    from .migrate import transfers

    loaded, wanted = load_roadmap(opts)
    local_target = target_for(dataclasses.replace(opts, local=True), loaded)
    github_target = target_for(dataclasses.replace(opts, repo=to_repo, local=False), loaded)
    with open_tracker(local_target, opts.verbose) as local:
        source = local.snapshot(issues_only=True)
    with open_tracker(github_target, opts.verbose) as github:
        the_plan = plan.diff(wanted, github.snapshot())
        check_creates(the_plan, max_creates)
        summary = run_plan(the_plan, github, github_target, quiet=False)
        moves = transfers(loaded, source, github.snapshot(issues_only=True))
        for move in moves:
            github.edit_issue(move.number, move.edit)
            click.echo(f"[issue {move.item_id}] #{move.number} {move.status.value}")
    click.echo(f"{to_repo}: {summary.line()}; {len(moves)} statuses carried over")
    if loaded.repository != to_repo:
        notify(f"next: add `repository: {to_repo}` to {opts.roadmap} so commands use GitHub")


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
    from .importer import parse_markdown
    from .yamlwrite import to_yaml

    if out.exists() and not force:
        raise RoadmapSyncError(f"{out} exists; pass --force to overwrite it, or -o another path")
    parsed = parse_markdown(roadmap.read_text(source), str(source))
    text = to_yaml(parsed)
    roadmap.loads(text, str(out))  # never write a roadmap that would not load
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    done = sum(item.done for item in parsed.items)
    hint = f", {done} marked done" if done else ""
    click.echo(f"{out}: {len(parsed.phases)} phases, {len(parsed.items)} items{hint}")


_MARK_HELP = {
    "done": "Close an item's issue as completed.",
    "start": "Mark an item in progress (adds the `in progress` label; reopens it if closed).",
    "skip": "Close an item's issue as not planned: skipped, left out of the percent.",
    "reopen": "Reopen an item's issue.",
}


def _mark_command(verb: str) -> None:
    @common
    @click.argument("item_id", metavar="ID")
    def command(opts: Options, item_id: str) -> None:
        loaded = roadmap.load(opts.roadmap)
        with open_tracker(target_for(opts, loaded), opts.verbose) as tracker:
            issue = mark.find_issue(loaded, tracker.snapshot(issues_only=True), item_id)
            edit = mark.edit_for(verb, issue)
            if edit is None:
                click.echo(f"[issue {item_id}] #{issue.number} is already {_STATE[verb]}")
                return
            tracker.edit_issue(issue.number, edit)
        click.echo(f"[issue {item_id}] #{issue.number} {_STATE[verb]}")

    command.__name__ = verb
    cli.command(verb, help=_MARK_HELP[verb])(command)


_STATE = {"done": "done", "start": "in progress", "skip": "skipped", "reopen": "reopened"}
for _verb in mark.VERBS:
    _mark_command(_verb)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 user error, 2 usage or drift)."""
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
        annotate(exc)
        for problem in exc.problems[:MAX_PROBLEMS]:
            click.echo(str(problem), err=True)
        if len(exc.problems) > MAX_PROBLEMS:
            more = len(exc.problems) - MAX_PROBLEMS
            click.echo(f"... and {more} more problems (fix these first)", err=True)
        return 1
    except RoadmapSyncError as exc:
        annotate(exc)
        secrets = [os.environ.get("GITHUB_TOKEN", ""), os.environ.get("GH_TOKEN", "")]
        click.echo(f"roadmap-sync: error: {actions.redact(str(exc), secrets)}", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        notify("interrupted; run the command again to finish (nothing is duplicated)")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
