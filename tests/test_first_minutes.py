"""What a new learner meets in the first minutes: finding and using item ids, and messages that
say what to do (GitHub issue "The first five minutes"). Each message is checked word for word."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from tests.backends import Backend, numbers
from tests.conftest import Run

LIST_IDS = "`roadmap-sync status --items` lists them"


def issue_of(backend: Backend, item_id: str) -> dict[str, object]:
    return backend.issue(numbers(backend)[item_id][0])


def test_status_lists_every_item_with_its_id(backend: Backend, run: Run) -> None:
    run("sync")
    backend.close(numbers(backend)["git-github"][0])
    plain = run("status").out
    assert "Every item with its id: roadmap-sync status --items" in plain
    listing = run("status", "--items").out
    ids = [item["id"] for item in json.loads(run("status", "--json").out)["items"]]
    assert len(ids) == 83
    for item_id in ids:
        assert re.search(rf"^ +#\d+ +\S.* {re.escape(item_id)} ", listing, re.M), item_id
    assert "Phase 1: Foundations · 1/13 · 7%" in listing
    assert re.search(r"^ +#4 +done +git-github +Git & GitHub basics \(4/4 tasks\)$", listing, re.M)
    assert re.search(
        r"^ +#2 +todo +virtual-envs +Virtual environments: venv / conda \(0/4 tasks\)$",
        listing,
        re.M,
    )


@pytest.mark.parametrize(
    "ref", ["2", "#2", "Virtual environments: venv / conda", "virtual environments: VENV / conda"]
)
def test_done_takes_an_issue_number_or_the_exact_title(
    backend: Backend, run: Run, ref: str
) -> None:
    run("sync")
    assert run("done", ref).out == "[issue virtual-envs] #2 done\n"
    assert issue_of(backend, "virtual-envs")["state"] == "closed"
    assert [i["number"] for i in backend.issues() if i["state"] == "closed"] == [2]


def test_marking_twice_says_so_and_succeeds(backend: Backend, run: Run) -> None:
    run("sync")
    assert run("reopen", "python-core").out == "[issue python-core] #1 is already open\n"
    assert run("done", "python-core").out == "[issue python-core] #1 done\n"
    assert run("done", "#1").out == "[issue python-core] #1 is already done\n"
    assert run("reopen", "1").out == "[issue python-core] #1 reopened\n"


def test_an_unknown_item_gets_a_did_you_mean_and_the_command_that_lists_ids(
    backend: Backend, run: Run
) -> None:
    run("sync")
    result = run("done", "pyton-core", expect=1)
    assert result.err.endswith(
        f"roadmap-sync: error: no item 'pyton-core' in roadmap.yaml; did you mean "
        f"'python-core'? {LIST_IDS}\n"
    )
    result = run("done", "Git and GitHub basics", expect=1)
    assert result.err.endswith(
        "roadmap-sync: error: no item 'Git and GitHub basics' in roadmap.yaml; did you mean "
        f"'git-github'? {LIST_IDS}\n"
    )
    result = run("skip", "zzzz", expect=1)
    assert result.err.endswith(f"roadmap-sync: error: no item 'zzzz' in roadmap.yaml; {LIST_IDS}\n")
    result = run("start", "#999", expect=1)
    assert result.err.endswith(
        "roadmap-sync: error: issue #999 is not the issue of any item in roadmap.yaml; "
        f"{LIST_IDS}\n"
    )
    # And the command it names really lists them.
    assert "python-core" in run("status", "--items").out


def test_the_local_tracker_notice_is_one_short_line_that_says_how_to_silence_it(
    workdir: Path, run: Run
) -> None:
    err = run("status").err
    notice = err.splitlines()[0]
    assert notice == (
        "no repository set: using the local tracker .roadmap-sync/tracker.json "
        "(--local hides this note)"
    )
    assert len(notice) <= 100
    assert "no repository set" not in run("status", "--local").err


def test_importing_a_missing_markdown_file_says_so(workdir: Path, run: Run) -> None:
    result = run("import", "missing.md", "-o", "new.yaml", expect=1)
    assert result.err == (
        "missing.md:1:1: markdown file not found; check the path of the checklist to import\n"
    )
    assert not Path("new.yaml").exists()


def _refused_port() -> int:
    # A port nothing listens on: bound, then closed, so a connection is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unreachable_api_url_is_named_in_one_line_without_retrying(
    workdir: Path, run: Run, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    url = f"http://127.0.0.1:{_refused_port()}/api/v3"
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_" + "x" * 36)
    args = ["status", "--repo", "learner/roadmap"]
    if how == "option":
        args += ["--api-url", url]
    else:
        monkeypatch.setenv("GITHUB_API_URL", url)
    sleeps: list[float] = []
    monkeypatch.setattr("time.sleep", sleeps.append)
    result = run(*args, expect=1)
    assert result.err == (
        f"roadmap-sync: error: cannot reach the GitHub API at {url} (connection refused): "
        "check --api-url or GITHUB_API_URL (without them it is https://api.github.com)\n"
    )
    assert sleeps == []  # no retries: nothing ever answered at that address


HELP_OPTIONS = {
    "validate": ["--roadmap"],
    "import": ["--output", "--force"],
    "plan": ["--roadmap", "--repo", "--api-url", "--local", "--tracker", "--verbose"],
    "sync": ["--roadmap", "--repo", "--api-url", "--local", "--tracker", "--write-interval"],
    "status": ["--roadmap", "--repo", "--api-url", "--local", "--tracker", "--items", "--json"],
    "render": ["--roadmap", "--repo", "--local", "--tracker", "--readme", "--badge-dir"],
    "done": ["--roadmap", "--repo", "--api-url", "--local", "--tracker"],
    "migrate": ["--roadmap", "--api-url", "--tracker", "--write-interval", "--to"],
}
NOT_IN_HELP = {
    "validate": ["--repo", "--api-url", "--local", "--tracker", "--write-interval"],
    "import": ["--repo", "--api-url", "--local", "--tracker", "--write-interval", "--roadmap"],
    "plan": ["--write-interval"],
    "status": ["--write-interval"],
    "render": ["--write-interval"],
    "done": ["--write-interval"],
    "migrate": ["--repo", "--local"],
}


@pytest.mark.parametrize("command", sorted(HELP_OPTIONS))
def test_help_lists_only_the_options_a_command_uses(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run(command, "--help").out
    for option in HELP_OPTIONS[command]:
        assert f" {option}" in text, option
    for option in NOT_IN_HELP.get(command, []):
        assert f" {option}" not in text, option
    if "--tracker" in HELP_OPTIONS[command]:
        # The default path stays whole, never broken at its hyphen.
        assert "[default: .roadmap-sync/tracker.json]" in re.sub(r"\n +", " ", text)
        assert ".roadmap-\n" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_readme_not_in_utf8_is_named_with_its_line_column_and_byte(
    workdir: Path, run: Run
) -> None:
    # Latin-1 "é" on line 2, column 4: an editor that saved the README in a legacy encoding.
    readme = (
        b"# My roadmap\nCaf\xe9 notes\n<!-- roadmap-sync:start -->\n<!-- roadmap-sync:end -->\n"
    )
    (workdir / "README.md").write_bytes(readme)
    result = run("render", "--local", expect=1)
    assert result.err == (
        "roadmap-sync: error: README.md:2:4: not UTF-8 text (byte 0xe9); save the README as UTF-8\n"
    )
    assert (workdir / "README.md").read_bytes() == readme
    assert sorted(p.name for p in workdir.iterdir()) == ["README.md", "roadmap.yaml"]
