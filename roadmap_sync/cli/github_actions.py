"""GitHub Actions integration: workflow-command annotations, step outputs and the job summary.

Pure functions plus appends to the files Actions names in the environment; no click, no
github. Everything takes ``env`` explicitly so it is tested without touching ``os.environ``,
and every writer is a no-op outside Actions, so the CLI can call them unconditionally.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import RoadmapError
from ..report.text import bar, escape_markdown

if TYPE_CHECKING:
    from ..report.progress import Progress
    from ..sync.apply import Summary

Level = Literal["error", "warning", "notice"]
LEVELS: tuple[Level, ...] = ("error", "warning", "notice")
MAX_ANNOTATIONS = 50  # GitHub shows at most 10 per step and 50 per job; more are dropped
REDACTED = "***"  # what the Actions runner itself prints for a masked secret

# Output names end up in `steps.<id>.outputs.<name>` expressions: keep them to identifiers.
_OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def in_actions(env: Mapping[str, str]) -> bool:
    """True inside a GitHub Actions job (the runner sets ``GITHUB_ACTIONS=true``)."""
    return env.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as the runner's ``toCommandValue`` expects.

    ``%`` goes first so the escapes themselves are not escaped twice; CR and LF would end the
    command early, and the rest of the message would run as a command of its own.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: the message escapes, plus ``:`` and ``,``.

    ``:`` would end the property list and ``,`` would start another property.
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: Level,
    message: str,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """A workflow command that shows ``message`` as an annotation, e.g.
    ``::error file=roadmap.yaml,line=12,col=5::unknown key 'kind'``.

    Properties that are None are left out; ``col`` is only meaningful with ``line``.
    """
    if level not in LEVELS:
        raise ValueError(f"annotation level must be one of {', '.join(LEVELS)}, not {level!r}")
    props: list[tuple[str, str]] = []
    if file is not None:
        props.append(("file", file))
    if line is not None:
        props.append(("line", str(line)))
        if col is not None:
            props.append(("col", str(col)))
    if title is not None:
        props.append(("title", title))
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in props)
    head = f"{level} {joined}" if joined else level
    return f"::{head}::{escape_data(message)}"


def error_annotations(exc: Exception) -> list[str]:
    """The ``::error`` commands for an error the CLI reports: one per problem of a
    RoadmapError, located at its FILE:LINE:COL; any other error as one unlocated line."""
    if isinstance(exc, RoadmapError):
        return [
            annotation("error", p.message, file=p.file, line=p.line, col=p.col)
            for p in exc.problems[:MAX_ANNOTATIONS]
        ]
    return [annotation("error", str(exc))]


def _append(env: Mapping[str, str], variable: str, text: str) -> None:
    path = env.get(variable)
    if not path:
        return  # outside Actions (or a runner without the file): nothing to write to
    # Append, never truncate: other steps' and commands' lines share the file. UTF-8 whatever
    # the locale, as the runner reads it.
    with Path(path).open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def format_outputs(values: Mapping[str, str | int]) -> str:
    """The ``GITHUB_OUTPUT`` lines for ``values``: ``name=value`` for a one-line value, the
    heredoc form ``name<<DELIM`` … ``DELIM`` for one with line breaks."""
    lines: list[str] = []
    for name, raw in values.items():
        if not _OUTPUT_NAME.fullmatch(name):
            raise ValueError(f"output name {name!r} must be letters, digits, '-' and '_'")
        value = str(raw)
        if "\n" not in value and "\r" not in value:
            lines.append(f"{name}={value}\n")
            continue
        # A random delimiter cannot be forged by the value; the check makes it certain.
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        while delimiter in value:  # pragma: no cover - a 122-bit collision
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(lines)


def write_outputs(env: Mapping[str, str], values: Mapping[str, str | int]) -> None:
    """Append step outputs to the file named by ``GITHUB_OUTPUT`` (no-op when it is unset)."""
    _append(env, "GITHUB_OUTPUT", format_outputs(values))


def write_summary(env: Mapping[str, str], markdown: str) -> None:
    """Append Markdown to the job summary, ``GITHUB_STEP_SUMMARY`` (no-op when it is unset)."""
    if markdown and not markdown.endswith("\n"):
        markdown += "\n"  # the next step's summary must start on a line of its own
    _append(env, "GITHUB_STEP_SUMMARY", markdown)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each non-empty secret replaced by ``***``.

    Longest first, so a secret that contains another is hidden whole rather than leaving
    its remainder in view.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def progress_outputs(progress: Progress) -> dict[str, int]:
    """The outputs of ``status`` and ``render``: what the commit message is built from."""
    return {
        "percent": progress.percent,
        "done": progress.done,
        "total": progress.total,
        "countable": progress.countable,
    }


def sync_outputs(summary: Summary) -> dict[str, int]:
    """The outputs of ``sync``: how many issues it created, updated, closed and reopened."""
    return {
        "created": summary.created,
        "updated": summary.updated,
        "closed": summary.closed,
        "reopened": summary.reopened,
    }


def progress_summary(progress: Progress) -> str:
    """The job summary of ``status`` and ``render``: overall percent and a table per phase."""
    title = escape_markdown(progress.roadmap.title or "Roadmap")
    lines = [
        f"### {title}: {progress.fraction}{progress.skipped_note}",
        "",
        "| Phase | Progress | Done | In progress | Skipped | To do |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for phase in progress.phases:
        name = escape_markdown(f"Phase {phase.phase.number}: {phase.phase.name}")
        lines.append(
            f"| {name} | `{bar(phase.percent, 10)}` {phase.percent}% "
            f"| {phase.done}/{phase.countable} | {phase.in_progress} | {phase.skipped} "
            f"| {phase.todo} |"
        )
    if progress.missing:
        have = "item has" if progress.missing == 1 else "items have"
        lines += ["", f"{progress.missing} {have} no issue yet: run `roadmap-sync sync`."]
    return "\n".join(lines) + "\n"
