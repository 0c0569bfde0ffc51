"""Properties over generated roadmaps (hypothesis): applying a plan leaves nothing to plan,
even after the roadmap changes; and the loader raises RoadmapError or nothing.

The loop is the real one (plan.diff, apply.apply, LocalTracker on a file in a temporary
folder), without the CLI around it. Generated text mixes random unicode with fragments that
mean something to the tool or to Markdown (its own markers, CRLF, fences, mentions), because
random text alone never hits them.
"""

from __future__ import annotations

import string
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from roadmap_sync.errors import Problem, RoadmapError
from roadmap_sync.model import load as loader
from roadmap_sync.model import roadmap
from roadmap_sync.sync import apply, desired, plan
from roadmap_sync.trackers.local import LocalTracker
from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import (
    BIDI_CONTROLS,
    SHIPPED_PATH,
    assert_exact_state,
    issues_by_item,
    item_of,
)

TRICKY = (
    "<!-- roadmap-sync:end -->",
    "\n<!-- roadmap-sync:item=a -->\n",
    "<!-- roadmap-sync:item=b -->",
    "<!-- roadmap-sync:phase=p -->",
    "\r\n",
    "\n",
    "\n```\n",
    "~~~",
    "<!--",
    "-->",
    "@octocat",
    "#12",
    "[x](https://example.com)",
    "<script>alert(1)</script>",
    "&amp;",
    "\u200f\u061c",
    "\u200d",
    "İß\ufb01",
    "\t",
    "  ",
    "\\",
    "*_|~`$",
    "{{ 7*7 }}",
    "{% raw %}",
    "${{ secrets.GITHUB_TOKEN }}",
)
# Random text without surrogates, control characters (but tab and newline, which a roadmap
# may hold) or bidi controls: those have their own corpus in tests/data/broken/.
CHARS = st.characters(
    exclude_categories=("Cs", "Cc"),
    exclude_characters=BIDI_CONTROLS,
    include_characters="\t\n",
    max_codepoint=0x2FFFF,
)
PIECE = st.one_of(st.text(CHARS, max_size=12), st.sampled_from(TRICKY))
TEXT = st.lists(PIECE, max_size=4).map("".join)
LINE = TEXT.map(lambda t: t.replace("\r", " ").replace("\n", " ").strip()[:200]).filter(
    lambda t: t.strip() != "" and roadmap.slugify(t) != ""
)
POOL_IDS = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "python-core", "x-1"])
TAG = st.text(string.ascii_letters + string.digits + "-_ .:/", min_size=1, max_size=20).map(
    str.strip
)
RESOURCE = st.one_of(
    st.sampled_from(["https://example.com/a", "https://docs.python.org/3/"]),
    st.builds(lambda t, u: {"title": t, "url": u}, TEXT, st.sampled_from(["https://e.org", "u"])),
)


@st.composite
def items(draw: Any, ids: list[str]) -> list[dict[str, Any]]:
    found = []
    for item_id in ids:
        item: dict[str, Any] = {"id": item_id, "title": draw(LINE)}
        if draw(st.booleans()):
            item["description"] = draw(TEXT)
        tags = [t for t in draw(st.lists(TAG, max_size=3)) if t]
        if tags:
            item["tags"] = tags
        if draw(st.booleans()):
            item["resources"] = draw(st.lists(RESOURCE, min_size=1, max_size=2))
        if draw(st.integers(0, 4)) == 0:
            item["done"] = True
        found.append(item)
    return found


