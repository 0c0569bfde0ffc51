"""The fake's repository rebuilt from what a recording shows of GitHub's.

What the recorded client read before its first write (and what its class's setUp read) is
the repository it ran against: labels, milestones and issues with their numbers, states,
dates and links are created in the fake as they were. Numbers the recording does not
show are taken by deleted placeholders, so that issues and milestones the replay creates
get the recorded numbers. Dependencies that only an ``issue_dependencies_summary`` reveals
get stand-in issues at the far end (open or closed as the summary's counts say).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import UTC, Clock, parse_iso
from .fake import FakeGitHub
from .models import Issue
from .replay import Exchange, Recording, operation

T0 = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
_REPO_PATH = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)")
_NUMBER_AT_END = re.compile(r"/(\d+)/?$")
_LISTING = re.compile(r"/issues/(\d+)/(sub_issues|dependencies/blocked_by|dependencies/blocking)$")


@dataclass
class Seen:
    """Objects a recording shows, first sighting wins."""

    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-cased name
    milestones: dict[int, dict[str, Any]] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    logins: set[str] = field(default_factory=set)

    def take(self, value: Any, embedded_only: bool = False) -> None:
        """Collect labels, milestones and issues from a JSON answer (recursively)."""
        for obj, nested in _objects(value):
            if embedded_only and not nested:
                continue
            kind = kind_of(obj)
            if kind == "label":
                self.labels.setdefault(obj["name"].lower(), obj)
            elif kind == "milestone":
                self.milestones.setdefault(int(obj["number"]), obj)
            elif kind == "issue":
                self.issues.setdefault(int(obj["number"]), obj)
                self.logins.update(assignee_logins(obj))


def _objects(value: Any, nested: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every dict in a JSON value, with whether it sits inside another object."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item, nested)
    elif isinstance(value, dict):
        yield value, nested
        for child in value.values():
            yield from _objects(child, True)


def kind_of(obj: dict[str, Any]) -> str | None:
    """ "issue", "milestone", "label" or None for other objects (users, repositories...)."""
    if "number" in obj and "title" in obj and "labels" in obj:
        return "issue"
    if "number" in obj and "title" in obj and ("due_on" in obj or "open_issues" in obj):
        return "milestone"
    if "name" in obj and "color" in obj and "full_name" not in obj:
        return "label"
    return None


def assignee_logins(issue: dict[str, Any]) -> list[str]:
    """``assignees`` logins; recordings from before 2016 only have ``assignee``."""
    if "assignees" in issue:
        return [a["login"] for a in issue["assignees"] or []]
    single = issue.get("assignee")
    return [single["login"]] if single else []


def is_pull_request(issue: dict[str, Any]) -> bool:
    """Old recordings put ``pull_request`` with null URLs on every issue."""
    return bool((issue.get("pull_request") or {}).get("html_url"))


def trimmed(items: Any) -> bool:
    """PyGithub stripped some listings down to ``[{"id": ...}]``."""
    return isinstance(items, list) and bool(items) and all(set(i) == {"id"} for i in items)


@dataclass
class Layout:
    """Where the recorded pages of a plain issue listing put their issues.

    ``total``: how many open issues the listing had; ``known``: position (1-based, in
    the listing's order) -> the recorded issue, for pages PyGithub kept whole; ``pages``:
    the indexes of those exchanges.
    """

    total: int = 0
    known: dict[int, dict[str, Any]] = field(default_factory=dict)
    pages: set[int] = field(default_factory=set)


@dataclass
class World:
    """The fake built for one recording, and what the replay needs to address it."""

    fake: FakeGitHub
    issue_ids: dict[int, int]  # recorded issue id -> issue number
    layout: Layout = field(default_factory=Layout)

    def fake_issue_id(self, recorded_id: int) -> int:
        """The fake's id for the issue the recording names by ``recorded_id``."""
        number = self.issue_ids.get(recorded_id)
        return self.fake.state.issues[number].id if number is not None else recorded_id


def build(recording: Recording, replayed: list[Exchange]) -> World:
    """The fake for ``recording``; ``replayed`` are the exchanges the test will send."""
    first_write = next((e.index for e in replayed if e.is_write), len(recording.exchanges))
    before = [e for e in recording.exchanges if e.index < first_write and not e.is_write]
    # First sighting wins: the file's own reads, then what its writes' answers show of
    # labels and milestones that were already there, then its class's setUp (which may
    # have been recorded years later).
    seen = Seen()
    for exchange in before:
        if 200 <= exchange.status < 300 and not trimmed(exchange.response):
            seen.take(exchange.response)
    created = _created_by(replayed)
    for exchange in replayed:
        if exchange.index >= first_write and 200 <= exchange.status < 300:
            seen.take(exchange.response, embedded_only=True)
    for exchange in recording.setup:
        if 200 <= exchange.status < 300 and not trimmed(exchange.response):
            seen.take(exchange.response)
    for label in created["labels"]:
        seen.labels.pop(label, None)
    for exchange in replayed:  # whoever a successful write assigned could be assigned
        if isinstance(exchange.body, dict) and exchange.status < 400:
            seen.logins.update(exchange.body.get("assignees") or [])
            if exchange.body.get("assignee"):
                seen.logins.add(exchange.body["assignee"])
    owner, repo = _repository(recording)
    fake = FakeGitHub(
        owner=owner,
        repo=repo,
        clock=Clock(T0),
        default_labels=False,
        collaborators=tuple(sorted(seen.logins)),
    )
    for label in seen.labels.values():
        wanted = {k: label.get(k) for k in ("name", "color", "description")}
        fake.state.create_label(wanted)
    _seed_milestones(fake, seen, min(created["milestones"], default=None))
    layout = _layout(before)
    first_issue = min(created["issues"], default=None)
    _seed_issues(fake, seen, first_issue, layout)
    _seed_links(fake, before, seen)
    # Stand-ins must not take a number that a replayed POST is to get.
    assert first_issue is None or max(fake.state.issues, default=0) < first_issue
    ids = {}
    for exchange in [*recording.setup, *recording.exchanges]:
        for obj, _ in _objects(exchange.response):
            if kind_of(obj) == "issue" and "id" in obj:
                ids[int(obj["id"])] = int(obj["number"])
    return World(fake, ids, layout)


def _created_by(replayed: list[Exchange]) -> dict[str, set[Any]]:
    """Issue and milestone numbers and label names that the replayed writes create."""
    created: dict[str, set[Any]] = {"issues": set(), "milestones": set(), "labels": set()}
    for e in replayed:
        if e.method == "POST" and isinstance(e.response, dict) and e.status == 201:
            if e.path.endswith("/issues"):
                created["issues"].add(int(e.response["number"]))
            elif e.path.endswith("/milestones"):
                created["milestones"].add(int(e.response["number"]))
        if isinstance(e.body, dict) and re.search(r"/labels(/[^/]+)?$", e.path):
            for key in ("name", "new_name"):
                if key in e.body and "/issues/" not in e.path:
                    created["labels"].add(str(e.body[key]).lower())
    return created


def _repository(recording: Recording) -> tuple[str, str]:
    """The repository of the first successful exchange; learner/roadmap when none is."""
    for e in recording.exchanges:
        match = _REPO_PATH.match(e.path)
        if match and e.status < 400 and e.host == "api.github.com":
            return match["owner"], match["repo"]
    return "learner", "roadmap"


def _time(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


def _seed_milestones(fake: FakeGitHub, seen: Seen, first_created: int | None) -> None:
    state = fake.state
    wanted = sorted(seen.milestones)
    top = max([*wanted, (first_created or 1) - 1], default=0)
    for number in range(1, top + 1):
        raw = seen.milestones.get(number)
        title = raw["title"] if raw else f"placeholder {number}"
        milestone = state.create_milestone({"title": title}, fake.login)
        assert milestone.number == number
        if raw is None:
            del state.milestones[number]
            continue
        milestone.description = raw.get("description")
        milestone.state = raw.get("state", "open")
        milestone.due_on = _time(raw.get("due_on"))
        milestone.created_at = _time(raw.get("created_at")) or T0
        milestone.updated_at = _time(raw.get("updated_at")) or milestone.created_at
        milestone.closed_at = _time(raw.get("closed_at"))
    # The replay's first POST then gets the recorded number.
    assert first_created is None or top == first_created - 1, "milestone numbers clash"


def _seed_issues(fake: FakeGitHub, seen: Seen, first_created: int | None, layout: Layout) -> None:
    """The recorded issues under their numbers; the numbers between them are deleted
    placeholders, or stand-ins for the issues of a listing's pages that were not recorded
    (or recorded as bare ids)."""
    state = fake.state
    top = max([*seen.issues, (first_created or 1) - 1], default=0)
    unknown = layout.total - len(layout.known)
    fillers: list[Issue] = []
    for number in range(1, top + 1):
        raw = seen.issues.get(number)
        if raw is None:
            fake.ui_create_issue(f"issue {number}")
            if len(fillers) < unknown:
                fillers.append(state.issues[number])
            else:
                fake.ui_delete_issue(number)
            continue
        data = {
            "title": raw["title"],
            "body": raw.get("body"),
            "labels": [lb["name"] for lb in raw.get("labels") or []],
            "milestone": (raw.get("milestone") or {}).get("number"),
            "assignees": assignee_logins(raw),
        }
        login = (raw.get("user") or {}).get("login") or fake.login
        issue = state.create_issue(data, login, pull_request=is_pull_request(raw))
        assert issue.number == number, "issue numbers clash"
        for _ in range(int(raw.get("comments") or 0)):  # for sort=comments
            state.add_comment(number, {"body": "recorded comment"}, login)
        _recorded_state(issue, raw, login)
    while len(fillers) < unknown:
        fillers.append(state.issues[fake.ui_create_issue("issue")["number"]])
    _place(fillers, layout)
    assert first_created is None or top == first_created - 1, "issue numbers clash"


def _place(fillers: list[Issue], layout: Layout) -> None:
    """Date the stand-ins so that the listing (newest first) has the recorded issues at
    their recorded positions and the stand-ins around them."""
    known = sorted(layout.known.items())
    first = (known[0][0], parse_iso(known[0][1]["created_at"])) if known else (0, T0)
    last = (known[-1][0], parse_iso(known[-1][1]["created_at"])) if known else (0, T0)
    free = [p for p in range(1, layout.total + 1) if p not in layout.known]
    assert all(p < first[0] or p > last[0] for p in free), "recorded pages must be adjacent"
    for issue, position in zip(fillers, free, strict=True):
        if position < first[0]:
            issue.created_at = first[1] + timedelta(seconds=first[0] - position)
        else:
            issue.created_at = last[1] - timedelta(seconds=position - last[0])
        issue.updated_at = issue.created_at


def _recorded_state(issue: Issue, raw: dict[str, Any], login: str) -> None:
    issue.created_at = _time(raw.get("created_at")) or T0
    issue.updated_at = _time(raw.get("updated_at")) or issue.created_at
    if raw.get("state") == "closed":
        issue.state = "closed"
        issue.state_reason = raw.get("state_reason") or "completed"
        issue.closed_at = _time(raw.get("closed_at")) or issue.updated_at
        issue.closed_by = (raw.get("closed_by") or {}).get("login") or login
    else:
        issue.state_reason = raw.get("state_reason")


def _seed_links(fake: FakeGitHub, before: list[Exchange], seen: Seen) -> None:
    """Sub-issues and dependencies the recorded reads show, then stand-ins for the rest."""
    for exchange in before:
        match = _LISTING.search(exchange.path)
        if match is None or not isinstance(exchange.response, list):
            continue
        number, kind = int(match[1]), match[2]
        for item in exchange.response:
            other = int(item["number"])
            if kind == "sub_issues":
                fake.ui_add_sub_issue(number, other)
            elif kind == "dependencies/blocked_by":
                fake.ui_add_blocked_by(number, other)
            else:
                fake.ui_add_blocked_by(other, number)
    for number, raw in seen.issues.items():
        parent = _NUMBER_AT_END.search(raw.get("parent_issue_url") or "")
        if parent and int(parent[1]) in seen.issues:
            fake.ui_add_sub_issue(int(parent[1]), number)
    for exchange in before:
        for obj, _ in _objects(exchange.response):
            summary = obj.get("issue_dependencies_summary") if kind_of(obj) == "issue" else None
            if summary:
                _stand_ins(fake, int(obj["number"]), summary)


def _stand_ins(fake: FakeGitHub, number: int, summary: dict[str, int]) -> None:
    """Link stand-in issues until ``number``'s summary reads as recorded."""
    state = fake.state
    for far_side, total, open_count in (
        ("blocked_by", summary["total_blocked_by"], summary["blocked_by"]),
        ("blocking", summary["total_blocking"], summary["blocking"]),
    ):
        while True:
            issue = state.issues[number]
            ends = [state.issues[n] for n in getattr(issue, far_side)]
            if len(ends) >= total:
                break
            open_needed = open_count - sum(1 for e in ends if e.state == "open")
            title = f"stand-in {far_side} of #{number}"
            other = fake.ui_create_issue(title, state="open" if open_needed > 0 else "closed")
            if far_side == "blocked_by":
                fake.ui_add_blocked_by(number, other["number"])
            else:
                fake.ui_add_blocked_by(other["number"], number)


def _layout(before: list[Exchange]) -> Layout:
    """The plain issue listing's pages the recording read first (PyGithub's pagination
    tests): how many issues there were and where the recorded ones stood.

    With the last page recorded, the total is the pages before it times the page size plus
    its items; otherwise as few as make the recorded ``rel="last"`` page exist.
    """
    pages = [
        e
        for e in before
        if operation(e) == "list-issues"
        and set(e.query) <= {"page", "per_page"}
        and "link" in e.headers
        and isinstance(e.response, list)
    ]
    if not pages:
        return Layout()
    size = max(int(pages[0].query.get("per_page", 0)), *(len(e.response) for e in pages))
    layout = Layout(pages={e.index for e in pages})
    for page in pages:
        number = int(page.query.get("page", "1"))
        if 'rel="next"' not in page.headers["link"]:
            layout.total = (number - 1) * size + len(page.response)
        if not trimmed(page.response):
            for offset, raw in enumerate(page.response, start=1):
                layout.known[(number - 1) * size + offset] = raw
    if not layout.total:
        last = re.search(r'[?&]page=(\d+)[^>]*>; rel="last"', pages[0].headers["link"])
        assert last, "a listing without its last page needs rel=last"
        layout.total = (int(last[1]) - 1) * size + 1
    return layout
