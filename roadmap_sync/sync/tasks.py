"""The "Done when" checklist in an issue's managed block, and the learner's ticks in it (pure).

The tool writes every box unticked; ticking is the learner's, on GitHub (which rewrites
``- [ ]`` to ``- [x]`` in the body) or with ``roadmap-sync tick``. A sync carries each tick
over to the rewritten block while the task's text is unchanged (compared by ``task_key``:
ignoring surrounding whitespace and case); it never unticks a box and never adds a tick.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model.roadmap import task_key
from .identity import inert, parse_body

HEADING = "### Done when"
_TASK = re.compile(r"- \[([ xX])\] (.*)")


def _task_lines(block: str) -> list[tuple[int, bool, str]]:
    """(line index, ticked, text) of each task of the block's checklist, in order."""
    lines = block.split("\n")
    try:
        start = lines.index(HEADING) + 1
    except ValueError:
        return []
    found = []
    for index in range(start, len(lines)):
        line = lines[index].rstrip()
        match = _TASK.fullmatch(line)
        if match:
            found.append((index, match.group(1) != " ", match.group(2)))
        elif line or found:
            break  # the blank line under the heading, then the list, then its end
    return found


def ticked(block: str) -> frozenset[str]:
    """The keys of the ticked tasks in a managed block."""
    return frozenset(task_key(text) for _, tick, text in _task_lines(block) if tick)


def with_ticks(block: str, keys: frozenset[str]) -> str:
    """The block with the boxes of exactly the tasks whose keys are given ticked."""
    lines = block.split("\n")
    for index, _, text in _task_lines(block):
        box = "x" if task_key(text) in keys else " "
        lines[index] = f"- [{box}] {text}"
    return "\n".join(lines)


def count_ticked(tasks: Iterable[str], block: str) -> int:
    """How many of an item's tasks (roadmap text) are ticked in its issue's block."""
    keys = ticked(block)
    return sum(1 for task in tasks if task_key(inert(task)) in keys)


def set_tick(block: str, task: str, tick: bool) -> str | None:
    """The block with one task's box set; None when the block does not list that task (the
    issue is older than the roadmap: a sync writes it)."""
    key = task_key(inert(task))
    keys = ticked(block)
    if key not in {task_key(text) for _, _, text in _task_lines(block)}:
        return None
    return with_ticks(block, keys | {key} if tick else keys - {key})


def merged_body(block: str, current: str | None) -> str | None:
    """The body to write for an issue whose managed block should be ``block``: the block with
    the ticks the current body has, then the learner's notes below it. None when the current
    body is not ours to rewrite (no marker, or in conflict)."""
    parsed = parse_body(current)
    if parsed.item_id is None or parsed.conflict:
        return None
    return with_ticks(block, ticked(parsed.block)) + parsed.rest
