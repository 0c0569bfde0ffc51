"""Progress → the README section between the roadmap-sync markers, spliced in byte for byte
(pure: the caller reads and writes the file)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import RoadmapSyncError
from ..model.markdown import Fences
from . import burnup, pace
from .next_up import next_items
from .progress import Progress
from .text import bar, escape_html, escape_markdown, issue_url, url_path

START = "<!-- roadmap-sync:start -->"
END = "<!-- roadmap-sync:end -->"
TEMPLATE = "readme_section.md.j2"


@cache
def _environment() -> SandboxedEnvironment:
    # The sandbox because users may pass their own template; StrictUndefined so that both a
    # typo and an unsafe attribute (which the sandbox turns into an Undefined) fail loudly.
    env = SandboxedEnvironment(
        autoescape=False,  # Markdown, not HTML: escaping is the md and html filters' job
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=escape_markdown, html=escape_html, bar=bar, issue_url=issue_url, url_path=url_path
    )
    return env


@cache
def _shipped_template() -> str:
    files = resources.files("roadmap_sync.report")
    return files.joinpath(f"templates/{TEMPLATE}").read_text("utf-8")


@lru_cache(maxsize=8)
def _compile(source: str) -> jinja2.Template:
    # Compiling takes far longer than rendering; status, render and --check reuse it.
    return _environment().from_string(source)


def render_section(
    progress: Progress,
    *,
    badge: str | None = ".github/badges/progress.svg",
    template: str | None = None,
    pictures: Mapping[str, str] | None = None,
) -> str:
    """The README section, start and end marker lines included, ending with a newline.

    ``badge`` is the badge image's path relative to the README (None: no image); ``pictures``
    the paths of the map, calendar and card (keys ``map``, ``calendar``, ``card``; None: none);
    ``template`` is the text of a user template, run in Jinja2's sandbox like the shipped one.
    The markers are added here, around the template's output, so no template can lose them.
    The pace sentence and the Mermaid burn-up come from the issues' closing dates, the pace
    as of the latest one, so the same state renders the same bytes on any day.
    """
    source = _shipped_template() if template is None else template
    context = {
        "progress": progress,
        "roadmap": progress.roadmap,
        "badge": badge,
        "pace": pace.sentence(pace.readme_pace(progress)),
        "burnup": burnup.mermaid(progress),
        "next_up": next_items(progress),
        "pictures": dict(pictures) if pictures else None,
    }
    try:
        body = _compile(source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RoadmapSyncError(f"template line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:  # SecurityError and UndefinedError among them
        raise RoadmapSyncError(f"template: {_first_line(exc)}") from None
    except Exception as exc:
        if template is None:
            raise  # the shipped template failing is our bug: show the traceback
        # A user template can fail in Python too ({{ 1/0 }}, a range over the sandbox's limit).
        raise RoadmapSyncError(f"template: {type(exc).__name__}: {_first_line(exc)}") from None
    body = body.replace("\r\n", "\n").strip("\n")
    for number, line in enumerate(body.split("\n"), 1):
        if START in line or END in line:
            msg = f"template output line {number} holds a roadmap-sync marker; "
            raise RoadmapSyncError(msg + "remove it, the markers are added around the output")
    return f"{START}\n{body}\n\n{END}\n"


def _first_line(exc: Exception) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a text: where it starts and where its content ends (before CR LF or LF)."""

    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    while pos < len(text):
        newline = text.find("\n", pos)
        nxt = len(text) if newline < 0 else newline + 1
        end = nxt - 1 if newline >= 0 else nxt
        if end > pos and text[end - 1] == "\r":
            end -= 1
        lines.append(_Line(pos, end))
        pos = nxt
    return lines


def _markers(text: str, lines: list[_Line]) -> tuple[list[int], list[int]]:
    """Indexes of the real start and end marker lines: alone on their line, indented by at
    most three spaces (four make an indented code block), and outside fenced code."""
    starts: list[int] = []
    ends: list[int] = []
    fences = Fences()
    for index, line in enumerate(lines):
        content = text[line.start : line.end]
        if index == 0:
            content = content.removeprefix("\ufeff")
        if fences.code(content):
            continue
        bare = content.rstrip(" \t")
        stripped = bare.lstrip(" ")
        if len(bare) - len(stripped) > 3:
            continue
        if stripped == START:
            starts.append(index)
        elif stripped == END:
            ends.append(index)
    return starts, ends


