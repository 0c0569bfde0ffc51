"""``FakeGitHub.before``: change the repository between two requests of a client."""

from __future__ import annotations

import threading

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from tests.fake_github import FakeGitHub
from tests.fake_github.plugin import REPO, ok

BODY = "- [ ] variables\n- [ ] loops\n"
TICKED = "- [x] variables\n- [ ] loops\n"


def test_a_checkbox_ticked_between_the_list_and_the_patch(frozen: FakeGitHub) -> None:
    frozen.ui_create_issue("Python basics", body=BODY)
    hook = frozen.before("GET", r"/issues/1$", lambda: frozen.ui_edit_issue(1, body=TICKED))
    listed = ok(frozen.api("GET", f"{REPO}/issues"))
    assert listed[0]["body"] == BODY
    assert hook.fired == 0  # the list does not match r"/issues/1$"
    fresh = ok(frozen.api("GET", f"{REPO}/issues/1"))
    assert fresh["body"] == TICKED  # the edit landed before this GET was answered
    assert (hook.fired, hook.spent, frozen.hooks) == (1, True, [])
    ok(frozen.api("PATCH", f"{REPO}/issues/1", json={"title": "Python basics (2/2)"}))
    again = ok(frozen.api("GET", f"{REPO}/issues/1"))
    assert (again["title"], again["body"]) == ("Python basics (2/2)", TICKED)


def test_it_runs_for_the_next_times_matching_requests(fake_github: FakeGitHub) -> None:
    seen: list[int] = []
    hook = fake_github.before("PATCH", r"/issues/\d+$", lambda: seen.append(len(seen)), times=2)
    fake_github.ui_create_issue("t")
    for _ in range(3):
        fake_github.api("GET", f"{REPO}/issues/1")
        fake_github.api("PATCH", f"{REPO}/issues/1", json={"body": "b"})
    assert (seen, hook.fired, hook.spent) == ([0, 1], 2, True)
    assert fake_github.hooks == []


def test_method_matching(fake_github: FakeGitHub) -> None:
    any_method = fake_github.before("*", r"/labels", lambda: None, times=10)
    lower = fake_github.before("post", r"/labels$", lambda: None, times=10)
    fake_github.api("GET", f"{REPO}/labels")
    fake_github.api("POST", f"{REPO}/labels", json={"name": "x"})
    fake_github.api("GET", f"{REPO}/milestones")
    assert (any_method.fired, lower.fired) == (2, 1)
    with pytest.raises(ValueError, match="at least 1"):
        fake_github.before("GET", ".*", lambda: None, times=0)


def test_it_runs_before_the_request_is_processed(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_issue("t")
    fake_github.before("PATCH", r"/issues/1$", lambda: fake_github.ui_delete_issue(1))
    response = fake_github.api("PATCH", f"{REPO}/issues/1", json={"state": "closed"})
    assert response.status_code == 410
    assert fake_github.requests[-1].status == 410


def test_it_runs_before_faults_and_is_unlogged(fake_github: FakeGitHub) -> None:
    fake_github.ui_create_issue("t")
    fake_github.fail("drop", method="PATCH")
    fake_github.before("PATCH", r"/issues/1$", lambda: fake_github.ui_close_issue(1))
    with pytest.raises(requests.exceptions.ConnectionError):
        fake_github.api("PATCH", f"{REPO}/issues/1", json={"title": "u"})
    assert fake_github.issue(1)["state"] == "closed"
    assert [(r.method, r.outcome) for r in fake_github.requests] == [("PATCH", "drop")]


def test_it_runs_under_the_lock(fake_github_server: FakeGitHub) -> None:
    fake = fake_github_server
    held: list[bool] = []

    def probe() -> None:
        def other() -> None:
            got = fake.lock.acquire(blocking=False)
            held.append(not got)
            if got:
                fake.lock.release()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()

    fake.before("GET", r"^/repos/learner/roadmap$", probe)
    assert fake.api("GET", REPO).status_code == 200  # over HTTP, in the server's thread
    assert held == [True]


def test_a_failing_callback_drops_the_connection_over_http(fake_github_server: FakeGitHub) -> None:
    fake = fake_github_server

    def boom() -> None:
        raise RuntimeError("callback failed")

    fake.before("GET", r"/issues$", boom)
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=Retry(0, read=False)))
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(
            f"{fake.base_url}{REPO}/issues",
            headers={"Authorization": f"token {fake.token}"},
            timeout=5,
        )
    session.close()
    assert [str(e) for e in fake.server_errors] == ["callback failed"]
    assert fake.api("GET", f"{REPO}/issues").status_code == 200  # spent after one run
