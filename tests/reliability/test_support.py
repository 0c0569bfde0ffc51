"""Shared oracle and plumbing of the reliability suite (GitHub issue 7), and its own checks.

The suite runs on the shipped roadmap without its ``needs``: a first sync is then the 101
writes of labels, milestones and issues, and every one of them is a crash point worth trying.
The dependency writes that ``needs`` add (133 more) have their own fault tests, on a small
roadmap, in ``test_dependencies.py``. The conftest beside this module puts that roadmap in every
test's working folder.

The other modules of this folder import from here. The oracle (``assert_exact_state``)
is written from the roadmap and DESIGN.md, not from ``plan.diff``: a bug in the planner cannot
make it agree with itself. The tests at the bottom prove it notices each kind of damage the
fault tests look for, so a passing fault test means something.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import responses

from roadmap_sync.model import load as loader
from roadmap_sync.model import roadmap
from roadmap_sync.model.yamlwrite import to_yaml
from roadmap_sync.sync import apply, desired, identity, plan
from roadmap_sync.trackers import github as github_tracker
from roadmap_sync.trackers.base import Snapshot
from roadmap_sync.trackers.github import GitHubTracker
from roadmap_sync.trackers.github_http import GitHubHttp
from tests.backends import map_items
from tests.conftest import Run
from tests.fake_github import FakeGitHub

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_PATH = REPO_ROOT / "roadmap.yaml"
SHIPPED = map_items(loader.load(SHIPPED_PATH), lambda item: dataclasses.replace(item, needs=()))
SHIPPED_TEXT = to_yaml(SHIPPED)
SHIPPED_DESIRED = desired.build(SHIPPED)
N_ITEMS = len(SHIPPED.items)
N_PHASES = len(SHIPPED.phases)
N_LABELS = len(SHIPPED_DESIRED.labels)  # roadmap, phase-1..7, topic, project, in progress
# Plan order (plan.diff): every label, then every milestone, then every issue.
FIRST_MILESTONE_WRITE = N_LABELS + 1
FIRST_ISSUE_WRITE = N_LABELS + N_PHASES + 1
TOTAL_WRITES = N_LABELS + N_PHASES + N_ITEMS
ITEM_MARKER = "<!-- roadmap-sync:item="
# Bidi embeddings, overrides and isolates: the loader refuses them in roadmap text, as it does
# control characters (hypothesis strategies leave both out; the broken corpus has them).
BIDI_CONTROLS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


# --- the oracle ------------------------------------------------------------------------------


def item_of(issue: dict[str, Any]) -> str | None:
    """The item id in the first line of an issue body, as DESIGN.md defines the marker."""
    first = (issue.get("body") or "").split("\n", 1)[0].rstrip()
    if first.startswith(ITEM_MARKER) and first.endswith(" -->"):
        return first.removeprefix(ITEM_MARKER).removesuffix(" -->")
    return None


def issues_by_item(fake: FakeGitHub) -> dict[str, list[dict[str, Any]]]:
    """Item id → every issue (open or closed) carrying its marker, lowest number first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for issue in fake.issues():
        item_id = item_of(issue)
        if item_id is not None and "pull_request" not in issue:
            found.setdefault(item_id, []).append(issue)
    return found


def _names(issue: dict[str, Any]) -> set[str]:
    return {label["name"].lower() for label in issue["labels"]}


