"""Issue dependencies ("blocked by" / "blocking") in the fake GitHub."""

from __future__ import annotations

from typing import Any

import github
import pytest

from tests.fake_github import FakeGitHub
from tests.fake_github.contract import check_schema, component
from tests.fake_github.errors import ApiError
from tests.fake_github.plugin import REPO, ok

ZERO = {"blocked_by": 0, "total_blocked_by": 0, "blocking": 0, "total_blocking": 0}
REFUSED = {
    "message": "Validation Failed",
    "errors": [{"resource": "Issue", "code": "invalid", "field": "issue_id"}],
    "documentation_url": (
        "https://docs.github.com/rest/issues/issue-dependencies"
        "#add-a-dependency-an-issue-is-blocked-by"
    ),
    "status": "422",
}


def blocked_by_path(number: int) -> str:
    return f"{REPO}/issues/{number}/dependencies/blocked_by"


def add(fake: FakeGitHub, number: int, blocker_id: Any) -> Any:
    return fake.api("POST", blocked_by_path(number), json={"issue_id": blocker_id})


@pytest.fixture
def three(frozen: FakeGitHub) -> list[dict[str, Any]]:
    """Issues #1 Variables, #2 Functions, #3 Classes (all open)."""
    return [frozen.ui_create_issue(t) for t in ("Variables", "Functions", "Classes")]


def test_add_by_id_answers_the_blocked_issue(
    frozen: FakeGitHub, three: list[dict[str, Any]]
) -> None:
    response = add(frozen, 2, three[0]["id"])
    body = ok(response, 201)
    assert body["number"] == 2
    assert response.headers["Location"] == "https://api.github.com/repos/learner/roadmap/issues/2"
    assert body["repository"]["full_name"] == "learner/roadmap"
    assert body["issue_dependencies_summary"] == {**ZERO, "blocked_by": 1, "total_blocked_by": 1}
    check_schema(body, component("issue"))
    assert frozen.issue(1)["issue_dependencies_summary"] == {
        **ZERO,
        "blocking": 1,
        "total_blocking": 1,
    }
    assert frozen.issue(3)["issue_dependencies_summary"] == ZERO
    listed = ok(frozen.api("GET", blocked_by_path(2)))
    assert [i["number"] for i in listed] == [1]
    assert listed[0]["repository"]["full_name"] == "learner/roadmap"
    blocking = ok(frozen.api("GET", f"{REPO}/issues/1/dependencies/blocking"))
    assert [i["number"] for i in blocking] == [2]
    assert ok(frozen.api("GET", f"{REPO}/issues/2/dependencies/blocking")) == []
    assert (frozen.blocked_by(2), frozen.blocking(1)) == ([1], [2])


def test_the_blocker_is_named_by_id(frozen: FakeGitHub, three: list[dict[str, Any]]) -> None:
    by_number = add(frozen, 2, 1)
    assert (by_number.status_code, by_number.json()["message"]) == (404, "Not Found")
    missing = frozen.api("POST", blocked_by_path(2), json={})
    assert missing.status_code == 422
    assert missing.json()["message"] == 'Invalid request.\n\n"issue_id" wasn\'t supplied.'
    assert add(frozen, 2, "1").status_code == 422
    assert add(frozen, 99, three[0]["id"]).status_code == 404
    frozen.ui_delete_issue(3)
    assert add(frozen, 2, three[2]["id"]).status_code == 404  # a deleted blocker
    assert add(frozen, 3, three[0]["id"]).status_code == 410  # a deleted blocked issue
    assert frozen.blocked_by(2) == []


def test_refusals_are_generic_422s(frozen: FakeGitHub, three: list[dict[str, Any]]) -> None:
    ids = {i["number"]: i["id"] for i in three}
    itself = add(frozen, 1, ids[1])
    assert (itself.status_code, itself.json()) == (422, REFUSED)
    check_schema(itself.json(), component("validation-error"))
    ok(add(frozen, 2, ids[1]), 201)
    again = add(frozen, 2, ids[1])
    assert (again.status_code, again.json()) == (422, REFUSED)
    assert "already" not in again.text.lower()  # GitHub documents no wording
    ok(add(frozen, 3, ids[2]), 201)  # 1 blocks 2 blocks 3
    for blocked, blocker in ((1, 2), (1, 3), (2, 3)):  # each would close a cycle
        assert add(frozen, blocked, ids[blocker]).status_code == 422
    pull = frozen.ui_add_pull_request("A pull request")
    assert add(frozen, 1, pull["id"]).status_code == 422
    assert add(frozen, pull["number"], ids[1]).status_code == 422
    assert (frozen.blocked_by(1), frozen.blocked_by(2), frozen.blocked_by(3)) == ([], [1], [2])


