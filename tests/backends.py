"""One view of "where the issues live" for end-to-end tests: the fake GitHub or the local
tracker file. Tests read state and act like a user through it, so the same assertions run
against both trackers."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest

from roadmap_sync.model.load import load
from roadmap_sync.model.roadmap import Item, Roadmap
from roadmap_sync.model.yamlwrite import to_yaml
from roadmap_sync.trackers.base import IssueEdit, NewIssue
from roadmap_sync.trackers.local import LocalTracker
from tests.fake_github import FakeGitHub

TRACKER_FILE = Path(".roadmap-sync/tracker.json")
_ITEM_MARKER = re.compile(r"<!-- roadmap-sync:item=([a-z0-9-]+) -->")


class HasIssues(Protocol):
    """Anything that lists issues as GitHub's JSON: a Backend, or the FakeGitHub itself."""

    def issues(self) -> list[dict[str, Any]]: ...


def item_of(issue: dict[str, Any]) -> str | None:
    """The item id of an issue's first-line marker, if it has one."""
    match = _ITEM_MARKER.fullmatch((issue["body"] or "").split("\n", 1)[0])
    return match.group(1) if match else None


def numbers(where: HasIssues) -> dict[str, list[int]]:
    """Item id → numbers of the issues carrying its marker."""
    found: dict[str, list[int]] = {}
    for issue in where.issues():
        item_id = item_of(issue)
        if item_id:
            found.setdefault(item_id, []).append(issue["number"])
    return found


def rewrite_roadmap(change: Callable[[Roadmap], Roadmap]) -> Roadmap:
    """Rewrite ./roadmap.yaml through the model, as a learner's edit would leave it."""
    changed = change(load(Path("roadmap.yaml")))
    Path("roadmap.yaml").write_text(to_yaml(changed), encoding="utf-8")
    return changed


def map_items(roadmap: Roadmap, change: Callable[[Item], Item | None]) -> Roadmap:
    """The roadmap with each item replaced by ``change(item)``, or dropped when it is None."""
    phases = []
    for phase in roadmap.phases:
        kinds = {}
        for kind in ("topics", "projects"):
            kept = (change(item) for item in getattr(phase, kind))
            kinds[kind] = tuple(item for item in kept if item is not None)
        phases.append(dataclasses.replace(phase, **kinds))
    return dataclasses.replace(roadmap, phases=tuple(phases))


def set_item(item_id: str, **fields: object) -> Roadmap:
    """Rewrite ./roadmap.yaml with one item's fields replaced."""
    return rewrite_roadmap(
        lambda roadmap: map_items(
            roadmap, lambda i: dataclasses.replace(i, **fields) if i.id == item_id else i
        )
    )


