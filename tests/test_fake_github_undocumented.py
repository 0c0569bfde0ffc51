"""Where GitHub documents nothing, the fake gives clients nothing to lean on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.fake_github import FakeGitHub
from tests.fake_github.contract import check_schema, component
from tests.fake_github.plugin import REPO, ok

ALREADY_LINKED = {
    "message": "Validation Failed",
    "errors": [{"resource": "Issue", "code": "invalid", "field": "sub_issue_id"}],
    "documentation_url": "https://docs.github.com/rest/issues/sub-issues#add-sub-issue",
    "status": "422",
}


@pytest.mark.parametrize("replace_parent", [None, False, True])
def test_adding_a_sub_issue_twice_is_a_422_without_words(
    fake_github: FakeGitHub, replace_parent: bool | None
) -> None:
    parent = fake_github.ui_create_issue("Epic")["number"]
    child = fake_github.ui_create_issue("Task")
    fake_github.ui_add_sub_issue(parent, child["number"])
    body: dict[str, object] = {"sub_issue_id": child["id"]}
    if replace_parent is not None:
        body["replace_parent"] = replace_parent
    again = fake_github.api("POST", f"{REPO}/issues/{parent}/sub_issues", json=body)
    assert (again.status_code, again.json()) == (422, ALREADY_LINKED)
    assert "already" not in again.text.lower()
    check_schema(again.json(), component("validation-error"))
    assert fake_github.issue(parent)["sub_issues_summary"]["total"] == 1


def case_fake(case_sensitive: bool) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(milestone_titles_case_sensitive=case_sensitive)
    fake.ui_create_milestone("Month 1")
    fake.ui_create_milestone("Month 2")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


DUPLICATE = [{"resource": "Milestone", "code": "already_exists", "field": "title"}]


def test_milestone_titles_clash_whatever_their_case_by_default(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_milestone("Month 1")
    fake_github.ui_create_milestone("Month 2")
    for method, path, body in (
        ("POST", "/milestones", {"title": "MONTH 1"}),
        ("PATCH", "/milestones/2", {"title": "month 1"}),
    ):
        refused = fake_github.api(method, REPO + path, json=body)
        assert (refused.status_code, refused.json()["errors"]) == (422, DUPLICATE)
    assert [m["title"] for m in fake_github.milestones()] == ["Month 1", "Month 2"]
    renamed = ok(fake_github.api("PATCH", f"{REPO}/milestones/1", json={"title": "MONTH 1"}))
    assert renamed["title"] == "MONTH 1"  # its own title in another case is no clash


def test_milestone_titles_can_be_case_sensitive() -> None:
    for fake in case_fake(case_sensitive=True):
        made = ok(fake.api("POST", f"{REPO}/milestones", json={"title": "MONTH 1"}), 201)
        assert made["number"] == 3
        renamed = ok(fake.api("PATCH", f"{REPO}/milestones/2", json={"title": "month 1"}))
        assert renamed["title"] == "month 1"
        exact = fake.api("POST", f"{REPO}/milestones", json={"title": "Month 1"})
        assert (exact.status_code, exact.json()["errors"]) == (422, DUPLICATE)
        assert [m["title"] for m in fake.milestones()] == ["Month 1", "month 1", "MONTH 1"]


def test_case_insensitive_is_the_explicit_false() -> None:
    for fake in case_fake(case_sensitive=False):
        refused = fake.api("POST", f"{REPO}/milestones", json={"title": "month 2"})
        assert (refused.status_code, refused.json()["errors"]) == (422, DUPLICATE)
