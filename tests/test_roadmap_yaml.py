"""The shipped roadmap.yaml: the user's own roadmap, complete, repaired and valid."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from roadmap_sync.model.load import load, schema
from roadmap_sync.model.roadmap import ID_RE, Roadmap

ROOT = Path(__file__).resolve().parents[1]
ROADMAP = ROOT / "roadmap.yaml"

# (topics, projects) per phase, counted in the seed checklist.
COUNTS = [(10, 3), (8, 4), (7, 6), (7, 3), (8, 6), (7, 6), (5, 3)]
MOJIBAKE = re.compile("[âÃðÂ☠\ufffd]")


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load(ROADMAP)


def test_loads_with_seven_phases_and_83_items(roadmap: Roadmap) -> None:
    assert len(roadmap.phases) == 7
    assert len(roadmap.items) == 83
    assert [(len(p.topics), len(p.projects)) for p in roadmap.phases] == COUNTS


def test_title_and_goal(roadmap: Roadmap) -> None:
    assert roadmap.title == "Unified AI Career Roadmap"
    assert roadmap.goal == "Move from ML Engineer → AI Architect → AI Researcher"
    assert roadmap.repository is None  # the local tracker is the default target


def test_phases_are_complete(roadmap: Roadmap) -> None:
    ids = [p.id for p in roadmap.phases]
    assert ids == [
        "foundations",
        "ml-essentials",
        "deep-learning",
        "ml-engineering",
        "ai-architecture",
        "ai-research",
        "leadership",
    ]
    for phase in roadmap.phases:
        assert phase.name
        assert phase.tagline
        assert phase.focus
        assert phase.outcome
    first = roadmap.phases[0]
    assert (first.name, first.tagline) == ("Foundations", "Build the Bedrock")
    assert (first.focus, first.outcome) == ("Code, math, data", "Solid technical base")
    assert roadmap.phases[3].tagline == "From Model → Product"


def test_first_line_points_editors_at_the_schema() -> None:
    first = ROADMAP.read_text(encoding="utf-8").splitlines()[0]
    # A URL, so that the line works in any repository `init` or `import` writes it into; the
    # path in it is the schema's path in this repository.
    url = "https://raw.githubusercontent.com/roadmap-sync/roadmap-sync/main/"
    assert first == f"# yaml-language-server: $schema={url}roadmap_sync/model/roadmap.schema.json"
    assert (ROOT / "roadmap_sync" / "model" / "roadmap.schema.json").is_file()


def test_the_packaged_roadmap_is_this_one() -> None:
    # `init` writes the roadmap shipped inside the package: the same bytes as this file.
    packaged = ROOT / "roadmap_sync" / "model" / "roadmap.yaml"
    assert packaged.read_bytes() == ROADMAP.read_bytes()


def test_validates_against_the_json_schema() -> None:
    data = yaml.safe_load(ROADMAP.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert "repository" not in data


def test_ids_are_explicit_unique_and_valid() -> None:
    data = yaml.safe_load(ROADMAP.read_text(encoding="utf-8"))
    ids = [phase["id"] for phase in data["phases"]]
    for phase in data["phases"]:
        ids += [item["id"] for key in ("topics", "projects") for item in phase.get(key, [])]
    assert len(ids) == 7 + 83
    assert len(set(ids)) == len(ids), "ids must be unique across the file"
    assert all(ID_RE.fullmatch(i) for i in ids)


def test_text_carries_no_mojibake(roadmap: Roadmap) -> None:
    texts = [roadmap.title, roadmap.goal]
    texts += [t for p in roadmap.phases for t in (p.name, p.tagline, p.focus, p.outcome)]
    texts += [item.title for item in roadmap.items]
    bad = [t for t in texts if MOJIBAKE.search(t)]
    assert not bad


def test_titles_are_the_seed_text(roadmap: Roadmap) -> None:
    items = {item.id: item.title for item in roadmap.items}
    assert items["python-core"] == "Python: functions, OOP, decorators, lambdas, exceptions"
    assert items["eda-project"] == "EDA on dataset (Titanic, Netflix, etc.)"
    assert all(title == title.strip() for title in items.values())
    assert not any(item.done for item in roadmap.items)


# --- the study plan around the seed's titles --------------------------------------------------

EVIDENCE = ROOT / "tests" / "data" / "resource-evidence.tsv"


def test_every_item_is_a_small_study_plan(roadmap: Roadmap) -> None:
    for item in roadmap.items:
        assert 40 <= len(item.description) <= 400, item.id
        assert "\n" not in item.description, item.id
        assert 2 <= len(item.tasks) <= 5, item.id
        assert 2 <= len(item.resources) <= 4, item.id
        urls = [r.url for r in item.resources]
        assert len(set(urls)) == len(urls), item.id
        for resource in item.resources:
            assert resource.url.startswith("https://"), (item.id, resource.url)
            assert resource.title, (item.id, resource.url)
            assert "utm_" not in resource.url, (item.id, resource.url)


def test_descriptions_and_tasks_are_each_items_own(roadmap: Roadmap) -> None:
    descriptions = [item.description for item in roadmap.items]
    assert len(set(descriptions)) == len(descriptions)
    openings = [" ".join(d.split()[:4]) for d in descriptions]
    assert max(openings.count(o) for o in openings) <= 2, "a template, not a description"
    tasks = [task.casefold() for item in roadmap.items for task in item.tasks]
    assert len(set(tasks)) == len(tasks)
    for item in roadmap.items:
        for task in item.tasks:
            assert task.casefold() != item.title.casefold(), item.id


def test_every_resource_was_checked_to_exist(roadmap: Roadmap) -> None:
    # Each URL was looked up with the workplace's search tool before it was written here; the
    # lookup and what it returned are recorded, one line per item and URL.
    rows = [line.split("\t") for line in EVIDENCE.read_text(encoding="utf-8").splitlines()[1:]]
    checked = {(row[0], row[1]) for row in rows if len(row) == 3 and row[2].strip()}
    for item in roadmap.items:
        for resource in item.resources:
            assert (item.id, resource.url) in checked, (item.id, resource.url)


def test_needs_are_real_and_start_with_sensible_first_steps(roadmap: Roadmap) -> None:
    from roadmap_sync.report.next_up import next_items
    from roadmap_sync.report.progress import progress
    from roadmap_sync.trackers.base import Snapshot

    assert sum(len(item.needs) for item in roadmap.items) >= 40
    first = [entry.item.id for entry in next_items(progress(roadmap, Snapshot((), (), ())))]
    assert first == ["python-core", "virtual-envs", "git-github", "linux-cli", "math"]
    order = {item.id: n for n, item in enumerate(roadmap.items)}
    backwards = [(i.id, n) for i in roadmap.items for n in i.needs if order[n] > order[i.id]]
    assert len(backwards) <= 5, backwards  # a path, mostly forward: needs come earlier
