"""The fake GitHub against GitHub's own description and recorded traffic.

Every operation the fake serves is called through ``requests`` and its JSON is validated
against the response schema GitHub publishes for that path, method and status
(``openapi-subset.json``, OpenAPI 3.0 converted to JSON Schema). Header shapes are compared
with real recordings (octokit fixtures, PyGithub replay data).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from tests.fake_github import FakeGitHub
from tests.fake_github.contract import (
    LINK,
    SPEC,
    array_of,
    check_schema,
    component,
    link_shape,
    operation_schema,
)
from tests.fake_github.replay import PYGITHUB, octokit, parse_pygithub

API = "https://api.github.com"
REPO = "/repos/learner/roadmap"
READ_ONLY = "ghp_readonly0000000000000000000000000000"


@dataclass
class Case:
    """One request and where its expected response schema lives."""

    spec_path: str | None  # OpenAPI path template; None for endpoints outside the subset
    method: str
    url: Callable[[dict[str, Any]], str]
    status: int
    body: Callable[[dict[str, Any]], Any] | None = None
    check: Callable[[Any], None] | None = None  # used when spec_path is None (or overrides)
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent verbatim instead of ``body``
    prepare: Callable[[FakeGitHub], object] | None = None


def populate(fake: FakeGitHub) -> dict[str, Any]:
    """Repository state every case can rely on; returns numbers and ids the URLs use."""
    milestone = fake.ui_create_milestone("Month 1", "First month", due_on="2025-03-01")
    fake.ui_create_milestone("Month 2")
    parent = fake.ui_create_issue("Epic", body="epic", labels=["epic"], milestone=1)
    child = fake.ui_create_issue("Task", labels=["bug", "task"], milestone=1, assignees=["ana"])
    other = fake.ui_create_issue("Other parent")
    loose = fake.ui_create_issue("Loose", state="closed", state_reason="not_planned")
    fake.ui_add_pull_request("A pull request", labels=["bug"])
    fake.ui_add_sub_issue(parent["number"], child["number"])
    fake.ui_add_blocked_by(child["number"], other["number"])
    fake.ui_add_comment(parent["number"], "first!")
    fake.ui_put_file("README.md", "# roadmap\n")
    fake.ui_put_file("docs/plan.md", "plan\n")
    gone = fake.ui_create_issue("Deleted on the web")
    fake.ui_delete_issue(gone["number"])
    fake.read_only_token = READ_ONLY
    return {
        "gone": gone["number"],
        "milestone": milestone["number"],
        "parent": parent["number"],
        "child": child["number"],
        "child_id": child["id"],
        "other": other["number"],
        "other_id": other["id"],
        "loose_id": loose["id"],
        # Git's blob id, computed independently of the fake.
        "readme_sha": hashlib.sha1(b"blob 10\0# roadmap\n").hexdigest(),
    }


def requests_get(fake: FakeGitHub, path: str) -> requests.Response:
    """Authenticated GET against the installed fake."""
    return requests.get(API + path, headers={"Authorization": f"token {fake.token}"}, timeout=5)


def _r(path: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: REPO + path.format(**ctx)


CASES: dict[str, Case] = {
    "repo": Case("/repos/{owner}/{repo}", "GET", _r(""), 200),
    "repo-404": Case("/repos/{owner}/{repo}", "GET", lambda ctx: "/repos/learner/other-repo", 404),
    "rate_limit": Case("/rate_limit", "GET", lambda ctx: "/rate_limit", 200),
    "labels": Case("/repos/{owner}/{repo}/labels", "GET", _r("/labels"), 200),
    "label-create": Case(
        "/repos/{owner}/{repo}/labels",
        "POST",
        _r("/labels"),
        201,
        lambda ctx: {"name": "in progress", "color": "fbca04", "description": "Doing it"},
    ),
    "label-duplicate": Case(
        "/repos/{owner}/{repo}/labels", "POST", _r("/labels"), 422, lambda ctx: {"name": "BUG"}
    ),
    "label-bad-color": Case(
        "/repos/{owner}/{repo}/labels",
        "POST",
        _r("/labels"),
        422,
        lambda ctx: {"name": "foo", "color": "invalid"},
    ),
    "label": Case(
        "/repos/{owner}/{repo}/labels/{name}", "GET", _r("/labels/good%20first%20issue"), 200
    ),
    "label-404": Case("/repos/{owner}/{repo}/labels/{name}", "GET", _r("/labels/nope"), 404),
    "label-update": Case(
        "/repos/{owner}/{repo}/labels/{name}",
        "PATCH",
        _r("/labels/question"),
        200,
        lambda ctx: {"new_name": "help needed", "color": "BADA55", "description": None},
    ),
    "label-delete": Case(
        "/repos/{owner}/{repo}/labels/{name}", "DELETE", _r("/labels/wontfix"), 204
    ),
    "milestones": Case("/repos/{owner}/{repo}/milestones", "GET", _r("/milestones?state=all"), 200),
    "milestone-create": Case(
        "/repos/{owner}/{repo}/milestones",
        "POST",
        _r("/milestones"),
        201,
        lambda ctx: {"title": "Month 3", "due_on": "2025-05-01T00:00:00Z", "state": "open"},
    ),
    "milestone-duplicate": Case(
        "/repos/{owner}/{repo}/milestones",
        "POST",
        _r("/milestones"),
        422,
        lambda ctx: {"title": "Month 1"},
    ),
    "milestone": Case(
        "/repos/{owner}/{repo}/milestones/{milestone_number}", "GET", _r("/milestones/1"), 200
    ),
    "milestone-404": Case(
        "/repos/{owner}/{repo}/milestones/{milestone_number}", "GET", _r("/milestones/99"), 404
    ),
    "milestone-update": Case(
        "/repos/{owner}/{repo}/milestones/{milestone_number}",
        "PATCH",
        _r("/milestones/2"),
        200,
        lambda ctx: {"state": "closed", "due_on": None, "description": "done"},
    ),
    "milestone-delete": Case(
        "/repos/{owner}/{repo}/milestones/{milestone_number}", "DELETE", _r("/milestones/2"), 204
    ),
    "issues": Case("/repos/{owner}/{repo}/issues", "GET", _r("/issues?state=all"), 200),
    "issue-create": Case(
        "/repos/{owner}/{repo}/issues",
        "POST",
        _r("/issues"),
        201,
        lambda ctx: {
            "title": "New",
            "body": "text",
            "labels": ["brand-new", {"name": "bug"}],
            "milestone": 1,
            "assignees": ["learner"],
        },
    ),
    "issue-bad-milestone": Case(
        "/repos/{owner}/{repo}/issues",
        "POST",
        _r("/issues"),
        422,
        lambda ctx: {"title": "New", "milestone": 77},
    ),
    "issue-bad-json": Case(
        "/repos/{owner}/{repo}/issues",
        "POST",
        _r("/issues"),
        400,
        raw=b'{"title": ',
        headers={"Content-Type": "application/json"},
    ),
    "issue-read-only-token": Case(
        "/repos/{owner}/{repo}/issues",
        "POST",
        _r("/issues"),
        403,
        lambda ctx: {"title": "t"},
        headers={"Authorization": f"token {READ_ONLY}"},
    ),
    "issue-create-503": Case(
        "/repos/{owner}/{repo}/issues",
        "POST",
        _r("/issues"),
        503,
        lambda ctx: {"title": "t"},
        prepare=lambda fake: fake.fail("error", method="POST", status=503),
    ),
    "issue": Case("/repos/{owner}/{repo}/issues/{issue_number}", "GET", _r("/issues/{child}"), 200),
    "issue-gone": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}", "GET", _r("/issues/{gone}"), 410
    ),
    "issue-404": Case("/repos/{owner}/{repo}/issues/{issue_number}", "GET", _r("/issues/999"), 404),
    "issue-update": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}",
        "PATCH",
        _r("/issues/{child}"),
        200,
        lambda ctx: {"state": "closed", "state_reason": "duplicate", "labels": ["task"]},
    ),
    "issue-add-labels": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "POST",
        _r("/issues/{parent}/labels"),
        200,
        lambda ctx: ["documentation", "Epic"],
    ),
    "issue-set-labels": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "PUT",
        _r("/issues/{parent}/labels"),
        200,
        lambda ctx: {"labels": [{"name": "enhancement"}]},
    ),
    "sub-issues": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
        "GET",
        _r("/issues/{parent}/sub_issues"),
        200,
    ),
    "sub-issue-add": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
        "POST",
        _r("/issues/{parent}/sub_issues"),
        201,
        lambda ctx: {"sub_issue_id": ctx["loose_id"]},
    ),
    "sub-issue-second-parent": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
        "POST",
        _r("/issues/{other}/sub_issues"),
        422,
        lambda ctx: {"sub_issue_id": ctx["child_id"]},
    ),
    "parent": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/parent",
        "GET",
        _r("/issues/{child}/parent"),
        200,
    ),
    "parent-404": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/parent",
        "GET",
        _r("/issues/{parent}/parent"),
        404,
    ),
    "blocked-by": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
        "GET",
        _r("/issues/{child}/dependencies/blocked_by"),
        200,
    ),
    "blocked-by-gone": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
        "GET",
        _r("/issues/{gone}/dependencies/blocked_by"),
        410,
    ),
    "blocked-by-add": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
        "POST",
        _r("/issues/{parent}/dependencies/blocked_by"),
        201,
        lambda ctx: {"issue_id": ctx["other_id"]},
    ),
    "blocked-by-itself": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
        "POST",
        _r("/issues/{other}/dependencies/blocked_by"),
        422,
        lambda ctx: {"issue_id": ctx["other_id"]},
    ),
    "blocked-by-unknown-id": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
        "POST",
        _r("/issues/{parent}/dependencies/blocked_by"),
        404,
        lambda ctx: {"issue_id": ctx["other"]},  # a number is not an id
    ),
    "blocked-by-remove": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
        "DELETE",
        _r("/issues/{child}/dependencies/blocked_by/{other_id}"),
        200,
    ),
    "blocked-by-remove-404": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
        "DELETE",
        _r("/issues/{parent}/dependencies/blocked_by/{other_id}"),
        404,
    ),
    "blocking": Case(
        "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking",
        "GET",
        _r("/issues/{other}/dependencies/blocking"),
        200,
    ),
    "content-file": Case(
        "/repos/{owner}/{repo}/contents/{path}", "GET", _r("/contents/README.md"), 200
    ),
    "content-dir": Case("/repos/{owner}/{repo}/contents/{path}", "GET", _r("/contents/docs"), 200),
    "content-404": Case(
        "/repos/{owner}/{repo}/contents/{path}", "GET", _r("/contents/missing.md"), 404
    ),
    "content-create": Case(
        "/repos/{owner}/{repo}/contents/{path}",
        "PUT",
        _r("/contents/progress.json"),
        201,
        lambda ctx: {"message": "add", "content": "e30="},
    ),
    "content-update": Case(
        "/repos/{owner}/{repo}/contents/{path}",
        "PUT",
        _r("/contents/README.md"),
        200,
        lambda ctx: {"message": "edit", "content": "IyBuZXcK", "sha": ctx["readme_sha"]},
    ),
    "content-missing-sha": Case(
        "/repos/{owner}/{repo}/contents/{path}",
        "PUT",
        _r("/contents/README.md"),
        422,
        lambda ctx: {"message": "edit", "content": "IyBuZXcK"},
    ),
    # The spec's 409 is oneOf(basic-error, repository-rule-violation-error); neither has a
    # required key, so any object matches both and oneOf can never pass: use the basic one.
    "content-stale-sha": Case(
        None,
        "PUT",
        _r("/contents/README.md"),
        409,
        lambda ctx: {"message": "edit", "content": "IyBuZXcK", "sha": "0" * 40},
        lambda body: check_schema(body, component("basic-error")),
    ),
    # Endpoints the fake serves that are not in the OpenAPI subset: component schemas.
    "issue-labels": Case(None, "GET", _r("/issues/{child}/labels"), 200, None, array_of("label")),
    "issue-remove-label": Case(
        None, "DELETE", _r("/issues/{child}/labels/BUG"), 200, None, array_of("label")
    ),
    "comment-create": Case(
        None,
        "POST",
        _r("/issues/{parent}/comments"),
        201,
        lambda ctx: {"body": "progress update"},
        lambda body: check_schema(body, component("nullable-issue-comment")),
    ),
    "comments": Case(
        None, "GET", _r("/issues/{parent}/comments"), 200, None, array_of("nullable-issue-comment")
    ),
    "sub-issue-remove": Case(
        None,
        "DELETE",
        _r("/issues/{parent}/sub_issue"),
        200,
        lambda ctx: {"sub_issue_id": ctx["child_id"]},
        lambda body: check_schema(body, component("issue")),
    ),
    "bad-credentials": Case(
        None,
        "GET",
        _r("/issues"),
        401,
        None,
        lambda body: check_schema(body, component("basic-error")),
        {"Authorization": "token ghp_wrong"},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_response_matches_github_schema(fake_github: FakeGitHub, name: str) -> None:
    case = CASES[name]
    ctx = populate(fake_github)
    if case.prepare is not None:
        case.prepare(fake_github)
    headers = {"Authorization": f"token {fake_github.token}", **case.headers}
    body = case.body(ctx) if case.body else None
    response = requests.request(
        case.method, API + case.url(ctx), json=body, data=case.raw, headers=headers, timeout=5
    )
    assert response.status_code == case.status, response.text
    if case.status == 204:
        assert response.content == b""
        return
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    if case.check is not None:
        case.check(response.json())
    else:
        assert case.spec_path is not None
        check_schema(response.json(), operation_schema(case.spec_path, case.method, case.status))


def test_schema_check_is_not_vacuous(fake_github: FakeGitHub) -> None:
    # GitHub's own single-issue example is nested one level too deep (see x-provenance):
    # a working validator must reject it.
    example = SPEC["paths"]["/repos/{owner}/{repo}/issues/{issue_number}"]["get"]["responses"]
    sample = next(iter(example["200"]["content"]["application/json"]["examples"].values()))
    with pytest.raises(AssertionError):
        check_schema(sample["value"], component("issue"))
    issue = fake_github.ui_create_issue("valid")
    check_schema(issue, component("issue"))  # nullable fields (closed_at: null) accepted
    for key, bad in (("closed_at", 5), ("created_at", "2025-01-01 00:00:00"), ("html_url", "x")):
        with pytest.raises(AssertionError, match=key):
            check_schema({**issue, key: bad}, component("issue"))


def test_every_operation_in_the_subset_is_exercised() -> None:
    in_spec = {
        (path, method.upper())
        for path, ops in SPEC["paths"].items()
        for method in ops
        if method in ("get", "post", "patch", "put", "delete")
    }
    exercised = {(c.spec_path, c.method) for c in CASES.values() if c.spec_path}
    assert in_spec == exercised


def test_validation_error_bodies_are_githubs(fake_github: FakeGitHub) -> None:
    ctx = populate(fake_github)
    auth = {"Authorization": f"token {fake_github.token}"}

    def post(path: str, body: Any) -> dict[str, Any]:
        response = requests.post(API + REPO + path, json=body, headers=auth, timeout=5)
        assert response.status_code == 422
        payload: dict[str, Any] = response.json()
        return payload

    label = post("/labels", {"name": "Bug"})
    assert label["errors"] == [{"resource": "Label", "code": "already_exists", "field": "name"}]
    assert label["documentation_url"] == "https://docs.github.com/rest/issues/labels#create-a-label"
    milestone = post("/milestones", {"title": "Month 1"})
    assert milestone["errors"] == [
        {"resource": "Milestone", "code": "already_exists", "field": "title"}
    ]
    issue = post("/issues", {"title": "x", "milestone": 42})
    assert issue["errors"] == [
        {"value": 42, "resource": "Issue", "field": "milestone", "code": "invalid"}
    ]
    parent = post(f"/issues/{ctx['other']}/sub_issues", {"sub_issue_id": ctx["child_id"]})
    assert parent["errors"][0]["message"] == "Sub issue may only have one parent"
    for body in (label, milestone, issue, parent):
        assert body["message"] == "Validation Failed"
        check_schema(body, component("validation-error"))


def test_link_headers_match_recorded_pagination(fake_github: FakeGitHub) -> None:
    paginate = octokit("paginate-issues")
    recorded = [e for e in paginate if e.method == "GET" and "issues" in e.target]
    created = sum(1 for e in paginate if e.method == "POST" and e.target.endswith("/issues"))
    for number in range(created):
        fake_github.ui_create_issue(f"Test issue {number + 1}")
    url = f"{API}{REPO}/issues?per_page=3"
    auth = {"Authorization": f"token {fake_github.token}"}
    for exchange in recorded:
        response = requests.get(url, headers=auth, timeout=5)
        assert response.status_code == 200
        assert len(response.json()) == len(exchange.response)
        assert link_shape(response.headers["Link"]) == link_shape(exchange.headers["link"])
        # Like GitHub, the links point at the /repositories/{id} form and carry per_page.
        url = {rel: u for u, rel in LINK.findall(response.headers["Link"])}.get("next", "")
    assert url == ""


def test_headers_have_the_recorded_names_and_shapes(fake_github: FakeGitHub) -> None:
    recorded = octokit("labels")[1].headers
    response = requests_get(fake_github, f"{REPO}/labels")
    ours = {k.lower(): v for k, v in response.headers.items()}
    for name in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-used",
        "x-ratelimit-resource",
        "content-type",
        "etag",
        "x-github-media-type",
        "x-github-request-id",
        "cache-control",
    ):
        assert name in recorded, name
        assert name in ours, name
    assert ours["content-type"] == recorded["content-type"]
    assert ours["x-ratelimit-resource"] == recorded["x-ratelimit-resource"] == "core"
    assert ours["x-github-media-type"] == recorded["x-github-media-type"]
    for name in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-used",
    ):
        assert ours[name].isdigit(), name
        assert recorded[name].isdigit(), name
    # Weak ETags as in PyGithub's 2025 recordings: W/"<64 hex>".
    assert re.fullmatch(r'W/"[0-9a-f]{64}"', ours["etag"])
    assert len(ours["x-ratelimit-reset"]) == len(recorded["x-ratelimit-reset"])  # epoch seconds


def test_invalid_color_error_matches_recorded_body(fake_github: FakeGitHub) -> None:
    recorded = next(e for e in octokit("errors") if e.status == 422)
    response = requests.post(
        API + REPO + "/labels",
        json=recorded.body,
        headers={"Authorization": f"token {fake_github.token}"},
        timeout=5,
    )
    assert response.status_code == recorded.status
    ours = response.json()
    assert ours["message"] == recorded.response["message"]
    assert ours["errors"] == recorded.response["errors"]


def test_conditional_get_answers_like_recorded_304(fake_github: FakeGitHub) -> None:
    recorded = parse_pygithub(PYGITHUB / "ConditionalRequestUpdate.testDidNotUpdate.txt")[0]
    assert (recorded.status, recorded.response) == (304, None)  # no response body
    first = requests_get(fake_github, REPO)
    again = requests.get(
        API + REPO,
        headers={
            "Authorization": f"token {fake_github.token}",
            "If-None-Match": first.headers["ETag"],
        },
        timeout=5,
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_created_label_matches_recorded_shape(fake_github: FakeGitHub) -> None:
    labels = octokit("labels")
    recorded = next(e for e in labels if e.method == "POST" and e.target.endswith("/labels"))
    response = requests.post(
        API + REPO + "/labels",
        json=recorded.body,
        headers={"Authorization": f"token {fake_github.token}"},
        timeout=5,
    )
    assert response.status_code == 201
    assert set(response.json()) == set(recorded.response)
    assert response.json()["description"] is None
    assert response.headers["Location"] == response.json()["url"]
    default = next(e for e in labels if e.method == "GET" and e.target.endswith("/labels"))
    ours = requests_get(fake_github, f"{REPO}/labels").json()
    strip = ("id", "node_id", "url")
    assert [{k: v for k, v in lb.items() if k not in strip} for lb in ours if lb["default"]] == [
        {k: v for k, v in lb.items() if k not in strip} for lb in default.response
    ]