def assert_exact_state(
    fake: FakeGitHub,
    loaded: roadmap.Roadmap = SHIPPED,
    *,
    duplicates_allowed: bool = False,
    removed: tuple[str, ...] = (),
) -> dict[str, int]:
    """The repository is exactly what the roadmap asks for; returns item id → issue number.

    One label per name (case-insensitive), the tool's own labels with their colour and text;
    one milestone per phase, found by title and by marker, with its description; one issue
    per item (with ``duplicates_allowed``: one *open* issue, the oldest) whose title, managed
    body, labels, milestone and state are as desired. The ``removed`` items' issues are all
    closed as not planned with the ``removed`` label.
    """
    wanted = desired.build(loaded)
    labels = fake.labels()
    names = [label["name"].lower() for label in labels]
    assert len(names) == len(set(names)), f"a label name is doubled: {sorted(names)}"
    by_name = {label["name"].lower(): label for label in labels}
    for spec in wanted.labels:
        have = by_name.get(spec.name.lower())
        assert have is not None, f"label {spec.name!r} is missing"
        if spec.own:
            got = (have["name"], have["color"], have["description"])
            assert got == (spec.name, spec.color, spec.description), got

    milestones = fake.milestones()
    numbers: dict[str, int] = {}
    for spec in wanted.milestones:
        titled = [m for m in milestones if m["title"].lower() == spec.title.lower()]
        marked = [m for m in milestones if identity.phase_marker(m["description"]) == spec.phase_id]
        assert len(titled) == 1, f"{len(titled)} milestones titled {spec.title!r}"
        assert marked == titled, f"phase {spec.phase_id}: the marker is not on {spec.title!r}"
        (milestone,) = titled
        assert milestone["title"] == spec.title
        assert (milestone["description"] or "").strip() == spec.description.strip()
        due = milestone["due_on"][:10] if milestone["due_on"] else None
        assert due == (spec.due_on.isoformat() if spec.due_on else None), (spec.phase_id, due)
        numbers[spec.phase_id] = milestone["number"]
    extra = sorted({m["title"] for m in milestones} - {spec.title for spec in wanted.milestones})
    assert not extra, f"milestones that are no phase's: {extra}"

    found = issues_by_item(fake)
    for item_id in removed:
        for issue in found.pop(item_id, []):
            assert (issue["state"], issue["state_reason"]) == ("closed", "not_planned"), item_id
            assert "removed" in _names(issue), item_id
    assert sorted(found) == sorted(spec.item_id for spec in wanted.issues), "items differ"
    keepers: dict[str, int] = {}
    for spec in wanted.issues:
        issues = found[spec.item_id]
        if duplicates_allowed:
            opened = [i["number"] for i in issues if i["state"] == "open"]
            oldest = issues[0]["number"]
            assert opened == [oldest], f"item {spec.item_id}: open {opened}, oldest #{oldest}"
        else:
            assert len(issues) == 1, f"item {spec.item_id}: issues {[i['number'] for i in issues]}"
        issue = issues[0]
        assert issue["title"] == spec.title, (spec.item_id, issue["title"])
        assert issue["body"] == spec.block, f"item {spec.item_id}: body differs"
        labels = {name.lower() for name in spec.labels}
        assert _names(issue) == labels, f"item {spec.item_id}: labels {sorted(_names(issue))}"
        assert issue["milestone"] is not None, f"item {spec.item_id} has no milestone"
        assert issue["milestone"]["number"] == numbers[spec.phase_id], spec.item_id
        state = ("closed", "completed") if spec.done_hint else ("open", None)
        assert (issue["state"], issue["state_reason"] if spec.done_hint else None) == state
        keepers[spec.item_id] = issue["number"]
    return keepers


def comments_on(fake: FakeGitHub, number: int) -> list[str]:
    """Bodies of the comments on one issue, oldest first (not logged)."""
    with fake.lock:
        found = [c for c in fake.state.comments.values() if c.issue_number == number]
        return [c.body for c in sorted(found, key=lambda c: c.id)]


def assert_duplicates_closed_once(fake: FakeGitHub) -> int:
    """Every extra issue of an item is closed as not planned with exactly one comment naming
    the oldest; the oldest has no comment from the tool. Returns how many extras there were."""
    extras = 0
    for item_id, issues in issues_by_item(fake).items():
        keeper, *others = issues
        assert comments_on(fake, keeper["number"]) == [], item_id
        for extra in others:
            extras += 1
            assert (extra["state"], extra["state_reason"]) == ("closed", "not_planned")
            expected = (
                f"Closed by roadmap-sync: a duplicate of #{keeper['number']}, "
                f"which tracks roadmap item `{item_id}`."
            )
            assert comments_on(fake, extra["number"]) == [expected], (item_id, extra["number"])
    return extras


def applied_posts(fake: FakeGitHub) -> int:
    """Create requests GitHub applied (POSTs, which must never be applied twice)."""
    return sum(1 for r in fake.requests if r.method == "POST" and r.applied)


# --- plumbing ----------------------------------------------------------------------------


