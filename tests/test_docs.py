"""The README tells the truth: its commands exist, its set-up runs, CI runs its test command.

None of these tests reads the working tree's progress: a learner who already ran the main job
has a tracker in .roadmap-sync/, a README with progress in it and new badges, and the tests
must pass all the same. They work on copies in temp dirs, and compare with what git committed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from roadmap_sync.cli.app import cli
from tests.conftest import REPO_ROOT, Run

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
# What the README section is made from; its outputs (the badges and pictures) are listed by git.
RENDERED = ("README.md", "roadmap.yaml")


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def committed(path: str) -> bytes:
    """A file as the last commit has it: what a fresh clone gets, whatever the working tree
    holds now."""
    result = subprocess.run(
        ["git", "show", f"HEAD:{path}"], cwd=REPO_ROOT, capture_output=True, check=True
    )
    return result.stdout


def clean_env(mp: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ACTIONS"):
        mp.delenv(name, raising=False)


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
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        clean_env(mp)
        # Start from a README with no progress in it, whatever the copy carried.
        run("render", "--local", "--tracker", str(tmp_path / "empty" / "tracker.json"))
        before = (tmp_path / "README.md").read_text(encoding="utf-8")
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


def test_the_committed_readme_progress_section_is_current(run: Run, tmp_path: Path) -> None:
    # The committed README, badges and pictures are rendered from the committed roadmap and no
    # tracker at all.
    listed = subprocess.run(
        ["git", "ls-files", ".github/badges"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.split()
    assert "map.svg" in " ".join(listed)
    for name in (*RENDERED, *listed):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(committed(name))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        clean_env(mp)
        run("render", "--local", "--tracker", str(tmp_path / "none.json"), "--check")


def reads_the_repository() -> list[str]:
    """The test modules that read files of the repository itself (they name its root), as
    opposed to copies in temp dirs: the ones the state the main job leaves could reach."""
    tests = REPO_ROOT / "tests"
    found = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in sorted(tests.rglob("test_*.py"))
        if re.search(r"\b(REPO_ROOT|ROOT)\b", path.read_text(encoding="utf-8"))
    ]
    assert "tests/test_docs.py" in found
    return found


@pytest.mark.slow
def test_a_fresh_clone_runs_the_main_job_then_the_tests(tmp_path: Path) -> None:
    """The README's two commands, word for word, in a clone with nothing beside it: the main
    job first, then the test command, over the test modules that read the repository itself
    (the main job changes the README, the badges and .roadmap-sync/; the other tests work in
    temp dirs, and the whole suite runs in the outer run anyway) and without the slow tests
    (this one among them, which would recurse)."""
    clone = tmp_path / "clone" / "roadmap-sync"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(clone)], check=True)
    main_job, tests = shell_blocks(README)[:2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_", "PYTEST"))}
    env.pop("VIRTUAL_ENV", None)
    # pip keeps every wheel it builds in the user's cache, filed under this run's temp path, so
    # each run would leave one behind: the test's cache is its own.
    env["PIP_CACHE_DIR"] = str(tmp_path / "pip-cache")
    shell = shutil.which("bash") or "/bin/sh"
    first = subprocess.run(
        [shell, "-c", main_job], cwd=clone, env=env, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert "README.md: updated (1/83 · 1% done)" in first.stdout
    readme = (clone / "README.md").read_text(encoding="utf-8")
    assert "- [x] Python: functions, OOP, decorators, lambdas, exceptions `#1`" in readme
    selected = " ".join(reads_the_repository())
    second = subprocess.run(
        [shell, "-c", f"{tests} -m 'not slow' -q {selected}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-2000:]
    assert re.search(r"\d+ passed", second.stdout)
    assert " failed" not in second.stdout
