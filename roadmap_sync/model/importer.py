"""Import a markdown checklist roadmap (the seed's shape) and write it out as roadmap.yaml.

The markdown is read line by line: a ``# Title``, a ``Goal: ...`` line, ``## Phase N: Name
(Tagline)`` headings, ``###`` sub-sections (a name containing "project" holds projects, any
other name topics), checklist bullets, and a ``| Phase | Focus | Outcome |`` summary table.
Each line is repaired with ftfy first: roadmaps pasted through a wrong encoding arrive as
mojibake (``â˜`` for ``☐``, ``â€”`` for ``—``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

import ftfy

from ..errors import Problem, RoadmapError
from .markdown import Fences
from .roadmap import Item, Kind, Phase, Resource, Roadmap, slugify
from .yamlnodes import CONTROL

MAX_TITLE = 256  # GitHub's limit on an issue title, and the schema's on a name

# Repair encodings but keep the user's typography: curly quotes are not mojibake.
_FIX = ftfy.TextFixerConfig(uncurl_quotes=False)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the breaks an editor counts, so line numbers agree
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_PHASE = re.compile(r"phase[ \t]*(\d+)[ \t]*(?:[:.)\-–—][ \t]*)?(.*)", re.IGNORECASE)
_TAGLINE = re.compile(r"(.*?)[ \t]*\(([^()]*)\)")
_TODO = re.compile(r"[ \t]*[—–\-:|][ \t]*(?:to[- ]?do(?:[ \t]+list)?|checklist)[ \t]*$", re.I)
_GOAL = re.compile(r"[> \t]*(?:[*_]{1,2})?goal(?:[*_]{1,2})?[ \t]*:(?:[*_]{1,2})?[ \t]*(.*)", re.I)
_BULLET = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*)")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SEPARATOR = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
_TASK = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
_DONE_GLYPHS = "☑☒✅✔✓"
# ☠ and U+FFFD are what a ☐ becomes when a lossy round-trip ate one of its bytes.
_OPEN_GLYPHS = "☐◻◽⬜□▢■◼⬛🔲🔳☠\ufffd"
_GLYPH = re.compile(f"([{_DONE_GLYPHS}{_OPEN_GLYPHS}])\ufe0f?[ \t]*")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Dropped from ids: they make them longer, not clearer ("e.g." slugs to "e-g").
_STOP_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "by", "from"}
    | {"as", "at", "into", "vs", "via", "e", "g", "i", "eg", "ie", "etc"}
)
_ID_WORDS = 3  # enough to read, short enough to type in `roadmap-sync done ID`


@dataclass
class _ItemDraft:
    title: str
    kind: Kind
    done: bool
    line: int
    resources: tuple[Resource, ...]
    description: list[str] = field(default_factory=list)


@dataclass
class _PhaseDraft:
    name: str
    tagline: str
    line: int
    level: int
    items: list[_ItemDraft] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    focus: str = ""
    outcome: str = ""
    label: str = ""  # the summary table's short name ("ML Essentials"): the best id source


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    label: str
    focus: str
    outcome: str


def parse_markdown(text: str, file: str) -> Roadmap:
    """Read a markdown checklist roadmap into a Roadmap with generated ids.

    Raises RoadmapError listing every problem (``FILE:LINE:COL``) when the text is empty or
    binary, has no ``## Phase N: Name`` heading, or has a phase without items.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RoadmapError([Problem(file, line, 1, "binary data (NUL byte); not a text file")])
    if not text.strip():
        msg = "the file is empty; expected a markdown checklist with '## Phase 1: Name' headings"
        raise RoadmapError([Problem(file, 1, 1, msg)])
    reader = _Reader(file)
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        fixed: str = ftfy.fix_text(raw, _FIX)  # ftfy works line by line anyway
        fixed = CONTROL.sub("", fixed)  # what ftfy keeps but a roadmap refuses (bidi overrides)
        reader.feed(number, fixed)
    return reader.finish()


