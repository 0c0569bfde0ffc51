"""Issues worth opening, end to end: the "Done when" checklist on GitHub (the fake) and on the
local tracker; ticks kept across syncs and races, ticked from the terminal, read back as
partial progress, carried by migrate; within the request budget."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from roadmap_sync.model.load import load
from tests.backends import Backend, GitHubBackend, map_items, numbers, rewrite_roadmap, set_item
from tests.conftest import Run
from tests.fake_github import FakeGitHub

TASKS = (
    "Write a decorator that times a function",
    "Use it on three functions",
    "Raise and catch a custom exception",
)
REPO = "/repos/learner/roadmap"


def tick_on_github(body: str, *numbers: int) -> str:
    """The body as GitHub rewrites it when the learner clicks these boxes (1-based)."""
    lines = body.split("\n")
    boxes = [i for i, line in enumerate(lines) if re.match(r"- \[[ x]\] ", line)]
    for number in numbers:
        lines[boxes[number - 1]] = "- [x]" + lines[boxes[number - 1]][5:]
    return "\n".join(lines)


def boxes(body: str) -> list[tuple[bool, str]]:
    return [
        (m.group(1) == "x", m.group(2)) for m in re.finditer(r"^- \[([ x])\] (.*)$", body, re.M)
    ]


@pytest.fixture
def synced(github_env: Path, fake_github: FakeGitHub, run: Run) -> FakeGitHub:
    set_item("python-core", tasks=TASKS)
    run("sync")
    fake_github.reset_log()
    return fake_github


def test_ticks_and_notes_survive_a_roadmap_change(synced: FakeGitHub, run: Run) -> None:
    number = numbers(synced)["python-core"][0]
    body = synced.issue(number)["body"]
    assert boxes(body) == [(False, task) for task in TASKS]
    synced.ui_edit_issue(number, body=tick_on_github(body, 1, 3) + "\n\nMy note: decorators!")
    set_item(
        "python-core",
        tasks=(
            TASKS[0],
            TASKS[1],
            "Raise, catch and log a custom exception",
            "Write a context manager",
        ),
        description="Python is the language of ML work.",
    )
    synced.reset_log()
    run("sync")
    after = synced.issue(number)["body"]
    assert boxes(after) == [
        (True, TASKS[0]),
        (False, TASKS[1]),
        (False, "Raise, catch and log a custom exception"),  # reworded: starts unticked
        (False, "Write a context manager"),
    ]
    assert "Python is the language of ML work." in after
    assert after.endswith("<!-- roadmap-sync:end -->\n\nMy note: decorators!")
    # The snapshot, one fresh read of that issue just before its body is rewritten, one write.
    assert (synced.reads, synced.writes) == (5, 1)
    assert [(r.method, r.path) for r in synced.requests][4:] == [
        ("GET", f"{REPO}/issues/{number}"),
        ("PATCH", f"{REPO}/issues/{number}"),
    ]
    synced.reset_log()
    run("sync")
    assert (synced.reads, synced.writes) == (4, 0)  # ticked boxes are a converged state


def test_a_box_ticked_while_the_sync_runs_is_kept(synced: FakeGitHub, run: Run) -> None:
    number = numbers(synced)["python-core"][0]
    set_item("python-core", tasks=TASKS, description="A new description.")

    def learner_ticks() -> None:
        body = synced.issue(number)["body"]
        synced.ui_edit_issue(number, body=tick_on_github(body, 2) + "\n\nwritten meanwhile")

    # After the snapshot listed the issues, before the sync reads this one issue again.
    synced.before("GET", rf"/issues/{number}$", learner_ticks)
    run("sync")
    after = synced.issue(number)["body"]
    assert boxes(after) == [(False, TASKS[0]), (True, TASKS[1]), (False, TASKS[2])]
    assert "A new description." in after
    assert after.endswith("\n\nwritten meanwhile")


def test_no_op_resync_status_and_render_stay_in_budget(synced: FakeGitHub, run: Run) -> None:
    number = numbers(synced)["python-core"][0]
    synced.ui_edit_issue(number, body=tick_on_github(synced.issue(number)["body"], 1))
    run("sync")
    assert (synced.reads, synced.writes) == (4, 0)
    synced.reset_log()
    run("status")
    assert (synced.reads, synced.writes) == (2, 0)
    synced.reset_log()
    run("render", "--readme", "README.md", "--badge", "badge.svg")
    assert (synced.reads, synced.writes) == (2, 0)
    synced.reset_log()
    run("tick", "python-core", "2")
    assert (synced.reads, synced.writes) == (2, 1)  # one PATCH of the body


def only_these_tasks(tasks: dict[str, tuple[str, ...]]) -> None:
    """The shipped roadmap with these items' tasks and no others, so counts are exact."""
    rewrite_roadmap(
        lambda roadmap: map_items(
            roadmap, lambda i: dataclasses.replace(i, tasks=tasks.get(i.id, ()))
        )
    )


