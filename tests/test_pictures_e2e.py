"""The pictures end to end (GitHub issue "Pictures"): `render` draws the map, the activity
calendar and the card from the fake GitHub's issues, the README shows them, `status` agrees,
and the same issues always give the same bytes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.backends import numbers, set_item
from tests.conftest import Run
from tests.fake_github import FakeGitHub

SVG = "{http://www.w3.org/2000/svg}"
BADGES = Path(".github/badges")
MONDAY = datetime(2027, 1, 4, 15, 0, tzinfo=timezone.utc)  # ISO week 1 of 2027
# Closes over ten weeks with a gap: weeks 1, 2, 3, then none in 4 and 5, then 6 to 10.
CLOSES = {
    "python-core": MONDAY,
    "virtual-envs": MONDAY + timedelta(days=1),
    "clean-code": MONDAY + timedelta(days=1, hours=2),
    "git-github": MONDAY + timedelta(weeks=1, days=2),
    "linux-cli": MONDAY + timedelta(weeks=2, days=4),
    "data-structures": MONDAY + timedelta(weeks=5),
    "math": MONDAY + timedelta(weeks=6, days=3),
    "numpy-pandas": MONDAY + timedelta(weeks=7, days=6, hours=8),  # a Sunday, 23:00 UTC
    "algorithms": MONDAY + timedelta(weeks=8),
    "data-viz": MONDAY + timedelta(weeks=9, days=2),
}


def boxes(svg: str) -> dict[str, str]:
    root = ET.fromstring(svg)
    found = {}
    for element in root.iter():
        if "data-item" in element.attrib:
            found[element.attrib["data-item"]] = element.attrib["data-status"]
    return found


def cells(svg: str) -> dict[str, int]:
    root = ET.fromstring(svg)
    return {
        e.attrib["data-date"]: int(e.attrib["data-count"])
        for e in root.iter()
        if "data-date" in e.attrib
    }


def test_the_pictures_show_exactly_the_state_of_the_issues(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    hostile = 'A & B <script>x</script> "quoted"'
    set_item("lead-project-repo", title=hostile)
    Path("README.md").write_text(
        "# Mine\n\n<!-- roadmap-sync:start -->\n<!-- roadmap-sync:end -->\n"
    )
    fake_github.clock.set(MONDAY - timedelta(days=1))
    run("sync")
    ids = {item: found[0] for item, found in numbers(fake_github).items()}
    for item, when in sorted(CLOSES.items(), key=lambda pair: pair[1]):
        fake_github.clock.set(when)
        fake_github.ui_close_issue(ids[item])
    fake_github.ui_close_issue(ids["eda-project"], "not_planned")  # skipped
    fake_github.ui_add_labels(ids["viz-dashboard"], "in progress")
    fake_github.ui_add_assignees(ids["supervised-unsupervised"], "learner")  # in progress
    run("render")

    drawn = boxes((BADGES / "map.svg").read_text(encoding="utf-8"))
    status = json.loads(run("status", "--json").out)
    expected = {}
    for item in status["items"]:
        key = item["status"].replace(" ", "-")
        expected[item["id"]] = "blocked" if item["blocked"] and key != "in-progress" else key
    assert drawn == expected
    assert len(drawn) == 83
    assert drawn["python-core"] == "done"
    assert drawn["eda-project"] == "skipped"
    assert (drawn["viz-dashboard"], drawn["supervised-unsupervised"]) == ("in-progress",) * 2
    assert drawn["churn-model"] == "blocked"  # it needs feature-engineering, still to do

    counted = cells((BADGES / "calendar.svg").read_text(encoding="utf-8"))
    assert len(counted) == 53 * 7
    assert counted["2027-01-04"] == 1
    assert counted["2027-01-05"] == 2  # virtual-envs and clean-code on one day
    assert counted["2027-02-28"] == 1  # the Sunday close, on its UTC day
    assert sum(counted.values()) == len(CLOSES)
    assert set(counted) >= {when.date().isoformat() for when in CLOSES.values()}
    # Weeks 6-10 in a row, after the gap; the first run was weeks 1-3.
    assert status["streak"] == {"current": 5, "longest": 5}
    card = (BADGES / "card.svg").read_text(encoding="utf-8")
    assert 'width="1200" height="630"' in card
    assert "10/82 · 12%" in card

    for name in ("map.svg", "calendar.svg", "card.svg"):
        text = (BADGES / name).read_text(encoding="utf-8")
        ET.fromstring(text)  # valid XML, whatever the titles hold
        assert "<script" not in text
    assert "A &amp; B &lt;script&gt;x&lt;/script&gt;" in (BADGES / "map.svg").read_text()

    readme = Path("README.md").read_text(encoding="utf-8")
    assert "](.github/badges/map.svg)" in readme
    assert "](.github/badges/calendar.svg)" in readme
    assert "[The progress card](.github/badges/card.svg)" in readme
    assert readme.index("### The path") < readme.index("### Phase 1: Foundations")

    before = {path: path.read_bytes() for path in BADGES.iterdir()}
    run("render")
    assert {path: path.read_bytes() for path in BADGES.iterdir()} == before
    run("render", "--check")
    (BADGES / "calendar.svg").write_text("stale", encoding="utf-8")
    result = run("render", "--check", expect=1)
    assert "out of date: .github/badges/calendar.svg" in result.err