def test_fifty_per_relationship_type(frozen: FakeGitHub) -> None:
    hub = frozen.ui_create_issue("hub")
    others = [frozen.ui_create_issue(f"i{n}") for n in range(51)]
    for other in others[:50]:
        ok(add(frozen, hub["number"], other["id"]), 201)
    refused = add(frozen, hub["number"], others[50]["id"])
    assert (refused.status_code, refused.json()) == (422, REFUSED)
    assert frozen.issue(hub["number"])["issue_dependencies_summary"]["total_blocked_by"] == 50
    blocker = frozen.ui_create_issue("blocker")
    for other in others[:50]:
        ok(add(frozen, other["number"], blocker["id"]), 201)
    assert add(frozen, others[50]["number"], blocker["id"]).status_code == 422
    assert len(frozen.blocking(blocker["number"])) == 50


def test_summary_counts_open_ends(frozen: FakeGitHub, three: list[dict[str, Any]]) -> None:
    frozen.ui_add_blocked_by(2, 1)
    frozen.ui_add_blocked_by(3, 1)
    frozen.ui_add_blocked_by(3, 2)
    frozen.ui_close_issue(1)
    frozen.ui_close_issue(2, "not_planned")

    def summary(number: int) -> dict[str, int]:
        result: dict[str, int] = frozen.issue(number)["issue_dependencies_summary"]
        return result

    # As recorded: a closed blocker gives blocked_by 0 of total_blocked_by 1.
    assert summary(3) == {
        "blocked_by": 0,
        "total_blocked_by": 2,
        "blocking": 0,
        "total_blocking": 0,
    }
    # blocking counts open blocked issues (by symmetry; not recorded): #3 is open, #2 is not.
    assert summary(1) == {
        "blocked_by": 0,
        "total_blocked_by": 0,
        "blocking": 1,
        "total_blocking": 2,
    }
    assert summary(2) == {
        "blocked_by": 0,
        "total_blocked_by": 1,
        "blocking": 1,
        "total_blocking": 1,
    }


def test_remove_answers_the_blocked_issue(frozen: FakeGitHub, three: list[dict[str, Any]]) -> None:
    frozen.ui_add_blocked_by(2, 1)
    path = f"{blocked_by_path(2)}/{three[0]['id']}"
    removed = ok(frozen.api("DELETE", path))
    assert removed["number"] == 2
    assert removed["issue_dependencies_summary"] == ZERO
    assert "repository" in removed
    check_schema(removed, component("issue"))
    again = frozen.api("DELETE", path)
    assert (again.status_code, again.json()["message"]) == (404, "Not Found")
    assert frozen.api("DELETE", f"{blocked_by_path(2)}/123").status_code == 404
    assert frozen.api("DELETE", f"{blocked_by_path(2)}/{three[2]['id']}").status_code == 404
    assert (frozen.blocked_by(2), frozen.blocking(1)) == ([], [])


