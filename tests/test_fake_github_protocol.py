"""Protocol behaviour of the fake GitHub: routing, auth, rate limit, ETags, pagination, log."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from tests.fake_github import UTC, Clock, FakeGitHub
from tests.fake_github.plugin import REPO, T0, ok


def links(response: requests.Response) -> dict[str, dict[str, list[str]]]:
    """rel -> query of each Link entry."""
    found = {}
    for part in response.headers.get("Link", "").split(", ") if "Link" in response.headers else []:
        url, rel = part.split("; ")
        found[rel.removeprefix('rel="').rstrip('"')] = parse_qs(urlsplit(url.strip("<>")).query)
    return found


# -- routing, auth, errors ----------------------------------------------------------------
def test_other_repositories_and_unknown_routes_are_404(fake_github: FakeGitHub) -> None:
    for path in ("/repos/learner/other", "/repos/someone/roadmap/issues", f"{REPO}/nope"):
        response = fake_github.api("GET", path)
        assert response.status_code == 404
        assert response.json()["message"] == "Not Found"
        assert response.json()["documentation_url"].startswith("https://docs.github.com/rest")
    assert ok(fake_github.api("GET", "/repos/Learner/RoadMap"))["full_name"] == "learner/roadmap"


def test_authentication(fake_github: FakeGitHub) -> None:
    # The default fake repository is public: reads need no token, writes do (more in
    # test_fake_github_visibility.py).
    assert fake_github.api("GET", REPO, token="").status_code == 200
    missing = fake_github.api("POST", f"{REPO}/issues", token="", json={"title": "t"})
    assert (missing.status_code, missing.json()["message"]) == (401, "Requires authentication")
    wrong = fake_github.api("GET", REPO, token="ghp_nope")
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
    assert wrong.headers["X-RateLimit-Limit"] == "60"  # the unauthenticated bucket
    bearer = fake_github.api(
        "GET", REPO, token="", headers={"Authorization": f"Bearer {fake_github.token}"}
    )
    assert bearer.status_code == 200


def test_read_only_token_cannot_write() -> None:
    fake = FakeGitHub(read_only_token="ghp_readonly")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        assert fake.api("GET", f"{REPO}/issues", token="ghp_readonly").status_code == 200
        denied = fake.api("POST", f"{REPO}/issues", token="ghp_readonly", json={"title": "t"})
        assert denied.status_code == 403
        assert denied.json()["message"] == "Resource not accessible by personal access token"
        assert int(denied.headers["X-RateLimit-Remaining"]) > 0  # not a rate limit
        repo = ok(fake.api("GET", REPO, token="ghp_readonly"))
        assert repo["permissions"]["push"] is False
    assert fake.issues() == []


def test_bad_json_bodies(fake_github: FakeGitHub) -> None:
    broken = fake_github.api(
        "POST", f"{REPO}/issues", data=b"{title: nope", headers={"Content-Type": "application/json"}
    )
    assert (broken.status_code, broken.json()["message"]) == (400, "Problems parsing JSON")
    array = fake_github.api("POST", f"{REPO}/issues", json=["t"])
    assert (array.status_code, array.json()["message"]) == (400, "Body should be a JSON object")
    assert fake_github.issues() == []


# -- rate limit and conditional requests --------------------------------------------------
def test_rate_limit_headers_count_down_and_304s_are_free(frozen: FakeGitHub) -> None:
    first = frozen.api("GET", REPO)
    second = frozen.api("POST", f"{REPO}/issues", json={"title": "t"})
    assert [r.headers["X-RateLimit-Remaining"] for r in (first, second)] == ["4999", "4998"]
    assert second.headers["X-RateLimit-Used"] == "2"
    assert int(first.headers["X-RateLimit-Reset"]) == int((T0 + timedelta(hours=1)).timestamp())
    etag = frozen.api("GET", f"{REPO}/issues/1").headers["ETag"]  # remaining 4997
    cached = frozen.api("GET", f"{REPO}/issues/1", headers={"If-None-Match": etag})
    assert (cached.status_code, cached.content) == (304, b"")
    assert cached.headers["X-RateLimit-Remaining"] == "4997"
    overview = ok(frozen.api("GET", "/rate_limit"))
    assert overview["resources"]["core"]["remaining"] == overview["rate"]["remaining"] == 4997
    frozen.ui_edit_issue(1, title="changed")
    assert frozen.api("GET", f"{REPO}/issues/1", headers={"If-None-Match": etag}).status_code == 200
    assert [r.counted for r in frozen.requests] == [True, True, True, False, False, True]


def test_exhausting_the_primary_limit(frozen: FakeGitHub) -> None:
    fake = FakeGitHub(rate_limit=2, clock=frozen.clock)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        assert [fake.api("GET", REPO).status_code for _ in range(2)] == [200, 200]
        limited = fake.api("GET", REPO)
        assert limited.status_code == 403
        assert limited.json()["message"].startswith("API rate limit exceeded")
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        fake.clock.advance(3600)
        after = fake.api("GET", REPO)
        assert (after.status_code, after.headers["X-RateLimit-Remaining"]) == (200, "1")


# -- pagination ---------------------------------------------------------------------------
@pytest.mark.parametrize(("count", "pages"), [(30, 1), (31, 2), (60, 2), (61, 3)])
def test_link_header_at_page_boundaries(fake_github: FakeGitHub, count: int, pages: int) -> None:
    for n in range(count):
        fake_github.ui_create_issue(f"t{n}")
    first = fake_github.api("GET", f"{REPO}/issues")
    assert len(first.json()) == min(count, 30)
    if pages == 1:
        assert "Link" not in first.headers
        return
    assert set(links(first)) == {"next", "last"}
    assert links(first)["last"]["page"] == [str(pages)]
    last = fake_github.api("GET", f"{REPO}/issues?page={pages}")
    assert len(last.json()) == count - 30 * (pages - 1)
    assert set(links(last)) == {"prev", "first"}
    assert links(last)["prev"]["page"] == [str(pages - 1)]


def test_per_page_is_capped_and_carried(fake_github: FakeGitHub) -> None:
    for n in range(205):
        fake_github.ui_create_issue(f"t{n}")
    page = fake_github.api("GET", f"{REPO}/issues?per_page=500&state=all&page=2")
    assert len(page.json()) == 100
    assert {rel: q["per_page"] for rel, q in links(page).items()} == {
        rel: ["500"] for rel in ("prev", "next", "last", "first")
    }
    assert links(page)["next"]["state"] == ["all"]
    url = page.headers["Link"].split(">")[0].lstrip("<")
    assert url.startswith("https://api.github.com/repositories/")
    assert fake_github.api("GET", url.removeprefix("https://api.github.com")).status_code == 200


# -- request log and web-UI helpers -------------------------------------------------------
def test_request_log(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_issue("by hand")  # web-UI actions are not logged
    assert fake_github.requests == []
    fake_github.api("GET", f"{REPO}/issues?state=all&labels=a,b")
    fake_github.api("PATCH", f"{REPO}/issues/1", json={"title": "new"})
    fake_github.api("PATCH", f"{REPO}/issues/99", json={"title": "new"})
    assert (fake_github.reads, fake_github.writes, fake_github.applied_writes) == (1, 2, 1)
    read, write, failed = fake_github.requests
    assert (read.kind, read.query, read.status) == (
        "read",
        {"state": ["all"], "labels": ["a,b"]},
        200,
    )
    assert (write.body, write.applied, write.headers["Authorization"]) == (
        {"title": "new"},
        True,
        f"token {fake_github.token}",
    )
    assert (failed.status, failed.applied) == (404, False)
    assert fake_github.calls("PATCH", r"/issues/\d+$") == [write, failed]
    fake_github.reset_log()
    assert (fake_github.requests, fake_github.reads) == ([], 0)
    assert fake_github.issue(1)["title"] == "new"


def test_web_ui_helpers(frozen: FakeGitHub) -> None:
    frozen.ui_create_milestone("M", due_on="2025-02-01")
    issue = frozen.ui_create_issue(
        "hand", body="written by hand", labels=["x"], milestone=1, assignees=["mentor"]
    )
    frozen.ui_add_labels(issue["number"], "y")
    frozen.ui_add_assignees(issue["number"], "peer")
    frozen.ui_close_issue(issue["number"], reason="not_planned")
    now = frozen.issue(issue["number"])
    assert [lb["name"] for lb in now["labels"]] == ["x", "y"]
    assert [a["login"] for a in now["assignees"]] == ["mentor", "peer"]
    assert (now["state"], now["state_reason"], now["body"]) == (
        "closed",
        "not_planned",
        "written by hand",
    )
    assert frozen.ui_reopen_issue(issue["number"])["state_reason"] == "reopened"
    frozen.ui_delete_label("wontfix")
    assert len(frozen.labels()) == 10  # 9 defaults - wontfix + x + y
    frozen.ui_add_default_labels()
    assert len(frozen.labels()) == 11
    assert frozen.milestones()[0]["open_issues"] == 1
    assert frozen.requests == []


def test_clock_is_injectable() -> None:
    clock = Clock(datetime(2030, 5, 17, 8, 0, 0))
    fake = FakeGitHub(clock=clock)
    assert fake.ui_create_issue("t")["created_at"] == "2030-05-17T08:00:00Z"
    wall = FakeGitHub(clock=lambda: datetime(2031, 1, 1, tzinfo=UTC))
    assert wall.ui_create_issue("t")["created_at"] == "2031-01-01T00:00:00Z"