@contextmanager
def served(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """The fake over HTTP on 127.0.0.1; in-process runs reach it through GITHUB_API_URL too
    (the responses mock lets the served URL through)."""
    with fake.serve():
        monkeypatch.setenv("GITHUB_API_URL", fake.base_url)
        yield fake


def child_env(fake: FakeGitHub, **extra: str) -> dict[str, str]:
    """Environment of a CLI subprocess against the served fake, writes unpaced."""
    env = fake.subprocess_env()
    env["ROADMAP_SYNC_WRITE_INTERVAL"] = "0"
    for name in ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GH_TOKEN"):
        env.pop(name, None)
    env.update(extra)
    return env


def cli(*args: str) -> list[str]:
    """The command line of ``python -m roadmap_sync ARGS`` with this interpreter."""
    return [sys.executable, "-m", "roadmap_sync", *args]


@dataclass
class Sleeper:
    """Stands in for time.sleep in GitHubHttp: records each wait, and with ``clock`` moves
    the fake's clock on by it, so a rate-limit reset really passes without waiting."""

    waits: list[float] = field(default_factory=list)
    clock: Any = None

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)


def patch_sleep(monkeypatch: pytest.MonkeyPatch, clock: Any = None) -> Sleeper:
    """Every GitHubHttp the CLI builds sleeps through a Sleeper (GitHubHttp binds time.sleep
    as a default argument, so patching time.sleep itself would not reach it)."""
    sleeper = Sleeper(clock=clock)
    monkeypatch.setattr(github_tracker, "GitHubHttp", functools.partial(GitHubHttp, sleep=sleeper))
    return sleeper


@functools.cache
def _synced_template() -> FakeGitHub:
    """A fake holding the shipped roadmap after one clean sync (made once per process)."""
    template = FakeGitHub()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        template.install(mock)
        tracker = GitHubTracker(template.full_name, template.token, template.api_url, 0.0)
        apply.apply(plan.diff(SHIPPED_DESIRED, tracker.snapshot()), tracker)
        tracker.http.close()
    assert_exact_state(template)
    return template


def synced_repository(fake: FakeGitHub) -> None:
    """Give the fake the repository a clean first sync of the shipped roadmap leaves: the
    same as running sync, in milliseconds (the state is copied, on the fake's own clock)."""
    template = _synced_template()
    with fake.lock:
        fake.state = copy.deepcopy(template.state, {id(template.clock): fake.clock})


def fresh_repository(fake: FakeGitHub) -> None:
    """Give the fake an empty repository again (same token, log and faults cleared)."""
    blank = FakeGitHub(owner=fake.owner, repo=fake.repo, token=fake.token, clock=fake.clock)
    with fake.lock:
        fake.state, fake.core = blank.state, blank.core
        fake.applied_writes = 0
        fake.requests.clear()
        fake.faults.clear()
        fake.after_write = None


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and directory (None) under root, hidden ones included."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = None
        for name in files:
            path = Path(folder, name)
            found[os.path.relpath(path, root)] = path.read_bytes()
    return found


def secret_forms(token: str) -> list[str]:
    """The token as it could leak: itself, percent-free base64 of it (standard and URL-safe),
    and the part of base64 that depends only on the token whatever precedes it (Basic auth
    encodes ``user:token``, and the user shifts the token by 0, 1 or 2 bytes)."""
    raw = token.encode()
    forms = {token}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(raw).decode().rstrip("="))
        for shift in range(3):
            encoded = encode(b"\0" * shift + raw).decode().rstrip("=")
            # Skip the characters the prefix touches and the last one padding may change.
            start = (shift * 4 + 2) // 3 + 1
            forms.add(encoded[start:-1])
    return sorted(forms)


def assert_no_secret(token: str, *texts: str) -> None:
    """No form of the token in any of the texts."""
    for text in texts:
        for form in secret_forms(token):
            assert form not in text, f"the token leaked (as {form[:6]}…)"


# --- the oracle's own checks -------------------------------------------------------------


def test_the_shipped_roadmap_is_101_writes_in_kind_order() -> None:
    empty = Snapshot((), (), ())
    the_plan = plan.diff(SHIPPED_DESIRED, empty)
    kinds = [type(change).__name__ for change in the_plan.changes]
    assert the_plan.writes == TOTAL_WRITES == 101
    assert kinds.index("MilestoneChange") + 1 == FIRST_MILESTONE_WRITE == 12
    assert kinds.index("IssueChange") + 1 == FIRST_ISSUE_WRITE == 19


