"""Exact request counts of each scenario of the shipped roadmap (GitHub issue 8).

Times live in benchmarks/run.py; here only the requests, which decide the rate limit and,
at GitHub's latency, the wall time. Each scenario runs the CLI in-process against the fake.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks import generate
from roadmap_sync.model import load as loader
from roadmap_sync.sync import desired
from tests.backends import numbers
from tests.conftest import Run
from tests.fake_github import FakeGitHub

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = loader.load(ROOT / "roadmap.yaml")
# The shipped roadmap: roadmap, phase-1..7, topic, project, in progress; and its needs.
ITEMS, PHASES, LABELS, EDGES = 83, 7, 11, 133
REPO = "/repos/learner/roadmap"
SNAPSHOT = [
    ("GET", REPO),
    ("GET", f"{REPO}/labels"),
    ("GET", f"{REPO}/milestones"),
    ("GET", f"{REPO}/issues"),  # 83 issues: one page of 100
]
ISSUES_ONLY = [("GET", REPO), ("GET", f"{REPO}/issues")]


def sent(fake: FakeGitHub) -> list[tuple[str, str]]:
    """(method, path) of every logged request, in order."""
    return [(r.method, r.path) for r in fake.requests]


def counts(fake: FakeGitHub) -> tuple[int, int]:
    """(reads, writes) since the last reset."""
    return fake.reads, fake.writes


@pytest.fixture
def synced(github_env: Path, fake_github: FakeGitHub, run: Run) -> FakeGitHub:
    """The fake after a first sync of the shipped roadmap, its log cleared."""
    run("sync")
    fake_github.reset_log()
    return fake_github


def edit_titles(count: int) -> None:
    """Append " (revised)" to the first ``count`` item titles of ./roadmap.yaml."""
    path = Path("roadmap.yaml")
    path.write_text(generate.edit_titles(path.read_text(encoding="utf-8"), count), "utf-8")


def test_the_constants_are_the_shipped_roadmaps() -> None:
    # Counted from the YAML itself, not by the code under test: one issue per topic and
    # project, one milestone and one phase label per phase, and the four fixed labels
    # (roadmap, topic, project, in progress) plus one per distinct tag.
    raw = yaml.safe_load((ROOT / "roadmap.yaml").read_text(encoding="utf-8"))
    items = [i for p in raw["phases"] for kind in ("topics", "projects") for i in p.get(kind, [])]
    tags = {tag.lower() for item in items for tag in item.get("tags", [])}
    edges = sum(len(item.get("needs", [])) for item in items)
    shape = (len(items), len(raw["phases"]), 4 + len(raw["phases"]) + len(tags), edges)
    assert shape == (ITEMS, PHASES, LABELS, EDGES), "roadmap.yaml changed: update the constants"
    wanted = desired.build(SHIPPED)
    built = (len(wanted.issues), len(wanted.milestones), len(wanted.labels), len(wanted.needs))
    assert built == shape


def test_first_sync(github_env: Path, fake_github: FakeGitHub, run: Run) -> None:
    run("sync")
    assert counts(fake_github) == (4, LABELS + PHASES + ITEMS + EDGES) == (4, 234)  # the README's
    assert sent(fake_github)[:4] == SNAPSHOT
    writes = Counter(
        (method, re.sub(r"/issues/\d+/", "/issues/N/", path))
        for method, path in sent(fake_github)[4:]
    )
    assert writes == {
        ("POST", f"{REPO}/labels"): LABELS,
        ("POST", f"{REPO}/milestones"): PHASES,
        ("POST", f"{REPO}/issues"): ITEMS,
        ("POST", f"{REPO}/issues/N/dependencies/blocked_by"): EDGES,
    }
    # Every issue before the first dependency that needs it, and exactly the roadmap's edges.
    kinds = [path.rsplit("/", 1)[-1] for _, path in sent(fake_github)[4:]]
    assert kinds.index("blocked_by") == LABELS + PHASES + ITEMS
    issue_of = {found[0]: item for item, found in numbers(fake_github).items()}
    made = {(issue_of[n], issue_of[b]) for n in issue_of for b in fake_github.blocked_by(n)}
    assert made == {(item.id, need) for item in SHIPPED.items for need in item.needs}
    assert all(r.counted for r in fake_github.requests)


def test_no_op_resync(synced: FakeGitHub, run: Run) -> None:
    run("sync")
    assert counts(synced) == (4, 0)
    assert sent(synced) == SNAPSHOT


def test_repeated_no_op_resync_is_free(synced: FakeGitHub, run: Run) -> None:
    run("sync")  # the first snapshot after the writes fills the ETag cache
    synced.reset_log()
    run("sync")
    assert sent(synced) == SNAPSHOT
    assert [r.status for r in synced.requests] == [304] * 4
    assert sum(r.counted for r in synced.requests) == 0


def test_resync_after_five_edits(synced: FakeGitHub, run: Run) -> None:
    edit_titles(5)
    run("sync")
    assert counts(synced) == (4, 5)
    assert sent(synced)[:4] == SNAPSHOT
    assert [method for method, _ in sent(synced)[4:]] == ["PATCH"] * 5


def test_render(synced: FakeGitHub, run: Run) -> None:
    run("render", "--readme", "README.md", "--badge", "badge.svg")
    assert counts(synced) == (2, 0)
    assert sent(synced) == ISSUES_ONLY


def test_status(synced: FakeGitHub, run: Run) -> None:
    run("status")
    assert counts(synced) == (2, 0)
    assert sent(synced) == ISSUES_ONLY


def test_done(synced: FakeGitHub, run: Run) -> None:
    run("done", "python-core")
    assert counts(synced) == (2, 1)
    assert sent(synced)[:2] == ISSUES_ONLY
    method, path = sent(synced)[2]
    assert method == "PATCH"
    number = int(path.removeprefix(f"{REPO}/issues/"))
    assert (synced.issue(number)["state"], synced.issue(number)["title"]) == (
        "closed",
        SHIPPED.items[0].title,
    )