@st.composite
def roadmaps(draw: Any) -> str:
    """A valid roadmap's YAML: 1-3 phases, items with ids drawn from a small pool (so that
    two roadmaps share some), random titles, descriptions, tags and resources."""
    ids = draw(st.lists(POOL_IDS, unique=True, max_size=8))
    cuts = sorted(draw(st.lists(st.integers(0, len(ids)), min_size=0, max_size=2)))
    groups = [ids[a:b] for a, b in zip([0, *cuts], [*cuts, len(ids)], strict=True)]
    phases = []
    for number, group in enumerate(groups, 1):
        phase: dict[str, Any] = {"id": f"phase{number}", "name": draw(LINE)}
        for key in ("tagline", "focus", "outcome"):
            if draw(st.booleans()):
                phase[key] = draw(TEXT)
        split = draw(st.integers(0, len(group)))
        topics, projects = draw(items(group[:split])), draw(items(group[split:]))
        if topics:
            phase["topics"] = topics
        if projects:
            phase["projects"] = projects
        phases.append(phase)
    doc = {"title": draw(LINE), "goal": draw(TEXT), "phases": phases}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def load_or_reject(text: str) -> roadmap.Roadmap:
    try:
        return loader.loads(text, "roadmap.yaml")
    except RoadmapError:
        reject()  # the generator's text broke a rule (e.g. a tag too long): not this property
        raise


def converge(tracker: LocalTracker, loaded: roadmap.Roadmap) -> None:
    """One sync as the CLI runs it (snapshot, plan and apply under the lock), then a plan from
    the file read afresh."""
    wanted = desired.build(loaded)
    with tracker.session():
        apply.apply(plan.diff(wanted, tracker.snapshot()), tracker)
    again = plan.diff(wanted, tracker.snapshot())
    assert [c.key for c in again.changes] == [], "applying the plan left changes to plan"
    assert again.conflicts == ()
    # Exactly one issue per item, whatever its state (``done`` only closes a new issue).
    markers = Counter(item_of({"body": i.body}) for i in tracker.snapshot().issues)
    for item in loaded.items:
        assert markers[item.id] == 1, f"item {item.id} has {markers[item.id]} issues"


MARKER_CASES = [
    {"description": "see <!-- roadmap-sync:end --> here"},
    {"description": "x\n\n<!-- roadmap-sync:item=zzz -->\n\ny"},
    {"description": "<!-- roadmap-sync:item=a -->"},
    {"description": "a\r\nb"},
    {"resources": [{"title": "<!-- roadmap-sync:end -->", "url": "https://e.org"}]},
]


def one_item(extra: dict[str, Any]) -> str:
    item = {"id": "a", "title": "A", **extra}
    return yaml.safe_dump({"title": "T", "phases": [{"name": "P", "topics": [item]}]})