def edit_roadmap(old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ./roadmap.yaml, as a learner would."""
    path = Path("roadmap.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


class Backend(Protocol):
    """Issues, labels and milestones as GitHub's JSON shapes them, and a user's hands."""

    name: str

    def issues(self) -> list[dict[str, Any]]: ...
    def issue(self, number: int) -> dict[str, Any]: ...
    def labels(self) -> list[dict[str, Any]]: ...
    def milestones(self) -> list[dict[str, Any]]: ...
    def comments(self, number: int) -> list[str]: ...
    def close(self, number: int, reason: str = "completed") -> None: ...
    def reopen(self, number: int) -> None: ...
    def add_labels(self, number: int, *names: str) -> None: ...
    def assign(self, number: int, login: str) -> None: ...
    def edit_body(self, number: int, body: str) -> None: ...
    def create_issue(self, title: str, body: str, labels: list[str]) -> int: ...
    def blocked_by(self, number: int) -> list[int]: ...
    def add_blocked_by(self, number: int, blocker: int) -> None: ...


class GitHubBackend:
    """The fake GitHub; the CLI finds it through GITHUB_TOKEN and GITHUB_REPOSITORY."""

    name = "github"

    def __init__(self, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fake = fake
        monkeypatch.setenv("GITHUB_TOKEN", fake.token)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.full_name)

    def issues(self) -> list[dict[str, Any]]:
        return self.fake.issues()

    def issue(self, number: int) -> dict[str, Any]:
        return self.fake.issue(number)

    def labels(self) -> list[dict[str, Any]]:
        return self.fake.labels()

    def milestones(self) -> list[dict[str, Any]]:
        return self.fake.milestones()

    def comments(self, number: int) -> list[str]:
        return [c.body for c in self.fake.state.comments.values() if c.issue_number == number]

    def close(self, number: int, reason: str = "completed") -> None:
        self.fake.ui_close_issue(number, reason)

    def reopen(self, number: int) -> None:
        self.fake.ui_reopen_issue(number)

    def add_labels(self, number: int, *names: str) -> None:
        self.fake.ui_add_labels(number, *names)

    def assign(self, number: int, login: str) -> None:
        self.fake.ui_add_assignees(number, login)

    def edit_body(self, number: int, body: str) -> None:
        self.fake.ui_edit_issue(number, body=body)

    def create_issue(self, title: str, body: str, labels: list[str]) -> int:
        return int(self.fake.ui_create_issue(title=title, body=body, labels=labels)["number"])

    def blocked_by(self, number: int) -> list[int]:
        """The numbers of the issues blocking issue ``number``."""
        return sorted(self.fake.blocked_by(number))

    def add_blocked_by(self, number: int, blocker: int) -> None:
        self.fake.ui_add_blocked_by(number, blocker)


class LocalBackend:
    """The tracker file in the working directory; the CLI falls back to it by itself."""

    name = "local"

    def __init__(self) -> None:
        self.tracker = LocalTracker(TRACKER_FILE)

    def _doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(TRACKER_FILE.read_text(encoding="utf-8"))
        return doc

    def issues(self) -> list[dict[str, Any]]:
        doc = self._doc()
        titles = {m["number"]: m for m in doc["milestones"]}
        return [
            {
                **raw,
                "labels": [{"name": name} for name in raw["labels"]],
                "milestone": titles.get(raw["milestone"]),
                "assignees": [{"login": login} for login in raw["assignees"]],
            }
            for raw in doc["issues"]
        ]

    def issue(self, number: int) -> dict[str, Any]:
        return next(i for i in self.issues() if i["number"] == number)

    def labels(self) -> list[dict[str, Any]]:
        return list(self._doc()["labels"])

    def milestones(self) -> list[dict[str, Any]]:
        return list(self._doc()["milestones"])

    def comments(self, number: int) -> list[str]:
        return [c["body"] for c in self.issue(number)["comments"]]

    def close(self, number: int, reason: str = "completed") -> None:
        self.tracker.edit_issue(number, IssueEdit(state="closed", state_reason=reason))

    def reopen(self, number: int) -> None:
        self.tracker.edit_issue(number, IssueEdit(state="open"))

    def add_labels(self, number: int, *names: str) -> None:
        labels = (*self.tracker.issue(number).labels, *names)
        self.tracker.edit_issue(number, IssueEdit(labels=labels))

    def assign(self, number: int, login: str) -> None:
        # The protocol has no assignee edit (the tool never assigns): a user's hand on the file.
        doc = self._doc()
        for raw in doc["issues"]:
            if raw["number"] == number:
                raw["assignees"].append(login)
        TRACKER_FILE.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")

    def edit_body(self, number: int, body: str) -> None:
        self.tracker.edit_issue(number, IssueEdit(body=body))

    def create_issue(self, title: str, body: str, labels: list[str]) -> int:
        new = NewIssue("", title, body, tuple(labels), None)
        return self.tracker.create_issue(new).number

    def blocked_by(self, number: int) -> list[int]:
        """The numbers of the issues blocking issue ``number``."""
        ids = {i["id"]: i["number"] for i in self.issues()}
        return sorted(ids[blocker] for blocker in self.issue(number)["blocked_by"])

    def add_blocked_by(self, number: int, blocker: int) -> None:
        self.tracker.add_blocked_by(number, self.tracker.issue(blocker).id)
