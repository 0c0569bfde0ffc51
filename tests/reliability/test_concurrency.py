"""Two syncs at the same moment: against one GitHub repository (two machines, two checkouts),
ten times; and on one local tracker file (two terminals in one checkout).

GitHub has no lock to take, so two first syncs may both create an issue for an item. What is
required: both runs end well, and the next sync leaves exactly one open issue per item, the
oldest, every other one closed as not planned with one comment naming it; and nothing else
changes (a sync after that writes nothing). The local tracker holds its lock from snapshot to
the last write, so there the second run finds everything done.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.children import start_together
from tests.reliability.test_support import (
    N_ITEMS,
    N_PHASES,
    SHIPPED,
    SHIPPED_DESIRED,
    SHIPPED_TEXT,
    assert_duplicates_closed_once,
    assert_exact_state,
    child_env,
    cli,
    item_of,
    served,
)


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(10))
def test_two_syncs_at_once_on_github_end_with_one_open_issue_per_item(
    github_env: Path,
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    trial: int,
) -> None:
    folders = [tmp_path_factory.mktemp(f"checkout{n}") for n in (1, 2)]
    for folder in folders:
        (folder / "roadmap.yaml").write_text(SHIPPED_TEXT, encoding="utf-8")
    with served(fake_github, monkeypatch) as fake:
        start_together(cli("sync"), folders, child_env(fake))
        made = len(fake.issues())
        assert N_ITEMS <= made <= 2 * N_ITEMS
        fake.reset_log()
        # The follow-up (the next scheduled run, say), in-process through responses: the
        # same fake, without an HTTP server thread to share this process with.
        monkeypatch.delenv("GITHUB_API_URL")
        run("sync")
        assert not fake.calls("POST", r"/issues$"), "the follow-up created an issue"
        assert len(fake.issues()) == made
        assert_exact_state(fake, duplicates_allowed=True)
        extras = assert_duplicates_closed_once(fake)
        assert extras == made - N_ITEMS
        assert fake.writes == 2 * extras  # a comment and a close for each, nothing more
        fake.reset_log()
        run("sync")
        assert fake.writes == 0


def local_env() -> dict[str, str]:
    env = dict(os.environ, ROADMAP_SYNC_WRITE_INTERVAL="0")
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS"):
        env.pop(name, None)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(3))
def test_two_local_syncs_at_once_create_everything_once(workdir: Path, trial: int) -> None:
    outputs = start_together(cli("sync", "--local"), [workdir, workdir], local_env())
    lasts = sorted(out.splitlines()[-1] for out in outputs)
    assert lasts[0].startswith(f"Up to date: {N_ITEMS} issues match the roadmap")
    assert lasts[1].startswith(f"created {N_ITEMS}, updated 0, closed 0, reopened 0, unchanged 0")
    data = json.loads((workdir / ".roadmap-sync/tracker.json").read_text(encoding="utf-8"))
    items = [item_of(issue) for issue in data["issues"]]
    assert sorted(items) == sorted(item.id for item in SHIPPED.items)  # each exactly once
    assert len(data["milestones"]) == N_PHASES
    names = [label["name"].lower() for label in data["labels"]]
    assert sorted(names) == sorted(spec.name.lower() for spec in SHIPPED_DESIRED.labels)
    third = subprocess.run(
        cli("plan", "--local", "--detailed-exitcode"),
        cwd=workdir,
        env=local_env(),
        capture_output=True,
        text=True,
    )
    assert third.returncode == 0, third.stdout + third.stderr
