"""`migrate --to`: progress made offline on the local tracker arrives on GitHub intact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.backends import GitHubBackend, numbers
from tests.conftest import Run
from tests.fake_github import FakeGitHub

DONE = ["python-core", "virtual-envs", "clean-code", "git-github", "supervised-unsupervised"]


def test_five_done_and_one_skipped_arrive_on_github(
    workdir: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("sync")  # no repository anywhere: the local tracker
    for item_id in DONE:
        run("done", item_id)
    run("skip", "data-viz")
    run("start", "math")
    local = {i["id"]: i["status"] for i in json.loads(run("status", "--json").out)["items"]}

    monkeypatch.setenv("GITHUB_TOKEN", fake_github.token)
    result = run("migrate", "--to", fake_github.full_name)
    last = re.sub(r" in \d+ s;", " in N s;", result.out.strip().splitlines()[-1])  # wall time
    assert last == (
        f"{fake_github.full_name}: created 83, updated 0, closed 0, reopened 0, unchanged 0"
        " in N s; 7 statuses carried over"
    )
    github = GitHubBackend(fake_github, monkeypatch)
    issues = {item_id: github.issue(n[0]) for item_id, n in numbers(github).items()}
    assert len(issues) == 83
    for item_id in DONE:
        assert (issues[item_id]["state"], issues[item_id]["state_reason"]) == (
            "closed",
            "completed",
        )
    assert (issues["data-viz"]["state"], issues["data-viz"]["state_reason"]) == (
        "closed",
        "not_planned",
    )
    assert "in progress" in {label["name"] for label in issues["math"]["labels"]}
    remote = {i["id"]: i["status"] for i in json.loads(run("status", "--json").out)["items"]}
    assert remote == local

    fake_github.reset_log()
    again = run("migrate", "--to", fake_github.full_name)
    assert again.out.strip().endswith("0 statuses carried over")
    assert fake_github.writes == 0
