"""Prerequisites between items (``needs:``), checked as a graph: every need names a real item,
no item needs itself or the same item twice, there is no cycle, and GitHub's limit of 50
issues per relationship holds both ways. Each problem comes with its position and the fix."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping

from ..errors import Problem
from .roadmap import Item
from .yamlnodes import Located, Path

MAX_EDGES = 50  # GitHub: at most 50 issues per relationship type ("blocked by", "blocking")


def needs_problems(items: list[tuple[Item, Path]], located: Located, file: str) -> list[Problem]:
    """Every problem with the items' needs; ``items`` in file order with where each stands."""
    ids = {item.id for item, _ in items}
    renamed = {old: item.id for item, _ in items for old in item.was}
    problems: list[Problem] = []
    graph: dict[str, list[str]] = {}
    for item, path in items:
        if item.id in graph:
            continue  # a duplicate id, reported where ids are claimed
        graph[item.id] = []
        first: dict[str, int] = {}
        for index, need in enumerate(item.needs):
            line, col = located.at((*path, "needs", index))
            if need == item.id:
                msg = f"needs: {need!r} is this item itself; an item cannot need itself"
            elif need in first:
                msg = f"needs: {need!r} is listed twice (also on line {first[need]}); list it once"
            elif need not in ids:
                msg = f"needs: no item {need!r}; {_fix(need, ids, renamed)}"
            else:
                first[need] = line
                graph[item.id].append(need)
                continue
            problems.append(Problem(file, line, col, msg))
        if len(first) > MAX_EDGES:
            msg = f"needs: {len(first)} items, over the {MAX_EDGES} one issue can be blocked by on "
            msg += "GitHub; keep the direct prerequisites"
            problems.append(Problem(file, *located.at((*path, "needs"), key=True), msg))
    needed = Counter(need for needs in graph.values() for need in needs)
    where = {item.id: path for item, path in reversed(items)}
    for need, count in sorted(needed.items()):
        if count > MAX_EDGES:
            msg = f"{count} items need {need!r}, over the {MAX_EDGES} issues one issue can block "
            msg += "on GitHub; let later items need the ones in between instead"
            problems.append(Problem(file, *located.at((*where[need], "id")), msg))
    for cycle in cycles(graph):
        start, after = cycle[0], cycle[1]
        item_path = where[start]
        index = next(i for i, need in enumerate(_item_needs(items, start)) if need == after)
        line, col = located.at((*item_path, "needs", index))
        msg = f"needs: {' → '.join(cycle)} is a cycle; remove one of these needs"
        problems.append(Problem(file, line, col, msg))
    return problems


def _item_needs(items: list[tuple[Item, Path]], item_id: str) -> tuple[str, ...]:
    return next(item.needs for item, _ in items if item.id == item_id)


def _fix(need: str, ids: set[str], renamed: Mapping[str, str]) -> str:
    if need in renamed:
        return f"it is now {renamed[need]!r} (see its `was`); write {renamed[need]}"
    close = difflib.get_close_matches(need, sorted(ids), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else "use the id of an item of this roadmap"


def cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of items, each written ``a, b, …, a`` from the
    group's first item in file order (``graph`` keeps file order), following needs in order."""
    order = {node: index for index, node in enumerate(graph)}
    found = []
    for group in _strongly_connected(graph):
        if len(group) < 2:
            continue
        start = min(group, key=order.__getitem__)
        found.append(_path_back(graph, start, group))
    return sorted(found, key=lambda cycle: order[cycle[0]])


def _path_back(graph: Mapping[str, list[str]], start: str, group: set[str]) -> list[str]:
    """The shortest way from ``start`` back to itself inside its group (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for need in graph[node]:
                if need == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
                if need in group and need not in previous:
                    previous[need] = node
                    following.append(need)
        frontier = following
    raise AssertionError("a strongly connected group has a way back")


def _strongly_connected(graph: Mapping[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (a long chain of needs must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if child < len(edges):
                work.append((node, child + 1))
                need = edges[child]
                if need not in index:
                    work.append((need, 0))
                elif need in on_stack:
                    low[node] = min(low[node], index[need])
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups
