"""Comparing the fake's answers with recorded ones (used by test_fake_github_replay.py).

``send`` replays one recorded request against a :class:`World`'s fake; the ``check_*``
functions compare the answer with the recorded one: the status is the caller's, the
headers and the fields roadmap-sync reads are here. Values of the recording's world (ids,
dates, URLs) are compared by presence and form; where a recording predates a documented
change, the documented value is checked instead, and the comment says which change.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

import requests

from .replay import Exchange, operation
from .replay_world import World, assignee_logins, is_pull_request

API = "https://api.github.com"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
REASONS = {"open": (None, "reopened"), "closed": ("completed", "not_planned", "duplicate")}
ISSUE_ANSWERS = {
    "get-issue",
    "create-issue",
    "update-issue",
    "add-sub-issue",
    "remove-sub-issue",
    "add-blocked-by",
    "remove-blocked-by",
}
ISSUE_LISTS = {"list-issues", "list-sub-issues", "list-blocked-by", "list-blocking"}


def send(world: World, exchange: Exchange) -> requests.Response:
    """The recorded request, addressed to the fake's repository and issues."""
    fake = world.fake
    target = re.sub(r"^/repositories/\d+", f"/repositories/{fake.state.repo_id}", exchange.target)
    target = re.sub(
        r"(/dependencies/blocked_by/)(\d+)$",
        lambda m: f"{m[1]}{world.fake_issue_id(int(m[2]))}",
        target,
    )
    body = exchange.body
    if isinstance(body, dict):
        body = {
            k: world.fake_issue_id(v) if k in ("sub_issue_id", "issue_id") else v
            for k, v in body.items()
        }
    headers = {"Authorization": f"token {fake.token}"}
    if "user-agent" in exchange.request_headers:
        headers["User-Agent"] = exchange.request_headers["user-agent"]
    if "if-none-match" in exchange.request_headers:
        # A 304 was recorded for an ETag the client held: hold the fake's current one.
        current = fake.api("GET", target).headers["ETag"] if exchange.status == 304 else None
        headers["If-None-Match"] = current or exchange.request_headers["if-none-match"]
    return requests.request(exchange.method, API + target, json=body, headers=headers, timeout=10)


def docs_page(world: World, exchange: Exchange) -> tuple[int, bool]:
    """(items, has next) of a page of PyGithub's pagination recordings, by GitHub's docs.

    Those 2012-13 pages held 25 issues when no per_page was sent; GitHub documents a
    default of 30 (RULES.md G2), which the fake follows, so the counts come from the docs.
    """
    size = min(int(exchange.query.get("per_page", "30")), 100)
    page = int(exchange.query.get("page", "1"))
    total = world.layout.total
    count = max(0, min(size, total - (page - 1) * size))
    if "per_page" in exchange.query:  # the same page size: the recording must agree
        assert count == len(exchange.response)
    return count, page * size < total


def check_headers(
    world: World, exchange: Exchange, response: requests.Response, where: str
) -> None:
    recorded = exchange.headers
    if "etag" in recorded and exchange.status in (200, 201, 304):
        assert "ETag" in response.headers, where
    for name in recorded:
        if name.startswith("x-ratelimit-"):
            assert name in response.headers, f"{where}: {name}"
    if exchange.status != 200 or exchange.method != "GET":
        assert ('rel="next"' in response.headers.get("Link", "")) is False, where
    elif isinstance(exchange.response, list):
        wanted = 'rel="next"' in recorded.get("link", "")
        if exchange.index in world.layout.pages:
            wanted = docs_page(world, exchange)[1]
        assert ('rel="next"' in response.headers.get("Link", "")) == wanted, where
    if "location" in recorded:
        ours = urlsplit(response.headers["Location"]).path
        theirs = urlsplit(recorded["location"]).path
        # The repository part is the recording's world; what it points at must match.
        assert unquote(ours.split("/", 4)[-1]) == unquote_plus(theirs.split("/", 4)[-1]), where


def check_body(
    world: World, exchange: Exchange, expected: Any, response: requests.Response, where: str
) -> None:
    if exchange.status in (204, 304):
        assert response.content == b"", where
        return
    ours = response.json()
    op = operation(exchange)
    if exchange.status >= 400:
        assert ours["message"] == expected["message"], where
        assert _errors(ours) == _errors(expected), where
    elif op == "get-repository":
        assert (ours["full_name"], ours["private"]) == (expected["full_name"], expected["private"])
    elif op == "list-labels":
        assert sorted(lb["name"] for lb in ours) == sorted(lb["name"] for lb in expected), where
        by_name = {lb["name"]: lb for lb in expected}
        for label in ours:  # label order is not documented (2012: not alphabetical)
            check_label(label, by_name[label["name"]], where)
    elif op in ("create-label", "update-label"):
        check_label(ours, expected, where)
    elif op == "list-milestones":
        assert [m["number"] for m in ours] == [m["number"] for m in expected], where
        for mine, theirs in zip(ours, expected, strict=True):
            check_milestone(mine, theirs, where)
    elif op in ("create-milestone", "update-milestone"):
        check_milestone(ours, expected, where)
    elif op in ISSUE_LISTS:
        check_issue_list(world, exchange, ours, expected, where)
    elif op in ISSUE_ANSWERS:
        check_issue(world, ours, expected, where)
    else:
        assert op == "create-comment", f"{where}: no comparison for {op}"
        assert ours["body"] == expected["body"], where