@settings(
    database=None,
    deadline=None,
    max_examples=150,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@example(first=one_item(MARKER_CASES[0]), second=one_item(MARKER_CASES[0]))
@example(first=one_item(MARKER_CASES[1]), second=one_item({}))
@example(first=one_item({}), second=one_item(MARKER_CASES[3]))
@given(first=roadmaps(), second=roadmaps())
def test_after_apply_there_is_nothing_to_plan_even_after_an_edit(first: str, second: str) -> None:
    before, after = load_or_reject(first), load_or_reject(second)
    with tempfile.TemporaryDirectory() as folder:
        tracker = LocalTracker(Path(folder) / "tracker.json")
        converge(tracker, before)
        was_open = {i.number for i in tracker.snapshot().issues if i.state == "open"}
        converge(tracker, after)  # ids shared with the first keep their issue
        gone = {item.id for item in before.items} - {item.id for item in after.items}
        for issue in tracker.snapshot().issues:
            if item_of({"body": issue.body}) in gone:
                # An item that left the roadmap: its open issue is closed as not planned; one
                # already closed (done) stays as it was.
                assert issue.state == "closed"
                if issue.number in was_open:
                    assert issue.state_reason == "not_planned"
                    assert "removed" in issue.labels


@pytest.mark.parametrize(
    "extra", MARKER_CASES, ids=["end", "other-item", "own-item", "crlf", "res"]
)
def test_markers_and_crlf_in_user_text_neither_duplicate_nor_rewrite_on_github(
    github_env: Path, fake_github: FakeGitHub, run: Run, extra: dict[str, Any]
) -> None:
    Path("roadmap.yaml").write_text(one_item(extra), encoding="utf-8")
    run("sync")
    body = fake_github.issue(1)["body"]
    fake_github.reset_log()
    second = run("sync")
    assert second.out.startswith("Up to date"), second.out
    assert fake_github.writes == 0
    assert [i["number"] for i in issues_by_item(fake_github)["a"]] == [1]
    assert fake_github.issue(1)["body"] == body


def test_a_phase_marker_in_a_tagline_takes_no_milestone_from_its_phase(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    one = {"id": "one", "name": "One", "tagline": "see <!-- roadmap-sync:phase=two -->"}
    two = {"id": "two", "name": "Two", "topics": [{"id": "b", "title": "B"}]}
    doc = {"title": "T", "phases": [{**one, "topics": [{"id": "a", "title": "A"}]}, two]}
    Path("roadmap.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    run("sync")
    fake_github.reset_log()
    run("sync")
    assert fake_github.writes == 0
    milestone_of = {i["title"]: i["milestone"]["title"] for i in fake_github.issues()}
    assert milestone_of == {"A": "Phase 1: One", "B": "Phase 2: Two"}
    assert_exact_state(fake_github, loader.load(Path("roadmap.yaml")))


# --- the loader ----------------------------------------------------------------------------

SHIPPED_TEXT = SHIPPED_PATH.read_text(encoding="utf-8")
EDIT_CHARS = ":-[]{}&*!|>'\"#%@`,?\t\n \\\u00a0\u2028\ufeffé"


@st.composite
def mutated_shipped(draw: Any) -> str:
    """The shipped roadmap with a few random edits: inserted YAML punctuation, deleted
    spans, duplicated lines."""
    text = SHIPPED_TEXT
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if kind == "insert":
            text = text[:at] + draw(st.text(EDIT_CHARS, min_size=1, max_size=3)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
    return text


def json_like(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(CHARS, max_size=20),
        st.dates().map(str),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=25,
    )


KEYS = st.one_of(
    st.sampled_from(["title", "phases", "name", "id", "topics", "projects", "tags", "was", "due"]),
    st.text(CHARS, max_size=8),
)
STRUCTURED = st.one_of(
    json_like(KEYS).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.dictionaries(KEYS, json_like(KEYS), max_size=5).map(
        lambda d: yaml.safe_dump({"title": "T", "phases": [d]}, allow_unicode=True)
    ),
)


def problems_of(text: str) -> tuple[Problem, ...] | None:
    """The problems loads reports, None when it returns a Roadmap; any other exception
    escapes (and fails the test)."""
    try:
        result = loader.loads(text, "roadmap.yaml")
    except RoadmapError as exc:
        return exc.problems
    assert isinstance(result, roadmap.Roadmap)
    return None


def assert_loads_or_clean_error(text: str) -> None:
    problems = problems_of(text)
    if problems is None:
        return
    assert problems, "a RoadmapError without a problem"
    for problem in problems:
        assert problem.line >= 1
        assert problem.col >= 1
        bad = [c for c in problem.message if unicodedata.category(c) == "Cc"]
        assert not bad, f"control characters in {problem.message!r}"


@settings(database=None, deadline=None, max_examples=300, derandomize=True)
@given(mutated_shipped())
def test_a_damaged_shipped_roadmap_loads_or_raises_roadmap_error(text: str) -> None:
    assert_loads_or_clean_error(text)


@settings(database=None, deadline=None, max_examples=300, derandomize=True)
@given(STRUCTURED)
def test_any_yaml_data_loads_or_raises_roadmap_error(text: str) -> None:
    assert_loads_or_clean_error(text)


@settings(database=None, deadline=None, max_examples=100, derandomize=True)
@given(st.binary(max_size=300))
def test_any_bytes_on_disk_load_or_raise_roadmap_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roadmap.yaml"
        path.write_bytes(data)
        try:
            loader.load(path)
        except RoadmapError as exc:
            problems = exc.problems
        else:
            problems = (Problem("ok", 1, 1, "loaded"),)
    assert problems, "a RoadmapError without a problem"