@pytest.fixture
def converged(github_env: Path, fake_github: FakeGitHub, run: Run) -> FakeGitHub:
    run("sync")
    return fake_github


def test_the_oracle_accepts_a_clean_sync(converged: FakeGitHub) -> None:
    keepers = assert_exact_state(converged)
    assert len(keepers) == N_ITEMS
    assert assert_duplicates_closed_once(converged) == 0


def test_a_copied_synced_repository_is_one_a_sync_leaves(
    github_env: Path, fake_github: FakeGitHub, run: Run
) -> None:
    synced_repository(fake_github)
    assert_exact_state(fake_github)
    assert run("sync").out.startswith(f"Up to date: {N_ITEMS} issues")
    assert fake_github.writes == 0


def test_the_oracle_sees_a_duplicate_issue(converged: FakeGitHub) -> None:
    source = converged.issue(1)
    converged.ui_create_issue(source["title"], source["body"], labels=["roadmap"])
    with pytest.raises(AssertionError, match="issues"):
        assert_exact_state(converged)
    with pytest.raises(AssertionError, match="open"):
        assert_exact_state(converged, duplicates_allowed=True)


def test_the_oracle_sees_a_missing_item(converged: FakeGitHub) -> None:
    converged.ui_delete_issue(5)
    with pytest.raises(AssertionError, match="items differ"):
        assert_exact_state(converged)


@pytest.mark.parametrize(
    "damage",
    [
        {"title": "edited"},
        {"labels": ["roadmap", "phase-2", "topic"]},
        {"milestone": 2},
        {"body": "<!-- roadmap-sync:item=python-core -->\nshort\n<!-- roadmap-sync:end -->"},
        {"state": "closed"},
    ],
)
def test_the_oracle_sees_a_wrong_field(converged: FakeGitHub, damage: dict[str, Any]) -> None:
    converged.ui_edit_issue(1, **damage)
    with pytest.raises(AssertionError):
        assert_exact_state(converged)


def test_the_oracle_sees_label_and_milestone_damage(converged: FakeGitHub) -> None:
    converged.ui_delete_label("in progress")  # on no issue yet
    with pytest.raises(AssertionError, match="in progress"):
        assert_exact_state(converged)
    converged.ui_create_label("In Progress", "fbca04", "Being worked on")
    assert_exact_state(converged)  # not an own label: any case and colour will do
    converged.ui_create_label("ROADMAP2")
    assert_exact_state(converged)
    extra = converged.ui_create_milestone("Phase 9: Extra")
    with pytest.raises(AssertionError, match="Phase 9"):
        assert_exact_state(converged)
    converged.api("DELETE", f"/repos/learner/roadmap/milestones/{extra['number']}")
    assert_exact_state(converged)
    converged.api("PATCH", "/repos/learner/roadmap/milestones/1", json={"description": "mine"})
    with pytest.raises(AssertionError, match="marker"):
        assert_exact_state(converged)


def test_the_duplicate_check_wants_exactly_one_comment(converged: FakeGitHub) -> None:
    source = converged.issue(1)
    copy = converged.ui_create_issue(source["title"], source["body"], labels=["roadmap"])
    converged.ui_close_issue(copy["number"], "not_planned")
    with pytest.raises(AssertionError):
        assert_duplicates_closed_once(converged)


def test_secret_forms_find_the_token_inside_basic_auth() -> None:
    token = "ghp_S3cretTokenValue0123456789abcdefABCD"
    for user in ("", "x", "xy", "x-access-token"):
        basic = base64.b64encode(f"{user}:{token}".encode()).decode()
        with pytest.raises(AssertionError, match="leaked"):
            assert_no_secret(token, f"Authorization: Basic {basic}")
    assert_no_secret(token, "Authorization: token ghp_***")


def test_tree_sees_every_change(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x", encoding="utf-8")
    before = tree(tmp_path)
    (tmp_path / ".hidden").mkdir()
    assert tree(tmp_path) != before
    shutil.rmtree(tmp_path / ".hidden")
    (tmp_path / "a").write_text("y", encoding="utf-8")
    assert tree(tmp_path) != before
