"""Issue, issue-label and comment operations with GitHub's state rules."""

from __future__ import annotations

from typing import Any

from .catalog import LabelOps, MilestoneOps
from .clock import parse_iso
from .errors import DOC_URLS, ApiError, error_body, validation_failed
from .models import STATE_REASONS, Comment, Issue
from .store import expect

_CLOSING_REASONS = ("completed", "not_planned", "duplicate")


class IssueOps(LabelOps, MilestoneOps):
    """Issues and pull requests (which share numbers and the issues listing)."""

    def create_issue(self, data: dict[str, Any], actor: str, pull_request: bool = False) -> Issue:
        """POST /issues: title required; labels by name (auto-created); milestone by number."""
        doc = DOC_URLS["create-issue"]
        title = expect(data, "title", (str, int), doc)
        if title is None or str(title) == "":
            raise validation_failed("Issue", "title", "missing_field", doc)
        body = expect(data, "body", (str,), doc)
        milestone = self._milestone_ref(data, doc)
        assignees = self._assignees(data, doc)
        label_names = self._label_names(data, "labels", doc)
        now = self.now()
        issue = Issue(
            id=self.new_id("issue"),
            number=self.next_issue_number(),
            title=str(title),
            body=body,
            user=actor,
            created_at=now,
            updated_at=now,
            milestone=milestone,
            assignees=assignees or [],
            is_pull_request=pull_request,
            tally=self.tally,
        )
        issue.label_ids = [self.ensure_label(n).id for n in label_names or []]
        self.issues[issue.number] = issue
        return issue

    def update_issue(self, number: int, data: dict[str, Any], actor: str) -> Issue:
        """PATCH /issues/{n}; ``updated_at`` only moves when something actually changed.

        Like GitHub, the update is all-or-nothing: every field is validated first.
        """
        doc = DOC_URLS["update-issue"]
        issue = self.issue(number, doc)
        title = expect(data, "title", (str, int), doc)
        if "title" in data and (title is None or str(title) == ""):
            raise validation_failed("Issue", "title", "missing_field", doc)
        body = expect(data, "body", (str,), doc)
        milestone = self._milestone_ref(data, doc) if "milestone" in data else issue.milestone
        assignees = self._assignees(data, doc)
        label_names = self._label_names(data, "labels", doc)
        state, reason = self._check_state(data, doc)
        before = self._snapshot(issue)
        if title is not None:
            issue.title = str(title)
        if "body" in data:
            issue.body = body
        issue.milestone = milestone
        if assignees is not None:
            issue.assignees = assignees
        if label_names is not None:
            issue.label_ids = [self.ensure_label(n).id for n in label_names]
        self._apply_state(issue, state, reason, actor)
        if self._snapshot(issue) != before:
            issue.updated_at = self.now()
        return issue

    @staticmethod
    def _check_state(data: dict[str, Any], doc: str) -> tuple[str | None, str | None]:
        state = expect(data, "state", (str,), doc)
        reason = expect(data, "state_reason", (str,), doc)
        if state not in (None, "open", "closed"):
            raise validation_failed("Issue", "state", "invalid", doc, value=state, with_value=True)
        if reason not in (None, *STATE_REASONS) or (state == "closed" and reason == "reopened"):
            raise validation_failed(
                "Issue", "state_reason", "invalid", doc, value=reason, with_value=True
            )
        return state, reason

    def _apply_state(self, issue: Issue, state: str | None, reason: str | None, actor: str) -> None:
        # GitHub's "Update an issue": state_reason is "Ignored unless `state` is changed", so a
        # closed issue keeps its reason (and closed_at) when the PATCH only repeats
        # "closed" or carries a reason alone; changing the reason takes a reopen and a close.
        if state == "closed" and issue.state == "open":
            issue.state, issue.closed_at, issue.closed_by = "closed", self.now(), actor
            issue.state_reason = reason if reason in _CLOSING_REASONS else "completed"
        elif state == "open" and issue.state == "closed":
            issue.state, issue.state_reason = "open", "reopened"
            issue.closed_at, issue.closed_by = None, None

    @staticmethod
    def _snapshot(issue: Issue) -> tuple[Any, ...]:
        return (
            issue.title,
            issue.body,
            issue.milestone,
            tuple(issue.assignees),
            tuple(sorted(issue.label_ids)),
            issue.state,
            issue.state_reason,
        )

    def _milestone_ref(self, data: dict[str, Any], doc: str) -> int | None:
        raw = data.get("milestone")
        if raw is None or raw == "":
            return None  # PyGithub clears a milestone by sending "".
        expect(data, "milestone", (int, str), doc)
        number = int(raw) if isinstance(raw, int) or str(raw).isdigit() else None
        if number is None or number not in self.milestones:
            raise validation_failed(
                "Issue", "milestone", "invalid", doc, value=raw, with_value=True
            )
        return number

    def _assignees(self, data: dict[str, Any], doc: str) -> list[str] | None:
        logins: list[Any] | None = expect(data, "assignees", (list,), doc)
        single = expect(data, "assignee", (str,), doc)
        if logins is None and "assignee" not in data:
            return None
        chosen = list(logins or []) + ([single] if single else [])
        result: list[str] = []
        for login in chosen:
            canonical = self.collaborators.get(str(login).lower())
            if canonical is None:
                raise validation_failed(
                    "Issue", "assignees", "invalid", doc, value=login, with_value=True
                )
            if canonical not in result:
                result.append(canonical)
        return result

    def _label_names(self, data: dict[str, Any], key: str, doc: str) -> list[str] | None:
        items = expect(data, key, (list,), doc)
        if items is None:
            return None
        return label_item_names(items, doc)

    def issue_label_names(self, issue: Issue) -> list[str]:
        """Names of an issue's labels in GitHub's order (alphabetical)."""
        names = [self.labels[i].name for i in issue.label_ids if i in self.labels]
        return sorted(names, key=str.lower)

    def add_issue_labels(self, number: int, names: list[str], replace: bool = False) -> Issue:
        """POST (add) or PUT (replace) /issues/{n}/labels; unknown names are created."""
        issue = self.issue(number, DOC_URLS["get-issue"])
        before = sorted(issue.label_ids)
        wanted = [] if replace else list(issue.label_ids)
        for name in names:
            label_id = self.ensure_label(name).id
            if label_id not in wanted:
                wanted.append(label_id)
        issue.label_ids = wanted
        if sorted(wanted) != before:
            issue.updated_at = self.now()
        return issue

    def remove_issue_label(self, number: int, name: str | None) -> Issue:
        """DELETE /issues/{n}/labels/{name} (404 if not on the issue) or all labels."""
        issue = self.issue(number, DOC_URLS["get-issue"])
        if name is None:
            changed = bool(issue.label_ids)
            issue.label_ids = []
        else:
            label = self.label_by_name(name)
            if label is None or label.id not in issue.label_ids:
                raise ApiError(404, error_body(404, "Label does not exist", DOC_URLS["get-issue"]))
            issue.label_ids.remove(label.id)
            changed = True
        if changed:
            issue.updated_at = self.now()
        return issue

    def list_issues(self, query: dict[str, str]) -> list[Issue]:
        """GET /issues filters: state, labels, milestone, assignee, creator, since, sort."""
        doc = DOC_URLS["list-issues"]
        state = query.get("state", "open")
        sort = query.get("sort", "created")
        direction = query.get("direction", "desc")
        for name, value, allowed in (
            ("state", state, ("open", "closed", "all")),
            ("sort", sort, ("created", "updated", "comments")),
            ("direction", direction, ("asc", "desc")),
        ):
            if value not in allowed:
                raise validation_failed("Issue", name, "invalid", doc, value=value, with_value=True)
        items = [i for i in self.live_issues() if state in ("all", i.state)]
        wanted = [n.strip().lower() for n in query.get("labels", "").split(",") if n.strip()]
        if wanted:
            items = [i for i in items if set(wanted) <= {n.lower() for n in self._names(i)}]
        items = self._filter_milestone_and_people(items, query, doc)
        if "since" in query:
            try:
                since = parse_iso(query["since"])
            except ValueError:
                raise validation_failed("Issue", "since", "invalid", doc) from None
            items = [i for i in items if i.updated_at >= since]

        def order(i: Issue) -> tuple[float, int]:
            # The number breaks ties, so a frozen clock still gives a stable creation order.
            if sort == "comments":
                return (len(i.comment_ids), i.number)
            stamp = i.created_at if sort == "created" else i.updated_at
            return (stamp.timestamp(), i.number)

        return sorted(items, key=order, reverse=direction == "desc")

    def _names(self, issue: Issue) -> list[str]:
        return [self.labels[i].name for i in issue.label_ids if i in self.labels]

    def _filter_milestone_and_people(
        self, items: list[Issue], query: dict[str, str], doc: str
    ) -> list[Issue]:
        milestone = query.get("milestone")
        if milestone == "*":
            items = [i for i in items if i.milestone is not None]
        elif milestone == "none":
            items = [i for i in items if i.milestone is None]
        elif milestone is not None:
            if not milestone.isdigit():
                raise validation_failed("Issue", "milestone", "invalid", doc)
            items = [i for i in items if i.milestone == int(milestone)]
        assignee = query.get("assignee")
        if assignee == "*":
            items = [i for i in items if i.assignees]
        elif assignee == "none":
            items = [i for i in items if not i.assignees]
        elif assignee is not None:
            items = [i for i in items if assignee.lower() in {a.lower() for a in i.assignees}]
        if "creator" in query:
            items = [i for i in items if i.user.lower() == query["creator"].lower()]
        return items

    def add_comment(self, number: int, data: dict[str, Any], actor: str) -> Comment:
        """POST /issues/{n}/comments; bumps the issue's comment count and updated_at."""
        doc = DOC_URLS["get-issue"]
        issue = self.issue(number, doc)
        body = expect(data, "body", (str,), doc)
        if not body:
            raise validation_failed("IssueComment", "body", "missing_field", doc)
        now = self.now()
        comment = Comment(self.new_id("comment"), number, body, actor, now, now)
        self.comments[comment.id] = comment
        issue.comment_ids.append(comment.id)
        issue.updated_at = now
        return comment


def label_item_names(items: list[Any], doc: str) -> list[str]:
    """Label names from the accepted item forms: strings or ``{"name": ...}`` objects."""
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name:
            raise validation_failed("Label", "name", "invalid", doc, value=None, with_value=False)
        names.append(name)
    return names
