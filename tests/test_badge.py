"""The progress badge: valid, deterministic SVG and the shields.io endpoint JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from roadmap_sync.badge import badge_svg, color, endpoint_json

SVG = "{http://www.w3.org/2000/svg}"


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
