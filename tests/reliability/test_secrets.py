"""The token is never shown: not on stdout, stderr (``-v`` logs included), in ``--json``, in
GitHub Actions annotations, outputs or job summary, nor in any file the run leaves — on every
error path (401, 403 that is no rate limit, 404, 422, 5xx until the retries run out, timeouts,
dropped connections) of sync, plan, status, render and done. Each output is searched for the
token and for its base64 forms (what Basic auth would carry).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import (
    assert_no_secret,
    child_env,
    cli,
    patch_sleep,
    served,
    synced_repository,
    tree,
)

SECRET = "ghp_R3l1ab1l1tyS3cretT0ken0123456789ABCD"
OTHER = "ghp_TheOneGitHubExpects000000000000000000"


def wrong_token(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.token = OTHER  # GitHub answers 401 Bad credentials to SECRET


def read_only_token(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.token, fake.read_only_token = OTHER, SECRET  # reads fine, writes 403


def no_such_repository(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "learner/nope")


def fault(kind: str, method: str = "*", path: str = ".*", **options: int) -> Callable[..., None]:
    def setup(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
        fake.fail(kind, method=method, path=path, **options)

    return setup


# Each error path, and whether reading fails too (else only commands that write fail).
PATHS: dict[str, tuple[Callable[..., None], bool]] = {
    "401-bad-credentials": (wrong_token, True),
    "403-forbidden-read": (fault("error", "GET", r"/issues$", status=403), True),
    "403-forbidden-write": (read_only_token, False),
    "404-no-repository": (no_such_repository, True),
    "422-refused-write": (fault("error", "WRITE", status=422), False),
    "5xx-every-request": (fault("error", status=503), True),
    "5xx-every-write": (fault("error", "WRITE", status=502), False),
    "timeout-every-request": (fault("timeout"), True),
    "timeout-every-write": (fault("timeout", "WRITE"), False),
    "drop-every-request": (fault("drop"), True),
    "drop-every-write": (fault("drop", "WRITE"), False),
}
COMMANDS = {
    "sync": ("sync", "-v"),
    "sync-json": ("sync", "-v", "--json"),
    "plan-json": ("plan", "-v", "--json"),
    "status-json": ("status", "-v", "--json"),
    "render": ("render", "-v"),
    "done": ("done", "python-core", "-v"),
}
WRITING = {"sync", "sync-json", "done"}


@pytest.fixture
def secret_env(
    github_env: Path, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> FakeGitHub:
    """A synced repository whose token is SECRET, and a roadmap edit for sync to write."""
    fake_github.token = SECRET
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    synced_repository(fake_github)
    roadmap = Path("roadmap.yaml")
    text = roadmap.read_text(encoding="utf-8")
    roadmap.write_text(text.replace("title: Git & GitHub basics", "title: Git, really"), "utf-8")
    return fake_github


def everything_written(root: Path) -> str:
    """Every file under root, as text (undecodable bytes kept as latin-1)."""
    return "\n".join(data.decode("latin-1") for data in tree(root).values() if data is not None)


@pytest.mark.parametrize("actions", [False, True], ids=["terminal", "actions"])
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", PATHS)
def test_no_error_path_shows_the_token(
    secret_env: FakeGitHub,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    path: str,
    command: str,
    actions: bool,
) -> None:
    patch_sleep(monkeypatch)
    if actions:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "github-output"))
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step-summary"))
    setup, reads_fail = PATHS[path]
    setup(secret_env, monkeypatch)
    result = run(*COMMANDS[command], expect=None)
    must_fail = reads_fail or command in WRITING
    assert result.code == (1 if must_fail else 0), result.err
    assert "Traceback" not in result.err
    if must_fail:
        assert result.err.splitlines()[-1].startswith("roadmap-sync: error: ")
    assert_no_secret(SECRET, result.out, result.err, everything_written(tmp_path))
    assert secret_env.requests, "the error path was never reached"


@pytest.mark.parametrize(
    "token",
    [SECRET + "\n", SECRET + "\r\nX-Injected: 1", " " + SECRET + " ", "ghp_€" + SECRET],
    ids=["trailing-newline", "header-injection", "spaces", "not-latin-1"],
)
def test_a_malformed_token_is_one_line_without_the_token(
    github_env: Path, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    # A token pasted with a newline is a user error like any other: one line, exit 1 (or,
    # padded with spaces only, accepted) — and never echoed. Run as a real process, so that
    # what an uncaught exception would print is seen as the user would see it.
    fake_github.token = SECRET
    with served(fake_github, monkeypatch) as fake:
        child = subprocess.run(
            cli("plan", "-v"),
            cwd=github_env,
            env=child_env(fake, GITHUB_TOKEN=token),
            capture_output=True,
            text=True,
        )
    assert_no_secret(SECRET, child.stdout, child.stderr)
    assert "Traceback" not in child.stderr
    if child.returncode != 0:
        assert child.returncode == 1
        (line,) = child.stderr.splitlines()
        assert line.startswith("roadmap-sync: error: "), line
    assert not any("X-Injected" in str(r.headers) for r in fake.requests)
