"""End to end through the CLI, the same assertions on both trackers: the fake GitHub and the
local tracker file. (GitHub-only matters — request counts, faults, tokens — live in
test_sync_github.py.)"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from roadmap_sync.model import load as loader
from roadmap_sync.model.roadmap import Item, Kind, Roadmap
from tests.backends import Backend, edit_roadmap, item_of, map_items, numbers, rewrite_roadmap
from tests.conftest import REPO_ROOT, Run

SHIPPED = loader.load(REPO_ROOT / "roadmap.yaml")
N_ITEMS = len(SHIPPED.items)
BY_ID = {item.id: item for item in SHIPPED.items}
PHASE_OF = SHIPPED.phase_of()
DATA_VIZ = '      - id: data-viz\n        title: "Data viz: Matplotlib, Seaborn, Plotly"\n'


def plan_writes(run: Run) -> int:
    return int(json.loads(run("plan", "--json").out)["summary"]["writes"])


def test_first_sync_makes_one_issue_per_item_in_its_milestone(backend: Backend, run: Run) -> None:
    result = run("sync")
    assert f"created {N_ITEMS}, updated 0, closed 0" in result.out
    assert sorted(m["title"] for m in backend.milestones()) == sorted(
        p.title for p in SHIPPED.phases
    )
    names = {label["name"] for label in backend.labels()}
    assert {"roadmap", "topic", "project", "in progress"} | {
        f"phase-{n}" for n in range(1, 8)
    } <= names
    issues = backend.issues()
    assert len(issues) == N_ITEMS
    for issue in issues:
        item_id = item_of(issue)
        assert item_id is not None
        phase = PHASE_OF[item_id]
        assert issue["state"] == "open"
        assert issue["title"] == BY_ID[item_id].title
        assert issue["milestone"]["title"] == phase.title
        assert {label["name"] for label in issue["labels"]} == {
            "roadmap",
            phase.label,
            BY_ID[item_id].kind.value,
        }
    second = run("sync")
    assert "Up to date: 83 issues match the roadmap" in second.out
    run("plan", "--detailed-exitcode")


def test_a_title_change_is_one_write_and_the_users_things_survive(
    backend: Backend, run: Run
) -> None:
    run("sync")
    number = numbers(backend)["git-github"][0]
    backend.add_labels(number, "my-label")
    backend.assign(number, "learner")
    backend.edit_body(number, backend.issue(number)["body"] + "\n\nMy own notes.")
    edit_roadmap("title: Git & GitHub basics", "title: Git and GitHub, the basics")
    assert plan_writes(run) == 1
    run("sync")
    issue = backend.issue(number)
    assert issue["title"] == "Git and GitHub, the basics"
    assert "my-label" in {label["name"] for label in issue["labels"]}
    assert [a["login"] for a in issue["assignees"]] == ["learner"]
    assert issue["body"].endswith("\n\nMy own notes.")


def test_new_removed_and_renamed_items(backend: Backend, run: Run) -> None:
    run("sync")
    before = numbers(backend)

    def change(item: Item) -> Item | None:
        needs = tuple("shell-basics" if n == "linux-cli" else n for n in item.needs)
        needs = tuple(n for n in needs if n != "data-viz")  # what validate asks for
        if item.id == "data-viz":
            return None
        if item.id == "linux-cli":
            return dataclasses.replace(item, id="shell-basics", was=("linux-cli",), needs=needs)
        return dataclasses.replace(item, needs=needs)

    def add(roadmap: Roadmap) -> Roadmap:
        phase = roadmap.phases[0]
        new = Item("new-project", "A new project", Kind.PROJECT)
        first = dataclasses.replace(phase, projects=(new, *phase.projects))
        return dataclasses.replace(roadmap, phases=(first, *roadmap.phases[1:]))

    rewrite_roadmap(lambda roadmap: add(map_items(roadmap, change)))
    # The `removed` label, the rename, the close, the create, and the three dependencies of
    # data-viz: two items needed it, and it needed numpy-pandas.
    assert plan_writes(run) == 7
    run("sync")
    after = numbers(backend)
    assert after["shell-basics"] == before["linux-cli"]
    removed = backend.issue(before["data-viz"][0])
    assert (removed["state"], removed["state_reason"]) == ("closed", "not_planned")
    assert "removed" in {label["name"] for label in removed["labels"]}
    assert len(after["new-project"]) == 1
    assert plan_writes(run) == 0
    # The item comes back: its issue is reopened, not duplicated.
    edit_roadmap("      - id: numpy-pandas\n", DATA_VIZ + "      - id: numpy-pandas\n")
    run("sync")
    back = backend.issue(before["data-viz"][0])
    assert back["state"] == "open"
    assert "removed" not in {label["name"] for label in back["labels"]}
    assert numbers(backend)["data-viz"] == before["data-viz"]


def test_hand_made_duplicates_are_closed_with_a_comment(backend: Backend, run: Run) -> None:
    run("sync")
    original = numbers(backend)["math"][0]
    source = backend.issue(original)
    copy = backend.create_issue(source["title"], source["body"], ["roadmap"])
    run("sync")
    closed = backend.issue(copy)
    assert (closed["state"], closed["state_reason"]) == ("closed", "not_planned")
    (comment,) = backend.comments(copy)
    assert f"#{original}" in comment
    assert backend.issue(original)["state"] == "open"


def test_marking_from_the_terminal(backend: Backend, run: Run) -> None:
    run("sync")
    ids = numbers(backend)
    assert run("done", "python-core").out == f"[issue python-core] #{ids['python-core'][0]} done\n"
    run("start", "math")
    run("skip", "data-viz")
    run("done", "clean-code")
    run("reopen", "clean-code")
    assert "already done" in run("done", "python-core").out
    wrong = run("done", "pyhton-core", expect=1)
    assert "did you mean 'python-core'?" in wrong.err
    status = json.loads(run("status", "--json").out)
    by_status = {i["id"]: i["status"] for i in status["items"]}
    assert by_status["python-core"] == "done"
    assert by_status["math"] == "in progress"
    assert by_status["data-viz"] == "skipped"
    assert by_status["clean-code"] == "todo"
    assert (status["done"], status["skipped"], status["percent"]) == (1, 1, 1)


README = (
    "# My learning\r\n\r\nIntro  \r\n\r\n"
    "<!-- roadmap-sync:start -->\r\nold\r\n<!-- roadmap-sync:end -->\r\n"
    "Footer, no final newline"
)


def test_render_shows_exactly_the_state_of_the_issues(backend: Backend, run: Run) -> None:
    Path("README.md").write_bytes(README.encode())
    run("sync")
    ids = numbers(backend)
    phase_one = [item.id for item in SHIPPED.phases[0].items]
    later = [item.id for phase in SHIPPED.phases[1:] for item in phase.items]
    done = phase_one[:3] + later[:7]
    for item_id in done:
        backend.close(ids[item_id][0])
    backend.close(ids[phase_one[5]][0], "not_planned")
    backend.add_labels(ids[phase_one[6]][0], "in progress")
    run("render")
    text = Path("README.md").read_bytes().decode()
    head, rest = text.split("<!-- roadmap-sync:start -->", 1)
    section, tail = rest.split("<!-- roadmap-sync:end -->", 1)
    assert head == "# My learning\r\n\r\nIntro  \r\n\r\n"
    assert tail == "\r\nFooter, no final newline"
    checked = [t.strip() for t in re.findall(r"- \[x\] \[?([^\]\r\n`]+)", section)]
    assert sorted(checked) == sorted(BY_ID[i].title for i in done)
    skipped = BY_ID[phase_one[5]].title
    assert re.search(rf"- \[ \] ~~\[?{re.escape(skipped)}.*~~ skipped", section)
    assert "🚧 in progress" in section
    percent = 10 * 100 // (N_ITEMS - 1)
    assert f"**10/{N_ITEMS - 1} · {percent}%** done" in section
    assert "3/12 · 25% · 1 skipped" in section  # phase 1: 3 done of 13, 1 skipped
    before = Path("README.md").read_bytes()
    run("render")
    assert Path("README.md").read_bytes() == before
    run("render", "--check")
    backend.close(ids[later[10]][0])
    assert "out of date: README.md" in run("render", "--check", expect=1).err
    assert Path("README.md").read_bytes() == before


def test_a_hostile_title_renders_inert(backend: Backend, run: Run) -> None:
    hostile = "A | B <script>x</script> <!-- --> [z](javascript:y) @octocat #12"
    edit_roadmap("title: Git & GitHub basics", f"title: {json.dumps(hostile)}")
    Path("README.md").write_text("Top\n\n<!-- roadmap-sync:start -->\n<!-- roadmap-sync:end -->\n")
    run("sync")
    run("render")
    text = Path("README.md").read_text(encoding="utf-8")
    assert text.count("<!-- roadmap-sync:start -->") == 1
    assert text.count("<!-- roadmap-sync:end -->") == 1
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "@octocat" not in html  # a zero-width joiner keeps GitHub from pinging
    line = next(li for li in html.split("<li") if "octocat" in li)
    assert line.count("<a ") <= 1  # at most the issue link the tool built
    assert '<input type="checkbox"' in html
    assert "<table>" in html


def test_phase_badges_burnup_and_pace(backend: Backend, run: Run) -> None:
    run("sync")
    ids = numbers(backend)
    for item_id in ("python-core", "virtual-envs", "supervised-unsupervised"):
        backend.close(ids[item_id][0])
    run("render", "--badge-dir", "badges")
    for name in [f"phase-{n}.svg" for n in range(1, 8)] + ["phase-1.json", "burnup.svg"]:
        assert (Path("badges") / name).is_file(), name
    assert "Phase 1" in (Path("badges") / "phase-1.svg").read_text(encoding="utf-8")
    readme = Path("README.md").read_text(encoding="utf-8")
    assert "```mermaid\nxychart-beta\n" in readme
    assert "line [3]" in readme
    status = run("status").out
    # Three done on one day: too little history for a rate, so no promise of a date yet.
    today = json.loads(run("status", "--json").out)["items"][0]["closed_at"][:10]
    assert f"3 done since {today}: a pace and a finish date come after two weeks." in status
    pace = json.loads(run("status", "--json").out)["pace"]
    assert (pace["done_last_4_weeks"], pace["per_week"], pace["remaining"]) == (3, None, 80)
    assert (pace["since"], pace["done_since"], pace["finish"]) == (today, 3, None)
    run("render", "--badge-dir", "badges", "--check")


def test_phases_inserted_and_swapped_keep_their_milestones(backend: Backend, run: Run) -> None:
    run("sync")
    before = {m["title"]: m["number"] for m in backend.milestones()}
    text = Path("roadmap.yaml").read_text(encoding="utf-8")
    head, phases = text.split("phases:\n", 1)
    blocks = phases.split("\n\n")
    # Swap phases 1 and 2, and put a new phase in front of both: every title shifts.
    new = "  - id: warm-up\n    name: Warm-up\n    topics:\n      - id: hello\n        title: Hello"
    Path("roadmap.yaml").write_text(
        head + "phases:\n" + "\n\n".join([new, blocks[1], blocks[0], *blocks[2:]]),
        encoding="utf-8",
    )
    run("sync")
    after = {m["title"]: m["number"] for m in backend.milestones()}
    assert len(after) == 8
    assert (
        after["Phase 2: Machine Learning Essentials"]
        == before["Phase 2: Machine Learning Essentials"]
    )
    assert after["Phase 3: Foundations"] == before["Phase 1: Foundations"]
    assert (
        after["Phase 8: AI Leadership & Communication"]
        == before["Phase 7: AI Leadership & Communication"]
    )
    assert plan_writes(run) == 0
