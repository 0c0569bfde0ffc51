"""Shared fixtures: the fake GitHub plugin and a guard that keeps every test off the network."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_sync.cli.app import main
from tests.backends import Backend, GitHubBackend, LocalBackend

pytest_plugins = ["tests.fake_github.plugin"]

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch checkout: the shipped roadmap.yaml in an empty folder, as the cwd."""
    shutil.copy(REPO_ROOT / "roadmap.yaml", tmp_path / "roadmap.yaml")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROADMAP_SYNC_WRITE_INTERVAL", "0")
    return tmp_path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the CLI in-process; a wrong exit code fails with everything it printed."""

    def invoke(*args: str, expect: int | None = 0) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        result = Result(code, captured.out, captured.err)
        if expect is not None and code != expect:
            pytest.fail(
                f"roadmap-sync {' '.join(args)} exited {code}, expected {expect}\n"
                f"--- stdout\n{result.out}\n--- stderr\n{result.err}"
            )
        return result

    return invoke


@pytest.fixture
def github_env(workdir: Path, monkeypatch: pytest.MonkeyPatch, fake_github: object) -> Path:
    """The scratch checkout, pointed at the fake GitHub through the environment."""
    from tests.fake_github import FakeGitHub

    assert isinstance(fake_github, FakeGitHub)
    monkeypatch.setenv("GITHUB_TOKEN", fake_github.token)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake_github.full_name)
    return workdir


@pytest.fixture(params=["github", "local"])
def backend(
    request: pytest.FixtureRequest, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> Backend:
    """The same end-to-end test, once against the fake GitHub and once on the local tracker."""
    if request.param == "github":
        return GitHubBackend(request.getfixturevalue("fake_github"), monkeypatch)
    return LocalBackend()