def test_links_leave_updated_at_but_change_etags(
    frozen: FakeGitHub, three: list[dict[str, Any]]
) -> None:
    issues = frozen.api("GET", f"{REPO}/issues?state=all")
    one = frozen.api("GET", f"{REPO}/issues/2")
    frozen.clock.advance(3600)
    add(frozen, 2, three[0]["id"])
    # Recorded: GitHub does not move updated_at for a dependency; the JSON changes anyway.
    assert frozen.issue(2)["updated_at"] == frozen.issue(1)["updated_at"] == "2025-01-06T09:30:00Z"
    for response, path in ((issues, "/issues?state=all"), (one, "/issues/2")):
        again = frozen.api("GET", REPO + path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 200
        assert again.headers["ETag"] != response.headers["ETag"]
    etag = frozen.api("GET", f"{REPO}/issues/1").headers["ETag"]
    frozen.ui_remove_blocked_by(2, 1)
    assert frozen.api("GET", f"{REPO}/issues/1", headers={"If-None-Match": etag}).status_code == 200


def test_lists_are_paginated(frozen: FakeGitHub) -> None:
    hub = frozen.ui_create_issue("hub")["number"]
    for n in range(35):
        frozen.ui_add_blocked_by(hub, frozen.ui_create_issue(f"i{n}")["number"])
    first = frozen.api("GET", blocked_by_path(hub))
    assert len(first.json()) == 30
    assert 'rel="next"' in first.headers["Link"]
    page = frozen.api("GET", f"{blocked_by_path(hub)}?per_page=10&page=4")
    assert [i["title"] for i in page.json()] == [f"i{n}" for n in range(30, 35)]
    assert 'rel="next"' not in page.headers["Link"]
    capped = frozen.api("GET", f"{blocked_by_path(hub)}?per_page=500")
    assert (len(capped.json()), "Link" in capped.headers) == (35, False)


def test_web_ui_helpers_are_unlogged_and_free(
    frozen: FakeGitHub, three: list[dict[str, Any]]
) -> None:
    shown = frozen.ui_add_blocked_by(3, 1)
    assert shown["issue_dependencies_summary"]["total_blocked_by"] == 1
    frozen.ui_add_blocked_by(3, 2)
    assert frozen.blocked_by(3) == [1, 2]
    frozen.ui_remove_blocked_by(3, 1)
    assert (frozen.blocked_by(3), frozen.blocking(1), frozen.blocking(2)) == ([2], [], [3])
    assert (frozen.requests, frozen.core.remaining) == ([], 5000)
    with pytest.raises(ApiError, match="422"):
        frozen.ui_add_blocked_by(3, 3)


def test_deleting_an_issue_removes_its_links(
    frozen: FakeGitHub, three: list[dict[str, Any]]
) -> None:
    frozen.ui_add_blocked_by(2, 1)
    frozen.ui_add_blocked_by(3, 2)
    frozen.ui_delete_issue(2)
    assert (frozen.blocking(1), frozen.blocked_by(3)) == ([], [])
    assert frozen.issue(1)["issue_dependencies_summary"] == ZERO
    assert frozen.issue(3)["issue_dependencies_summary"] == ZERO
    assert frozen.api("GET", blocked_by_path(2)).status_code == 410


def test_every_issue_rendering_carries_the_summary(frozen: FakeGitHub) -> None:
    frozen.ui_create_issue("blocker")
    epic = frozen.ui_create_issue("epic")["number"]
    frozen.ui_add_blocked_by(epic, 1)
    expected = {**ZERO, "blocked_by": 1, "total_blocked_by": 1}
    task = ok(frozen.api("POST", f"{REPO}/issues", json={"title": "task"}), 201)
    assert task["issue_dependencies_summary"] == ZERO
    answers = [
        ok(frozen.api("GET", f"{REPO}/issues/{epic}")),
        next(i for i in ok(frozen.api("GET", f"{REPO}/issues")) if i["number"] == epic),
        ok(frozen.api("PATCH", f"{REPO}/issues/{epic}", json={"body": "b"})),
        ok(
            frozen.api(
                "POST", f"{REPO}/issues/{epic}/sub_issues", json={"sub_issue_id": task["id"]}
            ),
            201,
        ),
        ok(frozen.api("GET", f"{REPO}/issues/{task['number']}/parent")),
        ok(frozen.api("GET", f"{REPO}/issues/1/dependencies/blocking"))[0],
    ]
    assert [a["issue_dependencies_summary"] for a in answers] == [expected] * len(answers)


def test_pygithub_reads_and_writes_dependencies(fake_github: FakeGitHub) -> None:
    with github.Github(auth=github.Auth.Token(fake_github.token), per_page=100) as gh:
        repo = gh.get_repo("learner/roadmap")
        first, second = repo.create_issue("first"), repo.create_issue("second")
        second.add_blocked_by(first)
        assert second.issue_dependencies_summary.total_blocked_by == 1
        assert [i.number for i in second.get_blocked_by()] == [first.number]
        assert [i.number for i in first.get_blocking()] == [second.number]
        second.remove_blocked_by(first)
        assert list(second.get_blocked_by()) == []
