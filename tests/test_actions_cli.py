"""The CLI inside GitHub Actions, against the fake GitHub: annotations, outputs, job summary,
and the token nowhere in any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub


@pytest.fixture
def actions_env(
    github_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[Path, Path]:
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.touch()
    summary.touch()
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return output, summary


def test_sync_and_render_write_outputs_and_a_summary(
    actions_env: tuple[Path, Path], fake_github: FakeGitHub, run: Run
) -> None:
    output, summary = actions_env
    first = run("sync", "-v")
    assert "created=83\nupdated=0\nclosed=0\nreopened=0\n" in output.read_text()
    fake_github.ui_close_issue(1)
    fake_github.ui_close_issue(2)
    second = run("render", "-v")
    assert output.read_text().endswith("percent=2\ndone=2\ntotal=83\ncountable=83\n")
    text = summary.read_text()
    assert text.startswith("### Unified AI Career Roadmap: 2/83 · 2%\n")
    assert "| Phase 1: Foundations | `█░░░░░░░░░` 15% | 2/13 | 0 | 0 | 11 |" in text
    everything = first.out + first.err + second.out + second.err + output.read_text() + text
    assert fake_github.token not in everything


def test_roadmap_errors_become_annotations_on_the_file(
    actions_env: tuple[Path, Path], fake_github: FakeGitHub, run: Run
) -> None:
    Path("roadmap.yaml").write_text("title: x\nphases:\n  - name: One\n    topcs: []\n")
    result = run("sync", expect=1)
    assert result.err.splitlines() == [
        "::error file=roadmap.yaml,line=4,col=5::unknown key 'topcs'; did you mean 'topics'?",
        "roadmap.yaml:4:5: unknown key 'topcs'; did you mean 'topics'?",
    ]
    assert fake_github.requests == []


def test_a_refused_token_is_an_annotation_without_the_token(
    actions_env: tuple[Path, Path],
    fake_github: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "ghs_0123456789abcdefghijklmnopqrstuvwxyzAB"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    result = run("render", "-v", expect=1)
    errors = [line for line in result.err.splitlines() if line.startswith("::error")]
    assert errors == [
        "::error::GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN"
        " to a valid token with Issues: read and write"
    ]
    assert secret not in result.out + result.err
    assert "percent=" not in actions_env[0].read_text()


def test_in_actions_the_local_tracker_is_never_chosen_silently(
    actions_env: tuple[Path, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY")
    result = run("sync", expect=1)
    assert "no repository to sync in GitHub Actions" in result.err
    assert not Path(".roadmap-sync").exists()
