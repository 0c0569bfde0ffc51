"""The README tells the truth: its commands exist, its set-up runs, CI runs its test command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest

from roadmap_sync.cli.app import cli
from tests.conftest import REPO_ROOT, Run

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def test_every_command_is_documented_and_has_help() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert f"roadmap-sync {name}" in README, name
        assert command.help or command.callback.__doc__, name  # type: ignore[union-attr]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    quickstart, tests = shell_blocks(README)[:2]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == tests
    assert "pytest" in tests
    assert "roadmap-sync sync" in quickstart


def test_the_quickstart_main_job_ticks_the_first_box(tmp_path: Path, run: Run) -> None:
    shutil.copy(REPO_ROOT / "roadmap.yaml", tmp_path / "roadmap.yaml")
    shutil.copy(REPO_ROOT / "README.md", tmp_path / "README.md")
    quickstart = shell_blocks(README)[0]
    steps = [step.strip() for step in quickstart.split("&&")]
    cli_steps = [
        s.removeprefix(".venv/bin/roadmap-sync ").split() for s in steps if "roadmap-sync" in s
    ]
    assert cli_steps == [["sync"], ["done", "python-core"], ["render"]]
    before = (tmp_path / "README.md").read_text(encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ACTIONS"):
            mp.delenv(name, raising=False)
        for args in cli_steps:
            run(*args)
    after = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "- [ ] Python: functions" in before
    assert re.search(r"- \[x\] Python: functions, OOP, decorators, lambdas, exceptions `#1`", after)
    assert (
        before.split("<!-- roadmap-sync:start -->")[0]
        == after.split("<!-- roadmap-sync:start -->")[0]
    )
    assert (tmp_path / ".roadmap-sync" / "tracker.json").is_file()
    assert (tmp_path / ".github" / "badges" / "progress.svg").is_file()


def test_the_readme_progress_section_is_current(run: Run, tmp_path: Path) -> None:
    # The committed README is rendered from the committed state: no tracker file yet.
    run(
        "render",
        "--local",
        "--tracker",
        str(tmp_path / "none.json"),
        "-f",
        str(REPO_ROOT / "roadmap.yaml"),
        "--readme",
        str(REPO_ROOT / "README.md"),
        "--badge",
        str(REPO_ROOT / ".github" / "badges" / "progress.svg"),
        "--check",
    )
