"""Headers of successful writes: an ETag of the body as recorded, never a Last-Modified."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.fake_github import FakeGitHub
from tests.fake_github.plugin import REPO
from tests.fake_github.replay import PYGITHUB, octokit, parse_pygithub

STRONG_ETAG = re.compile(r'"[0-9a-f]{64}"')


def recorded_write_headers() -> list[dict[str, str]]:
    """Response headers of the recorded 200/201 writes from 2022 on (64-hex ETags).

    The 2012 PyGithub recordings have MD5 ETags (32 hex); octokit's (2022) and PyGithub's
    from 2025 on have the SHA-256 form the fake copies.
    """
    recorded = [e for path in sorted(PYGITHUB.glob("*.txt")) for e in parse_pygithub(path)]
    for scenario in ("labels", "add-labels-to-issue", "paginate-issues"):
        recorded += octokit(scenario)
    found = [e.headers for e in recorded if e.is_write and e.status in (200, 201)]
    return [h for h in found if re.fullmatch(r'(W/)?"[0-9a-f]{64}"', h.get("etag", ""))]


def test_recorded_writes_have_an_etag_and_no_last_modified() -> None:
    recorded = recorded_write_headers()
    assert len(recorded) >= 20
    assert all("last-modified" not in h for h in recorded)
    # Weak only where GitHub gzipped the answer (the two recorded 200s of DELETE).
    assert all(h["etag"].startswith('"') or h.get("content-encoding") == "gzip" for h in recorded)


Write = Callable[[FakeGitHub, dict[str, int]], requests.Response]


def _setup(fake: FakeGitHub) -> dict[str, int]:
    fake.ui_create_milestone("Month 1")
    parent = fake.ui_create_issue("Epic")
    child = fake.ui_create_issue("Task")
    fake.ui_add_sub_issue(parent["number"], child["number"])
    return {"parent": parent["number"], "child": child["number"], "child_id": child["id"]}


def _remove_blocker(fake: FakeGitHub, ctx: dict[str, int]) -> requests.Response:
    fake.ui_add_blocked_by(ctx["parent"], ctx["child"])
    path = f"{REPO}/issues/{ctx['parent']}/dependencies/blocked_by/{ctx['child_id']}"
    return fake.api("DELETE", path)


WRITES: dict[str, tuple[int, Write]] = {
    "create issue": (201, lambda f, c: f.api("POST", f"{REPO}/issues", json={"title": "t"})),
    "update issue": (
        200,
        lambda f, c: f.api("PATCH", f"{REPO}/issues/{c['child']}", json={"state": "closed"}),
    ),
    "create label": (201, lambda f, c: f.api("POST", f"{REPO}/labels", json={"name": "x"})),
    "update label": (
        200,
        lambda f, c: f.api("PATCH", f"{REPO}/labels/bug", json={"color": "000000"}),
    ),
    "create milestone": (
        201,
        lambda f, c: f.api("POST", f"{REPO}/milestones", json={"title": "Month 2"}),
    ),
    "update milestone": (
        200,
        lambda f, c: f.api("PATCH", f"{REPO}/milestones/1", json={"state": "closed"}),
    ),
    "create comment": (
        201,
        lambda f, c: f.api("POST", f"{REPO}/issues/{c['child']}/comments", json={"body": "b"}),
    ),
    "add issue labels": (
        200,
        lambda f, c: f.api("POST", f"{REPO}/issues/{c['child']}/labels", json=["bug"]),
    ),
    "remove sub-issue": (
        200,
        lambda f, c: f.api(
            "DELETE",
            f"{REPO}/issues/{c['parent']}/sub_issue",
            json={"sub_issue_id": c["child_id"]},
        ),
    ),
    "add blocked-by": (
        201,
        lambda f, c: f.api(
            "POST",
            f"{REPO}/issues/{c['parent']}/dependencies/blocked_by",
            json={"issue_id": c["child_id"]},
        ),
    ),
    "remove blocked-by": (200, _remove_blocker),
    "add sub-issue": (
        201,
        lambda f, c: f.api(
            "POST",
            f"{REPO}/issues/{c['child']}/sub_issues",
            json={"sub_issue_id": f.ui_create_issue("new")["id"]},
        ),
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_a_successful_write_has_the_etag_of_its_body(frozen: FakeGitHub, name: str) -> None:
    status, write = WRITES[name]
    response = write(frozen, _setup(frozen))
    assert response.status_code == status, response.text
    etag = response.headers["ETag"]
    assert STRONG_ETAG.fullmatch(etag)
    assert etag == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert response.headers["Cache-Control"] == "private, max-age=60, s-maxage=60"
    assert "Last-Modified" not in response.headers
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/labels/bug"), ("DELETE", "/milestones/1"), ("DELETE", "/issues/1/labels")],
)
def test_a_204_carries_no_etag_and_no_body_headers(
    frozen: FakeGitHub, method: str, path: str
) -> None:
    _setup(frozen)
    response = frozen.api(method, REPO + path)
    assert (response.status_code, response.content) == (204, b"")
    headers: dict[str, Any] = dict(response.headers)
    for name in ("ETag", "Last-Modified", "Content-Type", "Cache-Control"):
        assert name not in headers, name
    assert headers["X-RateLimit-Remaining"].isdigit()


def test_refused_writes_have_no_etag(frozen: FakeGitHub) -> None:
    refused = frozen.api("POST", f"{REPO}/labels", json={"name": "bug"})
    assert refused.status_code == 422
    assert "ETag" not in refused.headers
    missing = frozen.api("PATCH", f"{REPO}/issues/9", json={"title": "t"})
    assert missing.status_code == 404
    assert "ETag" not in missing.headers


def test_the_same_body_gives_the_same_etag(frozen: FakeGitHub) -> None:
    frozen.ui_create_issue("t")
    first = frozen.api("PATCH", f"{REPO}/issues/1", json={"title": "u"})
    again = frozen.api("PATCH", f"{REPO}/issues/1", json={"title": "u"})
    assert first.headers["ETag"] == again.headers["ETag"]
    changed = frozen.api("PATCH", f"{REPO}/issues/1", json={"title": "v"})
    assert changed.headers["ETag"] != first.headers["ETag"]
