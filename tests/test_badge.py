"""The progress badges: valid, deterministic SVG and the shields.io endpoint JSON, for the
roadmap and for each phase."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from roadmap_sync.model.roadmap import Item, Kind, Phase, Roadmap
from roadmap_sync.report.badges import badge_svg, color, endpoint_json, phase_badges
from roadmap_sync.report.progress import Progress, progress
from roadmap_sync.trackers.base import RemoteIssue, Snapshot

SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def fills(svg: str) -> set[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return {p.get("fill", "") for p in root.iter(f"{SVG}path")}


def test_svg_is_xml_with_label_and_percent() -> None:
    svg = badge_svg(42)
    assert svg.startswith("<?xml")
    assert set(texts(svg)) == {"roadmap", "42%"}


def test_svg_is_deterministic() -> None:
    first = badge_svg(42)
    badge_svg(7, label="other")  # anybadge numbers masks per process; ours must not change
    assert badge_svg(42) == first


def test_custom_label_is_escaped() -> None:
    svg = badge_svg(5, label="A&B <progress>")
    assert set(texts(svg)) == {"A&B <progress>", "5%"}


@pytest.mark.parametrize(
    ("percent", "name", "code"),
    [
        (0, "red", "#e05d44"),
        (24, "red", "#e05d44"),
        (25, "orange", "#fe7d37"),
        (49, "orange", "#fe7d37"),
        (50, "yellow", "#dfb317"),
        (74, "yellow", "#dfb317"),
        (75, "yellowgreen", "#a4a61d"),
        (99, "yellowgreen", "#a4a61d"),
        (100, "brightgreen", "#4c1"),
    ],
)
def test_colour_thresholds(percent: int, name: str, code: str) -> None:
    assert color(percent) == (name, code)
    assert code in fills(badge_svg(percent))
    assert json.loads(endpoint_json(percent))["color"] == name


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_out_of_range(percent: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        badge_svg(percent)


def test_endpoint_json() -> None:
    text = endpoint_json(42)
    assert text.endswith("}\n")
    assert json.loads(text) == {
        "schemaVersion": 1,
        "label": "roadmap",
        "message": "42%",
        "color": "orange",
    }
    assert list(json.loads(text)) == ["color", "label", "message", "schemaVersion"]
    assert json.loads(endpoint_json(100, label="learning"))["label"] == "learning"


def phase_state(done: int, skipped: int = 0) -> Progress:
    """Phase 1 with four items, ``done`` of them done and ``skipped`` skipped; phase 2 empty."""
    items = tuple(Item(f"i{n}", f"Item {n}", Kind.TOPIC) for n in range(4))
    roadmap = Roadmap("R", (Phase("p", 1, "A & <B>", topics=items), Phase("q", 2, "Empty")))
    issues = []
    for n, item in enumerate(items):
        body = f"<!-- roadmap-sync:item={item.id} -->\nmanaged\n<!-- roadmap-sync:end -->"
        state, reason = "open", None
        if n < done:
            state, reason = "closed", "completed"
        elif n < done + skipped:
            state, reason = "closed", "not_planned"
        issues.append(RemoteIssue(n + 1, item.title, body, state, reason, (), None, T0, T0))
    return progress(roadmap, Snapshot((), (), tuple(issues)))


def test_phase_badges() -> None:
    badges = phase_badges(phase_state(done=1, skipped=1))
    assert list(badges) == ["phase-1", "phase-2"]
    svg, endpoint = badges["phase-1"]
    assert set(texts(svg)) == {"Phase 1", "1/3 · 33%"}  # 1 of the 3 not skipped
    assert "#fe7d37" in fills(svg)
    assert json.loads(endpoint) == {
        "schemaVersion": 1,
        "label": "Phase 1",
        "message": "1/3 · 33%",
        "color": "orange",
    }
    svg, endpoint = badges["phase-2"]  # no items: 0%, not complete
    assert set(texts(svg)) == {"Phase 2", "0/0 · 0%"}
    assert json.loads(endpoint)["color"] == "red"
    assert phase_badges(phase_state(done=4))["phase-1"] == (
        badge_svg(100, "Phase 1", "4/4 · 100%"),
        endpoint_json(100, "Phase 1", "4/4 · 100%"),
    )


def test_phase_badges_are_deterministic() -> None:
    first = phase_badges(phase_state(done=2))
    badge_svg(7, label="other")
    assert phase_badges(phase_state(done=2)) == first
