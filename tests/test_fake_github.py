"""Resource behaviour of the fake GitHub: labels, milestones, issues, sub-issues, contents."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from tests.fake_github import FakeGitHub
from tests.fake_github.plugin import REPO, ok


# -- labels -------------------------------------------------------------------------------
def test_new_repository_has_githubs_nine_default_labels(fake_github: FakeGitHub) -> None:
    labels = ok(fake_github.api("GET", f"{REPO}/labels"))
    assert [(lb["name"], lb["color"]) for lb in labels] == [
        ("bug", "d73a4a"),
        ("documentation", "0075ca"),
        ("duplicate", "cfd3d7"),
        ("enhancement", "a2eeef"),
        ("good first issue", "7057ff"),
        ("help wanted", "008672"),
        ("invalid", "e4e669"),
        ("question", "d876e3"),
        ("wontfix", "ffffff"),
    ]
    assert all(lb["default"] for lb in labels)
    assert labels[0]["description"] == "Something isn't working"


def test_labels_are_case_insensitive_and_names_url_encoded(fake_github: FakeGitHub) -> None:
    created = ok(
        fake_github.api("POST", f"{REPO}/labels", json={"name": "In Progress", "color": "fbca04"}),
        201,
    )
    assert created["url"].endswith("/labels/In%20Progress")
    assert created["description"] is None
    assert ok(fake_github.api("GET", f"{REPO}/labels/in%20progress"))["name"] == "In Progress"
    duplicate = fake_github.api("POST", f"{REPO}/labels", json={"name": "in progress"})
    assert duplicate.status_code == 422
    assert duplicate.json() == {
        "message": "Validation Failed",
        "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}],
        "documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label",
        "status": "422",
    }


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "x", "color": "#ff0000"}, "color", "invalid"),
        ({"name": "x", "color": "red"}, "color", "invalid"),
        ({"color": "ff0000"}, "name", "missing_field"),
        ({"name": "x", "description": "d" * 101}, "description", "custom"),
    ],
)
def test_label_validation(
    fake_github: FakeGitHub, body: dict[str, Any], field: str, code: str
) -> None:
    errors = ok(fake_github.api("POST", f"{REPO}/labels", json=body), 422)["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert len(fake_github.labels()) == 9


def test_label_rename_and_delete_follow_issues(fake_github: FakeGitHub) -> None:
    issue = fake_github.ui_create_issue("t", labels=["track:python"])
    clash = fake_github.api("PATCH", f"{REPO}/labels/track:python", json={"new_name": "BUG"})
    assert clash.json()["errors"][0]["code"] == "already_exists"
    renamed = ok(
        fake_github.api(
            "PATCH",
            f"{REPO}/labels/TRACK:PYTHON",
            json={"new_name": "track: Python", "color": "3572A5", "description": "Py"},
        )
    )
    assert (renamed["name"], renamed["color"], renamed["description"]) == (
        "track: Python",
        "3572A5",
        "Py",
    )
    assert [lb["name"] for lb in fake_github.issue(issue["number"])["labels"]] == ["track: Python"]
    assert fake_github.api("DELETE", f"{REPO}/labels/track:%20python").status_code == 204
    assert fake_github.issue(issue["number"])["labels"] == []
    assert fake_github.api("GET", f"{REPO}/labels/track:%20python").status_code == 404


# -- milestones ---------------------------------------------------------------------------
def test_milestone_listing_defaults_to_open(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_milestone("Month 1")
    fake_github.ui_create_milestone("Month 2")
    fake_github.ui_close_milestone(1)
    titles = {
        state: [m["title"] for m in ok(fake_github.api("GET", f"{REPO}/milestones{query}"))]
        for state, query in (("default", ""), ("closed", "?state=closed"), ("all", "?state=all"))
    }
    assert titles == {"default": ["Month 2"], "closed": ["Month 1"], "all": ["Month 1", "Month 2"]}
    assert fake_github.api("GET", f"{REPO}/milestones?state=bogus").status_code == 422


def test_milestone_titles_are_unique_across_closed_ones(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_milestone("Month 1")
    fake_github.ui_close_milestone(1)
    body = ok(fake_github.api("POST", f"{REPO}/milestones", json={"title": "month 1"}), 422)
    assert body["errors"] == [{"resource": "Milestone", "code": "already_exists", "field": "title"}]
    assert len(fake_github.milestones()) == 1


def test_milestone_counts_state_and_deletion(frozen: FakeGitHub) -> None:
    milestone = ok(frozen.api("POST", f"{REPO}/milestones", json={"title": "M"}), 201)
    assert milestone["creator"]["login"] == "learner"
    for title, state in (("a", "open"), ("b", "open"), ("c", "closed")):
        frozen.ui_create_issue(title, milestone=1, state=state)
    frozen.ui_add_pull_request("pr", milestone=1)
    got = ok(frozen.api("GET", f"{REPO}/milestones/1"))
    assert (got["open_issues"], got["closed_issues"]) == (3, 1)  # pull requests count too
    frozen.api("PATCH", f"{REPO}/issues/1", json={"milestone": None})
    frozen.ui_delete_issue(2)
    frozen.ui_reopen_issue(3)
    got = ok(frozen.api("GET", f"{REPO}/milestones/1"))
    assert (got["open_issues"], got["closed_issues"]) == (2, 0)
    frozen.clock.advance(60)
    closed = ok(frozen.api("PATCH", f"{REPO}/milestones/1", json={"state": "closed"}))
    assert closed["closed_at"] == closed["updated_at"] == "2025-01-06T09:31:00Z"
    assert frozen.api("DELETE", f"{REPO}/milestones/1").status_code == 204
    assert all(i["milestone"] is None for i in frozen.issues())
    assert frozen.api("GET", f"{REPO}/milestones/1").status_code == 404


@pytest.mark.parametrize(
    ("given", "returned"),
    [
        ("2025-03-01T00:00:00Z", "2025-03-01T08:00:00Z"),  # PST
        ("2025-07-01T23:59:59Z", "2025-07-01T07:00:00Z"),  # PDT, time of day ignored
        ("2025-07-01", "2025-07-01T07:00:00Z"),
    ],
)
def test_milestone_due_on_is_a_date_at_pacific_midnight(
    fake_github: FakeGitHub, given: str, returned: str
) -> None:
    body = ok(
        fake_github.api("POST", f"{REPO}/milestones", json={"title": "M", "due_on": given}), 201
    )
    assert body["due_on"] == returned


# -- issues -------------------------------------------------------------------------------
def test_issue_json_identity_and_timestamps(frozen: FakeGitHub) -> None:
    issue = ok(frozen.api("POST", f"{REPO}/issues", json={"title": "Learn Python"}), 201)
    assert issue["number"] == 1
    assert issue["id"] > 1_000_000
    assert issue["id"] != issue["number"]
    assert issue["html_url"] == "https://github.com/learner/roadmap/issues/1"
    assert issue["url"] == "https://api.github.com/repos/learner/roadmap/issues/1"
    assert issue["created_at"] == issue["updated_at"] == "2025-01-06T09:30:00Z"
    assert (issue["state"], issue["state_reason"], issue["closed_at"]) == ("open", None, None)
    assert (issue["user"]["login"], issue["author_association"]) == ("learner", "OWNER")
    assert issue["sub_issues_summary"] == {"total": 0, "completed": 0, "percent_completed": 0}
    second = ok(frozen.api("POST", f"{REPO}/issues", json={"title": "Two"}), 201)
    assert second["number"] == 2
    assert second["id"] != issue["id"]


def test_issue_creation_creates_unknown_labels(fake_github: FakeGitHub) -> None:
    issue = ok(
        fake_github.api("POST", f"{REPO}/issues", json={"title": "t", "labels": ["Week 1", "BUG"]}),
        201,
    )
    assert [lb["name"] for lb in issue["labels"]] == ["bug", "Week 1"]
    created = next(lb for lb in fake_github.labels() if lb["name"] == "Week 1")
    assert (created["color"], created["default"], created["description"]) == ("ededed", False, None)


def test_issue_creation_rejections_leave_no_issue(fake_github: FakeGitHub) -> None:
    bad_milestone = ok(
        fake_github.api("POST", f"{REPO}/issues", json={"title": "t", "milestone": 5}), 422
    )
    assert bad_milestone["errors"] == [
        {"value": 5, "resource": "Issue", "field": "milestone", "code": "invalid"}
    ]
    no_title = ok(fake_github.api("POST", f"{REPO}/issues", json={"body": "x"}), 422)
    assert no_title["errors"][0]["field"] == "title"
    stranger = ok(
        fake_github.api("POST", f"{REPO}/issues", json={"title": "t", "assignees": ["ghost"]}),
        422,
    )
    assert stranger["errors"][0] == {
        "value": "ghost",
        "resource": "Issue",
        "field": "assignees",
        "code": "invalid",
    }
    assert fake_github.issues() == []
    fake_github.ui_add_collaborator("ghost")
    made = ok(
        fake_github.api("POST", f"{REPO}/issues", json={"title": "t", "assignees": ["Ghost"]}),
        201,
    )
    assert made["assignee"]["login"] == "ghost"


def test_state_reason_lifecycle(frozen: FakeGitHub) -> None:
    number = frozen.ui_create_issue("t")["number"]

    def patch(**body: Any) -> dict[str, Any]:
        frozen.clock.advance(60)
        result: dict[str, Any] = ok(frozen.api("PATCH", f"{REPO}/issues/{number}", json=body))
        return result

    closed = patch(state="closed")
    assert (closed["state"], closed["state_reason"]) == ("closed", "completed")
    assert closed["closed_at"] == "2025-01-06T09:31:00Z"
    assert closed["closed_by"]["login"] == "learner"
    # A reason without a change of state is ignored (see test_fake_github_state_reason.py).
    retagged = patch(state_reason="not_planned")
    assert retagged["state_reason"] == "completed"
    assert retagged["closed_at"] == closed["closed_at"]
    reopened = patch(state="open")
    assert (reopened["state"], reopened["state_reason"], reopened["closed_at"]) == (
        "open",
        "reopened",
        None,
    )
    duplicate = patch(state="closed", state_reason="duplicate")
    assert (duplicate["state_reason"], duplicate["closed_at"]) == (
        "duplicate",
        "2025-01-06T09:34:00Z",
    )
    bogus = frozen.api("PATCH", f"{REPO}/issues/{number}", json={"state_reason": "wontfix"})
    assert bogus.status_code == 422


def test_updated_at_moves_only_when_something_changes(frozen: FakeGitHub) -> None:
    issue = frozen.ui_create_issue("same", labels=["bug"])
    frozen.clock.advance(3600)
    path = f"{REPO}/issues/{issue['number']}"
    same = ok(frozen.api("PATCH", path, json={"title": "same", "labels": ["BUG"], "state": "open"}))
    assert same["updated_at"] == issue["updated_at"]
    changed = ok(frozen.api("PATCH", path, json={"body": "new"}))
    assert changed["updated_at"] == "2025-01-06T10:30:00Z"
    assert changed["created_at"] == issue["created_at"]


def test_rejected_patch_changes_nothing(fake_github: FakeGitHub) -> None:
    number = fake_github.ui_create_issue("before", labels=["bug"])["number"]
    body = {"title": "after", "labels": ["brand-new"], "milestone": 7, "state": "closed"}
    assert fake_github.api("PATCH", f"{REPO}/issues/{number}", json=body).status_code == 422
    issue = fake_github.issue(number)
    assert (issue["title"], issue["state"], [lb["name"] for lb in issue["labels"]]) == (
        "before",
        "open",
        ["bug"],
    )
    assert "brand-new" not in [lb["name"] for lb in fake_github.labels()]
    fake_github.ui_create_milestone("M")
    bad_state = {"title": "M2", "state": "done"}
    assert fake_github.api("PATCH", f"{REPO}/milestones/1", json=bad_state).status_code == 422
    assert fake_github.milestones()[0]["title"] == "M"


def test_patch_replaces_labels_and_clears_milestone(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_milestone("M")
    number = fake_github.ui_create_issue("t", labels=["a", "b"], milestone=1)["number"]
    body = ok(
        fake_github.api(
            "PATCH", f"{REPO}/issues/{number}", json={"labels": ["c"], "milestone": None}
        )
    )
    assert [lb["name"] for lb in body["labels"]] == ["c"]
    assert body["milestone"] is None
    again = ok(fake_github.api("PATCH", f"{REPO}/issues/{number}", json={"milestone": 1}))
    assert again["milestone"]["title"] == "M"
    cleared = ok(fake_github.api("PATCH", f"{REPO}/issues/{number}", json={"milestone": ""}))
    assert cleared["milestone"] is None  # PyGithub clears with an empty string


def test_issue_list_filters_and_sorting(frozen: FakeGitHub) -> None:
    frozen.ui_create_milestone("M")
    frozen.ui_create_issue("a", labels=["Week 1", "python"], milestone=1)
    frozen.clock.advance(10)
    frozen.ui_create_issue("b", labels=["week 1"])
    frozen.clock.advance(10)
    frozen.ui_create_issue("c", labels=["week 1", "PYTHON"], state="closed")
    frozen.clock.advance(10)
    frozen.ui_add_pull_request("pr", labels=["python"])
    frozen.clock.advance(10)
    frozen.ui_add_comment(2, "bump")

    def titles(query: str) -> list[str]:
        return [i["title"] for i in ok(frozen.api("GET", f"{REPO}/issues{query}"))]

    assert titles("") == ["pr", "b", "a"]  # open only, newest first, pull requests included
    assert titles("?state=all&labels=PYTHON,week%201") == ["c", "a"]
    assert titles("?state=all&labels=python") == ["pr", "c", "a"]
    assert titles("?milestone=1") == ["a"]
    assert titles("?milestone=none&state=all") == ["pr", "c", "b"]
    assert titles("?milestone=*") == ["a"]
    assert titles("?sort=updated&direction=desc") == ["b", "pr", "a"]
    assert titles("?sort=created&direction=asc&state=all") == ["a", "b", "c", "pr"]
    assert titles("?sort=comments") == ["b", "pr", "a"]
    # b was last updated by its comment (09:30:40), c when it was created closed (09:30:20).
    assert titles("?since=2025-01-06T09:30:20Z&state=all") == ["pr", "c", "b"]
    assert titles("?since=2025-01-06T09:30:21Z&state=all") == ["pr", "b"]
    pr = ok(frozen.api("GET", f"{REPO}/issues"))[0]
    assert pr["pull_request"]["html_url"].endswith("/pull/4")
    assert "pull_request" not in ok(frozen.api("GET", f"{REPO}/issues/1"))


def test_issue_label_endpoints(fake_github: FakeGitHub) -> None:
    number = fake_github.ui_create_issue("t", labels=["bug"])["number"]
    path = f"{REPO}/issues/{number}/labels"
    added = ok(fake_github.api("POST", path, json=["question", "Roadmap"]))
    assert [lb["name"] for lb in added] == ["bug", "question", "Roadmap"]
    wrapped = ok(fake_github.api("POST", path, json={"labels": [{"name": "wontfix"}]}))
    assert len(wrapped) == 4
    remaining = ok(fake_github.api("DELETE", f"{path}/ROADMAP"))
    assert [lb["name"] for lb in remaining] == ["bug", "question", "wontfix"]
    missing = fake_github.api("DELETE", f"{path}/roadmap")
    assert (missing.status_code, missing.json()["message"]) == (404, "Label does not exist")
    assert [lb["name"] for lb in ok(fake_github.api("PUT", path, json=["enhancement"]))] == [
        "enhancement"
    ]
    assert fake_github.api("DELETE", path).status_code == 204
    assert ok(fake_github.api("GET", path)) == []


def test_comments_count_and_list(frozen: FakeGitHub) -> None:
    number = frozen.ui_create_issue("t")["number"]
    frozen.clock.advance(5)
    comment = ok(
        frozen.api("POST", f"{REPO}/issues/{number}/comments", json={"body": "done: 3/5"}), 201
    )
    assert comment["html_url"].endswith(f"/issues/{number}#issuecomment-{comment['id']}")
    issue = frozen.issue(number)
    assert (issue["comments"], issue["updated_at"]) == (1, "2025-01-06T09:30:05Z")
    listed = ok(frozen.api("GET", f"{REPO}/issues/{number}/comments"))
    assert [c["body"] for c in listed] == ["done: 3/5"]
    assert frozen.api("POST", f"{REPO}/issues/{number}/comments", json={}).status_code == 422


def test_deleted_issue_is_gone(fake_github: FakeGitHub) -> None:
    number = fake_github.ui_create_issue("t")["number"]
    fake_github.ui_delete_issue(number)
    assert fake_github.api("GET", f"{REPO}/issues/{number}").status_code == 410
    assert ok(fake_github.api("GET", f"{REPO}/issues?state=all")) == []


# -- sub-issues ---------------------------------------------------------------------------
def test_sub_issues_link_by_id_and_summarise_progress(fake_github: FakeGitHub) -> None:
    parent = fake_github.ui_create_issue("Epic")["number"]
    children = [fake_github.ui_create_issue(f"task {n}") for n in range(3)]
    path = f"{REPO}/issues/{parent}/sub_issues"
    by_number = fake_github.api("POST", path, json={"sub_issue_id": children[0]["number"]})
    assert by_number.status_code == 404  # the endpoint wants the issue id, not its number
    for child in children:
        ok(fake_github.api("POST", path, json={"sub_issue_id": child["id"]}), 201)
    fake_github.ui_close_issue(children[0]["number"])
    summary = fake_github.issue(parent)["sub_issues_summary"]
    assert summary == {"total": 3, "completed": 1, "percent_completed": 33}
    assert [i["title"] for i in ok(fake_github.api("GET", path))] == ["task 0", "task 1", "task 2"]
    child_number = children[1]["number"]
    assert ok(fake_github.api("GET", f"{REPO}/issues/{child_number}/parent"))["number"] == parent
    assert fake_github.issue(child_number)["parent_issue_url"].endswith(f"/issues/{parent}")
    assert fake_github.api("GET", f"{REPO}/issues/{parent}/parent").status_code == 404
    removed = ok(
        fake_github.api(
            "DELETE", f"{REPO}/issues/{parent}/sub_issue", json={"sub_issue_id": children[1]["id"]}
        )
    )
    assert removed["sub_issues_summary"]["total"] == 2
    assert fake_github.api("GET", f"{REPO}/issues/{child_number}/parent").status_code == 404


def test_sub_issue_second_parent_needs_replace_parent(fake_github: FakeGitHub) -> None:
    first, second = (fake_github.ui_create_issue(t)["number"] for t in ("one", "two"))
    child = fake_github.ui_create_issue("child")
    fake_github.ui_add_sub_issue(first, child["number"])
    refused = fake_github.api(
        "POST", f"{REPO}/issues/{second}/sub_issues", json={"sub_issue_id": child["id"]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == "Sub issue may only have one parent"
    moved = fake_github.api(
        "POST",
        f"{REPO}/issues/{second}/sub_issues",
        json={"sub_issue_id": child["id"], "replace_parent": True},
    )
    assert moved.status_code == 201
    assert fake_github.issue(first)["sub_issues_summary"]["total"] == 0
    assert fake_github.issue(second)["sub_issues_summary"]["total"] == 1
    again = fake_github.api(
        "POST", f"{REPO}/issues/{second}/sub_issues", json={"sub_issue_id": child["id"]}
    )
    assert again.status_code == 422  # wording undocumented: test_fake_github_undocumented.py


# -- contents -----------------------------------------------------------------------------
def test_contents_use_git_blob_shas_and_count_commits(fake_github: FakeGitHub) -> None:
    text = b"# Roadmap\n\n- [x] Python\n"
    encoded = base64.b64encode(text).decode()
    path = f"{REPO}/contents/README.md"
    made = ok(fake_github.api("PUT", path, json={"message": "add", "content": encoded}), 201)
    blob = hashlib.sha1(b"blob %d\0" % len(text) + text).hexdigest()
    assert made["content"]["sha"] == blob
    got = ok(fake_github.api("GET", path))
    assert (got["sha"], got["encoding"], base64.b64decode(got["content"])) == (blob, "base64", text)
    stale = fake_github.api(
        "PUT", path, json={"message": "x", "content": "eA==", "sha": hashlib.sha1(b"x").hexdigest()}
    )
    assert stale.status_code == 409
    assert "does not match" in stale.json()["message"]
    missing = fake_github.api("PUT", path, json={"message": "x", "content": "eA=="})
    assert (missing.status_code, missing.json()["message"]) == (
        422,
        'Invalid request.\n\n"sha" wasn\'t supplied.',
    )
    assert fake_github.file("README.md") == text
    updated = ok(
        fake_github.api("PUT", path, json={"message": "upd", "content": "eA==", "sha": blob})
    )
    assert updated["commit"]["parents"][0]["sha"] == made["commit"]["sha"]
    assert [c.message for c in fake_github.commits] == ["add", "upd"]
    raw = fake_github.api("GET", path, headers={"Accept": "application/vnd.github.raw+json"})
    assert raw.content == b"x"
