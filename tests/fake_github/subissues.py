"""Sub-issue operations (parent/child links keyed by issue *id* in request bodies)."""

from __future__ import annotations

from typing import Any

from .errors import DOC_URLS, ApiError, invalid_request, not_found, validation_failed
from .issues import IssueOps
from .models import Issue

_MAX_SUB_ISSUES = 100


class SubIssueOps(IssueOps):
    """Each issue has at most one parent; a parent holds at most 100 sub-issues."""

    def issue_by_id(self, issue_id: int) -> Issue | None:
        """Look an issue up by its database id (what the sub-issue endpoints take)."""
        return next((i for i in self.live_issues() if i.id == issue_id), None)

    def _sub_issue_arg(self, data: dict[str, Any], doc: str) -> Issue:
        raw = data.get("sub_issue_id")
        if raw is None:
            raise invalid_request('"sub_issue_id" wasn\'t supplied.', doc)
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise invalid_request(f"For 'properties/sub_issue_id', {raw!r} is not an integer.", doc)
        child = self.issue_by_id(raw)
        if child is None:
            raise not_found(doc)
        return child

    def add_sub_issue(self, number: int, data: dict[str, Any]) -> Issue:
        """POST /issues/{n}/sub_issues with ``sub_issue_id`` and optional ``replace_parent``."""
        doc = DOC_URLS["add-sub-issue"]
        parent = self.issue(number, doc)
        child = self._sub_issue_arg(data, doc)

        def refuse(message: str) -> ApiError:
            return validation_failed("Issue", "sub_issue_id", "custom", doc, message=message)

        if child.is_pull_request or parent.is_pull_request:
            raise refuse("Pull requests cannot be sub-issues or have sub-issues")
        if child.number == parent.number:
            raise refuse("An issue cannot be a sub-issue of itself")
        if child.number in parent.sub_issues:
            # GitHub documents no wording for this refusal: the least specific valid body,
            # so that no client learns to look for words in it.
            raise validation_failed("Issue", "sub_issue_id", "invalid", doc)
        if child.parent is not None and data.get("replace_parent") is not True:
            raise refuse("Sub issue may only have one parent")
        if self._is_ancestor(child.number, parent):
            raise refuse("Sub issue cannot be an ancestor of its parent")
        if len(parent.sub_issues) >= _MAX_SUB_ISSUES:
            raise refuse("Parent cannot have more than 100 sub-issues")
        now = self.now()
        if child.parent is not None:
            old = self.issues[child.parent]
            old.sub_issues.remove(child.number)
            old.updated_at = now
        parent.sub_issues.append(child.number)
        child.parent = parent.number
        parent.updated_at = child.updated_at = now
        return parent

    def _is_ancestor(self, candidate: int, issue: Issue) -> bool:
        seen = issue.parent
        while seen is not None:
            if seen == candidate:
                return True
            seen = self.issues[seen].parent
        return False

    def remove_sub_issue(self, number: int, data: dict[str, Any]) -> Issue:
        """DELETE /issues/{n}/sub_issue with ``sub_issue_id``; 404 if not a child of n."""
        doc = DOC_URLS["remove-sub-issue"]
        parent = self.issue(number, doc)
        child = self._sub_issue_arg(data, doc)
        if child.number not in parent.sub_issues:
            raise not_found(doc)
        parent.sub_issues.remove(child.number)
        child.parent = None
        parent.updated_at = child.updated_at = self.now()
        return parent

    def list_sub_issues(self, number: int) -> list[Issue]:
        """GET /issues/{n}/sub_issues in the order they were added."""
        parent = self.issue(number, DOC_URLS["get-issue"])
        return [self.issues[n] for n in parent.sub_issues if not self.issues[n].deleted]

    def parent_of(self, number: int) -> Issue:
        """GET /issues/{n}/parent: 404 when the issue has no parent."""
        child = self.issue(number, DOC_URLS["get-parent"])
        if child.parent is None:
            raise not_found(DOC_URLS["get-parent"])
        return self.issues[child.parent]

    def sub_issues_summary(self, issue: Issue) -> dict[str, int]:
        """``sub_issues_summary``: closed children count as completed, whatever the reason."""
        children = [self.issues[n] for n in issue.sub_issues if not self.issues[n].deleted]
        total = len(children)
        completed = sum(1 for c in children if c.state == "closed")
        percent = completed * 100 // total if total else 0
        return {"total": total, "completed": completed, "percent_completed": percent}
