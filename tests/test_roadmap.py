"""The roadmap loader: the model it builds, and the exact FILE:LINE:COL of every problem."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from roadmap_sync.errors import Problem, RoadmapError
from roadmap_sync.model import load as loader
from roadmap_sync.model.roadmap import Item, Kind, Phase, Resource, Roadmap
from roadmap_sync.sync import desired

# A minimal valid head: one phase "A" on line 3; items under it start on line 5.
DOC = "title: x\nphases:\n  - name: A\n"
ITEMS = DOC + "    topics:\n"

VALID = """\
title: My Roadmap
goal: Learn things
repository: octo/learn
github:
  sub_issues: true
phases:
  - name: Foundations
    tagline: Build the Bedrock
    focus: Code, math
    outcome: A solid base
    description: The first phase.
    due: 2027-03-31
    projects:
      - title: Build a CLI
        resources:
          - https://example.com/click
          - title: Docs
            url: https://docs.example.com
    topics:
      - title: Python Core & Idioms!
        tags: [python, basics]
        done: true
      - id: git
        title: Version control
        was: [git-basics, vcs]
        description: |
          Learn git.
  - id: second
    name: Second Phase
    topics:
      - title: "Über Café"
"""


def problems_of(text: str) -> list[str]:
    """The problems loads reports, one `FILE:LINE:COL: message` string each."""
    with pytest.raises(RoadmapError) as info:
        loader.loads(text, "r.yaml")
    lines = [str(p) for p in info.value.problems]
    assert str(info.value).splitlines() == lines
    return lines


def load_problems(path: Path) -> tuple[Problem, ...]:
    """The problems load reports for a file; never any exception but RoadmapError."""
    with pytest.raises(RoadmapError) as info:
        loader.load(path)
    return info.value.problems


# --- the model -------------------------------------------------------------------------------


def test_valid_roadmap_builds_the_exact_model() -> None:
    python = Item(
        id="python-core-idioms",
        title="Python Core & Idioms!",
        kind=Kind.TOPIC,
        tags=("python", "basics"),
        done=True,
        line=20,
    )
    git = Item(
        id="git",
        title="Version control",
        kind=Kind.TOPIC,
        description="Learn git.",
        was=("git-basics", "vcs"),
        line=23,
    )
    cli = Item(
        id="build-a-cli",
        title="Build a CLI",
        kind=Kind.PROJECT,
        resources=(
            Resource(url="https://example.com/click"),
            Resource(url="https://docs.example.com", title="Docs"),
        ),
        line=14,
    )
    cafe = Item(id="uber-cafe", title="Über Café", kind=Kind.TOPIC, line=31)
    first = Phase(
        id="foundations",
        number=1,
        name="Foundations",
        tagline="Build the Bedrock",
        focus="Code, math",
        outcome="A solid base",
        description="The first phase.",
        due=date(2027, 3, 31),
        topics=(python, git),
        projects=(cli,),
        line=7,
    )
    second = Phase(id="second", number=2, name="Second Phase", topics=(cafe,), line=28)
    expected = Roadmap(
        title="My Roadmap",
        goal="Learn things",
        repository="octo/learn",
        sub_issues=True,
        phases=(first, second),
        path="r.yaml",
    )

    loaded = loader.loads(VALID, "r.yaml")

    assert loaded == expected
    assert [(p.number, p.label, p.title) for p in loaded.phases] == [
        (1, "phase-1", "Phase 1: Foundations"),
        (2, "phase-2", "Phase 2: Second Phase"),
    ]
    # Topics before projects, although the file lists the project first.
    assert [i.id for i in loaded.items] == ["python-core-idioms", "git", "build-a-cli", "uber-cafe"]
    assert [i.kind for i in first.items] == [Kind.TOPIC, Kind.TOPIC, Kind.PROJECT]
    assert loaded.phase_of() == {
        "python-core-idioms": first,
        "git": first,
        "build-a-cli": first,
        "uber-cafe": second,
    }
    assert isinstance(first.due, date)


def test_phase_numbers_labels_and_titles_follow_file_order() -> None:
    text = "title: x\nphases:\n  - name: Zeta\n  - name: Alpha\n  - id: mid\n    name: Mu\n"
    loaded = loader.loads(text, "r.yaml")
    got = [(p.id, p.number, p.label, p.title, p.line) for p in loaded.phases]
    assert got == [
        ("zeta", 1, "phase-1", "Phase 1: Zeta", 3),
        ("alpha", 2, "phase-2", "Phase 2: Alpha", 4),
        ("mid", 3, "phase-3", "Phase 3: Mu", 5),
    ]


def test_defaults_of_a_minimal_roadmap() -> None:
    loaded = loader.loads(ITEMS + "      - title: T\n")
    assert loaded.path == "roadmap.yaml"
    assert (loaded.title, loaded.goal, loaded.repository) == ("x", "", None)
    assert loaded.sub_issues is False
    assert loaded.phases[0].due is None
    assert loaded.items == (Item(id="t", title="T", kind=Kind.TOPIC, line=5),)


@pytest.mark.parametrize(
    ("title", "expected_id"),
    [
        ("Python Core & Idioms!", "python-core-idioms"),
        ("Über Café", "uber-cafe"),
        ("  Spaces   around  ", "spaces-around"),
        ("C++ / Rust", "c-rust"),
        ("ﬁle systems", "file-systems"),  # NFKD: the "ﬁ" ligature becomes "fi"
        ("x" * 47 + " yyyy", "x" * 47),  # cut at 48 characters, no trailing hyphen
        ("a" * 60, "a" * 48),
    ],
)
def test_item_id_is_derived_from_the_title(title: str, expected_id: str) -> None:
    loaded = loader.loads(ITEMS + f"      - title: '{title}'\n")
    assert loaded.items[0].id == expected_id


def test_values_at_the_limit_are_accepted() -> None:
    text = ITEMS + "      - id: " + "i" * 64 + "\n        title: " + "t" * 256 + "\n"
    text += "        tags: [" + "g" * 50 + "]\n"
    (item,) = loader.loads(text).items
    assert (len(item.id), len(item.title), len(item.tags[0])) == (64, 256, 50)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + DOC.encode())
    assert loader.load(path).title == "x"


# --- every kind of problem, exactly ----------------------------------------------------------

ID_MESSAGE = "id: {!r} must be lower-case letters, digits and hyphens, e.g. python-core"
ALLOWED_TOP = "allowed: github, goal, phases, repository, title"
ALLOWED_PHASE = "allowed: description, due, focus, id, name, outcome, projects, tagline, topics"
ALLOWED_ITEM = "allowed: description, done, id, needs, resources, tags, tasks, title, was"
NOT_A_MAPPING = "it must be a mapping with 'title' and 'phases'"
BAD_RESOURCE = "resources: must be a URL, or a mapping with 'url' and an optional 'title'"

ERROR_CASES = [
    pytest.param(
        "title: x\nphases:\n  - name: 'A\n",
        ["r.yaml:4:1: YAML syntax error: found unexpected end of stream"],
        id="yaml-syntax-unclosed-quote",
    ),
    pytest.param(
        "title: x\n  bad: y\nphases: []\n",
        [
            "r.yaml:2:6: YAML syntax error: mapping values are not allowed here;"
            " line this key up with the keys above it (the same number of spaces)"
        ],
        id="yaml-syntax-bad-indent",
    ),
    pytest.param(
        "title: x\nphases:\n  - name: A\n    topics:\n      - id: a\n"
        "        title: Python: functions, OOP\n",
        [
            "r.yaml:6:22: YAML syntax error: mapping values are not allowed here;"
            ' put the title in quotes: title: "Python: functions, OOP"'
        ],
        id="yaml-syntax-title-with-colon",
    ),
    pytest.param(
        "title: x\nphases:\n  - name: A\n    topics:\n      - id: a\n"
        "        title: 'A: \"b\"' \n     - id: b\n        title: B\n",
        [
            "r.yaml:7:6: YAML syntax error: expected <block end>, but found "
            "'<block sequence start>'; line up `- id:` under the other items of its list"
            " (the same spaces)"
        ],
        id="yaml-syntax-item-out-of-line",
    ),
    pytest.param(
        "title: x\nphases:\n  - name: A\n    topics:\n      - id: a\n"
        '        title: The "A: B" way\n',
        [
            "r.yaml:6:22: YAML syntax error: mapping values are not allowed here;"
            """ put the title in quotes: title: 'The "A: B" way'"""
        ],
        id="yaml-syntax-colon-and-double-quotes",
    ),
    pytest.param(
        "title: x\nphases:\n\t- name: A\n",
        [
            "r.yaml:3:1: YAML syntax error: found character '\\t' that cannot start any token;"
            " indent with spaces, not tabs"
        ],
        id="tab-indentation",
    ),
    pytest.param(
        "titel: x\nphases:\n  - name: A\n",
        [
            "r.yaml:1:1: missing required key 'title'",
            "r.yaml:1:1: unknown key 'titel'; did you mean 'title'?",
        ],
        id="unknown-top-key-titel",
    ),
    pytest.param(
        "title: x\ngaol: y\nphases:\n  - name: A\n",
        ["r.yaml:2:1: unknown key 'gaol'; did you mean 'goal'?"],
        id="unknown-top-key-close",
    ),
    pytest.param(
        "title: x\nzzz: 1\nphases:\n  - name: A\n",
        [f"r.yaml:2:1: unknown key 'zzz'; {ALLOWED_TOP}"],
        id="unknown-top-key-no-match",
    ),
    pytest.param(
        "title: x\ngithub:\n  sub_issue: true\nphases:\n  - name: A\n",
        ["r.yaml:3:3: unknown key 'sub_issue'; did you mean 'sub_issues'?"],
        id="unknown-github-key",
    ),
    pytest.param(
        DOC + "    tagine: t\n",
        ["r.yaml:4:5: unknown key 'tagine'; did you mean 'tagline'?"],
        id="unknown-phase-key-close",
    ),
    pytest.param(
        DOC + "    zzz: 1\n",
        [f"r.yaml:4:5: unknown key 'zzz'; {ALLOWED_PHASE}"],
        id="unknown-phase-key-no-match",
    ),
    pytest.param(
        ITEMS + "      - titel: T\n",
        [
            "r.yaml:5:9: topics: missing required key 'title'",
            "r.yaml:5:9: unknown key 'titel'; did you mean 'title'?",
        ],
        id="unknown-item-key-titel",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        zzz: 1\n",
        [f"r.yaml:6:9: unknown key 'zzz'; {ALLOWED_ITEM}"],
        id="unknown-item-key-no-match",
    ),
    pytest.param(
        ITEMS + "      - id: a\n",
        ["r.yaml:5:9: topics: missing required key 'title'"],
        id="missing-title",
    ),
    pytest.param(
        "title: x\nphases:\n  - id: a\n",
        ["r.yaml:3:5: phases: missing required key 'name'"],
        id="missing-phase-name",
    ),
    pytest.param(
        "phases:\n  - name: A\n",
        ["r.yaml:1:1: missing required key 'title'"],
        id="missing-roadmap-title",
    ),
    pytest.param(
        "title: x\n",
        ["r.yaml:1:1: missing required key 'phases'"],
        id="missing-phases",
    ),
    pytest.param(
        "title: x\nphases: []\n",
        ["r.yaml:2:9: phases: needs at least one entry"],
        id="no-phases",
    ),
    pytest.param(
        "title: '  '\nphases:\n  - name: A\n",
        ["r.yaml:1:8: title: must not be blank"],
        id="blank-roadmap-title",
    ),
    pytest.param(
        "title: x\nphases:\n  - name: ' '\n",
        ["r.yaml:3:11: name: must not be blank"],
        id="blank-phase-name",
    ),
    pytest.param(
        ITEMS + "      - title: '   '\n",
        ["r.yaml:5:16: title: must not be blank"],
        id="blank-title",
    ),
    pytest.param(
        ITEMS + "      - title: " + "a" * 257 + "\n",
        ["r.yaml:5:16: title: is 257 characters long, over the limit of 256"],
        id="title-over-256",
    ),
    pytest.param(
        ITEMS + '      - title: "a\\nb"\n',
        ["r.yaml:5:16: title: must be a single line"],
        id="multi-line-title-quoted",
    ),
    pytest.param(
        ITEMS + "      - title: |\n          a\n          b\n",
        ["r.yaml:5:16: title: must be a single line"],
        id="multi-line-title-block",
    ),
    pytest.param(
        'title: x\nphases:\n  - name: "A\\rB"\n',
        ["r.yaml:3:11: name: must be a single line"],
        id="multi-line-phase-name",
    ),
    pytest.param(
        ITEMS + "      - title: 5\n",
        ["r.yaml:5:16: title: must be text"],
        id="title-not-text",
    ),
    pytest.param(
        ITEMS + "      - title: '日本'\n",
        ["r.yaml:5:16: cannot derive an id from this title; add an 'id:' (e.g. my-topic)"],
        id="title-without-slug",
    ),
    pytest.param(
        ITEMS + "      - title: T\n      - title: T\n",
        ["r.yaml:6:9: duplicate item id 't' (also on line 5); give each a unique id"],
        id="duplicate-item-derived-ids",
    ),
    pytest.param(
        ITEMS
        + "      - id: core\n        title: T\n"
        + "  - name: B\n    projects:\n      - id: core\n        title: U\n",
        ["r.yaml:9:13: duplicate item id 'core' (also on line 5); give each a unique id"],
        id="duplicate-item-ids-across-phases",
    ),
    pytest.param(
        "title: x\nphases:\n  - name: A\n  - name: A\n",
        ["r.yaml:4:5: duplicate phase id 'a' (also on line 3); give each a unique id"],
        id="duplicate-phase-derived-ids",
    ),
    pytest.param(
        "title: x\nphases:\n  - id: p\n    name: A\n  - id: p\n    name: B\n",
        ["r.yaml:5:9: duplicate phase id 'p' (also on line 3); give each a unique id"],
        id="duplicate-phase-ids",
    ),
    pytest.param(
        ITEMS + "      - id: Abc\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("Abc")],
        id="id-upper-case",
    ),
    pytest.param(
        ITEMS + "      - id: a_b\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("a_b")],
        id="id-underscore",
    ),
    pytest.param(
        ITEMS + "      - id: -ab\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("-ab")],
        id="id-leading-hyphen",
    ),
    pytest.param(
        ITEMS + "      - id: a b\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("a b")],
        id="id-space",
    ),
    pytest.param(
        ITEMS + "      - id: \u0430bc\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("\u0430bc")],
        id="id-cyrillic-a",
    ),
    pytest.param(
        ITEMS + "      - id: \uff41\uff42\uff43\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("\uff41\uff42\uff43")],
        id="id-fullwidth",
    ),
    pytest.param(
        ITEMS + '      - id: "abc\\n"\n        title: T\n',
        ["r.yaml:5:13: " + ID_MESSAGE.format("abc\n")],
        id="id-trailing-newline",
    ),
    pytest.param(
        ITEMS + "      - id: ''\n        title: T\n",
        ["r.yaml:5:13: " + ID_MESSAGE.format("")],
        id="id-empty",
    ),
    pytest.param(
        ITEMS + "      - id: " + "i" * 65 + "\n        title: T\n",
        ["r.yaml:5:13: id: is 65 characters long, over the limit of 64"],
        id="id-over-64",
    ),
    pytest.param(
        "title: x\nphases:\n  - id: Bad\n    name: A\n",
        ["r.yaml:3:9: " + ID_MESSAGE.format("Bad")],
        id="phase-id-upper-case",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        tags: [1, ok, true]\n",
        ["r.yaml:6:16: tags: must be text", "r.yaml:6:23: tags: must be text"],
        id="tags-not-strings",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        tags: python\n",
        ["r.yaml:6:15: tags: must be a list"],
        id="tags-not-a-list",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        tags: [" + "g" * 51 + "]\n",
        ["r.yaml:6:16: tags: is 51 characters long, over the limit of 50"],
        id="tag-over-50",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        tags: [' x']\n",
        ["r.yaml:6:16: tags: ' x' must not start or end with spaces"],
        id="tag-with-spaces",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        tags: ['']\n",
        ["r.yaml:6:16: tags: must not be blank"],
        id="tag-empty",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        was: [u]\n      - title: U\n",
        ["r.yaml:6:15: former id 'u' is also a live id (line 7); remove it from 'was'"],
        id="was-is-a-live-id",
    ),
    pytest.param(
        ITEMS + "      - id: a\n        title: T\n        was: [a]\n",
        ["r.yaml:7:15: former id 'a' is also a live id (line 5); remove it from 'was'"],
        id="was-is-its-own-id",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        was: [old]\n      - title: U\n        was: [old]\n",
        ["r.yaml:8:15: duplicate former id 'old' (also on line 6); give each a unique id"],
        id="was-claimed-twice",
    ),
    pytest.param(
        DOC + "    due: 2027-02-30\n",
        ["r.yaml:4:10: due: '2027-02-30' is not a real date; write YYYY-MM-DD"],
        id="due-not-a-real-date",
    ),
    pytest.param(
        DOC + "    due: next week\n",
        ["r.yaml:4:10: due: 'next week' must be a date written YYYY-MM-DD"],
        id="due-not-a-date",
    ),
    pytest.param(
        DOC + "    due: 2027-3-1\n",
        ["r.yaml:4:10: due: '2027-3-1' must be a date written YYYY-MM-DD"],
        id="due-without-zero-padding",
    ),
    pytest.param(
        DOC + "    due: 2027-03-01T10:00:00\n",
        ["r.yaml:4:10: due: '2027-03-01T10:00:00' must be a date written YYYY-MM-DD"],
        id="due-with-time",
    ),
    pytest.param(
        "title: x\nrepository: nope\nphases:\n  - name: A\n",
        ["r.yaml:2:13: repository: 'nope' must be OWNER/NAME"],
        id="repository-not-owner-name",
    ),
    pytest.param(
        "title: x\nrepository: https://github.com/o/n\nphases:\n  - name: A\n",
        ["r.yaml:2:13: repository: 'https://github.com/o/n' must be OWNER/NAME"],
        id="repository-url",
    ),
    pytest.param(
        "title: x\nphases:\n  a: 1\n",
        ["r.yaml:3:3: phases: must be a list"],
        id="phases-a-mapping",
    ),
    pytest.param(
        "title: x\nphases: [null]\n",
        ["r.yaml:2:10: phases: must be a mapping"],
        id="phase-null",
    ),
    pytest.param(
        DOC + "    topics: hello\n",
        ["r.yaml:4:13: topics: must be a list"],
        id="topics-a-string",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        done: 'yes'\n",
        ["r.yaml:6:15: done: must be true or false"],
        id="done-not-boolean",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        resources: [5, {title: x}]\n",
        [f"r.yaml:6:21: {BAD_RESOURCE}", f"r.yaml:6:24: {BAD_RESOURCE}"],
        id="resources-bad",
    ),
    pytest.param(
        "title: &a x\nphases:\n  - name: *a\n",
        [
            "r.yaml:3:11: YAML syntax error: anchors and aliases (*name) are not supported in a"
            " roadmap; write the value out"
        ],
        id="alias-refused",
    ),
    pytest.param(
        "title: !!python/object:os.system x\nphases:\n  - name: A\n",
        [
            "r.yaml:1:8: unsupported YAML tag tag:yaml.org,2002:python/object:os.system; remove it",
        ],
        id="python-object-tag-refused",
    ),
    pytest.param(
        "title: x\nphases: !!set {a: null}\n",
        [
            "r.yaml:2:9: unsupported YAML tag tag:yaml.org,2002:set; remove it",
        ],
        id="set-tag-refused",
    ),
    pytest.param(
        "title: x\ntitle: y\nphases:\n  - name: A\n",
        ["r.yaml:2:1: key 'title' appears twice (first on line 1)"],
        id="duplicate-top-key",
    ),
    pytest.param(
        ITEMS + "      - title: T\n        title: U\n",
        ["r.yaml:6:9: key 'title' appears twice (first on line 5)"],
        id="duplicate-item-key",
    ),
    pytest.param(
        "1: x\ntitle: x\nphases:\n  - name: A\n",
        ["r.yaml:1:1: keys must be plain words"],
        id="non-string-key",
    ),
    pytest.param(
        "a: 1\n---\nb: 2\n",
        ["r.yaml:2:1: YAML syntax error: but found another document"],
        id="two-documents",
    ),
    pytest.param("", [f"r.yaml:1:1: the roadmap is empty; {NOT_A_MAPPING}"], id="empty"),
    pytest.param(
        "# only a comment\n\n",
        [f"r.yaml:1:1: the roadmap is empty; {NOT_A_MAPPING}"],
        id="comments-only",
    ),
    pytest.param(
        "- title: x\n- phases: []\n",
        [f"r.yaml:1:1: the roadmap is a list; {NOT_A_MAPPING}"],
        id="top-level-list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ERROR_CASES)
def test_problem_is_reported_exactly(text: str, expected: list[str]) -> None:
    assert problems_of(text) == expected


def test_every_problem_is_reported_at_once_sorted_by_line() -> None:
    text = (
        "title: x\n"
        "zzz: 1\n"  # 2: unknown key (schema)
        "repository: nope\n"  # 3: bad repository (schema)
        "phases:\n"
        "  - name: A\n"
        "    due: 2027-02-30\n"  # 6: not a real date (model)
        "    topics:\n"
        "      - title: T\n"
        "        id: Bad\n"  # 9: bad id (schema and model, reported once)
        "        tags: [1]\n"  # 10: tag not text (schema)
    )
    assert problems_of(text) == [
        f"r.yaml:2:1: unknown key 'zzz'; {ALLOWED_TOP}",
        "r.yaml:3:13: repository: 'nope' must be OWNER/NAME",
        "r.yaml:6:10: due: '2027-02-30' is not a real date; write YYYY-MM-DD",
        "r.yaml:9:13: " + ID_MESSAGE.format("Bad"),
        "r.yaml:10:16: tags: must be text",
    ]


def test_problems_are_sorted_even_when_found_out_of_order() -> None:
    # The duplicate id (found by the model) sits above a schema problem further down.
    text = ITEMS + "      - title: T\n      - title: T\n        zzz: 1\n    due: soon\n"
    assert problems_of(text) == [
        "r.yaml:6:9: duplicate item id 't' (also on line 5); give each a unique id",
        f"r.yaml:7:9: unknown key 'zzz'; {ALLOWED_ITEM}",
        "r.yaml:8:10: due: 'soon' must be a date written YYYY-MM-DD",
    ]


# --- problems found as bugs: each test states the behaviour the loader should have ------------


def test_empty_title_is_one_problem_not_two() -> None:
    # '' and '   ' are the same mistake; each must be reported once.
    got = problems_of(ITEMS + "      - title: ''\n")
    assert len(got) == 1, got
    assert got[0].startswith("r.yaml:5:16: title: must not be ")


def test_bad_former_id_is_one_problem_not_two() -> None:
    got = problems_of(ITEMS + "      - title: T\n        was: [Old]\n")
    assert len(got) == 1, got
    assert got[0].startswith("r.yaml:6:15: ")


def test_repository_with_trailing_newline_is_refused() -> None:
    # JSON Schema's "$" matches before a final newline; ids are re-checked, this is not.
    text = 'title: x\nrepository: "octo/learn\\n"\nphases:\n  - name: A\n'
    assert problems_of(text) == ["r.yaml:2:13: repository: 'octo/learn\\n' must be OWNER/NAME"]


def test_due_with_trailing_newline_is_refused_not_dropped() -> None:
    text = DOC + '    due: "2027-01-01\\n"\n'
    assert problems_of(text) == [
        "r.yaml:4:10: due: '2027-01-01\\n' must be a date written YYYY-MM-DD"
    ]


@pytest.mark.parametrize(
    "phases",
    [
        pytest.param("  - name: '日本'\n", id="one-phase"),
        pytest.param("  - name: '日本'\n  - name: '中国'\n", id="two-phases"),
    ],
)
def test_phase_name_without_a_slug_needs_an_id(phases: str) -> None:
    # An item says "cannot derive an id from this title"; a phase must not silently get the
    # id '' (its milestone marker would be `phase=`, and two such phases would share it).
    got = problems_of("title: x\nphases:\n" + phases)
    assert got, "expected a problem"
    assert got[0].startswith("r.yaml:3:11: "), got


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("title: x\x07\nphases:\n  - name: A\n", (1, 9), id="bell"),
        pytest.param("title: x\nphases:\n  - name: \x1b[1mA\n", (3, 11), id="escape"),
        pytest.param("title: x\nphases:\n  - name: A\x00\n", (3, 12), id="nul"),
        pytest.param("title: x\ufffe\nphases:\n  - name: A\n", (1, 9), id="non-character"),
    ],
)
def test_unprintable_character_is_a_located_roadmap_error(
    text: str, where: tuple[int, int]
) -> None:
    with pytest.raises(RoadmapError) as info:
        loader.loads(text, "r.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == where
    assert "\n" not in problem.message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("!!int abc", id="int-tag-on-text"),
        pytest.param("!!float abc", id="float-tag-on-text"),
        pytest.param("!!bool maybe", id="bool-tag-on-text"),
        pytest.param("1" + "0" * 5000, id="integer-of-5001-digits"),
    ],
)
def test_scalar_that_cannot_be_constructed_is_a_roadmap_error(value: str) -> None:
    with pytest.raises(RoadmapError) as info:
        loader.loads(f"title: {value}\nphases:\n  - name: A\n", "r.yaml")
    assert info.value.problems
    assert {(p.line, p.col) for p in info.value.problems} == {(1, 8)}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("title: " + "[" * 1000 + "]" * 1000 + "\nphases: []\n", id="flow-lists"),
        pytest.param("title: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", id="flow-maps"),
    ],
)
def test_deep_nesting_is_a_roadmap_error(text: str) -> None:
    with pytest.raises(RoadmapError):
        loader.loads(text, "r.yaml")


# --- reading files ---------------------------------------------------------------------------


def test_load_reads_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded = loader.load(path)
    assert loaded.path == str(path)
    assert loaded == loader.loads(VALID, str(path))


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert [str(p) for p in load_problems(path)] == [
        f"{path}:1:1: file not found; create it, or pass --roadmap PATH"
        " (roadmap-sync import FILE.md)"
    ]


def test_file_in_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "roadmap.yaml"
    (problem,) = load_problems(path)
    assert str(problem).startswith(f"{path}:1:1: file not found; ")


def test_directory(tmp_path: Path) -> None:
    assert [str(p) for p in load_problems(tmp_path)] == [
        f"{tmp_path}:1:1: is a directory; name the roadmap file"
    ]


def test_path_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    path = tmp_path / "file" / "roadmap.yaml"
    (problem,) = load_problems(path)
    assert str(problem) == f"{path}:1:1: cannot read: Not a directory"


@pytest.mark.parametrize(
    ("raw", "line", "col", "byte"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, 1, 0x89, id="png-header"),
        pytest.param(bytes(range(256)), 2, 118, 0x80, id="all-bytes"),
        pytest.param(b"title: x\nphases:\n  - n\xffame: A\n", 3, 6, 0xFF, id="bad-byte-line-3"),
        pytest.param(b"title: x\n\xc3(\n", 2, 1, 0xC3, id="broken-sequence"),
        pytest.param(b"\xff\xfet\x00i\x00", 1, 1, 0xFF, id="utf-16"),
    ],
)
def test_invalid_utf8_names_the_bad_byte(
    tmp_path: Path, raw: bytes, line: int, col: int, byte: int
) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(raw)
    assert [str(p) for p in load_problems(path)] == [
        f"{path}:{line}:{col}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
    ]


def test_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"title: x\nphases:\n  - name: A\x00\n")
    assert [str(p) for p in load_problems(path)] == [
        f"{path}:3:1: binary data (NUL byte); not a text file"
    ]


def test_file_over_5_mib(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    assert [str(p) for p in load_problems(path)] == [
        f"{path}:1:1: file is over the 5 MiB a roadmap may have; split it"
    ]


def test_unprintable_character_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"title: x\x07\nphases:\n  - name: A\n")
    (problem,) = load_problems(path)
    assert (problem.file, problem.line, problem.col) == (str(path), 1, 9)
    assert "\n" not in problem.message


def test_path_with_a_nul_character() -> None:
    (problem,) = load_problems(Path("road\x00map.yaml"))
    assert str(problem).startswith("road\x00map.yaml:1:1: ")
    assert "\n" not in problem.message


def test_size_limit_holds_for_a_pipe(tmp_path: Path) -> None:
    # `--roadmap <(generate)` or /dev/zero: stat() says 0 bytes, so the limit must be
    # enforced while reading, not only from the size the file claims.
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    chunk = b"# filler\n" * 1024

    def feed() -> None:
        # The reader stops at the cap and closes its end: a broken pipe is the expected end.
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
            pipe.write(b"- a\nb: c\n")  # a syntax error on line 2: whatever is read fails fast
            for _ in range(6 * 1024 * 1024 // len(chunk) + 1):
                pipe.write(chunk)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        (problem,) = load_problems(fifo)
    finally:
        # Unblock the writer whatever load did: open the reading end and drain it.
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            while writer.is_alive():
                try:
                    if not os.read(fd, 1 << 16):
                        writer.join(0.01)
                except BlockingIOError:
                    writer.join(0.01)
        finally:
            os.close(fd)
    assert str(problem).startswith(f"{fifo}:1:1: ")
    assert "over the 5 MiB a roadmap may have" in problem.message


# --- robustness ------------------------------------------------------------------------------


def _loads_or_roadmap_error(text: str) -> None:
    """loads returns a Roadmap or raises RoadmapError with well-formed problems; nothing else."""
    problems: tuple[Problem, ...] = ()
    try:
        result = loader.loads(text, "r.yaml")
    except RoadmapError as exc:
        problems = exc.problems
    else:
        assert isinstance(result, Roadmap)
        return
    assert problems
    for problem in problems:
        assert problem.file == "r.yaml"
        assert problem.line >= 1
        assert problem.col >= 1
        assert "\n" not in problem.message


@settings(database=None, deadline=None, max_examples=300, derandomize=True)
@given(st.text())
def test_arbitrary_text_loads_or_raises_roadmap_error(text: str) -> None:
    _loads_or_roadmap_error(text)


KEYS = [
    "title",
    "titel",
    "goal",
    "repository",
    "github",
    "sub_issues",
    "phases",
    "name",
    "id",
    "due",
    "topics",
    "projects",
    "description",
    "tags",
    "was",
    "done",
    "resources",
    "url",
]
VALUES = [
    "",
    "x",
    "Python Core",
    "'quoted'",
    '"a\\nb"',
    "Abc",
    "-x",
    "a/b",
    "[a, b]",
    "[1, x]",
    "{url: u, title: t}",
    "{}",
    "[]",
    "2027-02-30",
    "2027-01-01",
    "next week",
    "true",
    "1",
    "1.5",
    "~",
    "&a x",
    "*a",
    "!!str x",
    "!!int x",
    "!!python/name:os.system",
    "|",
    ">",
    "[",
    "'",
    ":",
    "# comment",
    "日本",
    "\u0430",
]
LINE = st.tuples(
    st.sampled_from(["", "  ", "    ", "      ", "        ", "\t", " "]),
    st.sampled_from(["", "- "]),
    st.sampled_from(KEYS),
    st.sampled_from([": ", ":", " : "]),
    st.sampled_from(VALUES),
).map("".join)
LINE_SOUP = st.lists(st.one_of(LINE, st.sampled_from(["- x", "-", "---", ""])), max_size=25).map(
    "\n".join
)


def _render(node: object, indent: int = 0) -> list[str]:
    """Block YAML for a tree of dicts, lists and scalar tokens, correctly indented."""
    pad = " " * indent
    if isinstance(node, dict):
        pairs = [(f"{pad}{key}:", value) for key, value in node.items()]
    else:
        assert isinstance(node, list)
        pairs = [(f"{pad}-", value) for value in node]
    lines = []
    for head, value in pairs:
        if isinstance(value, str):
            lines.append(f"{head} {value}".rstrip())
        elif not value:
            lines.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
        else:
            lines.append(head)
            lines.extend(_render(value, indent + 2))
    return lines


TREE = st.recursive(
    st.sampled_from(VALUES),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    ),
    max_leaves=20,
)
# Mostly well-formed YAML shaped like a roadmap, so that the schema and the model are reached.
YAML_TREE = st.dictionaries(st.sampled_from(KEYS), TREE, min_size=1, max_size=5).map(
    lambda tree: "\n".join(_render(tree)) + "\n"
)
YAMLISH = st.one_of(LINE_SOUP, YAML_TREE)


@pytest.mark.slow
@settings(
    database=None,
    deadline=None,
    max_examples=400,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(VALID)
@given(YAMLISH)
def test_yamlish_text_loads_or_raises_roadmap_error(text: str) -> None:
    _loads_or_roadmap_error(text)


def test_billion_laughs_is_refused_quickly() -> None:
    text = 'title: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    started = time.monotonic()
    got = problems_of(text)
    assert time.monotonic() - started < 1
    assert got == [
        "r.yaml:3:8: YAML syntax error: anchors and aliases (*name) are not supported in a"
        " roadmap; write the value out"
    ]


# --- issue bodies ----------------------------------------------------------------------------


def test_description_too_long_for_an_issue_names_its_line() -> None:
    text = ITEMS + "      - title: Short\n      - title: T\n        description: " + "a" * 70_000
    loaded = loader.loads(text + "\n", "r.yaml")
    item, phase = loaded.items[1], loaded.phases[0]
    size = len(desired.issue_block(item, phase, "r.yaml"))
    with pytest.raises(RoadmapError) as info:
        desired.build(loaded)
    assert [str(p) for p in info.value.problems] == [
        f"r.yaml:6:1: item 't': its issue body would be {size} characters,"
        " over the 64512 a managed block may have; shorten its description"
    ]


def test_body_limit_message_states_the_limit_it_applies() -> None:
    # A body of ~65,000 characters is refused (the tool keeps 1,024 in reserve): the message
    # must not claim that 65,000 is over a limit of 65,536.
    text = ITEMS + "      - title: T\n        description: " + "a" * 64_800 + "\n"
    loaded = loader.loads(text, "r.yaml")
    size = len(desired.issue_block(loaded.items[0], loaded.phases[0], "r.yaml"))
    assert 65_536 - 1_024 < size <= 65_536
    with pytest.raises(RoadmapError) as info:
        desired.build(loaded)
    (problem,) = info.value.problems
    match = re.search(r"would be (\d+) characters, over the (\d+) a managed block", problem.message)
    assert match, problem.message
    stated_size, stated_limit = int(match[1]), int(match[2])
    assert stated_size == size
    assert stated_size > stated_limit, problem.message
