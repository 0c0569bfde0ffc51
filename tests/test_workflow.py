"""The workflow and the composite action, read as data; the commit script against local repos.

The YAML checks pin down the security properties (least permissions, pinned actions, no
template injection) so a later edit cannot quietly lose them. The commit script runs for real
against a bare repository in tmp_path standing in for GitHub, with a second clone playing
whoever else pushes meanwhile.
"""

from __future__ import annotations

import base64
import http.server
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "roadmap.yml"
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / ".github" / "scripts" / "commit-progress.sh"

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898283+github-actions[bot]@users.noreply.github.com"
MESSAGE = "roadmap: 42% (35/83)"
ISSUE_TYPES = {
    "opened",
    "edited",
    "closed",
    "reopened",
    "labeled",
    "unlabeled",
    "assigned",
    "unassigned",
    "deleted",
    "milestoned",
    "demilestoned",
}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    on: Any = workflow["on"] if "on" in workflow else workflow[True]  # type: ignore[index]
    assert isinstance(on, dict)
    return on


def all_steps() -> list[tuple[str, dict[str, Any]]]:
    """Every step of the workflow's jobs and of the composite action, with where it is."""
    steps = []
    for job_name, job in load(WORKFLOW)["jobs"].items():
        steps += [(f"roadmap.yml:{job_name}", step) for step in job["steps"]]
    steps += [("action.yml", step) for step in load(ACTION)["runs"]["steps"]]
    return steps


# --- the workflow, read as data ------------------------------------------------------------