def _span(text: str, name: str) -> tuple[int, int] | None:
    """The span from the start of the start marker line to the end of the end marker (its
    line ending excluded), None without markers; an error for any other arrangement."""
    lines = _lines(text)
    starts, ends = _markers(text, lines)
    if not starts and not ends:
        return None
    fix = f"keep one {START} line and one {END} line below it"
    for which, found in (("start", starts), ("end", ends)):
        if len(found) > 1:
            where = ", ".join(str(i + 1) for i in found)
            raise RoadmapSyncError(f"{name}: the {which} marker is on lines {where}; {fix}")
    if not ends:
        line = starts[0] + 1
        msg = f"{name}: line {line}: the start marker has no end marker; add {END} below it"
        raise RoadmapSyncError(msg)
    if not starts:
        line = ends[0] + 1
        msg = f"{name}: line {line}: the end marker has no start marker; add {START} above it"
        raise RoadmapSyncError(msg)
    start, end = starts[0], ends[0]
    if end < start:
        msg = f"{name}: the end marker (line {end + 1}) comes before the start marker "
        raise RoadmapSyncError(msg + f"(line {start + 1}); swap them")
    begin = lines[start].start
    if begin == 0 and text.startswith("\ufeff"):
        begin = 1  # a byte order mark is not part of the marker line: keep it
    return begin, lines[end].end


def has_section(readme: str, name: str = "README.md") -> bool:
    """Whether the README holds a roadmap-sync section (markers outside code); an error names
    the lines of doubled, lone or reversed markers."""
    return _span(readme, name) is not None


def _newline(text: str, at: int = 0) -> str:
    """The line ending the text uses from ``at`` on (the first one found), LF by default."""
    newline = text.find("\n", at)
    if newline < 0:
        newline = text.find("\n")
    return "\r\n" if newline > 0 and text[newline - 1] == "\r" else "\n"


def splice(readme: str | None, section: str, *, name: str = "README.md") -> tuple[str, str | None]:
    """Put the section between the README's markers; returns (new text, notice or None).

    Every byte outside the markers is kept, and the section takes the README's line
    endings. A missing README becomes the section; one without markers gets the section
    appended after a blank line, with a notice. Doubled, reversed or lone markers raise
    RoadmapSyncError naming the lines. Marker lines inside code blocks are not markers.
    ``name`` is how messages call the README.
    """
    section = section.replace("\r\n", "\n")
    if readme is None:
        _verify(section, "", section[len(section.rstrip("\n")) :], name)
        return section, None
    span = _span(readme, name)
    if span is None:
        newline = _newline(readme)
        text = section.replace("\n", newline)
        if not readme:
            before, after = "", newline
        elif readme.endswith(newline * 2):
            before, after = readme, newline
        elif readme.endswith("\n"):
            before, after = readme + newline, newline
        else:
            # No final newline before: none after either, as the README had it.
            before, after = readme + newline * 2, ""
        result = before + text.removesuffix(newline) + after
        _verify(result, before, after, name)
        notice = f"{name} had no roadmap-sync markers: the section was appended at the end"
        return result, notice
    begin, finish = span
    text = section.rstrip("\n").replace("\n", _newline(readme, begin))
    result = readme[:begin] + text + readme[finish:]
    _verify(result, readme[:begin], readme[finish:], name)
    return result, None


def _verify(result: str, before: str, after: str, name: str) -> None:
    """Parse the result again: one start and one end marker, and exactly the expected text
    around them; otherwise raise (nothing is written)."""
    problem = f"{name}: the roadmap-sync section could not be placed safely"
    hint = "is a ``` or ~~~ code fence left open?"
    try:
        span = _span(result, name)
    except RoadmapSyncError as exc:
        raise RoadmapSyncError(f"{problem} ({exc}); {hint}") from None
    if span is None:
        raise RoadmapSyncError(f"{problem}: its markers would be inside a code block; {hint}")
    begin, finish = span
    if result[:begin] != before or result[finish:] != after:
        raise RoadmapSyncError(f"{problem}: the text around it would change")
