"""Prerequisites as GitHub's native dependencies: each ``needs:`` entry is a "blocked by"
between two managed issues. The tool owns exactly the dependencies between two of its item
issues; one that involves any other issue is never touched.

Reading every issue's blocked-by list would cost a request per issue on each sync. Instead
the issue list's ``issue_dependencies_summary.total_blocked_by`` is compared with the number
of needs the roadmap states, and only an issue where they differ has its list read
(:func:`to_read` says which; ``cli.syncing.current`` reads them, as IO stays at the edge);
``check_all`` reads every issue with needs. The trade-off: a dependency changed by hand so
that the count stays the same is only repaired by a sync with ``--check-dependencies``, and
an issue that a non-roadmap issue also blocks costs one read on every sync.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..trackers.base import RemoteIssue, Snapshot
from .changes import Action, DependencyChange
from .desired import Desired
from .identity import IssueIndex, index_issues, is_parent_key


def _keepers(desired: Desired, index: IssueIndex) -> dict[str, RemoteIssue]:
    """Each item's issue (specs of phase parents have no needs and are left out)."""
    found = {}
    for spec in desired.issues:
        if not spec.parent:
            candidates = index.candidates(spec.item_id, spec.former_ids)
            if candidates:
                found[spec.item_id] = candidates[0]
    return found


def _item_issues(index: IssueIndex) -> dict[int, str]:
    """GitHub id → item id of every issue carrying an item marker: the issues the tool owns
    the dependencies between (phase parents' markers hold a colon)."""
    return {
        issue.id: item_id
        for item_id, issues in index.by_id.items()
        if not is_parent_key(item_id)
        for issue in issues
    }


def to_read(
    desired: Desired, snapshot: Snapshot, check_all: bool = False
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The numbers of the issues whose blocked-by lists, and whose blocking lists, must be
    read before planning.

    Blocked-by: an item's issue whose count of blockers differs from its needs (every one with
    needs when ``check_all``). Both: an item issue that is no item's issue any more (the item
    left, or it is a duplicate) and still takes part in a dependency, which is then the
    tool's to remove.
    """
    index = index_issues(snapshot.issues)
    keepers = _keepers(desired, index)
    wanted = Counter(item for item, _ in desired.needs)
    blocked_by, blocking = set(), set()
    for item_id, issue in keepers.items():
        if issue.blocked_by is not None:
            continue
        if issue.blocked_by_total != wanted[item_id] or (check_all and wanted[item_id]):
            blocked_by.add(issue.number)
    live = {issue.number for issue in keepers.values()}
    for item_id, issues in index.by_id.items():
        for issue in issues:
            if issue.number in live or is_parent_key(item_id):
                continue
            if issue.blocked_by is None and issue.blocked_by_total:
                blocked_by.add(issue.number)
            if issue.blocking is None and issue.blocking_total:
                blocking.add(issue.number)
    return tuple(sorted(blocked_by)), tuple(sorted(blocking))


def changes(desired: Desired, snapshot: Snapshot) -> list[DependencyChange]:
    """The links the roadmap states and the issues lack, then the links between two item
    issues that it does not state (a need dropped, an item gone, a duplicate's). An issue
    whose list was not read is taken to be right: its count agreed with the roadmap."""
    index = index_issues(snapshot.issues)
    keepers = _keepers(desired, index)
    item_of_id = {issue.id: item_id for item_id, issue in keepers.items()}
    owned = _item_issues(index)
    wanted = set(desired.needs)
    result = []
    for item_id, need in desired.needs:
        issue, blocker = keepers.get(item_id), keepers.get(need)
        if (
            issue is not None
            and blocker is not None
            and (issue.blocked_by is None or blocker.id in issue.blocked_by)
        ):
            continue
        result.append(
            DependencyChange(
                Action.LINK,
                item_id,
                need,
                number=issue.number if issue else None,
                blocker_number=blocker.number if blocker else None,
                blocker_id=blocker.id if blocker else None,
            )
        )
    numbers = {issue.id: issue.number for issue in snapshot.issues}
    # Every dependency between two item issues that was read, as (blocked, blocker) ids.
    read: set[tuple[int, int]] = set()
    for issue in snapshot.issues:
        read.update((issue.id, blocker) for blocker in issue.blocked_by or ())
        read.update((blocked, issue.id) for blocked in issue.blocking or ())
    for blocked_id, blocker_id in sorted(read, key=lambda ids: (numbers.get(ids[0], 0), ids)):
        if blocked_id not in owned or blocker_id not in owned:
            continue  # an issue the tool does not manage: never touched
        blocked_item, blocker_item = item_of_id.get(blocked_id), item_of_id.get(blocker_id)
        if blocked_item is not None and (blocked_item, blocker_item) in wanted:
            continue
        result.append(
            DependencyChange(
                Action.UNLINK,
                blocked_item or owned[blocked_id],
                blocker_item or owned[blocker_id],
                number=numbers.get(blocked_id),
                blocker_number=numbers.get(blocker_id),
                blocker_id=blocker_id,
            )
        )
    return result


def resolved(change: DependencyChange, created: Mapping[str, RemoteIssue]) -> tuple[int, int]:
    """(blocked issue's number, blocker's GitHub id) of a change, either end possibly created
    earlier in the same run."""
    number = change.number if change.number is not None else created[change.item_id].number
    blocker = change.blocker_id if change.blocker_id is not None else created[change.need_id].id
    return number, blocker
