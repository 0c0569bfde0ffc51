"""Label and milestone operations with GitHub's validation rules."""

from __future__ import annotations

import re
from typing import Any

from .clock import pacific_midnight, parse_iso
from .errors import DOC_URLS, not_found, validation_failed
from .models import IMPLICIT_LABEL_COLOR, Label, Milestone
from .store import StoreBase, expect

_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
_MAX_LABEL_DESCRIPTION = 100


class LabelOps(StoreBase):
    """Repository labels: names are unique case-insensitively, colours are 6 hex digits."""

    def create_label(self, data: dict[str, Any]) -> Label:
        """POST /labels semantics."""
        doc = DOC_URLS["create-label"]
        name = expect(data, "name", (str,), doc)
        color = expect(data, "color", (str,), doc)
        description = expect(data, "description", (str,), doc)
        if not name:
            raise validation_failed("Label", "name", "missing_field", doc)
        self._check_label(color, description, doc)
        if self.label_by_name(name) is not None:
            raise validation_failed("Label", "name", "already_exists", doc)
        label = Label(self.new_id("label"), name, color or IMPLICIT_LABEL_COLOR, description)
        self.labels[label.id] = label
        return label

    def get_label(self, name: str) -> Label:
        """GET /labels/{name}: case-insensitive, 404 when missing."""
        label = self.label_by_name(name)
        if label is None:
            raise not_found(DOC_URLS["get-label"])
        return label

    def update_label(self, name: str, data: dict[str, Any]) -> Label:
        """PATCH /labels/{name} with ``new_name``, ``color``, ``description``."""
        doc = DOC_URLS["update-label"]
        label = self.label_by_name(name)
        if label is None:
            raise not_found(doc)
        new_name = expect(data, "new_name", (str,), doc)
        color = expect(data, "color", (str,), doc)
        description = expect(data, "description", (str,), doc)
        self._check_label(color, description, doc)
        if new_name:
            clash = self.label_by_name(new_name)
            if clash is not None and clash.id != label.id:
                raise validation_failed("Label", "name", "already_exists", doc)
            label.name = new_name
        if color:
            label.color = color
        if "description" in data:
            label.description = description
        return label

    def delete_label(self, name: str) -> None:
        """DELETE /labels/{name}; the label also disappears from every issue."""
        label = self.label_by_name(name)
        if label is None:
            raise not_found(DOC_URLS["get-label"])
        del self.labels[label.id]
        for issue in self.issues.values():
            if label.id in issue.label_ids:
                issue.label_ids.remove(label.id)

    def ensure_label(self, name: str) -> Label:
        """Find a label by name or create it implicitly, as issue writes do on GitHub."""
        label = self.label_by_name(name)
        if label is None:
            label = Label(self.new_id("label"), name, IMPLICIT_LABEL_COLOR, None)
            self.labels[label.id] = label
        return label

    def sorted_labels(self) -> list[Label]:
        """Repository label listing order (alphabetical, case-insensitive)."""
        return sorted(self.labels.values(), key=lambda lb: (lb.name.lower(), lb.id))

    @staticmethod
    def _check_label(color: str | None, description: str | None, doc: str) -> None:
        if color is not None and not _COLOR.match(color):
            raise validation_failed("Label", "color", "invalid", doc)
        if description is not None and len(description) > _MAX_LABEL_DESCRIPTION:
            message = "description is too long (maximum is 100 characters)"
            raise validation_failed("Label", "description", "custom", doc, message=message)


class MilestoneOps(StoreBase):
    """Milestones: titles unique across open and closed milestones; due dates are dates."""

    def create_milestone(self, data: dict[str, Any], actor: str) -> Milestone:
        """POST /milestones semantics."""
        doc = DOC_URLS["create-milestone"]
        title = expect(data, "title", (str,), doc)
        if not title:
            raise validation_failed("Milestone", "title", "missing_field", doc)
        state = self._milestone_state(data, doc) or "open"
        self._check_title(title, None, doc)
        now = self.now()
        milestone = Milestone(
            id=self.new_id("milestone"),
            number=self.next_milestone_number(),
            title=title,
            description=expect(data, "description", (str,), doc),
            state=state,
            due_on=self._due_on(data, doc),
            created_at=now,
            updated_at=now,
            closed_at=now if state == "closed" else None,
            creator=actor,
        )
        self.milestones[milestone.number] = milestone
        return milestone

    def update_milestone(self, number: int, data: dict[str, Any]) -> Milestone:
        """PATCH /milestones/{n} with title, state, description, due_on (all-or-nothing)."""
        doc = DOC_URLS["update-milestone"]
        milestone = self.milestone(number, doc)
        title = expect(data, "title", (str,), doc)
        if title:
            self._check_title(title, milestone.number, doc)
        state = self._milestone_state(data, doc)
        description = expect(data, "description", (str,), doc)
        due_on = self._due_on(data, doc) if "due_on" in data else milestone.due_on
        before = (milestone.title, milestone.state, milestone.description, milestone.due_on)
        if title:
            milestone.title = title
        if state and state != milestone.state:
            milestone.state = state
            milestone.closed_at = self.now() if state == "closed" else None
        if "description" in data:
            milestone.description = description
        milestone.due_on = due_on
        after = (milestone.title, milestone.state, milestone.description, milestone.due_on)
        if after != before:
            milestone.updated_at = self.now()
        return milestone

    def delete_milestone(self, number: int) -> None:
        """DELETE /milestones/{n}; issues keep existing but lose the milestone."""
        self.milestone(number, DOC_URLS["get-milestone"])
        del self.milestones[number]
        for issue in self.issues.values():
            if issue.milestone == number:
                issue.milestone = None

    def list_milestones(self, state: str, sort: str, direction: str) -> list[Milestone]:
        """Milestones filtered by state and sorted by due_on (default) or completeness."""
        chosen = [m for m in self.milestones.values() if state in ("all", m.state)]

        def completeness(m: Milestone) -> float:
            opened, closed = self.milestone_counts(m.number)
            return closed / (opened + closed) if opened + closed else 0.0

        if sort == "completeness":
            chosen.sort(key=lambda m: (completeness(m), m.number))
        else:
            # Milestones without a due date come after dated ones when ascending.
            chosen.sort(key=lambda m: (m.due_on is None, m.due_on or m.created_at, m.number))
        return chosen[::-1] if direction == "desc" else chosen

    def _check_title(self, title: str, own_number: int | None, doc: str) -> None:
        # Whether "month 1" clashes with "Month 1" is not documented: see FakeGitHub's
        # milestone_titles_case_sensitive.
        def key(text: str) -> str:
            return text if self.milestone_titles_case_sensitive else text.lower()

        for other in self.milestones.values():
            if other.number != own_number and key(other.title) == key(title):
                raise validation_failed("Milestone", "title", "already_exists", doc)

    @staticmethod
    def _milestone_state(data: dict[str, Any], doc: str) -> str | None:
        state: str | None = expect(data, "state", (str,), doc)
        if state is not None and state not in ("open", "closed"):
            raise validation_failed("Milestone", "state", "invalid", doc)
        return state

    def _due_on(self, data: dict[str, Any], doc: str) -> Any:
        raw = expect(data, "due_on", (str,), doc)
        if not raw:
            return None
        try:
            parse_iso(raw)
        except ValueError:
            raise validation_failed("Milestone", "due_on", "invalid", doc) from None
        return pacific_midnight(raw) if self.pacific_due_on else parse_iso(raw)
