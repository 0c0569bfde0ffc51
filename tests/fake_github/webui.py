"""Web-UI actions for tests: change the repository behind the client's back.

None of these are logged, rate limited or subject to faults; they mirror what a person
clicking around github.com could do (including deleting an issue, which the REST API can't).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import Renderer

if TYPE_CHECKING:
    from .fake import FakeGitHub


class WebUI:
    """Mixin with ``ui_*`` actions and unlogged state readers for FakeGitHub."""

    def _fake(self) -> FakeGitHub:
        return self  # type: ignore[return-value]

    def _render(self) -> Renderer:
        return Renderer(self._fake().state, self._fake().api_url)

    # -- issues and pull requests -------------------------------------------------------
    def ui_create_issue(
        self,
        title: str,
        body: str | None = None,
        labels: tuple[str, ...] | list[str] = (),
        milestone: int | None = None,
        assignees: tuple[str, ...] | list[str] = (),
        user: str | None = None,
        state: str = "open",
        state_reason: str | None = None,
    ) -> dict[str, Any]:
        """Open an issue by hand (optionally already closed with ``state_reason``)."""
        return self._create(title, body, labels, milestone, assignees, user, state, state_reason)

    def ui_add_pull_request(
        self,
        title: str,
        body: str | None = None,
        labels: tuple[str, ...] | list[str] = (),
        milestone: int | None = None,
        user: str | None = None,
        state: str = "open",
        draft: bool = False,
    ) -> dict[str, Any]:
        """Add a pull request; it shows up in GET /issues with a ``pull_request`` key."""
        return self._create(title, body, labels, milestone, (), user, state, None, True, draft)

    def _create(
        self,
        title: str,
        body: str | None,
        labels: tuple[str, ...] | list[str],
        milestone: int | None,
        assignees: tuple[str, ...] | list[str],
        user: str | None,
        state: str,
        state_reason: str | None,
        pull_request: bool = False,
        draft: bool = False,
    ) -> dict[str, Any]:
        fake = self._fake()
        with fake.lock:
            for login in assignees:
                fake.state.collaborators.setdefault(login.lower(), login)
            data: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
            data.update({"milestone": milestone, "assignees": list(assignees)})
            issue = fake.state.create_issue(data, user or fake.login, pull_request)
            issue.draft = draft
            if state == "closed":
                change = {"state": "closed", "state_reason": state_reason}
                fake.state.update_issue(issue.number, change, user or fake.login)
            return self._render().issue(issue)

    def ui_edit_issue(self, number: int, **fields: Any) -> dict[str, Any]:
        """Edit like the PATCH endpoint would (title, body, labels, milestone, state...)."""
        fake = self._fake()
        with fake.lock:
            issue = fake.state.update_issue(number, fields, fake.login)
            return self._render().issue(issue)

    def ui_close_issue(self, number: int, reason: str = "completed") -> dict[str, Any]:
        """Close with a reason: completed, not_planned or duplicate.

        On github.com a closed issue's reason cannot be edited: the user reopens it and
        closes it again. So does this helper when the issue is closed with another reason
        (``closed_at`` and ``updated_at`` become now); closed with the same reason, it is
        left alone, as the API's ``state_reason`` would be.
        """
        if reason not in ("completed", "not_planned", "duplicate"):
            raise ValueError(f"cannot close as {reason!r}")  # before reopening anything
        fake = self._fake()
        with fake.lock:
            issue = fake.state.issue(number, "")
            if issue.state == "closed" and issue.state_reason != reason:
                fake.state.update_issue(number, {"state": "open"}, fake.login)
            return self.ui_edit_issue(number, state="closed", state_reason=reason)

    def ui_reopen_issue(self, number: int) -> dict[str, Any]:
        """Reopen (state_reason becomes "reopened", closed_at null)."""
        return self.ui_edit_issue(number, state="open")

    def ui_add_labels(self, number: int, *names: str) -> dict[str, Any]:
        """Attach labels (unknown names are created, as GitHub does)."""
        fake = self._fake()
        with fake.lock:
            return self._render().issue(fake.state.add_issue_labels(number, list(names)))

    def ui_remove_labels(self, number: int, *names: str) -> dict[str, Any]:
        """Detach labels from an issue."""
        fake = self._fake()
        with fake.lock:
            for name in names:
                fake.state.remove_issue_label(number, name)
            return self.issue(number)

    def ui_add_assignees(self, number: int, *logins: str) -> dict[str, Any]:
        """Assign users (they become collaborators so the API accepts them too)."""
        fake = self._fake()
        with fake.lock:
            for login in logins:
                fake.state.collaborators.setdefault(login.lower(), login)
            current = fake.state.issue(number, "").assignees
            return self.ui_edit_issue(number, assignees=[*current, *logins])

    def ui_add_comment(self, number: int, body: str, user: str | None = None) -> dict[str, Any]:
        """Comment on an issue or pull request."""
        fake = self._fake()
        with fake.lock:
            comment = fake.state.add_comment(number, {"body": body}, user or fake.login)
            return self._render().comment(comment)

    def ui_delete_issue(self, number: int) -> None:
        """Delete an issue (admins can in the UI); the API then answers 410 Gone.

        Its sub-issue links and its dependencies (both ways) go with it.
        """
        fake = self._fake()
        with fake.lock:
            issue = fake.state.issue(number, "")
            fake.state.drop_dependencies(issue)
            if issue.parent is not None:
                fake.state.issues[issue.parent].sub_issues.remove(number)
            for child in issue.sub_issues:  # children of a deleted parent become top-level
                fake.state.issues[child].parent = None
            issue.sub_issues, issue.deleted = [], True

    def ui_add_sub_issue(self, parent: int, child: int) -> dict[str, Any]:
        """Make issue ``child`` a sub-issue of ``parent`` (by numbers, replacing any parent)."""
        fake = self._fake()
        with fake.lock:
            child_id = fake.state.issue(child, "").id
            data = {"sub_issue_id": child_id, "replace_parent": True}
            return self._render().issue(fake.state.add_sub_issue(parent, data))

    def ui_add_blocked_by(self, number: int, blocker_number: int) -> dict[str, Any]:
        """Mark issue ``number`` as blocked by issue ``blocker_number`` (by numbers).

        The API's rules apply (422 for itself, a repeat, a cycle, the 50-issue limit).
        """
        fake = self._fake()
        with fake.lock:
            data = {"issue_id": fake.state.issue(blocker_number, "").id}
            return self._render().issue(fake.state.add_blocked_by(number, data))

    def ui_remove_blocked_by(self, number: int, blocker_number: int) -> dict[str, Any]:
        """Remove the "blocked by" link from ``number`` to ``blocker_number``."""
        fake = self._fake()
        with fake.lock:
            blocker_id = fake.state.issue(blocker_number, "").id
            return self._render().issue(fake.state.remove_blocked_by(number, blocker_id))

    def ui_add_collaborator(self, login: str) -> None:
        """Give ``login`` push access so it can be assigned."""
        fake = self._fake()
        with fake.lock:
            fake.state.collaborators.setdefault(login.lower(), login)

    # -- labels, milestones, files ------------------------------------------------------
    def ui_create_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> dict[str, Any]:
        """Create a label."""
        fake = self._fake()
        with fake.lock:
            data = {"name": name, "color": color, "description": description}
            return self._render().label(fake.state.create_label(data))

    def ui_delete_label(self, name: str) -> None:
        """Delete a label (it disappears from issues too)."""
        fake = self._fake()
        with fake.lock:
            fake.state.delete_label(name)

    def ui_add_default_labels(self) -> None:
        """(Re)create GitHub's nine default labels."""
        fake = self._fake()
        with fake.lock:
            fake.state.add_default_labels()

    def ui_create_milestone(
        self,
        title: str,
        description: str | None = None,
        due_on: str | None = None,
        state: str = "open",
    ) -> dict[str, Any]:
        """Create a milestone (``due_on`` as an ISO date or timestamp)."""
        fake = self._fake()
        with fake.lock:
            data = {"title": title, "description": description, "due_on": due_on, "state": state}
            return self._render().milestone(fake.state.create_milestone(data, fake.login))

    def ui_close_milestone(self, number: int) -> dict[str, Any]:
        """Close a milestone."""
        return self._milestone_state(number, "closed")

    def ui_reopen_milestone(self, number: int) -> dict[str, Any]:
        """Reopen a milestone."""
        return self._milestone_state(number, "open")

    def _milestone_state(self, number: int, state: str) -> dict[str, Any]:
        fake = self._fake()
        with fake.lock:
            milestone = fake.state.update_milestone(number, {"state": state})
            return self._render().milestone(milestone)

    def ui_put_file(self, path: str, content: str | bytes, message: str = "Update file") -> str:
        """Commit a file on the default branch; returns the commit sha."""
        fake = self._fake()
        raw = content.encode() if isinstance(content, str) else content
        with fake.lock:
            return fake.state.write_file(path, raw, message, fake.login).sha

    # -- unlogged readers ---------------------------------------------------------------
    def issue(self, number: int) -> dict[str, Any]:
        """Current JSON of an issue or pull request (not logged)."""
        fake = self._fake()
        with fake.lock:
            return self._render().issue(fake.state.issue(number, ""))

    def issues(self, state: str = "all") -> list[dict[str, Any]]:
        """All live issues and pull requests in number order (not logged)."""
        fake = self._fake()
        with fake.lock:
            found = [i for i in fake.state.live_issues() if state in ("all", i.state)]
            return [self._render().issue(i) for i in found]

    def blocked_by(self, number: int) -> list[int]:
        """Numbers of the issues blocking issue ``number``, in the order linked (not logged)."""
        fake = self._fake()
        with fake.lock:
            return list(fake.state.issue(number, "").blocked_by)

    def blocking(self, number: int) -> list[int]:
        """Numbers of the issues that issue ``number`` blocks (not logged)."""
        fake = self._fake()
        with fake.lock:
            return list(fake.state.issue(number, "").blocking)

    def labels(self) -> list[dict[str, Any]]:
        """Repository labels in GitHub's order (not logged)."""
        fake = self._fake()
        with fake.lock:
            return [self._render().label(lb) for lb in fake.state.sorted_labels()]

    def milestones(self, state: str = "all") -> list[dict[str, Any]]:
        """Milestones in number order (not logged)."""
        fake = self._fake()
        with fake.lock:
            ordered = [fake.state.milestones[n] for n in sorted(fake.state.milestones)]
            found = [m for m in ordered if state in ("all", m.state)]
            return [self._render().milestone(m) for m in found]

    def file(self, path: str) -> bytes | None:
        """Current bytes of a file on the default branch, or None (not logged)."""
        fake = self._fake()
        with fake.lock:
            return fake.state.files.get(path.strip("/"))
