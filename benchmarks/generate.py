"""Synthetic roadmaps of any size, and the edit the "5 edits" scenario makes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from roadmap_sync.model.roadmap import Item, Kind, Phase, Roadmap

TITLE = "Generated benchmark roadmap"


def _layout(items: int, phases: int) -> Iterator[tuple[int, list[int], list[int]]]:
    """(phase number, topic numbers, project numbers): every third item is a project."""
    per_phase, extra = divmod(items, phases)
    n = 0
    for p in range(1, phases + 1):
        numbers = range(n + 1, n + per_phase + (p <= extra) + 1)
        n = numbers[-1] if numbers else n
        yield p, [i for i in numbers if i % 3], [i for i in numbers if not i % 3]


def _item_id(n: int) -> str:
    return f"item-{n:06d}"


def _item_title(n: int) -> str:
    return f"Generated item number {n}"


def roadmap_yaml(items: int, phases: int) -> str:
    """A valid roadmap.yaml with ``items`` uniquely-id'd items spread over ``phases`` phases."""
    lines = [f"title: {TITLE}", f"goal: {items} items in {phases} phases", "phases:"]
    for p, topics, projects in _layout(items, phases):
        lines += [
            f"  - id: phase-{p:03d}",
            f"    name: Generated phase {p}",
            f"    tagline: Part {p}",
            "    focus: Volume",
            "    outcome: A large roadmap",
        ]
        for key, numbers in (("topics", topics), ("projects", projects)):
            if numbers:
                lines.append(f"    {key}:")
            for n in numbers:
                lines += [f"      - id: {_item_id(n)}", f"        title: {_item_title(n)}"]
    return "\n".join(lines) + "\n"


def roadmap_model(items: int, phases: int) -> Roadmap:
    """What ``roadmap.loads(roadmap_yaml(items, phases))`` returns, built directly.

    The plan-only benchmark goes past the loader's 5 MiB file limit (100,000 items) and
    measures desired + diff, not YAML parsing.
    """
    built = []
    for p, topics, projects in _layout(items, phases):
        built.append(
            Phase(
                id=f"phase-{p:03d}",
                number=p,
                name=f"Generated phase {p}",
                tagline=f"Part {p}",
                focus="Volume",
                outcome="A large roadmap",
                topics=tuple(Item(_item_id(n), _item_title(n), Kind.TOPIC) for n in topics),
                projects=tuple(Item(_item_id(n), _item_title(n), Kind.PROJECT) for n in projects),
            )
        )
    return Roadmap(TITLE, tuple(built), goal=f"{items} items in {phases} phases")


_TITLE = re.compile(r"^([ \t]+title: )(.+)$", re.MULTILINE)


def edit_titles(text: str, count: int) -> str:
    """Append " (revised)" to the titles of the first ``count`` items (not the roadmap's)."""
    done = 0

    def revise(match: re.Match[str]) -> str:
        nonlocal done
        if done >= count:
            return match.group(0)
        done += 1
        title = match.group(2)
        if title.startswith('"') and title.endswith('"'):
            return f'{match.group(1)}"{title[1:-1]} (revised)"'
        return f"{match.group(1)}{title} (revised)"

    edited = _TITLE.sub(revise, text)
    if done != count:
        raise ValueError(f"only {done} item titles found, wanted {count}")
    return edited