class _Reader:
    """A line-at-a-time state machine; collects drafts and problems, builds at the end."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.title: tuple[int, str] | None = None
        self.goal = ""
        self.phases: list[_PhaseDraft] = []
        self.phase: _PhaseDraft | None = None  # None outside any phase (preamble, summary)
        self.kind = Kind.TOPIC
        self.item: _ItemDraft | None = None  # the item an indented prose line continues
        self.prose: list[str] | None = None  # the description the last prose line went to
        self.fences = Fences()
        self.table: list[tuple[int, str]] | None = None
        self.summary: list[_Row] | None = None
        self.problems: list[Problem] = []

    def problem(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, col, message))

    def feed(self, number: int, line: str) -> None:
        if self.fences.code(line):  # code blocks are examples, never items
            return
        is_row = line.lstrip().startswith("|")
        if self.table is not None and not is_row:
            self._end_table()
        if is_row:
            self.table = self.table if self.table is not None else []
            self.table.append((number, line))
            return
        heading = _HEADING.fullmatch(line)
        if heading:
            self.item = self.prose = None
            self._heading(number, len(heading.group(1)), heading.group(2) or "")
        elif not line.strip() or _RULE.fullmatch(line):
            if self.prose and self.prose[-1]:
                self.prose.append("")  # keep paragraphs apart
        elif self.phase is None:
            goal = _GOAL.fullmatch(line)
            if goal and not self.phases and not self.goal:
                self.goal = goal.group(1).strip().strip("*_").strip()
        elif bullet := _BULLET.fullmatch(line):
            self.prose = None
            self._item(self.phase, number, bullet)
        else:
            # Indented text under an item continues it; other prose describes the phase.
            if self.item is not None and line[:1] in " \t":
                self.prose = self.item.description
            else:
                self.item, self.prose = None, self.phase.description
            self.prose.append(line.strip())

    def _heading(self, number: int, level: int, text: str) -> None:
        clean = _plain(text)
        if level == 1 and self.title is None and not self.phases:
            self.title = (number, _TODO.sub("", clean) or clean)
            return
        phase = _PHASE.fullmatch(clean)
        if phase and level >= 2:
            rest = phase.group(2).strip()
            tagline = _TAGLINE.fullmatch(rest)
            name, motto = rest, ""
            if tagline and tagline.group(1).strip():
                name, motto = tagline.group(1).strip(), tagline.group(2).strip()
            if not name:
                self.problem(number, 1, "phase heading has no name; write '## Phase 1: Name'")
            elif len(name) > MAX_TITLE:
                self.problem(number, 1, f"phase name is over {MAX_TITLE} characters; shorten it")
            self.phase = _PhaseDraft(name=name, tagline=motto, line=number, level=level)
            self.phases.append(self.phase)
            self.kind = Kind.TOPIC  # bullets before any sub-heading are topics
        elif self.phase is not None and level > self.phase.level:
            self.kind = Kind.PROJECT if "project" in clean.casefold() else Kind.TOPIC
        else:
            self.phase = None  # a section beside the phases (summary, notes) ends the phase

    def _item(self, phase: _PhaseDraft, number: int, bullet: re.Match[str]) -> None:
        content = (bullet.group(2) or "").strip()
        col = len(bullet.group(1)) + 1
        done = False
        if task := _TASK.match(content):
            done, content = task.group(1) in "xX", content[task.end() :]
        elif glyph := _GLYPH.match(content):
            done, content = glyph.group(1) in _DONE_GLYPHS, content[glyph.end() :]
        resources = tuple(Resource(url=m[2], title=m[1].strip()) for m in _LINK.finditer(content))
        title = _LINK.sub(lambda m: m[1], content).strip()
        if not title:
            self.problem(number, col, "empty item; write its title after the bullet")
        elif len(title) > MAX_TITLE:
            msg = f"item title is {len(title)} characters, over GitHub's {MAX_TITLE}; shorten it"
            self.problem(number, col, msg)
        self.item = _ItemDraft(title, self.kind, done, number, resources)
        phase.items.append(self.item)

    def _end_table(self) -> None:
        rows, self.table = self.table or [], None
        if (
            self.summary is not None
            or len(rows) < 3
            or not _SEPARATOR.fullmatch(rows[1][1].strip())
        ):
            return
        header = [cell.casefold() for cell in _cells(rows[0][1])]
        focus, outcome = _column(header, "focus"), _column(header, "outcome")
        if focus is None and outcome is None:
            return  # some other table; only the summary fills phases
        label = _column(header, "phase") or 0
        self.summary = []
        for number, line in rows[2:]:
            cells = _cells(line)
            row = _Row(
                number,
                _plain(cells[label]) if label < len(cells) else "",
                _cell(cells, focus),
                _cell(cells, outcome),
            )
            self.summary.append(row)

    def finish(self) -> Roadmap:
        if self.table is not None:
            self._end_table()
        if not self.phases:
            msg = "no phase headings found; start each phase with '## Phase 1: Name (Tagline)'"
            self.problem(1, 1, msg)
        for phase in self.phases:
            if not phase.items:
                msg = f"phase {phase.name!r} has no items; list them as '- [ ] title' lines"
                self.problem(phase.line, 1, msg)
        self._fill_summary()
        title_line, title = self.title or (
            1,
            _plain(re.sub(r"[-_]+", " ", PurePath(self.file).stem)),
        )
        if len(title) > MAX_TITLE:
            self.problem(title_line, 1, f"title is over {MAX_TITLE} characters; shorten it")
        if self.problems:
            raise RoadmapError(sorted(set(self.problems), key=lambda p: (p.line, p.col, p.message)))
        return Roadmap(
            title=title or "Roadmap", goal=self.goal, phases=self._build(), path=self.file
        )

    def _fill_summary(self) -> None:
        rows = self.summary or []
        if len(rows) == len(self.phases):  # the seed's case: rows follow the phases in order
            pairs = list(zip(rows, self.phases, strict=True))
        else:
            pairs, free = [], list(self.phases)
            for row in rows:
                found = _find_phase(row.label, self.phases, free)
                if found is None:
                    msg = f"summary row {row.label!r} matches no phase; name it after one"
                    self.problem(row.line, 1, msg)
                    continue
                free.remove(found)
                pairs.append((row, found))
        for row, phase in pairs:
            phase.focus, phase.outcome, phase.label = row.focus, row.outcome, row.label

    def _build(self) -> tuple[Phase, ...]:
        ids = IdMaker()  # one namespace for phase and item ids: no id means two things
        phase_ids = []
        for draft in self.phases:
            label = re.sub(r"^phase\s*\d+\s*[:.\-–—]?\s*", "", draft.label, flags=re.I)
            phase_ids.append(ids.make(label if slugify(label) else draft.name, "phase"))
        phases = []
        for number, (draft, phase_id) in enumerate(
            zip(self.phases, phase_ids, strict=True), start=1
        ):
            items = [
                Item(
                    id=ids.make(d.title, d.kind.value),
                    title=d.title,
                    kind=d.kind,
                    description="\n".join(d.description).strip(),
                    resources=d.resources,
                    done=d.done,
                    line=d.line,
                )
                for d in draft.items
            ]
            phases.append(
                Phase(
                    id=phase_id,
                    number=number,
                    name=draft.name,
                    tagline=draft.tagline,
                    focus=draft.focus,
                    outcome=draft.outcome,
                    description="\n".join(draft.description).strip(),
                    topics=tuple(i for i in items if i.kind is Kind.TOPIC),
                    projects=tuple(i for i in items if i.kind is Kind.PROJECT),
                    line=draft.line,
                )
            )
        return tuple(phases)


class IdMaker:
    """Short readable ids from titles, unique among all this maker has handed out."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.suffix: dict[str, int] = {}  # next suffix per base: 10,000 clashes stay linear

    def make(self, text: str, fallback: str) -> str:
        """The first three significant words of ``text`` as a slug.

        ``Python: functions, OOP, decorators…`` gives ``python-functions-oop``; a clash gets
        ``-2``, ``-3``…; a title without ASCII letters or digits gets ``fallback``.
        """
        words = [w for w in slugify(text).split("-") if w]
        significant = [w for w in words if w not in _STOP_WORDS] or words
        base = "-".join(significant[:_ID_WORDS])[:40].strip("-") or fallback
        ident, n = base, self.suffix.get(base, 2)
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.suffix[base] = n
        self.taken.add(ident)
        return ident


