"""PyGithub itself against the fake (over responses and over real HTTP), plus transports."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import date

import github
import pytest
import requests
from github.GithubException import GithubException, UnknownObjectException
from urllib3.util import Retry

from tests.fake_github import FakeGitHub
from tests.fake_github.netguard import NetworkBlockedError

REPO = "/repos/learner/roadmap"


def client(fake: FakeGitHub, **options: object) -> github.Github:
    """PyGithub pointed at the fake, without PyGithub's client-side write throttling."""
    return github.Github(
        auth=github.Auth.Token(fake.token),
        base_url=fake.base_url,
        per_page=100,
        seconds_between_requests=0,
        seconds_between_writes=0,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def gh(fake_github: FakeGitHub) -> Iterator[github.Github]:
    with client(fake_github) as instance:
        yield instance


def test_pygithub_sync_flow_over_responses(fake_github: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo("learner/roadmap")
    assert repo.full_name == "learner/roadmap"
    track = repo.create_label("track:python", "3572a5", "Python track")
    month = repo.create_milestone("Month 1", due_on=date(2025, 3, 1), description="Basics")
    assert month.due_on is not None
    assert month.due_on.isoformat() == "2025-03-01T08:00:00+00:00"
    first = repo.create_issue("Variables", body="Learn them", labels=[track], milestone=month)
    assert (first.number, first.milestone.title, [lb.name for lb in first.labels]) == (
        1,
        "Month 1",
        ["track:python"],
    )
    for n in range(249):  # 250 labelled issues in total, some closed
        fake_github.ui_create_issue(f"topic {n}", labels=["track:python"], state="open")
    for n in range(240, 250):
        fake_github.ui_close_issue(n, reason="not_planned")
    for n in range(30):
        fake_github.ui_create_issue(f"unlabelled {n}")
    fake_github.ui_add_pull_request("a PR", labels=["track:python"])
    fake_github.reset_log()

    found = list(repo.get_issues(state="all", labels=[track]))
    assert len(found) == 251  # PyGithub followed the Link header; the PR is listed too
    pages = fake_github.calls("GET", r"/issues$")
    assert [p.query.get("page", ["1"])[0] for p in pages] == ["1", "2", "3"]
    assert all(p.query["per_page"] == ["100"] for p in pages)
    assert sum(1 for i in found if i.pull_request is not None) == 1
    assert sum(1 for i in found if i.state == "closed") == 10

    first.edit(title="Variables and types", body="Updated")
    first.edit(state="closed", state_reason="not_planned")
    fresh = repo.get_issue(1)
    assert (fresh.title, fresh.state, fresh.state_reason) == (
        "Variables and types",
        "closed",
        "not_planned",
    )
    assert fresh.closed_at is not None
    assert repo.get_milestone(1).closed_issues == 1


def test_pygithub_labels_milestones_and_errors(gh: github.Github) -> None:
    repo = gh.get_repo("learner/roadmap")
    repo.create_label("in progress", "fbca04")
    label = repo.get_label("In Progress")
    assert label.name == "in progress"
    label.edit("doing", "0e8a16", "Work in progress")
    assert repo.get_label("doing").description == "Work in progress"
    with pytest.raises(GithubException) as duplicate:
        repo.create_label("DOING", "000000")
    assert duplicate.value.status == 422
    assert duplicate.value.data["errors"][0]["code"] == "already_exists"
    with pytest.raises(UnknownObjectException):
        repo.get_label("missing")
    repo.create_milestone("Month 1")
    closed = repo.create_milestone("Month 0", state="closed")
    assert [m.title for m in repo.get_milestones()] == ["Month 1"]
    assert {m.title for m in repo.get_milestones(state="all")} == {"Month 0", "Month 1"}
    closed.delete()
    assert [m.title for m in repo.get_milestones(state="closed")] == []


def test_pygithub_issue_labels_and_sub_issues(fake_github: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo("learner/roadmap")
    epic = repo.create_issue("Epic")
    tasks = [repo.create_issue(f"Task {n}") for n in range(2)]
    tasks[0].add_to_labels("bug", "task")
    tasks[0].remove_from_labels("bug")
    assert [lb.name for lb in repo.get_issue(tasks[0].number).labels] == ["task"]
    for task in tasks:
        epic.add_sub_issue(task.id)
    tasks[1].edit(state="closed")
    assert [s.number for s in epic.get_sub_issues()] == [t.number for t in tasks]
    summary = repo.get_issue(epic.number).sub_issues_summary
    assert (summary.total, summary.completed, summary.percent_completed) == (2, 1, 50)
    epic.remove_sub_issue(tasks[0].id)
    assert fake_github.issue(epic.number)["sub_issues_summary"]["total"] == 1
    tasks[0].create_comment("progress")
    assert repo.get_issue(tasks[0].number).comments == 1


def test_pygithub_contents(fake_github: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo("learner/roadmap")
    created = repo.create_file("README.md", "add readme", "# Roadmap\n")
    current = repo.get_contents("README.md")
    assert not isinstance(current, list)
    assert current.decoded_content == b"# Roadmap\n"
    assert current.sha == created["content"].sha
    repo.update_file("README.md", "progress", "# Roadmap\n\n50%\n", current.sha)
    with pytest.raises(GithubException) as stale:
        repo.update_file("README.md", "again", "x", current.sha)  # sha of the old blob
    assert stale.value.status == 409
    assert [c.message for c in fake_github.commits] == ["add readme", "progress"]
    assert fake_github.file("README.md") == b"# Roadmap\n\n50%\n"


def test_pygithub_sees_conditional_requests(fake_github: FakeGitHub, gh: github.Github) -> None:
    fake_github.ui_create_issue("t")
    issue = gh.get_repo("learner/roadmap").get_issue(1)
    before = fake_github.core.remaining
    assert issue.update() is False  # PyGithub sends If-None-Match: 304, not charged
    assert fake_github.calls("GET", r"/issues/1$")[-1].status == 304
    assert fake_github.core.remaining == before
    fake_github.ui_edit_issue(1, title="changed on the web")
    assert issue.update() is True
    assert issue.title == "changed on the web"


def test_pygithub_over_http(fake_github_server: FakeGitHub) -> None:
    fake = fake_github_server
    assert fake.base_url.startswith("http://127.0.0.1:")
    for n in range(120):
        fake.ui_create_issue(f"t{n}", labels=["week 1"] if n % 2 else [])
    with client(fake) as gh:
        repo = gh.get_repo("learner/roadmap")
        made = repo.create_issue("over http", labels=["week 1"])
        assert made.html_url == f"https://github.com/learner/roadmap/issues/{made.number}"
        assert made.url.startswith(fake.base_url)  # API URLs follow the served host
        listed = list(repo.get_issues(state="all", labels=["Week 1"]))
        assert len(listed) == 61
        made.edit(state="closed", state_reason="completed")
        assert repo.get_issue(made.number).state_reason == "completed"
    assert {r.transport for r in fake.requests} == {"http"}
    link = fake.api("GET", f"{REPO}/issues?per_page=10").headers["Link"]
    assert link.startswith(f"<{fake.base_url}/repositories/")


def test_http_drop_and_timeout(fake_github_server: FakeGitHub) -> None:
    fake = fake_github_server
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(max_retries=Retry(0, read=False)))
    auth = {"Authorization": f"token {fake.token}"}
    fake.fail("drop", method="POST", nth=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        session.post(f"{fake.base_url}{REPO}/issues", json={"title": "t"}, headers=auth)
    assert fake.issues() == []
    fake.fail("timeout", method="GET", path=r"/issues/\d+$", hang=5)
    fake.ui_create_issue("t")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        session.get(f"{fake.base_url}{REPO}/issues/1", headers=auth, timeout=0.3)
    assert time.monotonic() - started < 3
    session.close()


def test_http_server_crash_drops_the_connection(fake_github_server: FakeGitHub) -> None:
    fake = fake_github_server

    def crash(number: int) -> None:
        raise RuntimeError(f"killed after write {number}")

    fake.after_write = crash
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(max_retries=Retry(0, read=False)))
    with pytest.raises(requests.exceptions.ConnectionError):
        session.post(
            f"{fake.base_url}{REPO}/issues",
            json={"title": "landed"},
            headers={"Authorization": f"token {fake.token}"},
        )
    session.close()
    assert [str(e) for e in fake.server_errors] == ["killed after write 1"]
    assert [i["title"] for i in fake.issues()] == ["landed"]


def test_head_requests(fake_github_server: FakeGitHub) -> None:
    over_http = fake_github_server.api("HEAD", REPO)
    assert (over_http.status_code, over_http.content) == (200, b"")
    assert over_http.headers["ETag"].startswith('W/"')
    assert int(over_http.headers["Content-Length"]) > 0


def test_http_latency_and_thread_safety() -> None:
    fake = FakeGitHub()
    with fake.serve(latency=0.05) as url:
        started = time.monotonic()
        assert fake.api("GET", REPO).status_code == 200
        assert time.monotonic() - started >= 0.05
        assert url == fake.base_url

        def worker(n: int) -> None:
            assert fake.api("POST", f"{REPO}/issues", json={"title": f"t{n}"}).status_code == 201

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(i["number"] for i in fake.issues()) == list(range(1, 17))
    assert fake.core.remaining == 5000 - 17


def test_network_guard_blocks_real_hosts() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("api.github.com", 443)
    with pytest.raises(NetworkBlockedError):
        requests.get("https://api.github.com/rate_limit", timeout=1)
    fake = FakeGitHub()
    with fake.serve() as url:  # loopback stays reachable (GET /rate_limit needs no token)
        assert requests.get(url + "/rate_limit", timeout=5).status_code == 200


def test_subprocess_env_points_children_at_the_fake(fake_github_server: FakeGitHub) -> None:
    script = textwrap.dedent(
        """
        import json, os, socket, urllib.request
        request = urllib.request.Request(
            os.environ["GITHUB_API_URL"] + "/repos/" + os.environ["GITHUB_REPOSITORY"],
            headers={"Authorization": "token " + os.environ["GITHUB_TOKEN"]},
        )
        print(json.load(urllib.request.urlopen(request))["full_name"])
        try:
            socket.create_connection(("203.0.113.7", 443), timeout=1)
        except Exception as error:
            print(type(error).__name__)
        """
    )
    env = fake_github_server.subprocess_env()
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["learner/roadmap", "NetworkBlockedError"]
    assert fake_github_server.calls("GET", r"^/repos/learner/roadmap$")[0].transport == "http"
