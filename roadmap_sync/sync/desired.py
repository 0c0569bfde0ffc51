"""Roadmap → the labels, milestones and issues that should exist (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import PureWindowsPath

import jinja2

from ..errors import Problem, RoadmapError
from ..model.roadmap import Item, Kind, Phase, Roadmap
from ..trackers.base import MANAGED_LABEL, LabelSpec, MilestoneSpec
from .identity import PHASE_MARKER, inert, parent_key
from .status import IN_PROGRESS_LABEL

REMOVED_LABEL = "removed"
# Tag labels the tool creates say so, so that a tag dropped from the whole roadmap is still
# known as ours and taken off the issues that carry it.
TAG_DESCRIPTION = "Roadmap tag"
MAX_BODY = 65_536  # GitHub's limit on an issue body, in characters
MAX_BLOCK = MAX_BODY - 1024  # the rest is room for the learner's own notes below the block

# Distinct, readable colours, one per phase; they repeat after ten phases.
PHASE_COLOURS = (
    "1d76db",
    "0e8a16",
    "5319e7",
    "d93f0b",
    "006b75",
    "b60205",
    "fbca04",
    "c5def5",
    "bfd4f2",
    "f9d0c4",
)


@dataclass(frozen=True, slots=True)
class IssueSpec:
    """The issue of one item: its title, the managed block of its body and its labels."""

    item_id: str
    phase_id: str
    title: str
    block: str
    labels: tuple[str, ...]
    former_ids: tuple[str, ...] = ()
    done_hint: bool = False
    parent: bool = False


@dataclass(frozen=True, slots=True)
class Desired:
    """Everything sync makes true; ``managed_labels`` are the (lower-cased) label names whose
    presence on an issue the tool decides: any of them not in an issue's spec is removed.
    ``needs`` are the dependencies ``(item, need)``: the need's issue blocks the item's."""

    labels: tuple[LabelSpec, ...]
    milestones: tuple[MilestoneSpec, ...]
    issues: tuple[IssueSpec, ...]
    managed_labels: frozenset[str]
    sub_issues: bool = False
    needs: tuple[tuple[str, str], ...] = ()


@cache
def _macro(name: str) -> Callable[..., str]:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("roadmap_sync.sync", "templates"),
        autoescape=False,  # the output is Markdown, not HTML
        trim_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        finalize=inert,  # every value printed into a body, so no roadmap text poses as a marker
    )
    module = environment.get_template("issue_body.md.j2").module
    return getattr(module, name)  # type: ignore[no-any-return]


def issue_block(item: Item, phase: Phase, source: str) -> str:
    """The managed block of an item's issue body, from its marker to the end marker."""
    return _lines(str(_macro("issue_body")(item, phase, source)))


def phase_block(phase: Phase, source: str) -> str:
    """The managed block of a phase's parent issue (sub-issues mode)."""
    return _lines(str(_macro("phase_body")(phase, source)))


def _lines(text: str) -> str:
    # GitHub keeps a body's line breaks as sent and the web editor sends CRLF, so bodies are
    # compared with LF only; a CR from roadmap.yaml would make every sync see a change.
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def milestone_description(phase: Phase) -> str:
    """Tagline, focus and outcome, then the hidden marker that identifies the phase."""
    parts = [phase.tagline and f"{inert(phase.tagline)}."]
    parts.append(phase.focus and f"Focus: {inert(phase.focus)}.")
    parts.append(phase.outcome and f"Outcome: {inert(phase.outcome)}.")
    text = " ".join(p for p in parts if p)
    return f"{text}\n{PHASE_MARKER.format(id=phase.id)}".lstrip("\n")


def build(roadmap: Roadmap, sub_issues: bool = False) -> Desired:
    """The desired state of the tracker for this roadmap.

    With sub-issues (the flag or ``github: {sub_issues: true}``), each phase also has a
    parent issue, listed after its items, with every item's issue as its sub-issue.
    """
    sub_issues = sub_issues or roadmap.sub_issues
    labels: dict[str, LabelSpec] = {}

    def add(spec: LabelSpec) -> None:
        labels.setdefault(spec.name.lower(), spec)

    add(LabelSpec(MANAGED_LABEL, "0052cc", "Managed by roadmap-sync", own=True))
    for phase in roadmap.phases:
        colour = PHASE_COLOURS[(phase.number - 1) % len(PHASE_COLOURS)]
        add(LabelSpec(phase.label, colour, _clip(phase.title, 100), own=True))
    add(LabelSpec(Kind.TOPIC.value, "c2e0c6", "Roadmap: a topic to study"))
    add(LabelSpec(Kind.PROJECT.value, "fef2c0", "Roadmap: a project to build"))
    add(LabelSpec(IN_PROGRESS_LABEL, "fbca04", "Being worked on"))
    for item in roadmap.items:
        for tag in item.tags:
            add(LabelSpec(tag, "ededed", TAG_DESCRIPTION))
    managed = frozenset(labels) - {IN_PROGRESS_LABEL}

    # The file's name alone, split on both separators: a body written on Windows from
    # docs\roadmap.yaml must equal one written on Linux, or each would rewrite every body.
    source = PureWindowsPath(roadmap.path).name or "roadmap.yaml"
    milestones = []
    issues = []
    problems = []
    for phase in roadmap.phases:
        milestones.append(
            MilestoneSpec(phase.id, phase.title, milestone_description(phase), phase.due)
        )
        for item in phase.items:
            block = issue_block(item, phase, source)
            if len(block) > MAX_BLOCK:
                msg = f"item {item.id!r}: its issue body would be {len(block)} characters, "
                msg += f"over the {MAX_BLOCK} a managed block may have; shorten its description"
                problems.append(Problem(roadmap.path, item.line, 1, msg))
            item_labels = [MANAGED_LABEL, phase.label, item.kind.value]
            item_labels += [labels[t.lower()].name for t in item.tags]
            issues.append(
                IssueSpec(
                    item_id=item.id,
                    phase_id=phase.id,
                    title=item.title,
                    block=block,
                    labels=tuple(dict.fromkeys(item_labels)),
                    former_ids=item.was,
                    done_hint=item.done,
                )
            )
        if sub_issues:
            issues.append(
                IssueSpec(
                    item_id=parent_key(phase.id),
                    phase_id=phase.id,
                    title=phase.title,
                    block=phase_block(phase, source),
                    labels=(MANAGED_LABEL, phase.label),
                    parent=True,
                )
            )
    if problems:
        raise RoadmapError(problems)
    needs = tuple((item.id, need) for item in roadmap.items for need in item.needs)
    return Desired(
        tuple(labels.values()), tuple(milestones), tuple(issues), managed, sub_issues, needs
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