def _plain(text: str) -> str:
    """Heading text without emoji or bold markers: ``🚀 **Plan**`` → ``Plan``."""
    kept = "".join(ch for ch in text if not _is_decoration(ch))
    kept = re.sub(r"(\*\*|__)(.+?)\1", r"\2", kept)
    return " ".join(kept.split()).strip("*_ ")


def _is_decoration(ch: str) -> bool:
    # Emoji are "other symbols" (So); joiners, variation selectors and skin tones glue them.
    return (
        unicodedata.category(ch) in ("So", "Co")
        or ch in "\u200d\ufe0e\ufe0f\u20e3"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
    )


def _cells(line: str) -> list[str]:
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _column(header: list[str], word: str) -> int | None:
    return next((i for i, name in enumerate(header) if word in name), None)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _find_phase(
    label: str, phases: list[_PhaseDraft], free: list[_PhaseDraft]
) -> _PhaseDraft | None:
    """The still unmatched phase a summary row names, by number, name, or a close name."""
    number = re.fullmatch(r"(?:phase\s*(\d+)\b.*|(\d+))", label.strip(), re.IGNORECASE)
    if number:
        index = int(number.group(1) or number.group(2)) - 1
        return phases[index] if 0 <= index < len(phases) and phases[index] in free else None
    key = _key(label)
    names = {_key(p.name): p for p in free}
    if key in names:
        return names[key]
    # Whole words, so that "Zeta" does not match a phase named "A".
    words = set(key.split())
    contains = [
        p
        for name, p in names.items()
        if words and name and (words <= set(name.split()) or set(name.split()) <= words)
    ]
    if contains:
        return contains[0]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None
