"""Progress → the README section between the roadmap-sync markers, spliced in byte for byte."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import burnup
from .errors import RoadmapSyncError
from .progress import Progress

START = "<!-- roadmap-sync:start -->"
END = "<!-- roadmap-sync:end -->"
TEMPLATE = "readme_section.md.j2"

ZWJ = "\u200d"
# Line and paragraph breaks become spaces: every piece of user text sits on one line
# (a heading, a table cell, a task-list item), and a newline there would break out of it.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")
# Bidi embeddings, overrides, isolates and marks can make text read differently from what
# it is ("Trojan Source"); they have no business in a roadmap title.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# GitHub turns @name into a mention, #12 and GH-12 into issue links, and (with the autolink
# extension) www., scheme:// and e-mail addresses into links. A zero-width joiner keeps the
# text as it reads while breaking each pattern; "<!--" and "-->" are split the same way so
# user text can never open a comment or complete a marker.
_NEUTRAL = (
    (re.compile(r"<!--"), f"<!{ZWJ}--"),
    (re.compile(r"-->"), f"-{ZWJ}->"),
    (re.compile(r"@"), f"@{ZWJ}"),
    (re.compile(r"#(?=\d)"), f"#{ZWJ}"),
    (re.compile(r"(?i)(?<=gh)-(?=\d)"), f"{ZWJ}-"),
    (re.compile(r":(?=//)"), f":{ZWJ}"),
    (re.compile(r"(?i)(?<=www)\."), f"{ZWJ}."),
)
# Every character that means something in GitHub Markdown inline text: links and images
# ([ ]), emphasis (* _), strikethrough (~), code (`), raw HTML and autolinks (< >), table
# cells (|), closing heading hashes (#), math ($), escapes themselves (\) and entities
# (& only where one could start: "A & B" stays readable in the raw README).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$]|&(?=[A-Za-z0-9#]))")
_ISSUE_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def _plain(text: object) -> str:
    """User text on one line, without control or bidi characters, its patterns neutralised."""
    flat = _BREAKS.sub(" ", str(text))
    kept = "".join(c for c in flat if c not in _BIDI and unicodedata.category(c) != "Cc")
    out = re.sub(r" {2,}", " ", kept).strip()
    for pattern, replacement in _NEUTRAL:
        out = pattern.sub(replacement, out)
    return out


def escape_markdown(text: object) -> str:
    """User text made inert for Markdown: it renders as the same words, and nothing else."""
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def escape_html(text: object) -> str:
    """User text made inert inside raw HTML (``<summary>``), where Markdown is not parsed."""
    plain = _plain(text)
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar(percent: int, width: int = 20) -> str:
    """A text progress bar, e.g. ``█████░░░░░`` for 50% of 10 cells (full cells round down)."""
    filled = max(0, min(width, percent * width // 100))
    return "█" * filled + "░" * (width - filled)


def issue_url(url: str) -> str:
    """The URL when it is a plain http(s) URL that is safe inside ``(…)``, else ``""``."""
    return url if _ISSUE_URL.fullmatch(url) else ""


def url_path(path: str) -> str:
    """A path or URL percent-encoded for a Markdown link destination (spaces, parentheses)."""
    return quote(path, safe="/:?=&%#+,;@~!$'*")


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
    return resources.files("roadmap_sync").joinpath(f"templates/{TEMPLATE}").read_text("utf-8")


@lru_cache(maxsize=8)
def _compile(source: str) -> jinja2.Template:
    # Compiling takes far longer than rendering; status, render and --check reuse it.
    return _environment().from_string(source)


def render_section(
    progress: Progress,
    *,
    badge: str | None = ".github/badges/progress.svg",
    template: str | None = None,
) -> str:
    """The README section, start and end marker lines included, ending with a newline.

    ``badge`` is the badge image's path relative to the README (None: no image);
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
        "pace": burnup.sentence(burnup.readme_pace(progress)),
        "burnup": burnup.mermaid(progress),
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
    fence = ""
    for index, line in enumerate(lines):
        content = text[line.start : line.end]
        if index == 0:
            content = content.removeprefix("\ufeff")
        opening = _FENCE.fullmatch(content)
        if fence:
            if opening and _closes(opening, fence):
                fence = ""
            continue
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
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


def _closes(opening: re.Match[str], fence: str) -> bool:
    # A closing fence: the same character, at least as long, and nothing after it.
    chars, rest = opening.group(1), opening.group(2)
    return chars[0] == fence[0] and len(chars) >= len(fence) and not rest.strip(" \t")


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


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write the file only if its content differs; return whether it was written.

    Text is written as UTF-8 bytes with no newline translation (read the README with
    ``path.read_bytes().decode()``, not ``read_text()``, or CRLF becomes LF). The new
    content goes to a temporary file in the same directory, is fsynced and then renamed
    over the old one, so a reader sees the old file or the new one, never half of either.
    Parent directories are created; a symlink is followed; the file's mode is kept.
    An OS failure (permissions, a directory in the way) raises RoadmapSyncError.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(path))
    try:
        try:
            if target.read_bytes() == raw:
                return False
            mode: int | None = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, raw, mode)
    except OSError as exc:
        raise RoadmapSyncError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True


def _replace(target: Path, raw: bytes, mode: int | None) -> None:
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write through a file (or link) someone else put there; 0o666 lets the
    # umask decide a new file's mode, as for any file the user's editor would create.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is synced; not every platform allows it.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