def _errors(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e.get("resource"), e.get("field"), e.get("code")) for e in body.get("errors", [])]


def check_label(ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    assert (ours["name"], ours["color"]) == (theirs["name"], theirs["color"]), where
    if "description" in theirs:
        assert ours["description"] == theirs["description"], where
    else:  # recorded before labels had descriptions (2018): null when none was given
        assert ours["description"] is None, where


def check_milestone(ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    for key in ("number", "title", "description", "state", "due_on"):
        assert ours[key] == theirs[key], f"{where}: {key}"


def check_issue_list(
    world: World, exchange: Exchange, ours: list[Any], expected: list[Any], where: str
) -> None:
    if exchange.index in world.layout.pages:  # pages cut the docs' way (see docs_page)
        assert len(ours) == docs_page(world, exchange)[0], where
        assert all(isinstance(i["id"], int) for i in ours), where
        # PyGithub kept some pages as bare ids; the issues a kept page shares with ours
        # come in the same order and read the same.
        recorded = {i["number"]: i for i in expected if "number" in i}
        shared = [i for i in ours if i["number"] in recorded]
        order = [n for n in recorded if n in {i["number"] for i in shared}]
        assert [i["number"] for i in shared] == order, where
        for item in shared:
            check_issue(world, item, recorded[item["number"]], f"{where} #{item['number']}")
        return
    by_number = {i["number"]: i for i in expected}
    numbers = [i["number"] for i in ours]
    assert sorted(numbers) == sorted(by_number), where
    # The order is by the requested sort; among equal keys GitHub's order is its own.
    sort = exchange.query.get("sort", "created") if operation(exchange) == "list-issues" else ""
    key = {"created": "created_at", "updated": "updated_at", "comments": "comments"}.get(sort)
    if key is None:  # sub-issues and dependencies: in the order they were linked
        assert numbers == [i["number"] for i in expected], where
    else:
        assert [by_number[n][key] for n in numbers] == [i[key] for i in expected], where
    for item in ours:
        check_issue(world, item, by_number[item["number"]], f"{where} item #{item['number']}")


def check_issue(world: World, ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    number = theirs["number"]
    assert ours["number"] == number, where
    assert isinstance(ours["id"], int), where
    for key in ("title", "body", "state"):
        assert ours[key] == theirs[key], f"{where}: {key}"
    if "state_reason" in theirs:
        assert ours["state_reason"] == theirs["state_reason"], where
    else:  # recorded before state_reason (2022): what the docs give for the state
        assert ours["state_reason"] in REASONS[ours["state"]], where
    names = sorted(lb["name"] for lb in ours["labels"])
    assert names == sorted(lb["name"] for lb in theirs["labels"]), where
    mine = (ours["milestone"] or {}).get("number")
    assert mine == (theirs["milestone"] or {}).get("number"), where
    for key in ("created_at", "updated_at"):
        assert TIMESTAMP.fullmatch(ours[key]), f"{where}: {key}"
    closed = ours["closed_at"]
    assert (closed is None) == (theirs["closed_at"] is None), f"{where}: closed_at"
    assert closed is None or TIMESTAMP.fullmatch(closed), where
    # assignees came in 2016; before, the one assignee. Their order is not documented.
    assert sorted(assignee_logins(ours)) == sorted(assignee_logins(theirs)), where
    assert sorted(a["login"] for a in ours["assignees"]) == sorted(assignee_logins(theirs))
    kind = "pull" if "pull_request" in ours else "issues"
    assert re.search(rf"/{kind}/{number}$", ours["html_url"]), where
    # Before 2013 every issue had a pull_request key (with null URLs) even when it was no
    # pull request; the docs: the key marks pull requests (RULES.md G4).
    assert ("pull_request" in ours) == is_pull_request(theirs), where
    assert ("repository" in ours) == ("repository" in theirs), f"{where}: repository"
    parent = world.fake.state.issues[number].parent
    if "parent_issue_url" in theirs:
        assert (ours.get("parent_issue_url") is None) == (theirs["parent_issue_url"] is None)
    # No recording has parent_issue_url, not even the sub-issue listings of July 2025;
    # the issue schema documents it for a sub-issue, and the product reads it.
    if parent is None:
        assert ours.get("parent_issue_url") is None, where
    else:
        assert ours["parent_issue_url"].endswith(f"/issues/{parent}"), where
    summary = ours["issue_dependencies_summary"]
    if "issue_dependencies_summary" in theirs:
        assert summary == theirs["issue_dependencies_summary"], where
    else:  # recorded before issue dependencies (2025): the documented shape
        assert set(summary) == {"blocked_by", "total_blocked_by", "blocking", "total_blocking"}
        assert all(isinstance(v, int) for v in summary.values()), where
