"""The markdown importer: the seed roadmap, checkbox forms, ids, errors, and the YAML round trip."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_sync.errors import RoadmapError
from roadmap_sync.model.importer import IdMaker, parse_markdown
from roadmap_sync.model.load import load, loads, read_text
from roadmap_sync.model.load import schema as roadmap_schema
from roadmap_sync.model.roadmap import ID_RE, Item, Kind, Phase, Resource, Roadmap
from roadmap_sync.model.yamlwrite import to_yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seed-roadmap.md"
# The SHA-256 of the user's own document (shared/seed/000_e4edaf3ffc0ec289.txt), recorded here
# because tests never read outside the repository: the copy must stay byte for byte the same.
SEED_SHA256 = "b93e6444bf91b75834fad6e714f523fd8ce5ec6bbd9485d2b2e923d1ed7c447e"


def _normal(roadmap: Roadmap) -> Roadmap:
    """The roadmap without where it was read from: lines and path differ between formats."""

    def items(found: tuple[Item, ...]) -> tuple[Item, ...]:
        return tuple(dataclasses.replace(i, line=0) for i in found)

    phases = tuple(
        dataclasses.replace(p, line=0, topics=items(p.topics), projects=items(p.projects))
        for p in roadmap.phases
    )
    return dataclasses.replace(roadmap, phases=phases, path="")


def _parse(markdown: str) -> Roadmap:
    return parse_markdown(markdown, "plan.md")


def _errors(markdown: str) -> list[str]:
    with pytest.raises(RoadmapError) as caught:
        _parse(markdown)
    return [str(p) for p in caught.value.problems]


@pytest.fixture(scope="module")
def seed() -> Roadmap:
    return parse_markdown(read_text(SEED), str(SEED))


def test_seed_copy_is_verbatim() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_gives_the_shipped_phases(seed: Roadmap) -> None:
    shipped = load(ROOT / "roadmap.yaml")
    assert (seed.title, seed.goal) == (shipped.title, shipped.goal)

    def phases(r: Roadmap) -> list[tuple[str, ...]]:
        return [(p.id, p.name, p.tagline, p.focus, p.outcome) for p in r.phases]

    assert phases(seed) == phases(shipped)


def test_seed_gives_the_shipped_items(seed: Roadmap) -> None:
    shipped = load(ROOT / "roadmap.yaml")

    def items(r: Roadmap) -> list[tuple[int, Kind, str]]:
        return [(p.number, i.kind, i.title) for p in r.phases for i in p.items]

    assert items(seed) == items(shipped)
    assert len(seed.items) == 83
    assert not any(item.done for item in seed.items)


def test_seed_ids_are_unique_and_valid(seed: Roadmap) -> None:
    ids = [p.id for p in seed.phases] + [i.id for i in seed.items]
    assert len(set(ids)) == len(ids)
    assert all(ID_RE.fullmatch(i) and len(i) <= 64 for i in ids)
    assert seed.items[0].id == "python-functions-oop"


def test_seed_round_trips_through_yaml(seed: Roadmap) -> None:
    text = to_yaml(seed)
    jsonschema.Draft202012Validator(roadmap_schema()).validate(yaml.safe_load(text))
    assert _normal(loads(text, "roadmap.yaml")) == _normal(seed)


def test_to_yaml_writes_the_shipped_file_byte_for_byte() -> None:
    path = ROOT / "roadmap.yaml"
    assert to_yaml(load(path)) == path.read_text(encoding="utf-8")


def test_mojibake_is_repaired() -> None:
    clean = (
        "# 🚀 Plan — To-Do List\n\n## ✅ Phase 1: Basics (Start → Go)\n- ☑ Learn — it\n- ☐ Next\n"
    )
    broken = clean.encode("utf-8").decode("cp1252", errors="replace")
    roadmap = _parse(broken)
    assert roadmap.title == "Plan"
    assert (roadmap.phases[0].name, roadmap.phases[0].tagline) == ("Basics", "Start → Go")
    assert [(i.title, i.done) for i in roadmap.items] == [("Learn — it", True), ("Next", False)]


@pytest.mark.parametrize(
    ("line", "done"),
    [
        ("- [ ] Learn it", False),
        ("- [x] Learn it", True),
        ("* [X] Learn it", True),
        ("+ [ ] Learn it", False),
        ("1. [x] Learn it", True),
        ("- ☐ Learn it", False),
        ("- ☑ Learn it", True),
        ("- ☒ Learn it", True),
        ("- ✅ Learn it", True),
        ("- ✔ Learn it", True),
        ("- ✔️ Learn it", True),
        ("- ✓ Learn it", True),
        ("- ◻ Learn it", False),
        ("- ⬜ Learn it", False),
        ("- □ Learn it", False),
        ("- ■ Learn it", False),
        ("- ☠Learn it", False),  # a ☐ that lost a byte, as ftfy gives it back
        ("- ☠ Learn it", False),
        ("- \ufffd Learn it", False),
        ("- Learn it", False),
        ("- Learn it  ", False),  # a markdown hard break is not part of the title
    ],
)
def test_checkbox_forms(line: str, done: bool) -> None:
    roadmap = _parse(f"## Phase 1: Basics\n{line}\n")
    assert [(i.title, i.done, i.kind) for i in roadmap.items] == [("Learn it", done, Kind.TOPIC)]


def test_sections_sort_topics_and_projects() -> None:
    roadmap = _parse(
        "## Phase 1: Basics\n- [ ] Early\n### Reading\n- [ ] Book\n"
        "### Tools & Projects\n- [ ] Tool\n### Side project ideas\n- [ ] Idea\n"
    )
    phase = roadmap.phases[0]
    assert [i.title for i in phase.topics] == ["Early", "Book"]
    assert [i.title for i in phase.projects] == ["Tool", "Idea"]


def test_sections_outside_phases_hold_no_items() -> None:
    roadmap = _parse(
        "# Plan\n- intro bullet\n## Phase 1: Basics\n- [ ] One\n"
        "```\n- [ ] inside a code block\n```\n## Notes\n- not an item\n"
    )
    assert [i.title for i in roadmap.items] == ["One"]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("# 🚀 Unified AI Career Roadmap — To-Do List", "Unified AI Career Roadmap"),
        ("# My Plan - To-Do List", "My Plan"),
        ("# **My Plan**: Checklist", "My Plan"),
        ("# To-Do List", "To-Do List"),
    ],
)
def test_title_drops_emoji_and_to_do_suffix(heading: str, title: str) -> None:
    assert _parse(f"{heading}\n## Phase 1: Basics\n- [ ] One\n").title == title


def test_title_falls_back_to_the_file_name() -> None:
    assert parse_markdown("## Phase 1: Basics\n- [ ] One\n", "dir/my_plan.md").title == "my plan"


def test_goal_line() -> None:
    roadmap = _parse("# Plan\n\n**Goal:** Ship things\n\n## Phase 1: Basics\n- [ ] One\n")
    assert roadmap.goal == "Ship things"


def test_phase_heading_forms() -> None:
    roadmap = _parse(
        "## ✅ Phase 1: Foundations (Build the Bedrock)\n- a\n"
        "## Phase 2 — Model → Product\n- b\n"
        "### Phase 3. Deep (Learning) (Flex)\n- c\n"
    )
    names = [(p.number, p.name, p.tagline) for p in roadmap.phases]
    assert names == [
        (1, "Foundations", "Build the Bedrock"),
        (2, "Model → Product", ""),
        (3, "Deep (Learning)", "Flex"),
    ]


def test_prose_becomes_descriptions_and_links_resources() -> None:
    roadmap = _parse(
        "## Phase 1: Basics\nWhy this phase.\n\nSecond paragraph.\n"
        "- [ ] Read [the book](https://example.com/b) twice\n  with notes\n"
    )
    phase, item = roadmap.phases[0], roadmap.items[0]
    assert phase.description == "Why this phase.\n\nSecond paragraph."
    assert item.title == "Read the book twice"
    assert item.description == "with notes"
    assert item.resources == (Resource(url="https://example.com/b", title="the book"),)


def test_summary_table_by_order() -> None:
    roadmap = _parse(
        "## Phase 1: A\n- a\n## Phase 2: B\n- b\n## Summary\n"
        "| Phase | Focus | Outcome |\n|---|---|---|\n| Alpha | fa | oa |\n| Beta | fb | ob |\n"
    )
    assert [(p.id, p.focus, p.outcome) for p in roadmap.phases] == [
        ("alpha", "fa", "oa"),
        ("beta", "fb", "ob"),
    ]


def test_summary_table_by_name_when_counts_differ() -> None:
    roadmap = _parse(
        "## Phase 1: Foundations\n- a\n## Phase 2: Deep Learning Core\n- b\n## Phase 3: Last\n- c\n"
        "| Stage (phase) | Outcome | Focus |\n|:--|:--|--:|\n"
        "| Deep Learning | o2 | f2 |\n| Phase 1 | o1 | f1 |\n"
    )
    assert [(p.focus, p.outcome) for p in roadmap.phases] == [("f1", "o1"), ("f2", "o2"), ("", "")]


def test_summary_row_matching_no_phase_is_an_error() -> None:
    errors = _errors("## Phase 1: A\n- a\n## Phase 2: B\n- b\n|Phase|Focus|\n|-|-|\n|Zeta|z|\n")
    assert errors == ["plan.md:7:1: summary row 'Zeta' matches no phase; name it after one"]


def test_ids_are_short_slugs_made_unique() -> None:
    ids = IdMaker()
    made = [
        ids.make("Python: functions, OOP, decorators…", "topic"),
        ids.make("Python: functions, OOP, lambdas", "topic"),
        ids.make("Python functions oop 2", "topic"),
        ids.make("Python: functions, OOP, generators", "topic"),
        ids.make("The Art of the Deal", "topic"),
        ids.make("学习", "topic"),
        ids.make("学习", "topic"),
        ids.make("x" * 100, "topic"),
    ]
    assert made == [
        "python-functions-oop",
        "python-functions-oop-2",
        "python-functions-oop-3",  # its own slug was taken by the clash before it
        "python-functions-oop-4",
        "art-deal",
        "topic",
        "topic-2",
        "x" * 40,
    ]


def test_duplicate_titles_get_distinct_ids() -> None:
    roadmap = _parse("## Phase 1: Basics\n- [ ] Basics\n- [ ] Basics\n")
    assert [roadmap.phases[0].id, *(i.id for i in roadmap.items)] == [
        "basics",
        "basics-2",
        "basics-3",
    ]


@pytest.mark.parametrize(
    ("markdown", "errors"),
    [
        ("", ["1:1: the file is empty"]),
        (" \n\n\t\n", ["1:1: the file is empty"]),
        ("# Plan\n\nJust prose.\n", ["1:1: no phase headings found"]),
        ("# Plan\n- [ ] Orphan\n", ["1:1: no phase headings found"]),
        ("x\n\x00\x01", ["2:1: binary data"]),
        (
            "# Plan\n## Phase 1: Empty\n\n## Phase 2: Full\n- [ ]\n- [x] ok\n",
            ["2:1: phase 'Empty' has no items", "5:1: empty item"],
        ),
        ("## Phase 1:\n  - x\n", ["1:1: phase heading has no name"]),
        (f"## Phase 1: P\n- {'x' * 257}\n", ["2:1: item title is 257 characters"]),
    ],
)
def test_bad_input_reports_every_problem_with_its_place(markdown: str, errors: list[str]) -> None:
    found = _errors(markdown)
    assert len(found) == len(errors)
    for line, expected in zip(found, errors, strict=True):
        assert line.startswith(f"plan.md:{expected}")


def test_binary_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    png = tmp_path / "image.md"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(RoadmapError, match=r"image\.md:1:1: not UTF-8"):
        parse_markdown(read_text(png), str(png))


def test_every_field_round_trips() -> None:
    roadmap = Roadmap(
        title="yes",
        goal="Line one\n  indented: two\n\nthree # not a comment",
        repository="me/plan",
        sub_issues=True,
        phases=(
            Phase(
                id="true",
                number=1,
                name="- dash",
                tagline="'quoted'",
                focus='say "hi"',
                outcome="a: b",
                description="#hash",
                due=date(2025, 6, 30),
                topics=(
                    Item("t1", "@at", Kind.TOPIC, done=True, tags=("x, y", "ok")),
                    Item("123", "123", Kind.TOPIC, was=("456", "yes")),
                    Item("no", "null", Kind.TOPIC, description="tab\there\n\ttab line"),
                ),
                projects=(
                    Item(
                        "2024-01-01",
                        "Ship → 🚀 [x]",
                        Kind.PROJECT,
                        resources=(Resource("https://e.com/a?b=c#d"), Resource("u: v", "T: t")),
                    ),
                ),
            ),
        ),
    )
    assert _normal(loads(to_yaml(roadmap))) == _normal(roadmap)


def _line() -> st.SearchStrategy[str]:
    # Control characters and bidi overrides are refused by the loader, so never in a roadmap.
    text = st.text(
        st.characters(
            exclude_characters="\n\r\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
            exclude_categories=("Cc", "Cs"),
        ),
        min_size=1,
        max_size=40,
    )
    # Mostly ASCII with YAML's indicators, to probe where plain text ends and quoting begins.
    yamlish = st.from_regex(r"[A-Za-z0-9 .:#,'\"\[\]{}!&*?|>%@`~_+-]{1,30}", fullmatch=True)
    return (text | yamlish).map(str.strip).filter(bool)


def _prose() -> st.SearchStrategy[str]:
    allowed = st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\n\t")
    return st.text(allowed, max_size=60).map(str.strip)


@st.composite
def _roadmaps(draw: st.DrawFn) -> Roadmap:
    phases = []
    for p in range(draw(st.integers(1, 3))):
        items = tuple(
            Item(
                id=f"i{p}-{n}",
                title=draw(_line()),
                kind=draw(st.sampled_from(Kind)),
                description=draw(_prose()),
                tags=tuple(draw(st.lists(_line().map(lambda t: t[:50].strip()), max_size=2))),
                resources=tuple(
                    Resource(draw(_line()), draw(_prose())) for _ in range(draw(st.integers(0, 2)))
                ),
                was=(f"w{p}-{n}",) if draw(st.booleans()) else (),
                done=draw(st.booleans()),
            )
            for n in range(draw(st.integers(1, 3)))
        )
        phases.append(
            Phase(
                id=f"p{p}",
                number=p + 1,
                name=draw(_line()),
                tagline=draw(_prose()),
                focus=draw(_prose()),
                outcome=draw(_prose()),
                description=draw(_prose()),
                due=draw(st.none() | st.dates()),
                topics=tuple(i for i in items if i.kind is Kind.TOPIC),
                projects=tuple(i for i in items if i.kind is Kind.PROJECT),
            )
        )
    return Roadmap(title=draw(_line()), goal=draw(_prose()), phases=tuple(phases))


@settings(max_examples=150, deadline=None)
@given(_roadmaps())
def test_any_roadmap_round_trips(roadmap: Roadmap) -> None:
    text = to_yaml(roadmap)
    assert _normal(loads(text)) == _normal(roadmap)


_MARKDOWN_LINES = st.sampled_from(
    [
        "# 🚀 Plan — To-Do List",
        "Goal: somewhere",
        "## Phase 1: Basics (Start)",
        "## ✅ Phase 2 — More",
        "### Projects",
        "### Topics",
        "## Notes",
        "- [ ] item",
        "- [x] done",
        "- ☐ glyph",
        "- ✅",
        "  continued",
        "prose",
        "| Phase | Focus | Outcome |",
        "|---|---|---|",
        "| Basics | f | o |",
        "```",
        "---",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MARKDOWN_LINES | st.text(max_size=20), max_size=25))
def test_any_markdown_imports_or_explains_why(lines: list[str]) -> None:
    try:
        roadmap = _parse("\n".join(lines))
    except RoadmapError as exc:
        problems = exc.problems
    else:
        assert _normal(loads(to_yaml(roadmap))) == _normal(roadmap)
        return
    assert problems
    assert all(p.file == "plan.md" and p.line >= 1 and p.col >= 1 for p in problems)
