"""Prerequisites: `needs:` checked as a graph, made native "blocked by" dependencies, and the
daily answer to "what next?" (GitHub issue "Prerequisites")."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from roadmap_sync.errors import RoadmapError
from roadmap_sync.model.load import loads
from roadmap_sync.model.needs import cycles
from tests.backends import Backend, map_items, numbers, rewrite_roadmap
from tests.conftest import Run

HEAD = "title: T\nphases:\n  - name: P\n    topics:\n"


def problems(items: str) -> list[str]:
    with pytest.raises(RoadmapError) as caught:
        loads(HEAD + items, "r.yaml")
    return [str(p) for p in caught.value.problems]


def item(ident: str, needs: str = "", extra: str = "") -> str:
    text = f"      - id: {ident}\n        title: {ident.upper()}\n"
    text += f"        needs: {needs}\n" if needs else ""
    return text + extra


def test_an_unknown_need_gets_a_did_you_mean() -> None:
    assert problems(item("python", "[pyton]") + item("git")) == [
        "r.yaml:7:17: needs: no item 'pyton'; did you mean 'python'?"
    ]
    assert problems(item("python", "[zzz]")) == [
        "r.yaml:7:17: needs: no item 'zzz'; use the id of an item of this roadmap"
    ]


def test_a_need_on_a_former_id_names_the_new_one() -> None:
    found = problems(item("basics", extra="        was: [intro]\n") + item("next", "[intro]"))
    assert found == [
        "r.yaml:10:17: needs: no item 'intro'; it is now 'basics' (see its `was`); write basics"
    ]


def test_an_item_cannot_need_itself_or_the_same_item_twice() -> None:
    assert problems(item("a", "[a]")) == [
        "r.yaml:7:17: needs: 'a' is this item itself; an item cannot need itself"
    ]
    assert problems(item("a") + item("b", "[a, a]")) == [
        "r.yaml:9:20: needs: 'a' is listed twice (also on line 9); list it once"
    ]


def test_a_cycle_is_named_where_it_starts() -> None:
    found = problems(item("a", "[b]") + item("b", "[c]") + item("c", "[a]"))
    assert found == ["r.yaml:7:17: needs: a → b → c → a is a cycle; remove one of these needs"]
    two = problems(item("x") + item("a", "[x, b]") + item("b", "[a]"))
    assert two == ["r.yaml:9:20: needs: a → b → a is a cycle; remove one of these needs"]


def test_cycles_are_found_in_long_chains_without_recursion() -> None:
    chain = {f"n{i}": [f"n{i + 1}"] for i in range(5000)}
    chain["n5000"] = ["n0"]
    (cycle,) = cycles(chain)
    assert (cycle[0], cycle[-1], len(cycle)) == ("n0", "n0", 5002)
    assert cycles({"a": ["b"], "b": [], "c": ["a"]}) == []


def test_githubs_limit_of_fifty_both_ways() -> None:
    many = "".join(item(f"t{i}") for i in range(51))
    ids = ", ".join(f"t{i}" for i in range(51))
    found = problems(many + item("big", f"[{ids}]"))
    assert found == [
        "r.yaml:109:9: needs: 51 items, over the 50 one issue can be blocked by on GitHub; "
        "keep the direct prerequisites"
    ]
    popular = item("base") + "".join(item(f"u{i}", "[base]") for i in range(51))
    assert problems(popular) == [
        "r.yaml:5:13: 51 items need 'base', over the 50 issues one issue can block on GitHub; "
        "let later items need the ones in between instead"
    ]


def test_the_schema_knows_needs() -> None:
    assert problems(item("a", "needs-a-list")) == ["r.yaml:7:16: needs: must be a list"]
    assert problems(item("a", "[Not An Id]")) == [
        "r.yaml:7:17: needs: 'Not An Id' must be lower-case letters, digits and hyphens, "
        "e.g. python-core"
    ]


# --- on the trackers ------------------------------------------------------------------------

EDGES = {
    "virtual-envs": ("python-core",),
    "clean-code": ("python-core",),
    "eda-project": ("numpy-pandas", "data-viz"),
    "numpy-pandas": ("python-core",),
}


def with_needs(edges: dict[str, tuple[str, ...]]) -> None:
    """The shipped roadmap with exactly these needs (and no others)."""
    rewrite_roadmap(
        lambda roadmap: map_items(
            roadmap, lambda item: dataclasses.replace(item, needs=edges.get(item.id, ()))
        )
    )


def blocked_by(backend: Backend) -> dict[str, list[str]]:
    """Item id → the item ids of the issues blocking its issue, as the tracker has them."""
    ids = numbers(backend)
    by_number = {n: item for item, ns in ids.items() for n in ns}
    result = {}
    for item_id, (number, *_) in ids.items():
        blockers = backend.blocked_by(number)
        if blockers:
            result[item_id] = sorted(by_number[b] for b in blockers)
    return result


@pytest.fixture
def needs_backend(backend: Backend) -> Backend:
    with_needs(EDGES)
    return backend


def test_sync_makes_exactly_the_roadmaps_edges_and_then_nothing(
    needs_backend: Backend, run: Run
) -> None:
    result = run("sync")
    assert "[dependency eda-project<-data-viz] #11 blocked by #10" in result.out
    assert blocked_by(needs_backend) == {
        "clean-code": ["python-core"],
        "eda-project": ["data-viz", "numpy-pandas"],
        "numpy-pandas": ["python-core"],
        "virtual-envs": ["python-core"],
    }
    plan = json.loads(run("plan", "--json").out)
    assert plan["changes"] == []
    assert plan["summary"]["dependencies"] == 0


def test_dropping_a_need_removes_exactly_that_edge(needs_backend: Backend, run: Run) -> None:
    run("sync")
    with_needs({**EDGES, "eda-project": ("numpy-pandas",)})
    plan = json.loads(run("plan", "--json").out)
    assert [(c["type"], c["action"], c["key"], c["number"]) for c in plan["changes"]] == [
        ("dependency", "unlink", "eda-project<-data-viz", 11)
    ]
    assert plan["summary"]["writes"] == 1
    run("sync")
    assert blocked_by(needs_backend)["eda-project"] == ["numpy-pandas"]
    assert json.loads(run("plan", "--json").out)["changes"] == []


def test_an_item_leaving_the_roadmap_takes_its_edges_along(
    needs_backend: Backend, run: Run
) -> None:
    run("sync")
    text = Path("roadmap.yaml").read_text(encoding="utf-8")
    start = text.index("      - id: clean-code\n")
    end = text.index("      - id: git-github\n")
    Path("roadmap.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    keys = [c["key"] for c in json.loads(run("plan", "--json").out)["changes"]]
    assert "clean-code<-python-core" in keys
    run("sync")
    assert "clean-code" not in blocked_by(needs_backend)


def test_next_answers_what_to_learn_now(needs_backend: Backend, run: Run) -> None:
    run("sync")
    ids = numbers(needs_backend)
    needs_backend.close(ids["python-core"][0])  # done
    needs_backend.close(ids["numpy-pandas"][0], "not_planned")  # skipped
    needs_backend.add_labels(ids["math"][0], "in progress")
    result = json.loads(run("next", "--json").out)
    assert result == [
        {
            "id": "math",
            "title": "Math: linear algebra, calculus, probability, optimization",
            "number": 8,
            "status": "in progress",
            "phase": "foundations",
        },
        {
            "id": "virtual-envs",
            "title": "Virtual environments: venv / conda",
            "number": 2,
            "status": "todo",
            "phase": "foundations",
        },
        {
            "id": "clean-code",
            "title": "Clean code, type hints, modular code",
            "number": 3,
            "status": "todo",
            "phase": "foundations",
        },
        {
            "id": "git-github",
            "title": "Git & GitHub basics",
            "number": 4,
            "status": "todo",
            "phase": "foundations",
        },
        {
            "id": "linux-cli",
            "title": "Basic Linux CLI & scripting",
            "number": 5,
            "status": "todo",
            "phase": "foundations",
        },
    ]
    everything = json.loads(run("next", "--all", "--json").out)
    assert "eda-project" not in [e["id"] for e in everything]  # waits for data-viz
    assert len(everything) == 83 - 2 - 1  # all open items but the blocked one
    status = {i["id"]: i for i in json.loads(run("status", "--json").out)["items"]}
    assert (status["eda-project"]["needs"], status["eda-project"]["blocked"]) == (
        ["numpy-pandas", "data-viz"],
        True,
    )
    assert status["virtual-envs"]["blocked"] is False
    text = run("next").out
    assert text.startswith("Next up (5 of 80 ready):\n")
    assert "     #8  in progress  math          Math: linear algebra" in text


def test_nothing_ready_says_what_blocks(workdir: Path, run: Run) -> None:
    Path("roadmap.yaml").write_text(HEAD + item("a", "[b]") + item("b", "[c]") + item("c"))
    run("sync", "--local")
    run("skip", "c", "--local")
    run("start", "b", "--local")
    assert run("next", "--local").out == "Next up:\n     #2  in progress  b  B\n"
    run("done", "b", "--local")
    assert run("next", "--local", "--json").out.count('"id"') == 1
    run("done", "a", "--local")
    assert run("next", "--local").out == "Nothing left: every item is done or skipped.\n"


def test_the_readme_shows_next_up_and_what_a_blocked_item_waits_for(
    needs_backend: Backend, run: Run
) -> None:
    Path("README.md").write_text("<!-- roadmap-sync:start -->\n<!-- roadmap-sync:end -->\n")
    run("sync")
    run("render")
    readme = Path("README.md").read_text(encoding="utf-8")
    head = readme.split("### Next up\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(head) == 5
    assert head[0].startswith("- [Python: functions, OOP") or head[0].startswith(
        "- Python: functions"
    )
    assert "· ⏳ waits for NumPy & Pandas usage, Data viz: Matplotlib, Seaborn, Plotly" in readme
