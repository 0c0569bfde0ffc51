"""Requests without a token: public repositories can be read, private ones do not exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.fake_github import FakeGitHub
from tests.fake_github.contract import check_schema, component, operation_schema
from tests.fake_github.plugin import REPO, T0, ok

RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Used",
    "X-RateLimit-Resource",
)
WRITES = [
    ("POST", "/issues", {"title": "t"}, "issues/issues#create-an-issue"),
    ("PATCH", "/issues/1", {"title": "t"}, "issues/issues#update-an-issue"),
    ("POST", "/labels", {"name": "x"}, "issues/labels#create-a-label"),
    ("PATCH", "/labels/bug", {"color": "000000"}, "issues/labels#update-a-label"),
    ("POST", "/milestones", {"title": "M"}, "issues/milestones#create-a-milestone"),
    ("PATCH", "/milestones/1", {"state": "closed"}, "issues/milestones#update-a-milestone"),
    ("POST", "/issues/1/comments", {"body": "b"}, "issues/comments#create-an-issue-comment"),
    ("POST", "/issues/1/sub_issues", {"sub_issue_id": 1}, "issues/sub-issues#add-sub-issue"),
    ("DELETE", "/labels/bug", None, "issues/labels#delete-a-label"),
]


def make(private: bool) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(private=private, clock=lambda: T0)
    fake.ui_create_milestone("Month 1")
    fake.ui_create_issue("Learn Python", milestone=1)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


@pytest.fixture
def public() -> Iterator[FakeGitHub]:
    yield from make(private=False)


@pytest.fixture
def private() -> Iterator[FakeGitHub]:
    yield from make(private=True)


def test_the_default_repository_is_public(fake_github: FakeGitHub) -> None:
    repo = ok(fake_github.api("GET", REPO))
    assert (repo["private"], repo["visibility"]) == (False, "public")


def test_anonymous_reads_of_a_public_repository_use_the_60_an_hour_bucket(
    public: FakeGitHub,
) -> None:
    for number, path in enumerate(
        (
            REPO,
            f"{REPO}/issues?state=all",
            f"{REPO}/issues/1",
            f"{REPO}/labels",
            f"{REPO}/milestones",
        ),
        start=1,
    ):
        response = public.api("GET", path, token="")
        assert response.status_code == 200, path
        assert {h: response.headers[h] for h in RATE_HEADERS} == {
            "X-RateLimit-Limit": "60",
            "X-RateLimit-Remaining": str(60 - number),
            "X-RateLimit-Reset": str(int(T0.timestamp()) + 3600),
            "X-RateLimit-Used": str(number),
            "X-RateLimit-Resource": "core",
        }
    assert public.core.remaining == 5000  # the token's bucket is untouched
    repo = ok(public.api("GET", REPO, token=""))
    assert "permissions" not in repo  # GitHub tells only a signed-in user what they may do
    check_schema(repo, operation_schema("/repos/{owner}/{repo}", "GET", 200))
    assert ok(public.api("GET", REPO))["permissions"]["push"] is True


def test_an_anonymous_conditional_read_is_free(public: FakeGitHub) -> None:
    first = public.api("GET", f"{REPO}/issues/1", token="")
    again = public.api(
        "GET", f"{REPO}/issues/1", token="", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["X-RateLimit-Remaining"] == "59"


@pytest.mark.parametrize(("method", "path", "body", "doc"), WRITES)
def test_anonymous_writes_need_authentication(
    public: FakeGitHub, method: str, path: str, body: object, doc: str
) -> None:
    before = (public.issues(), public.labels(), public.milestones())
    response = public.api(method, REPO + path, token="", json=body)
    assert response.status_code == 401
    assert response.json() == {
        "message": "Requires authentication",
        "documentation_url": f"https://docs.github.com/rest/{doc}",
        "status": "401",
    }
    check_schema(response.json(), component("basic-error"))
    assert response.headers["X-RateLimit-Limit"] == "60"
    assert (public.issues(), public.labels(), public.milestones()) == before
    assert public.applied_writes == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "", None),
        ("GET", "/issues", None),
        ("GET", "/issues/1", None),
        ("GET", "/labels", None),
        ("GET", "/milestones/1", None),
        ("POST", "/issues", {"title": "t"}),
        ("PATCH", "/issues/1", {"state": "closed"}),
    ],
)
def test_a_private_repository_is_not_found_without_a_token(
    private: FakeGitHub, method: str, path: str, body: object
) -> None:
    response = private.api(method, REPO + path, token="", json=body)
    assert response.status_code == 404
    assert response.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "status": "404",
    }
    assert response.headers["X-RateLimit-Limit"] == "60"
    alias = f"/repositories/{private.state.repo_id}"
    assert private.api("GET", alias, token="").status_code == 404
    assert [i["state"] for i in private.issues()] == ["open"]


def test_a_private_repository_is_served_with_a_token(private: FakeGitHub) -> None:
    repo = ok(private.api("GET", REPO))
    assert (repo["private"], repo["visibility"]) == (True, "private")
    check_schema(repo, operation_schema("/repos/{owner}/{repo}", "GET", 200))
    ok(private.api("POST", f"{REPO}/issues", json={"title": "t"}), 201)


@pytest.mark.parametrize("private", [False, True])
def test_a_wrong_token_is_bad_credentials_everywhere(private: bool) -> None:
    for fake in make(private):
        for method, path in (("GET", REPO), ("GET", f"{REPO}/issues"), ("POST", f"{REPO}/issues")):
            response = fake.api(method, path, token="ghp_wrong", json={"title": "t"})
            assert response.status_code == 401
            assert response.json() == {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest",
                "status": "401",
            }
            assert response.headers["X-RateLimit-Limit"] == "60"
        assert fake.api("GET", "/rate_limit", token="ghp_wrong").status_code == 401


def test_the_unauthenticated_bucket_runs_out_after_60_requests(public: FakeGitHub) -> None:
    statuses = [public.api("GET", REPO, token="").status_code for _ in range(61)]
    assert statuses == [200] * 60 + [403]
    limited = public.api("GET", f"{REPO}/issues", token="")
    assert limited.status_code == 403
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.json()["message"].startswith("API rate limit exceeded for 127.0.0.1.")
    assert public.api("GET", REPO).status_code == 200  # a token has its own bucket


def test_rate_limit_needs_no_token(public: FakeGitHub) -> None:
    public.api("GET", REPO, token="")
    overview = ok(public.api("GET", "/rate_limit", token=""))
    check_schema(overview, operation_schema("/rate_limit", "GET", 200))
    core = overview["resources"]["core"]
    assert (core["limit"], core["used"], core["remaining"]) == (60, 1, 59)
    assert overview["resources"]["search"]["limit"] == 10
    assert ok(public.api("GET", "/rate_limit"))["resources"]["core"]["limit"] == 5000
