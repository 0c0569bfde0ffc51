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
    assert first == "# yaml-language-server: $schema=roadmap_sync/model/roadmap.schema.json"


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
