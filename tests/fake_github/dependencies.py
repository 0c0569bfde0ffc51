"""Issue dependencies ("blocked by" / "blocking"); requests name the blocker by issue *id*.

What GitHub documents (OpenAPI, tests/data/github-contract/README.md) and records
(pygithub-replay/IssueDependencies.*): POST .../dependencies/blocked_by {"issue_id"} answers
201 with the *blocked* issue, DELETE .../blocked_by/{issue_id} answers 200 with it, and both
lists hold the other ends. The spec lists 404 and 422 for the POST without saying which
refusal is which; the fake answers:

* 404 for an ``issue_id`` that names no (live) issue, as the sub-issue endpoints do;
* 422 for an issue blocking itself, a link that already exists, and more than 50 issues per
  relationship type per issue (GitHub's documented limit);
* 422 for a link that would close a cycle and for a pull request on either end: a guess,
  GitHub documents neither (refusing is the side that keeps clients honest);
* 404 for DELETE of a link that does not exist.

Every 422 is the generic ``Validation Failed`` with an ``errors`` entry and no message: the
wording is not documented, so no client may depend on it.

``updated_at`` does not move when a link is made or removed: the recordings show GitHub
leaving it (issue #24, created 09:43:42, kept that ``updated_at`` in the POST's answer, in a
GET a minute later and in the DELETE's answer). The issues' JSON still changes through
``issue_dependencies_summary``, so their ETags change and conditional GETs answer 200.
GitHub's summary can lag right after a change (README); the fake's is always current.
"""

from __future__ import annotations

from typing import Any

from .errors import DOC_URLS, invalid_request, not_found, validation_failed
from .models import Issue
from .subissues import SubIssueOps

MAX_PER_RELATIONSHIP = 50


class DependencyOps(SubIssueOps):
    """``Issue.blocked_by`` and ``Issue.blocking`` hold issue numbers, always symmetric."""

    def add_blocked_by(self, number: int, data: dict[str, Any]) -> Issue:
        """POST /issues/{n}/dependencies/blocked_by: ``issue_id`` now blocks issue n."""
        doc = DOC_URLS["add-blocked-by"]
        blocked = self.issue(number, doc)
        blocker = self._blocker_arg(data, doc)
        refused = (
            blocker.number == blocked.number
            or blocker.is_pull_request
            or blocked.is_pull_request
            or blocker.number in blocked.blocked_by
            or len(blocked.blocked_by) >= MAX_PER_RELATIONSHIP
            or len(blocker.blocking) >= MAX_PER_RELATIONSHIP
            or self._blocked_transitively(blocker, blocked.number)
        )
        if refused:
            raise validation_failed("Issue", "issue_id", "invalid", doc)
        blocked.blocked_by.append(blocker.number)
        blocker.blocking.append(blocked.number)
        return blocked

    def remove_blocked_by(self, number: int, issue_id: int) -> Issue:
        """DELETE /issues/{n}/dependencies/blocked_by/{issue_id}; 404 when not linked."""
        doc = DOC_URLS["remove-blocked-by"]
        blocked = self.issue(number, doc)
        blocker = self.issue_by_id(issue_id)
        if blocker is None or blocker.number not in blocked.blocked_by:
            raise not_found(doc)
        self.unlink(blocked, blocker)
        return blocked

    def unlink(self, blocked: Issue, blocker: Issue) -> None:
        """Remove one "blocked by" link (both ends)."""
        blocked.blocked_by.remove(blocker.number)
        blocker.blocking.remove(blocked.number)

    def drop_dependencies(self, issue: Issue) -> None:
        """Forget every link of an issue (it is being deleted)."""
        for number in list(issue.blocked_by):
            self.unlink(issue, self.issues[number])
        for number in list(issue.blocking):
            self.unlink(self.issues[number], issue)

    def blockers(self, number: int, doc: str = DOC_URLS["list-blocked-by"]) -> list[Issue]:
        """GET .../dependencies/blocked_by: the issues blocking n, in the order linked."""
        return [self.issues[n] for n in self.issue(number, doc).blocked_by]

    def blocked_ones(self, number: int, doc: str = DOC_URLS["list-blocking"]) -> list[Issue]:
        """GET .../dependencies/blocking: the issues n blocks, in the order linked."""
        return [self.issues[n] for n in self.issue(number, doc).blocking]

    def dependencies_summary(self, issue: Issue) -> dict[str, int]:
        """``issue_dependencies_summary``: the plain counts are of *open* other ends.

        Recorded for ``blocked_by`` (a closed blocker gives 0 of 1); ``blocking`` is counted
        the same way by symmetry, which no recording shows.
        """
        blockers = [self.issues[n] for n in issue.blocked_by]
        blocked = [self.issues[n] for n in issue.blocking]
        return {
            "blocked_by": sum(1 for i in blockers if i.state == "open"),
            "total_blocked_by": len(blockers),
            "blocking": sum(1 for i in blocked if i.state == "open"),
            "total_blocking": len(blocked),
        }

    def _blocker_arg(self, data: dict[str, Any], doc: str) -> Issue:
        raw = data.get("issue_id")
        if raw is None:
            raise invalid_request('"issue_id" wasn\'t supplied.', doc)
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise invalid_request(f"For 'properties/issue_id', {raw!r} is not an integer.", doc)
        blocker = self.issue_by_id(raw)
        if blocker is None:
            raise not_found(doc)
        return blocker

    def _blocked_transitively(self, issue: Issue, by: int) -> bool:
        """Whether issue ``by`` already blocks ``issue``, directly or through others."""
        seen: set[int] = set()
        todo = list(issue.blocked_by)
        while todo:
            current = todo.pop()
            if current == by:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(self.issues[current].blocked_by)
        return False
