"""GitHub issues as a Tracker, through PyGithub (REST v3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import TrackerError
from .base import (
    DEFAULT_API,
    MANAGED_LABEL,
    IssueEdit,
    LabelSpec,
    MilestoneSpec,
    NewIssue,
    RemoteIssue,
    RemoteLabel,
    RemoteMilestone,
    Snapshot,
    parse_time,
)
from .etags import PageCache
from .github_http import Ambiguous, GitHubHttp, Refused

CREATE_ATTEMPTS = 5  # a failed POST is looked up before the next one, so each try is safe


class GitHubTracker:
    """Labels, milestones and issues of one GitHub repository."""

    def __init__(
        self,
        repo: str,
        token: str,
        api_url: str = DEFAULT_API,
        write_interval: float = 1.0,
        notify: Callable[[str], None] = lambda message: None,
        verbose: bool = False,
        sleep: Callable[[float], None] | None = None,
        cache_path: Path | None = None,
    ) -> None:
        kwargs = {"sleep": sleep} if sleep else {}
        self.http = GitHubHttp(repo, token, api_url, write_interval, notify, verbose, **kwargs)
        self._cache = PageCache(cache_path, f"{api_url.rstrip('/')}/repos/{repo}")
        self._notify = notify
        self._base = self.http.base

    @property
    def name(self) -> str:
        return f"github {self.http.repo}"

    def snapshot(self, issues_only: bool = False) -> Snapshot:
        # The repository first: a wrong name is reported as such, not as a 404 on a list.
        self.http.get_cached(self._base, None, self._cache)
        labels = milestones = []
        if not issues_only:
            labels = self.http.get_all(f"{self._base}/labels", {}, self._cache)
            state = {"state": "all"}
            milestones = self.http.get_all(f"{self._base}/milestones", state, self._cache)
        issues = self.http.get_all(
            f"{self._base}/issues", {"state": "all", "labels": MANAGED_LABEL}, self._cache
        )
        if not issues_only:
            self._cache.save()
        return Snapshot(
            labels=tuple(_label(raw) for raw in labels),
            milestones=tuple(_milestone(raw) for raw in milestones),
            issues=tuple(_issue(raw) for raw in issues if "pull_request" not in raw),
        )

    def issue(self, number: int) -> RemoteIssue:
        _, data = self.http.get(f"{self._base}/issues/{number}")
        return _issue(data)

    def create_label(self, spec: LabelSpec) -> None:
        body = {"name": spec.name, "color": spec.color, "description": spec.description}
        for _ in range(CREATE_ATTEMPTS):
            try:
                self.http.write("POST", f"{self._base}/labels", body)
                return
            except Ambiguous:
                continue  # resending is safe: a second label of that name is refused with 422
            except Refused as exc:
                if "already_exists" in exc.codes:
                    return
                raise _refused(f"label {spec.name}", exc) from None
        raise TrackerError(f"[label {spec.name}] GitHub kept failing; run sync again")

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        body = {"new_name": spec.name, "color": spec.color, "description": spec.description}
        try:
            self.http.write("PATCH", f"{self._base}/labels/{quote(current_name, safe='')}", body)
        except Refused as exc:
            raise _refused(f"label {spec.name}", exc) from None

    def create_milestone(self, spec: MilestoneSpec) -> int:
        body = _milestone_body(spec)
        for _ in range(CREATE_ATTEMPTS):
            try:
                return int(self.http.write("POST", f"{self._base}/milestones", body)["number"])
            except Ambiguous:
                continue  # safe to resend: a duplicate title is refused with 422
            except Refused as exc:
                if "already_exists" not in exc.codes:
                    raise _refused(f"milestone {spec.phase_id}", exc) from None
                # Whether GitHub compares titles with or without case is not documented:
                # the milestone with this very title first, else one that differs in case.
                found = self.http.get_all(f"{self._base}/milestones", {"state": "all"})
                for same in (str.__eq__, lambda a, b: a.casefold() == b.casefold()):
                    for raw in found:
                        if same(raw["title"], spec.title):
                            return int(raw["number"])
        raise TrackerError(f"[milestone {spec.phase_id}] GitHub kept failing; run sync again")

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        try:
            self.http.write("PATCH", f"{self._base}/milestones/{number}", _milestone_body(spec))
        except Refused as exc:
            raise _refused(f"milestone {spec.phase_id}", exc) from None

    def create_issue(self, new: NewIssue) -> RemoteIssue:
        body: dict[str, Any] = {"title": new.title, "body": new.body, "labels": list(new.labels)}
        if new.milestone is not None:
            body["milestone"] = new.milestone
        for _ in range(CREATE_ATTEMPTS):
            try:
                return _issue(self.http.write("POST", f"{self._base}/issues", body))
            except Ambiguous:
                # GitHub may have created it before the answer was lost: look before resending.
                found = self._find(new.body)
                if found is not None:
                    return found
            except Refused as exc:
                raise _refused(f"issue {new.item_id}", exc) from None
        raise TrackerError(f"[issue {new.item_id}] GitHub kept failing; run sync again")

    def _find(self, body: str) -> RemoteIssue | None:
        """The newest managed issue whose body starts with the same line (the item's marker),
        from the first page: where a lost create would be."""
        params = {"state": "all", "labels": MANAGED_LABEL, "sort": "created", "per_page": 100}
        _, page = self.http.get(f"{self._base}/issues", {**params, "direction": "desc"})
        marker = _first_line(body)
        for raw in page or []:
            if "pull_request" not in raw and _first_line(raw.get("body") or "") == marker:
                return _issue(raw)
        return None

    def edit_issue(self, number: int, edit: IssueEdit) -> RemoteIssue:
        body: dict[str, Any] = {
            key: value
            for key, value in (
                ("title", edit.title),
                ("body", edit.body),
                ("labels", None if edit.labels is None else list(edit.labels)),
                ("state", edit.state),
                ("state_reason", edit.state_reason),
            )
            if value is not None
        }
        if edit.milestone is not None:
            body["milestone"] = edit.milestone or None
        try:
            return _issue(self.http.write("PATCH", f"{self._base}/issues/{number}", body))
        except Refused as exc:
            raise _refused(f"issue #{number}", exc) from None

    def add_sub_issue(self, parent: int, child_id: int, replace: bool = False) -> None:
        url = f"{self._base}/issues/{parent}/sub_issues"
        body: dict[str, Any] = {"sub_issue_id": child_id}
        if replace:
            body["replace_parent"] = True
        for _ in range(CREATE_ATTEMPTS):
            try:
                self.http.write("POST", url, body)
                return
            except Ambiguous:
                # It may have been applied: look before sending it again.
                if child_id in self._sub_issues(parent):
                    return
                body["replace_parent"] = True
            except Refused as exc:
                # GitHub documents no wording for "already linked": look instead of parsing.
                if exc.status == 422 and child_id in self._sub_issues(parent):
                    return
                raise _refused(f"issue #{parent} sub-issue", exc) from None
        raise TrackerError(f"[issue #{parent} sub-issue] GitHub kept failing; run sync again")

    def _sub_issues(self, parent: int) -> set[int]:
        """The ids of a parent's sub-issues, as GitHub has them now."""
        url = f"{self._base}/issues/{parent}/sub_issues"
        return {int(raw["id"]) for raw in self.http.get_all(url, {})}

    def remove_sub_issue(self, parent: int, child_id: int) -> None:
        url = f"{self._base}/issues/{parent}/sub_issue"
        try:
            self.http.write("DELETE", url, {"sub_issue_id": child_id})
        except Refused as exc:
            if exc.status != 404:  # already detached: the goal is reached
                raise _refused(f"issue #{parent} sub-issue", exc) from None

    def blocked_by(self, number: int) -> tuple[int, ...]:
        url = f"{self._base}/issues/{number}/dependencies/blocked_by"
        return tuple(int(raw["id"]) for raw in self.http.get_all(url, {}))

    def blocking(self, number: int) -> tuple[int, ...]:
        url = f"{self._base}/issues/{number}/dependencies/blocking"
        return tuple(int(raw["id"]) for raw in self.http.get_all(url, {}))

    def add_blocked_by(self, number: int, blocker_id: int) -> None:
        url = f"{self._base}/issues/{number}/dependencies/blocked_by"
        for _ in range(CREATE_ATTEMPTS):
            try:
                self.http.write("POST", url, {"issue_id": blocker_id})
                return
            except Ambiguous:
                # It may have been applied: look before sending it again.
                if blocker_id in self.blocked_by(number):
                    return
            except Refused as exc:
                # GitHub documents no wording for "already there": look instead of parsing.
                if exc.status == 422 and blocker_id in self.blocked_by(number):
                    return
                raise _refused(f"issue #{number} blocked by", exc) from None
        raise TrackerError(f"[issue #{number} blocked by] GitHub kept failing; run sync again")

    def remove_blocked_by(self, number: int, blocker_id: int) -> None:
        url = f"{self._base}/issues/{number}/dependencies/blocked_by/{blocker_id}"
        try:
            self.http.write("DELETE", url, None)
        except Refused as exc:
            if exc.status != 404:  # already gone: the goal is reached
                raise _refused(f"issue #{number} blocked by", exc) from None

    def comment(self, number: int, body: str) -> None:
        try:
            self.http.write("POST", f"{self._base}/issues/{number}/comments", {"body": body})
        except Ambiguous:
            # A lost comment is harmless; a doubled one is noise. Never resend.
            self._notify(f"[issue #{number}] the comment may not have been posted")
        except Refused as exc:
            raise _refused(f"issue #{number} comment", exc) from None


def _parent(raw: dict[str, Any]) -> int | None:
    url = raw.get("parent_issue_url")
    return int(url.rstrip("/").rsplit("/", 1)[1]) if url else None


def _refused(what: str, exc: Refused) -> TrackerError:
    return TrackerError(f"[{what}] GitHub refused it ({exc.status}): {exc.message}")


def _milestone_body(spec: MilestoneSpec) -> dict[str, Any]:
    # Noon UTC: GitHub stores due dates in a time zone, and midnight could become the day before.
    due = f"{spec.due_on.isoformat()}T12:00:00Z" if spec.due_on else None
    return {"title": spec.title, "description": spec.description, "due_on": due}


def _first_line(body: str) -> str:
    return body.replace("\r\n", "\n").split("\n", 1)[0].rstrip()


def _time(value: str | None) -> datetime | None:
    return parse_time(value) if value else None


def _label(raw: dict[str, Any]) -> RemoteLabel:
    return RemoteLabel(raw["name"], raw.get("color") or "", raw.get("description") or "")


def _milestone(raw: dict[str, Any]) -> RemoteMilestone:
    due = _time(raw.get("due_on"))
    return RemoteMilestone(
        number=int(raw["number"]),
        title=raw["title"],
        description=raw.get("description") or "",
        state=raw.get("state", "open"),
        due_on=date(due.year, due.month, due.day) if due else None,
    )


def _issue(raw: dict[str, Any]) -> RemoteIssue:
    created = _time(raw["created_at"])
    updated = _time(raw.get("updated_at")) or created
    assert created is not None
    assert updated is not None
    milestone = raw.get("milestone")
    summary = raw.get("issue_dependencies_summary") or {}
    return RemoteIssue(
        number=int(raw["number"]),
        title=raw["title"],
        body=raw.get("body") or "",
        state=raw["state"],
        state_reason=raw.get("state_reason"),
        labels=tuple(label["name"] for label in raw.get("labels") or ()),
        milestone=int(milestone["number"]) if milestone else None,
        created_at=created,
        updated_at=updated,
        closed_at=_time(raw.get("closed_at")),
        assignees=tuple(a["login"] for a in raw.get("assignees") or ()),
        url=raw.get("html_url") or "",
        id=int(raw.get("id") or 0),
        parent=_parent(raw),
        blocked_by_total=int(summary.get("total_blocked_by") or 0),
        blocking_total=int(summary.get("total_blocking") or 0),
    )
