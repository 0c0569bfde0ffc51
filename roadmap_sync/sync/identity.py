"""Which issue is an item's: the markers in issue bodies and milestone descriptions, reading a
body back, and the one lookup from an item to its issue (pure).

Every part of the tool that needs an item's issue (sync, status and render, the mark commands,
migrate) asks :func:`issue_of` on an :class:`IssueIndex`, so they can never disagree about it.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import RoadmapSyncError
from ..model.markdown import Fences
from ..model.roadmap import Item, Roadmap
from ..trackers.base import RemoteIssue

ITEM_MARKER = "<!-- roadmap-sync:item={id} -->"
PHASE_MARKER = "<!-- roadmap-sync:phase={id} -->"
END_MARKER = "<!-- roadmap-sync:end -->"
LIST_IDS = "`roadmap-sync status --items` lists them"

_MARKER_RE = re.compile(r"<!-- roadmap-sync:(item|phase)=([a-z0-9][a-z0-9-]*) -->")
_PHASE_MARKER_RE = re.compile(r"<!-- roadmap-sync:phase=([a-z0-9][a-z0-9-]*) -->")
_ISSUE_REF = re.compile(r"#?([0-9]+)")


def inert(text: object) -> str:
    """Roadmap text as it goes into a body: an HTML comment opener in it could pose as a
    marker (or end the managed block early), so it is shown as text instead."""
    return str(text).replace("<!--", "&lt;!--").replace("-->", "--&gt;")


def parent_key(phase_id: str) -> str:
    """The identity of a phase's parent issue among issue ids (item ids never hold a colon)."""
    return f"phase:{phase_id}"


def is_parent_key(key: str) -> bool:
    """Whether an issue id is a phase parent's (``parent_key``), not an item's."""
    return ":" in key


@dataclass(frozen=True, slots=True)
class ParsedBody:
    """What an issue body says about itself: its item id, managed block and the user's text.

    ``conflict`` is set when the body names more than one item (or its block never ends):
    such a body is reported and never rewritten.
    """

    item_id: str | None
    block: str = ""
    rest: str = ""
    conflict: str = ""


def parse_body(body: str | None) -> ParsedBody:
    """Find the item marker, strictly: only as the body's first line, never in code or quotes."""
    if not body:
        return ParsedBody(None)
    text = body.replace("\r\n", "\n")
    first, _, _ = text.partition("\n")
    match = _MARKER_RE.fullmatch(first.rstrip())
    if not match:
        return ParsedBody(None)
    kind, ident = match.groups()
    item_id = ident if kind == "item" else parent_key(ident)
    end = text.find(END_MARKER)
    if end < 0:
        return ParsedBody(item_id, conflict="the managed block has no end marker")
    # The usual body names its item once; only a second occurrence needs the careful scan.
    marks = text.count("<!-- roadmap-sync:item=") + text.count("<!-- roadmap-sync:phase=")
    if marks > 1 and len(_markers_outside_code(text)) > 1:
        return ParsedBody(item_id, conflict="the body carries more than one roadmap-sync marker")
    block = text[: end + len(END_MARKER)]
    return ParsedBody(item_id, block=block, rest=text[end + len(END_MARKER) :])


def _markers_outside_code(text: str) -> list[tuple[str, str]]:
    found = []
    fences = Fences()
    for line in text.split("\n"):
        if fences.code(line):
            continue
        if line.lstrip().startswith(">") or line.startswith(("    ", "\t")):
            continue  # a quote or an indented code block
        found += _MARKER_RE.findall(line)
    return found


def phase_marker(description: str | None) -> str | None:
    """The phase id hidden in a milestone description, if any (the tool writes it last)."""
    found = _PHASE_MARKER_RE.findall(description or "")
    return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class IssueIndex:
    """Managed issues grouped by the item id in their marker, oldest first.

    ``rests`` holds, per issue number, the user's text after the managed block, or None for
    a body in conflict (which is never rewritten).
    """

    by_id: Mapping[str, tuple[RemoteIssue, ...]]
    rests: Mapping[int, str | None]
    conflicts: tuple[str, ...]

    def candidates(self, item_id: str, former_ids: tuple[str, ...] = ()) -> list[RemoteIssue]:
        """Every issue of an item, under its id or a former one (`was:`), oldest first.

        The first is the item's issue; any other open one is a duplicate.
        """
        found = {i.number: i for ident in (item_id, *former_ids) for i in self.by_id.get(ident, ())}
        return [found[number] for number in sorted(found)]


def index_issues(issues: tuple[RemoteIssue, ...]) -> IssueIndex:
    """Group issues by the item marker on their body's first line.

    A body in conflict (a second marker, no end marker) still belongs to its item, so it is
    never taken for missing and duplicated; its ``rest`` is None: the body is not rewritten.
    """
    by_id: dict[str, list[RemoteIssue]] = defaultdict(list)
    rests = {}
    conflicts = []
    for issue in sorted(issues, key=lambda i: i.number):
        parsed = parse_body(issue.body)
        if parsed.item_id is None:
            continue
        if parsed.conflict:
            conflicts.append(f"issue #{issue.number}: {parsed.conflict}; its body is left as it is")
        rests[issue.number] = None if parsed.conflict else parsed.rest
        by_id[parsed.item_id].append(issue)
    grouped = {key: tuple(value) for key, value in by_id.items()}
    return IssueIndex(grouped, rests, tuple(conflicts))


def issue_of(index: IssueIndex, item: Item) -> RemoteIssue | None:
    """The item's issue: the oldest carrying its id or one of its former ids; None if none."""
    candidates = index.candidates(item.id, item.was)
    return candidates[0] if candidates else None


def find_item(roadmap: Roadmap, index: IssueIndex, ref: str) -> Item:
    """The item a learner means by ``ref``: its id, its issue's number (``12`` or ``#12``) or
    its exact title; otherwise an error with a did-you-mean that names how to list the ids."""
    items = {item.id: item for item in roadmap.items}
    if ref in items:
        return items[ref]
    number = _ISSUE_REF.fullmatch(ref.strip())
    if number:
        wanted = int(number.group(1))
        for item in roadmap.items:
            issue = issue_of(index, item)
            if issue is not None and issue.number == wanted:
                return item
        msg = f"issue #{wanted} is not the issue of any item in {roadmap.path}; {LIST_IDS}"
        raise RoadmapSyncError(msg)
    by_title = [item for item in roadmap.items if item.title.casefold() == ref.strip().casefold()]
    if len(by_title) == 1:
        return by_title[0]
    if by_title:
        ids = ", ".join(item.id for item in by_title)
        raise RoadmapSyncError(f"{len(by_title)} items are titled {ref!r}; name one by id: {ids}")
    names = [*items, *(item.title for item in roadmap.items)]
    close = difflib.get_close_matches(ref, names, n=1, cutoff=0.5)
    hint = f"did you mean {_id_of(close[0], roadmap)!r}? " if close else ""
    raise RoadmapSyncError(f"no item {ref!r} in {roadmap.path}; {hint}{LIST_IDS}")


def _id_of(name: str, roadmap: Roadmap) -> str:
    for item in roadmap.items:
        if name in (item.id, item.title):
            return item.id
    return name
