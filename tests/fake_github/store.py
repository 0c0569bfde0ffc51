"""Data held by the fake repository plus the helpers every operation module shares."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

from .clock import Clock
from .errors import ApiError, invalid_request, not_found
from .models import DEFAULT_LABELS, Comment, Commit, Issue, Label, Milestone, Tally

# Separate id ranges per kind so an issue id can never be mistaken for a number or another id.
_ID_BASES = {
    "repo": 880_000_000,
    "label": 4_341_279_232,
    "milestone": 13_000_000,
    "issue": 3_235_871_075,
    "comment": 2_900_000_000,
}


class StoreBase:
    """Raw state of one repository. Not thread-safe by itself: FakeGitHub holds a lock."""

    def __init__(
        self,
        owner: str,
        name: str,
        clock: Clock,
        default_labels: bool = True,
        collaborators: tuple[str, ...] = (),
        pacific_due_on: bool = True,
        private: bool = False,
        milestone_titles_case_sensitive: bool = False,
    ) -> None:
        self.owner = owner
        self.name = name
        self.clock = clock
        self.pacific_due_on = pacific_due_on
        self.private = private
        self.milestone_titles_case_sensitive = milestone_titles_case_sensitive
        self._ids = {kind: itertools.count(base, 97) for kind, base in _ID_BASES.items()}
        self.repo_id = next(self._ids["repo"])
        self.created_at = clock.now()
        self.labels: dict[int, Label] = {}
        self.milestones: dict[int, Milestone] = {}
        self.issues: dict[int, Issue] = {}
        self.comments: dict[int, Comment] = {}
        self.files: dict[str, bytes] = {}
        self.commits: list[Commit] = []
        # Lower-cased login -> login as first given; only these users can be assigned.
        self.collaborators: dict[str, str] = {c.lower(): c for c in (owner, *collaborators)}
        self._issue_numbers = itertools.count(1)
        self._milestone_numbers = itertools.count(1)
        self.tally = Tally()  # every Issue must be created with tally=self.tally
        if default_labels:
            self.add_default_labels()

    # -- ids and time -------------------------------------------------------------------
    def new_id(self, kind: str) -> int:
        """Allocate a unique id of the given kind."""
        return next(self._ids[kind])

    def next_issue_number(self) -> int:
        """Issues and pull requests share one number sequence, as on GitHub."""
        return next(self._issue_numbers)

    def next_milestone_number(self) -> int:
        """Milestone numbers are never reused, even after deletion."""
        return next(self._milestone_numbers)

    def now(self) -> datetime:
        """Current time from the injected clock."""
        return self.clock.now()

    # -- lookups ------------------------------------------------------------------------
    def matches_repo(self, owner: str, name: str) -> bool:
        """Owner and repository names are case-insensitive in GitHub URLs."""
        return owner.lower() == self.owner.lower() and name.lower() == self.name.lower()

    def label_by_name(self, name: str) -> Label | None:
        """Case-insensitive label lookup, like GitHub's."""
        wanted = name.lower()
        return next((lb for lb in self.labels.values() if lb.name.lower() == wanted), None)

    def issue(self, number: int, doc: str) -> Issue:
        """Fetch an issue or pull request by number; deleted issues answer 410 Gone."""
        found = self.issues.get(number)
        if found is None:
            raise not_found(doc)
        if found.deleted:
            raise ApiError(
                410,
                {"message": "This issue was deleted", "documentation_url": doc, "status": "410"},
            )
        return found

    def milestone(self, number: int, doc: str) -> Milestone:
        """Fetch a milestone by number or raise 404."""
        found = self.milestones.get(number)
        if found is None:
            raise not_found(doc)
        return found

    def live_issues(self) -> list[Issue]:
        """Issues and pull requests that have not been deleted, by number."""
        # Numbers only grow, so insertion order is number order: no sort needed.
        return [issue for issue in self.issues.values() if not issue.deleted]

    def milestone_counts(self, number: int) -> tuple[int, int]:
        """(open, closed) items in a milestone; GitHub counts pull requests too."""
        return self.tally.of(number)

    def add_default_labels(self) -> None:
        """Create GitHub's nine default labels (skipping names that already exist)."""
        for name, color, description in DEFAULT_LABELS:
            if self.label_by_name(name) is None:
                label = Label(self.new_id("label"), name, color, description, default=True)
                self.labels[label.id] = label


def expect(data: dict[str, Any], key: str, kinds: tuple[type, ...], doc: str) -> Any:
    """Type-check one body field the way GitHub's request schema does (422 on mismatch)."""
    value = data.get(key)
    if value is None:
        return None
    # bool is a subclass of int in Python but not an integer in JSON Schema.
    if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
        return value
    type_name = {str: "string", int: "integer", list: "array", bool: "boolean", dict: "object"}
    names = " or ".join(type_name.get(k, k.__name__) for k in kinds)
    raise invalid_request(
        f"For 'properties/{key}', {json.dumps(value)} is not {_article(names)}.", doc
    )


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
