"""The options the commands share, and the help formatter of every command (click)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..files import TRACKER_FILE
from .context import Options

F = TypeVar("F", bound=Callable[..., Any])

ROADMAP = click.option(
    "--roadmap",
    "-f",
    "roadmap_path",
    default="roadmap.yaml",
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=True),
    help="The roadmap file.",
)
REPO = click.option("--repo", metavar="OWNER/NAME", help="GitHub repository holding the issues.")
API_URL = click.option("--api-url", metavar="URL", help="GitHub API root (GitHub Enterprise).")
LOCAL = click.option("--local", is_flag=True, help="Use the local tracker file, not GitHub.")
TRACKER = click.option(
    "--tracker",
    "tracker_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=str(TRACKER_FILE),
    show_default=True,
    help="The local tracker file.",
)
WRITE_INTERVAL = click.option(
    "--write-interval",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Pause between writes to GitHub [default: 1.0].",
)
VERBOSE = click.option(
    "-v", "--verbose", is_flag=True, help="Show every request (never the token)."
)
# The options of every command that reads the tracker.
TRACKER_OPTIONS = (ROADMAP, REPO, API_URL, LOCAL, TRACKER, VERBOSE)
# Click's parameter name → the Options field it fills.
_FIELDS = {
    "roadmap_path": "roadmap",
    "repo": "repo",
    "api_url": "api_url",
    "local": "local",
    "tracker_path": "tracker",
    "write_interval": "write_interval",
    "verbose": "verbose",
}


def takes(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Give a command these of the shared options (only those it uses, so its --help lists
    nothing it ignores), passed on as one ``opts: Options``."""

    def decorate(func: F) -> F:
        @functools.wraps(func)  # keeps the options already attached to func (its __dict__)
        def wrapper(**kwargs: Any) -> Any:
            fields = {field: kwargs.pop(key) for key, field in _FIELDS.items() if key in kwargs}
            return func(opts=Options(**fields), **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


class Formatter(click.HelpFormatter):
    """Click's help formatter, except that no line breaks at a hyphen: a default such as
    ``.roadmap-sync/tracker.json`` stays whole (textwrap would split it after ``roadmap-``)."""

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        start = len(self.buffer)
        # U+2011 is a hyphen textwrap does not break at; the real one comes back after wrapping.
        kept = [(first, second.replace("-", "\u2011")) for first, second in rows]
        super().write_dl(kept, col_max, col_spacing)
        self.buffer[start:] = [line.replace("\u2011", "-") for line in self.buffer[start:]]


class Context(click.Context):
    formatter_class = Formatter


class Command(click.Command):
    context_class = Context


class Group(click.Group):
    context_class = Context
    command_class = Command


CHECK_DEPENDENCIES = click.option(
    "--check-dependencies",
    is_flag=True,
    help="Read every issue's blocked-by list (one request per issue with needs), not only "
    "those whose count of blockers differs from the roadmap's.",
)
SUB_ISSUES = click.option(
    "--sub-issues",
    is_flag=True,
    help="One parent issue per phase, each item a sub-issue of it "
    "(also `github: {sub_issues: true}` in the roadmap).",
)


def json_option(what: str) -> Callable[[F], F]:
    """``--json``, saying what it prints: ``json_option("the plan")``."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as JSON.")


MAX_CREATES = click.option(
    "--max-creates",
    type=click.IntRange(min=0),
    default=500,
    show_default=True,
    help="Refuse to start if more issues than this would be created (GitHub's hourly limit).",
)
