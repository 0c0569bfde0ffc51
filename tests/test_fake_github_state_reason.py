"""``state_reason`` is "Ignored unless `state` is changed" (GitHub's "Update an issue")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake_github import FakeGitHub
from tests.fake_github.plugin import REPO, ok

CLOSED_AT = "2025-01-06T09:31:00Z"


@pytest.fixture
def closed(frozen: FakeGitHub) -> dict[str, Any]:
    """Issue #1, closed as completed at 09:31 by the API; the clock then moves to 10:31."""
    frozen.ui_create_issue("Learn Python")
    frozen.clock.advance(60)
    issue: dict[str, Any] = ok(frozen.api("PATCH", f"{REPO}/issues/1", json={"state": "closed"}))
    frozen.clock.advance(3600)
    return issue


@pytest.mark.parametrize(
    "body",
    [
        {"state": "closed", "state_reason": "not_planned"},
        {"state_reason": "not_planned"},
        {"state_reason": "duplicate"},
        {"state": "closed", "state_reason": "completed"},
    ],
)
def test_a_reason_for_an_issue_already_closed_is_ignored(
    frozen: FakeGitHub, closed: dict[str, Any], body: dict[str, Any]
) -> None:
    after = ok(frozen.api("PATCH", f"{REPO}/issues/1", json=body))
    assert (after["state"], after["state_reason"], after["closed_at"]) == (
        "closed",
        "completed",
        CLOSED_AT,
    )
    assert after["updated_at"] == closed["updated_at"] == CLOSED_AT
    assert frozen.issue(1) == after


def test_a_reason_with_another_change_still_leaves_the_reason(
    frozen: FakeGitHub, closed: dict[str, Any]
) -> None:
    body = {"title": "Learn Python 3", "state": "closed", "state_reason": "not_planned"}
    after = ok(frozen.api("PATCH", f"{REPO}/issues/1", json=body))
    assert (after["title"], after["state_reason"], after["closed_at"]) == (
        "Learn Python 3",
        "completed",
        CLOSED_AT,
    )
    assert after["updated_at"] == "2025-01-06T10:31:00Z"  # the title changed


def test_a_reason_for_an_open_issue_is_ignored(frozen: FakeGitHub) -> None:
    frozen.ui_create_issue("open")
    frozen.clock.advance(60)
    for body in ({"state_reason": "not_planned"}, {"state": "open", "state_reason": "completed"}):
        after = ok(frozen.api("PATCH", f"{REPO}/issues/1", json=body))
        assert (after["state"], after["state_reason"], after["closed_at"]) == ("open", None, None)
        assert after["updated_at"] == "2025-01-06T09:30:00Z"


@pytest.mark.parametrize(
    ("reason", "expected"),
    [(None, "completed"), ("completed", "completed"), ("not_planned", "not_planned")],
)
def test_closing_sets_the_reason_and_reopening_clears_closed_at(
    frozen: FakeGitHub, reason: str | None, expected: str
) -> None:
    frozen.ui_create_issue("t")
    frozen.clock.advance(60)
    body = {"state": "closed"} | ({"state_reason": reason} if reason else {})
    shut = ok(frozen.api("PATCH", f"{REPO}/issues/1", json=body))
    assert (shut["state"], shut["state_reason"], shut["closed_at"], shut["updated_at"]) == (
        "closed",
        expected,
        CLOSED_AT,
        CLOSED_AT,
    )
    frozen.clock.advance(60)
    opened = ok(frozen.api("PATCH", f"{REPO}/issues/1", json={"state": "open"}))
    assert (opened["state"], opened["state_reason"], opened["closed_at"]) == (
        "open",
        "reopened",
        None,
    )
    assert (opened["closed_by"], opened["updated_at"]) == (None, "2025-01-06T09:32:00Z")


def test_the_web_ui_changes_a_reason_by_reopening_and_closing(
    frozen: FakeGitHub, closed: dict[str, Any]
) -> None:
    after = frozen.ui_close_issue(1, "not_planned")
    assert (after["state"], after["state_reason"]) == ("closed", "not_planned")
    assert after["closed_at"] == after["updated_at"] == "2025-01-06T10:31:00Z"
    frozen.clock.advance(60)
    same = frozen.ui_close_issue(1, "not_planned")  # nothing to change
    assert same == after
    reopened = frozen.ui_reopen_issue(1)
    assert (reopened["state"], reopened["state_reason"], reopened["closed_at"]) == (
        "open",
        "reopened",
        None,
    )
    assert [r.method for r in frozen.requests] == ["PATCH"]  # the fixture's; the UI is unlogged


def test_the_web_ui_refuses_an_unknown_reason_without_reopening(
    frozen: FakeGitHub, closed: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="wontfix"):
        frozen.ui_close_issue(1, "wontfix")
    assert frozen.issue(1) == closed