def test_triggers() -> None:
    on = triggers(load(WORKFLOW))
    assert set(on) == {"push", "issues", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"], "paths": ["roadmap.yaml"]}
    assert set(on["issues"]["types"]) == ISSUE_TYPES
    assert len(on["issues"]["types"]) == len(ISSUE_TYPES)


def test_issue_events_of_other_issues_are_skipped() -> None:
    condition = " ".join(load(WORKFLOW)["jobs"]["roadmap"]["if"].split())
    assert condition == (
        "github.event_name != 'issues' "
        "|| contains(github.event.issue.labels.*.name, 'roadmap') "
        "|| github.event.label.name == 'roadmap'"
    )


def test_schedule_is_daily_at_a_fixed_odd_minute() -> None:
    (entry,) = triggers(load(WORKFLOW))["schedule"]
    minute, hour, day, month, weekday = entry["cron"].split()
    assert minute.isdigit()
    assert int(minute) % 2 == 1
    assert minute != "0"
    assert hour.isdigit()
    assert (day, month, weekday) == ("*", "*", "*")


def test_dispatch_offers_a_choice_of_command() -> None:
    command = triggers(load(WORKFLOW))["workflow_dispatch"]["inputs"]["command"]
    assert command["type"] == "choice"
    assert command["options"] == ["sync-and-render", "render"]
    assert command["default"] == "sync-and-render"


def test_permissions_are_exactly_contents_and_issues_write() -> None:
    workflow = load(WORKFLOW)
    assert workflow["permissions"] == {"contents": "write", "issues": "write"}
    for job in workflow["jobs"].values():
        assert "permissions" not in job  # nothing widens them per job


def test_concurrency_serialises_without_cancelling() -> None:
    concurrency = load(WORKFLOW)["concurrency"]
    assert concurrency["group"] == "roadmap-sync-${{ github.repository }}"
    assert concurrency["cancel-in-progress"] is False


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_sha_with_its_version(path: Path) -> None:
    uses_lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    remote = [line for line in uses_lines if not re.search(r"uses:\s*\./", line)]
    for line in remote:
        if line.lstrip().startswith("#"):
            continue  # the usage example in action.yml's header
        assert re.search(r"uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\s*$", line), (
            f"{path.name}: not pinned to a full commit SHA with a # vX.Y.Z comment: {line.strip()}"
        )
    if path == WORKFLOW:
        assert len(remote) >= 2  # checkout and setup-python


@pytest.mark.parametrize(("where", "step"), all_steps(), ids=lambda v: str(v)[:40])
def test_no_untrusted_expression_inside_a_script(where: str, step: dict[str, Any]) -> None:
    script = step.get("run", "")
    # Anything an outsider can write (issue titles, dispatch inputs, action inputs) must reach
    # bash through env:, where it is data; pasted into the script it would be code.
    for forbidden in ("${{ github.event", "${{ inputs.", "${{github.event", "${{inputs."):
        assert forbidden not in script, f"{where}: {forbidden} inside run: {script}"


def test_no_expression_at_all_inside_workflow_scripts() -> None:
    # Stricter than needed, and cheap: every value the scripts read comes through env:.
    for where, step in all_steps():
        assert "${{" not in step.get("run", ""), f"{where}: expression inside run:"


def test_checkout_does_not_persist_credentials() -> None:
    checkouts = [s for _, s in all_steps() if str(s.get("uses", "")).startswith("actions/checkout")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False


def test_python_setup_and_install() -> None:
    steps = load(WORKFLOW)["jobs"]["roadmap"]["steps"]
    (setup,) = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup["with"] == {
        "python-version": "3.12",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
    assert any(s.get("run", "").strip() == "python -m pip install ." for s in steps)


def test_the_token_goes_only_where_it_is_needed() -> None:
    steps = load(WORKFLOW)["jobs"]["roadmap"]["steps"]
    with_token = {s["name"] for s in steps if "GITHUB_TOKEN" in s.get("env", {})}
    assert with_token == {
        "Sync issues with roadmap.yaml",
        "Render progress into the README",
        "Commit the progress if it changed",
    }
    for step in steps:
        if "GITHUB_TOKEN" in step.get("env", {}):
            assert step["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"


def test_commit_step_builds_the_message_from_render_outputs() -> None:
    steps = load(WORKFLOW)["jobs"]["roadmap"]["steps"]
    (commit,) = [s for s in steps if s.get("run") == ".github/scripts/commit-progress.sh"]
    env = commit["env"]
    assert env["PERCENT"] == "${{ steps.render.outputs.percent }}"
    assert env["DONE"] == "${{ steps.render.outputs.done }}"
    assert env["TOTAL"] == "${{ steps.render.outputs.total }}"
    assert env["RENDER"] == "roadmap-sync render --badge-dir .github/badges"


def test_action_interface() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert inputs["command"]["default"] == "sync-and-render"
    assert inputs["roadmap"]["default"] == "roadmap.yaml"
    assert inputs["readme"]["default"] == "README.md"
    assert inputs["token"]["default"] == "${{ github.token }}"
    assert inputs["write-interval"]["default"] == "1"
    assert set(action["outputs"]) == {"percent", "done", "total"}
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
    install = action["runs"]["steps"][0]["run"]
    assert '"$GITHUB_ACTION_PATH"' in install


def test_script_is_executable() -> None:
    # The workflow runs it as a program; git keeps the mode bit.
    assert os.access(SCRIPT, os.X_OK)


# --- the commit script against local repositories ------------------------------------------

README = """\
# My learning plan

Intro written by hand.

<!-- roadmap-sync:start -->
Progress: 10%
<!-- roadmap-sync:end -->

Footer.
"""


def git_env(home: Path) -> dict[str, str]:
    """A clean environment: no global or system git config, no GITHUB_* from an outer CI."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }


@dataclass
class Repos:
    """A bare "GitHub" remote, the job's checkout (``work``) and someone else's clone."""

    tmp: Path
    remote: Path
    work: Path
    other: Path

    def git(self, cwd: Path, *args: str) -> str:
        identity = ("-c", "user.name=Someone", "-c", "user.email=someone@example.com")
        result = subprocess.run(
            ["git", *identity, *args],
            cwd=cwd,
            env=git_env(self.tmp),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def commit_and_push(self, cwd: Path, files: dict[str, str], message: str) -> str:
        for name, text in files.items():
            path = cwd / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.git(cwd, "add", "--", *files)
        self.git(cwd, "commit", "-q", "-m", message)
        self.git(cwd, "push", "-q", "origin", "HEAD:main")
        return self.head(cwd)

    def head(self, cwd: Path, ref: str = "HEAD") -> str:
        return self.git(cwd, "rev-parse", ref).strip()

    def remote_log(self) -> list[dict[str, str]]:
        """The remote main's commits, newest first."""
        out = self.git(self.remote, "log", "--format=%H%x00%P%x00%an%x00%ae%x00%cn%x00%s", "main")
        keys = ("sha", "parents", "author", "email", "committer", "subject")
        return [dict(zip(keys, line.split("\0"), strict=True)) for line in out.splitlines()]

    def remote_file(self, name: str) -> str:
        return self.git(self.remote, "show", f"main:{name}")

    def remote_files_changed(self, sha: str) -> list[str]:
        out = self.git(self.remote, "show", "--name-only", "--format=", sha)
        return sorted(out.split())

    def run_script(self, **extra: str) -> subprocess.CompletedProcess[str]:
        env = git_env(self.tmp) | {
            "PERCENT": "42",
            "DONE": "35",
            "TOTAL": "83",
            "BRANCH": "main",
            "REMOTE": str(self.remote),
        }
        env.update(extra)
        return subprocess.run(
            ["bash", str(SCRIPT)],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )


@pytest.fixture(params=["full", "shallow"])
def repos(tmp_path: Path, request: pytest.FixtureRequest) -> Repos:
    remote = tmp_path / "remote.git"
    r = Repos(tmp_path, remote, tmp_path / "work", tmp_path / "other")
    r.git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    r.git(tmp_path, "clone", "-q", str(remote), str(seed))
    r.git(seed, "checkout", "-q", "-b", "main")
    r.commit_and_push(seed, {"README.md": "# first\n"}, "first")
    r.commit_and_push(seed, {"README.md": README, "roadmap.yaml": "title: x\n"}, "seed")
    # actions/checkout fetches one commit by default: the rebase must work from there too.
    depth = ["--depth", "1"] if request.param == "shallow" else []
    r.git(tmp_path, "clone", "-q", *depth, remote.as_uri(), str(r.work))
    shallow = r.git(r.work, "rev-parse", "--is-shallow-repository").strip()
    assert shallow == ("true" if depth else "false")
    r.git(tmp_path, "clone", "-q", str(remote), str(r.other))
    return r


def render(path: Path, percent: int) -> None:
    """What `roadmap-sync render` does to the README, in miniature: replace the section."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"Progress: \d+%", f"Progress: {percent}%", text)
    assert new != text
    path.write_text(new, encoding="utf-8")


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}{result.stderr}"


def test_no_change_no_commit(repos: Repos) -> None:
    before = repos.remote_log()
    (repos.work / "build").mkdir()  # pip's leftovers are not progress
    (repos.work / "build" / "junk.txt").write_text("x", encoding="utf-8")
    output = repos.tmp / "github_output"
    result = repos.run_script(RENDER="exit 99", GITHUB_OUTPUT=str(output))
    assert_ok(result)
    assert "nothing to commit" in result.stdout
    assert repos.remote_log() == before
    assert repos.head(repos.work) == before[0]["sha"]
    assert output.read_text(encoding="utf-8") == "pushed=false\n"


def test_changed_readme_one_commit_by_the_bot(repos: Repos) -> None:
    before = repos.remote_log()
    render(repos.work / "README.md", 42)
    badges = repos.work / ".github" / "badges"
    badges.mkdir(parents=True)
    (badges / "progress.svg").write_text("<svg>42%</svg>\n", encoding="utf-8")
    (badges / "progress.json").write_text('{"message": "42%"}\n', encoding="utf-8")
    (repos.work / "stray.txt").write_text("not ours", encoding="utf-8")  # must stay out
    output = repos.tmp / "github_output"
    result = repos.run_script(GITHUB_OUTPUT=str(output))
    assert_ok(result)

    log = repos.remote_log()
    assert len(log) == len(before) + 1
    tip = log[0]
    assert tip["subject"] == MESSAGE
    assert (tip["author"], tip["email"], tip["committer"]) == (BOT_NAME, BOT_EMAIL, BOT_NAME)
    assert tip["parents"] == before[0]["sha"]
    assert repos.remote_files_changed(tip["sha"]) == [
        ".github/badges/progress.json",
        ".github/badges/progress.svg",
        "README.md",
    ]
    assert "Progress: 42%" in repos.remote_file("README.md")
    assert output.read_text(encoding="utf-8") == "pushed=true\n"


def test_main_moved_meanwhile_rebases_and_lands_on_top(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    theirs = repos.commit_and_push(repos.other, {"notes.md": "unrelated\n"}, "someone's notes")
    # A conflict-free race must not re-render (that would cost a round of API calls).
    result = repos.run_script(RENDER="exit 99")
    assert_ok(result)
    assert "moved meanwhile" in result.stdout

    log = repos.remote_log()
    assert [c["subject"] for c in log] == [MESSAGE, "someone's notes", "seed", "first"]
    assert log[0]["parents"] == theirs
    assert log[0]["author"] == BOT_NAME
    assert repos.remote_files_changed(log[0]["sha"]) == ["README.md"]
    assert repos.remote_file("notes.md") == "unrelated\n"
    assert "Progress: 42%" in repos.remote_file("README.md")


def test_conflicting_change_resets_and_renders_again(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    # Someone else changed the same section (and the intro) meanwhile: a textual conflict.
    their_readme = README.replace("Progress: 10%", "Progress: 20%").replace(
        "Intro written by hand.", "Intro rewritten."
    )
    theirs = repos.commit_and_push(repos.other, {"README.md": their_readme}, "edit README")

    calls = repos.tmp / "render-calls"
    renderer = repos.tmp / "render.py"  # outside the checkout: not a change of ours
    renderer.write_text(
        "import pathlib, re\n"
        f"with open({str(calls)!r}, 'a') as f: f.write('x')\n"
        "p = pathlib.Path('README.md')\n"
        "p.write_text(re.sub(r'Progress: \\d+%', 'Progress: 42%', p.read_text()))\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(renderer))}"
    result = repos.run_script(RENDER=command)
    assert_ok(result)
    assert "rendering again" in result.stdout
    assert calls.read_text(encoding="utf-8") == "x"  # rendered again exactly once

    log = repos.remote_log()
    assert [c["subject"] for c in log] == [MESSAGE, "edit README", "seed", "first"]
    assert log[0]["parents"] == theirs
    assert log[0]["author"] == BOT_NAME
    readme = repos.remote_file("README.md")
    assert "Intro rewritten." in readme  # their edit kept
    assert "Progress: 42%" in readme  # our render on top of it
    assert repos.git(repos.work, "status", "--porcelain") == ""


def test_conflict_without_render_command_fails(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    conflicting = README.replace("Progress: 10%", "Progress: 20%")
    theirs = repos.commit_and_push(repos.other, {"README.md": conflicting}, "edit README")
    result = repos.run_script()
    assert result.returncode == 1
    assert "RENDER is not set" in result.stderr
    assert repos.remote_log()[0]["sha"] == theirs


def test_remote_already_has_the_same_progress(repos: Repos) -> None:
    # Another run pushed the very same render first: our commit becomes empty and is dropped.
    render(repos.work / "README.md", 42)
    same = README.replace("Progress: 10%", "Progress: 42%")
    theirs = repos.commit_and_push(repos.other, {"README.md": same}, "the other run")
    result = repos.run_script(RENDER="exit 99")
    assert_ok(result)
    assert "already up to date" in result.stdout
    assert repos.remote_log()[0]["sha"] == theirs


def test_gives_up_after_max_attempts(repos: Repos) -> None:
    hook = repos.remote / "hooks" / "pre-receive"
    count = repos.tmp / "pushes"
    hook.write_text(f"#!/bin/sh\necho x >> {shlex.quote(str(count))}\nexit 1\n")
    hook.chmod(0o755)
    render(repos.work / "README.md", 42)
    result = repos.run_script(MAX_ATTEMPTS="3")
    assert result.returncode == 1
    assert "after 3 attempts" in result.stderr
    assert count.read_text().count("x") == 3


def test_missing_outputs_fail_loudly(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    result = repos.run_script(PERCENT="")
    assert result.returncode != 0
    assert "PERCENT is required" in result.stderr


# --- the token reaches git only through the credential helper ------------------------------


class _AuthRecorder(http.server.BaseHTTPRequestHandler):
    """Asks for Basic auth, records what git sends, then refuses: enough to see the token
    travel without any real server."""

    seen: list[str]

    def do_GET(self) -> None:
        header = self.headers.get("Authorization")
        if header is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="fake"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.seen.append(header)
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def auth_server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_AuthRecorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_token_is_sent_by_the_credential_helper_and_never_printed(
    repos: Repos, auth_server: tuple[str, list[str]]
) -> None:
    url, seen = auth_server
    token = "ghs_secretTOKEN1234567890"
    render(repos.work / "README.md", 42)
    env = git_env(repos.tmp) | {
        "PERCENT": "42",
        "DONE": "35",
        "TOTAL": "83",
        "BRANCH": "main",
        "GITHUB_SERVER_URL": url,
        "GITHUB_REPOSITORY": "me/plan",
        "GITHUB_TOKEN": token,
        "MAX_ATTEMPTS": "1",
    }
    result = subprocess.run(
        ["bash", "-x", str(SCRIPT)],  # even traced, the token must not show
        cwd=repos.work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1  # the fake refuses the push
    expected = "Basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode()
    assert expected in seen
    assert token not in result.stdout
    assert token not in result.stderr