def test_status_and_the_readme_show_the_ticks(backend: Backend, run: Run) -> None:
    only_these_tasks({"python-core": TASKS})
    set_item("virtual-envs", tasks=("Create a venv", "Install a package into it"))
    Path("README.md").write_text("<!-- roadmap-sync:start -->\n<!-- roadmap-sync:end -->\n")
    run("sync")
    ids = numbers(backend)
    run("tick", "python-core", "1")
    run("tick", "#1", "3")
    backend.close(ids["virtual-envs"][0])
    doc = json.loads(run("status", "--json").out)
    by_id = {item["id"]: item for item in doc["items"]}
    assert (by_id["python-core"]["status"], by_id["python-core"]["tasks_done"]) == (
        "in progress",
        2,
    )
    assert by_id["python-core"]["tasks_total"] == 3
    assert (by_id["virtual-envs"]["tasks_done"], by_id["virtual-envs"]["tasks_total"]) == (2, 2)
    assert (by_id["git-github"]["tasks_done"], by_id["git-github"]["tasks_total"]) == (0, 0)
    phase = doc["phases"][0]
    assert (phase["tasks_done"], phase["tasks_total"], phase["in_progress"]) == (4, 5, 1)
    run("render")
    readme = Path("README.md").read_text(encoding="utf-8")
    link = "" if backend.name == "local" else "](https://github.com/learner/roadmap/issues/1)"
    title = "Python: functions, OOP, decorators, lambdas, exceptions"
    assert re.search(
        rf"- \[ \] \[?{re.escape(title)}.*🚧 in progress · 2/3 tasks$", readme, re.M
    ), link
    assert "` 1/13 · 7% · 1 in progress · 4/5 tasks ticked" in readme
    assert re.search(r"- \[x\] \[?Virtual environments: venv / conda[^·\n]*$", readme, re.M)
    assert "Phase 1: Foundations · 1/13 · 7%" in run("status", "--items").out
    assert "(2/3 tasks)" in run("status", "--items").out


def test_tick_and_untick_from_the_terminal(backend: Backend, run: Run) -> None:
    only_these_tasks({"python-core": TASKS})
    run("sync")
    assert run("tick", "python-core", "2").out == (
        f"[issue python-core] #1 task 2 ticked: {TASKS[1]}\n"
    )
    assert (
        run("tick", "1", "2").out
        == f"[issue python-core] #1 task 2 is already ticked: {TASKS[1]}\n"
    )
    body = backend.issue(numbers(backend)["python-core"][0])["body"]
    assert boxes(body) == [(False, TASKS[0]), (True, TASKS[1]), (False, TASKS[2])]
    assert run("untick", "python-core", "2").out == (
        f"[issue python-core] #1 task 2 unticked: {TASKS[1]}\n"
    )
    assert not any(tick for tick, _ in boxes(backend.issue(1)["body"]))
    result = run("tick", "python-core", "4", expect=1)
    assert result.err.endswith(
        "roadmap-sync: error: item 'python-core' has 3 tasks: N must be 1 to 3\n"
    )
    result = run("tick", "python-core", "0", expect=1)
    assert result.err.endswith("N must be 1 to 3\n")
    result = run("tick", "git-github", "1", expect=1)
    assert result.err.endswith(
        "roadmap-sync: error: item 'git-github' has no tasks; add a `tasks:` list to it in "
        "roadmap.yaml\n"
    )
    set_item("python-core", tasks=(*TASKS, "A fourth, not synced yet"))
    result = run("tick", "python-core", "4", expect=1)
    assert result.err.endswith("task 4 is not in issue #1 yet: run `roadmap-sync sync`\n")


def test_migrate_carries_the_ticks(
    workdir: Path, fake_github: FakeGitHub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_item("python-core", tasks=TASKS)
    run("sync")  # the local tracker
    run("tick", "python-core", "1")
    run("tick", "python-core", "3")
    run("done", "git-github")
    monkeypatch.setenv("GITHUB_TOKEN", fake_github.token)
    result = run("migrate", "--to", fake_github.full_name)
    assert "[issue python-core] #1 2 tasks ticked\n" in result.out
    assert "[issue git-github] #4 done\n" in result.out
    github = GitHubBackend(fake_github, monkeypatch)
    body = github.issue(numbers(github)["python-core"][0])["body"]
    assert boxes(body) == [(True, TASKS[0]), (False, TASKS[1]), (True, TASKS[2])]
    fake_github.reset_log()
    assert (
        run("migrate", "--to", fake_github.full_name)
        .out.strip()
        .endswith("0 statuses carried over")
    )
    assert fake_github.writes == 0


def test_the_shipped_roadmaps_ticks_survive_an_edit_of_the_item(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    # The issue's acceptance, word for word, on the roadmap as shipped: tick tasks 1 and 3 of
    # one item as GitHub does and write a note; reword task 3, add a task, edit the
    # description; sync: 1 ticked, 3 and the new one not, the note kept; sync again: nothing.
    run("sync")
    shipped = load(Path("roadmap.yaml"))
    item = next(i for i in shipped.items if i.id == "numpy-pandas")
    number = numbers(fake_github)["numpy-pandas"][0]
    body = fake_github.issue(number)["body"]
    assert boxes(body) == [(False, task) for task in item.tasks]
    fake_github.ui_edit_issue(number, body=tick_on_github(body, 1, 3) + "\n\nMy note")
    tasks = (item.tasks[0], item.tasks[1], item.tasks[2] + ", twice", *item.tasks[3:], "A new one")
    set_item("numpy-pandas", tasks=tasks, description=item.description + " Edited.")
    fake_github.reset_log()
    run("sync")
    after = fake_github.issue(number)["body"]
    ticked = [tick for tick, _ in boxes(after)]
    assert ticked == [True, False, False, *[False] * (len(item.tasks) - 3), False]
    assert [text for _, text in boxes(after)] == list(tasks)
    assert after.endswith("<!-- roadmap-sync:end -->\n\nMy note")
    assert " Edited." in after
    assert fake_github.writes == 1
    fake_github.reset_log()
    run("sync")
    assert (fake_github.reads, fake_github.writes) == (4, 0)
