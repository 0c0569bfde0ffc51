"""The workflows and the composite action, read as data; their scripts against local repos.

The YAML checks pin down the security properties (least permissions, pinned actions, no
template injection) so a later edit cannot quietly lose them, and that CI runs the README's
commands word for word. The commit script runs for real against a bare repository in tmp_path
standing in for GitHub, with a second clone playing whoever else pushes meanwhile; the pull
request script runs against a fake `gh` that keeps pull requests in a JSON file.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import re
import shlex
import shutil
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
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "roadmap.yml"
CI = WORKFLOWS / "ci.yml"
RELEASE = WORKFLOWS / "release.yml"
ACTION = ROOT / "action.yml"
# The progress scripts ship in the package (init copies them into a learner's repository);
# the release's own check stays in .github/scripts.
SCRIPTS = ROOT / "roadmap_sync" / "cli" / "workflow"
SCRIPT = SCRIPTS / "commit-progress.sh"
OPEN_PR = SCRIPTS / "open-pull-request.sh"
README_TEXT = (ROOT / "README.md").read_text(encoding="utf-8")

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898283+github-actions[bot]@users.noreply.github.com"
MESSAGE = "roadmap: 35/83 · 42%"
PR_BRANCH = "roadmap-sync/progress"
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
    """Every step of every workflow's jobs and of the composite action, with where it is."""
    steps = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job_name, job in load(path)["jobs"].items():
            steps += [(f"{path.name}:{job_name}", step) for step in job["steps"]]
    steps += [("action.yml", step) for step in load(ACTION)["runs"]["steps"]]
    return steps


def step(job: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [s for s in job["steps"] if s.get("name") == name]
    return found


def run_lines(step: dict[str, Any]) -> list[str]:
    return str(step["run"]).strip().splitlines()


def bash() -> str:
    """Git's bash: on Windows, `bash` alone can be WSL's launcher in System32."""
    if os.name == "nt":
        git = shutil.which("git")
        assert git is not None
        return str(Path(git).resolve().parents[1] / "bin" / "bash.exe")
    return "bash"


def outputs(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file as a dict (the last value of a name wins, as on GitHub)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def test_the_workflows_are_exactly_these() -> None:
    # .ci/run checks .github/workflows/*.yml; this says which files that is.
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["ci.yml", "release.yml", "roadmap.yml"]


# --- the roadmap workflow, read as data ----------------------------------------------------


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


def test_dispatch_offers_a_choice_of_command_and_commit_mode() -> None:
    inputs = triggers(load(WORKFLOW))["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"command", "commit"}
    assert inputs["command"]["type"] == "choice"
    assert inputs["command"]["options"] == ["sync-and-render", "render"]
    assert inputs["command"]["default"] == "sync-and-render"
    assert inputs["commit"]["type"] == "choice"
    assert inputs["commit"]["options"] == ["default", "push", "pull-request", "none"]
    assert inputs["commit"]["default"] == "default"


def test_permissions_per_job_and_pull_requests_only_in_their_job() -> None:
    workflow = load(WORKFLOW)
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert set(jobs) == {"roadmap", "pull-request"}
    assert jobs["roadmap"]["permissions"] == {"contents": "write", "issues": "write"}
    assert jobs["pull-request"]["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_the_pull_request_job_runs_only_in_pull_request_mode_with_a_proposal() -> None:
    jobs = load(WORKFLOW)["jobs"]
    job = jobs["pull-request"]
    assert job["needs"] == "roadmap"
    assert job["if"] == (
        "needs.roadmap.outputs.commit == 'pull-request' && needs.roadmap.outputs.proposed == 'true'"
    )
    assert jobs["roadmap"]["outputs"] == {
        "commit": "${{ steps.choose.outputs.commit }}",
        "proposed": "${{ steps.commit.outputs.proposed }}",
        "message": "${{ steps.commit.outputs.message }}",
    }
    opener = step(job, "Open or update the pull request")
    assert opener["run"] == "roadmap_sync/cli/workflow/open-pull-request.sh"
    assert opener["env"] == {
        "GH_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
        "TITLE": "${{ needs.roadmap.outputs.message }}",
        "BASE": "${{ github.ref_name }}",
    }
    assert [s.get("uses", s.get("run")) for s in job["steps"]] == [
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
        "roadmap_sync/cli/workflow/open-pull-request.sh",
    ]


def test_concurrency_serialises_without_cancelling() -> None:
    concurrency = load(WORKFLOW)["concurrency"]
    assert concurrency["group"] == "roadmap-sync-${{ github.repository }}"
    assert concurrency["cancel-in-progress"] is False


def choose(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the workflow's "Choose" step as GitHub would: its env, bash, a GITHUB_OUTPUT file."""
    chooser = step(load(WORKFLOW)["jobs"]["roadmap"], "Choose the command and the commit mode")
    assert set(chooser["env"]) == {
        "EVENT",
        "DISPATCH_COMMAND",
        "DISPATCH_COMMIT",
        "VARIABLE_COMMIT",
    }
    assert chooser["env"]["DISPATCH_COMMIT"] == "${{ inputs.commit }}"
    assert chooser["env"]["VARIABLE_COMMIT"] == "${{ vars.ROADMAP_SYNC_COMMIT }}"
    # An unset variable or input arrives as an empty string.
    values = {"EVENT": "", "DISPATCH_COMMAND": "", "DISPATCH_COMMIT": "", "VARIABLE_COMMIT": ""}
    values.update(env)
    script = tmp_path / "choose.sh"
    script.write_text(chooser["run"], encoding="utf-8")
    return subprocess.run(
        [bash(), "-e", str(script)],
        env={"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(tmp_path / "out"), **values},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "command", "commit"),
    [
        ({"EVENT": "schedule"}, "sync-and-render", "push"),
        ({"EVENT": "issues"}, "render", "push"),
        ({"EVENT": "push", "VARIABLE_COMMIT": "pull-request"}, "sync-and-render", "pull-request"),
        ({"EVENT": "issues", "VARIABLE_COMMIT": "none"}, "render", "none"),
        (
            {"EVENT": "workflow_dispatch", "DISPATCH_COMMAND": "render"}
            | {"DISPATCH_COMMIT": "default", "VARIABLE_COMMIT": "pull-request"},
            "render",
            "pull-request",
        ),
        (
            {"EVENT": "workflow_dispatch", "DISPATCH_COMMAND": "sync-and-render"}
            | {"DISPATCH_COMMIT": "push", "VARIABLE_COMMIT": "pull-request"},
            "sync-and-render",
            "push",
        ),
        (
            {"EVENT": "workflow_dispatch", "DISPATCH_COMMAND": "render"}
            | {"DISPATCH_COMMIT": "none"},
            "render",
            "none",
        ),
    ],
)
def test_the_commit_mode_is_the_variable_unless_a_run_by_hand_says(
    tmp_path: Path, env: dict[str, str], command: str, commit: str
) -> None:
    result = choose(tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs(tmp_path / "out") == {"command": command, "commit": commit}


def test_an_unknown_commit_mode_fails_before_anything_runs(tmp_path: Path) -> None:
    result = choose(tmp_path, EVENT="schedule", VARIABLE_COMMIT="pr")
    assert result.returncode == 1
    assert result.stdout == (
        "::error::ROADMAP_SYNC_COMMIT must be push, pull-request or none, not: pr\n"
    )
    assert outputs(tmp_path / "out") == {}


@pytest.mark.parametrize("path", [WORKFLOW, CI, RELEASE, ACTION], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_sha_with_its_version(path: Path) -> None:
    uses_lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    remote = [line for line in uses_lines if not re.search(r"uses:\s*\./", line)]
    for line in remote:
        if line.lstrip().startswith("#"):
            continue  # the usage example in action.yml's header
        assert re.search(r"uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\s*$", line), (
            f"{path.name}: not pinned to a full commit SHA with a # vX.Y.Z comment: {line.strip()}"
        )
    if path != ACTION:
        assert len(remote) >= 2  # checkout and setup-python at least


def test_one_version_per_action_everywhere() -> None:
    # The same action at two commits would be two things to review and update.
    pins: dict[str, set[str]] = {}
    for _, s in all_steps():
        if "uses" in s and not s["uses"].startswith("./"):
            name, sha = s["uses"].split("@")
            pins.setdefault(name, set()).add(sha)
    assert pins == {
        "actions/checkout": {"11bd71901bbe5b1630ceea73d27597364c9af683"},
        "actions/setup-python": {"a26af69be951a213d495a4c3e4e4022e16d87065"},
        "actions/upload-artifact": {"ea165f8d65b6e75b540449e92b4886f43607fa02"},
        "actions/download-artifact": {"d3f86a106a0bac45b974a628896c90dbdf5c8093"},
        "pypa/gh-action-pypi-publish": {"76f52bc884231f62b9a034ebfe128415bbaabdfc"},
    }


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
    assert len(checkouts) == 4  # roadmap, pull-request, ci, release's build
    for s in checkouts:
        assert s["with"]["persist-credentials"] is False


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
    jobs = load(WORKFLOW)["jobs"]
    steps = jobs["roadmap"]["steps"]
    with_token = {s["name"] for s in steps if "GITHUB_TOKEN" in s.get("env", {})}
    assert with_token == {
        "Sync issues with roadmap.yaml",
        "Render progress into the README",
        "Commit the progress if it changed",
    }
    for s in steps:
        if "GITHUB_TOKEN" in s.get("env", {}):
            assert s["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    with_gh_token = {s["name"] for s in jobs["pull-request"]["steps"] if "env" in s}
    assert with_gh_token == {"Open or update the pull request"}


def test_commit_step_builds_the_message_from_render_outputs_in_the_chosen_mode() -> None:
    commit = step(load(WORKFLOW)["jobs"]["roadmap"], "Commit the progress if it changed")
    assert commit["run"] == "roadmap_sync/cli/workflow/commit-progress.sh"
    assert commit["id"] == "commit"
    assert commit["if"] == "steps.choose.outputs.commit != 'none'"
    env = commit["env"]
    assert env["MODE"] == "${{ steps.choose.outputs.commit }}"
    assert env["PERCENT"] == "${{ steps.render.outputs.percent }}"
    assert env["DONE"] == "${{ steps.render.outputs.done }}"
    assert env["TOTAL"] == "${{ steps.render.outputs.countable }}"
    assert env["BRANCH"] == "${{ github.ref_name }}"
    assert env["COMMIT_PATHS"] == "README.md .github/badges"
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
    # "false" before the modes: the same behaviour under its new name.
    assert inputs["commit"]["default"] == "none"
    assert set(action["outputs"]) == {"percent", "done", "total", "countable"}
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
    install = action["runs"]["steps"][0]["run"]
    assert '"$GITHUB_ACTION_PATH"' in install


def test_action_commits_and_proposes_in_its_mode() -> None:
    steps = {s["name"]: s for s in load(ACTION)["runs"]["steps"]}
    commit = steps["Commit the progress if it changed"]
    assert commit["if"] == "steps.run.outputs.commit != 'none'"
    assert commit["env"]["MODE"] == "${{ steps.run.outputs.commit }}"
    opener = steps["Open or update the pull request"]
    assert opener["if"] == (
        "steps.run.outputs.commit == 'pull-request' && steps.commit.outputs.proposed == 'true'"
    )
    assert opener["env"] == {
        "GH_TOKEN": "${{ inputs.token }}",
        "TITLE": "${{ steps.commit.outputs.message }}",
        "BASE": "${{ github.ref_name }}",
    }
    assert (
        opener["run"].strip()
        == '"$GITHUB_ACTION_PATH/roadmap_sync/cli/workflow/open-pull-request.sh"'
    )


@pytest.mark.parametrize(
    ("command", "commit", "mode"),
    [
        ("sync-and-render", "push", "push"),
        ("sync-and-render", "true", "push"),
        ("render", "pull-request", "pull-request"),
        ("render", "none", "none"),
        ("sync-and-render", "false", "none"),
        ("sync", "push", "none"),  # nothing rendered: nothing to commit
    ],
)
def test_action_resolves_the_commit_mode_and_its_old_values(
    tmp_path: Path, command: str, commit: str, mode: str
) -> None:
    result, calls = run_action_step(tmp_path, COMMAND=command, COMMIT=commit)
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs(tmp_path / "out") == {"commit": mode}
    expected = {
        "sync-and-render": [
            "sync --roadmap roadmap.yaml",
            "render --roadmap roadmap.yaml --readme README.md",
        ],
        "render": ["render --roadmap roadmap.yaml --readme README.md"],
        "sync": ["sync --roadmap roadmap.yaml"],
    }[command]
    assert calls == expected


def test_action_refuses_an_unknown_commit_mode_before_running_anything(tmp_path: Path) -> None:
    result, calls = run_action_step(tmp_path, COMMAND="sync-and-render", COMMIT="yes")
    assert result.returncode == 1
    assert result.stdout == "::error::commit must be push, pull-request or none, not: yes\n"
    assert calls == []


def run_action_step(
    tmp_path: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The action's "Run roadmap-sync" step, with a stand-in CLI that records its arguments."""
    (run_step,) = [s for s in load(ACTION)["runs"]["steps"] if s.get("id") == "run"]
    calls = tmp_path / "calls"
    cli = tmp_path / "roadmap-sync"
    cli.write_text(f'#!/usr/bin/env bash\necho "$*" >> "{calls.as_posix()}"\n', encoding="utf-8")
    cli.chmod(0o755)
    script = tmp_path / "run.sh"
    script.write_text(run_step["run"], encoding="utf-8")
    values = {
        "PATH": os.environ["PATH"],
        "ROADMAP_SYNC": cli.as_posix(),
        "ROADMAP": "roadmap.yaml",
        "README": "README.md",
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        **env,
    }
    result = subprocess.run(
        [bash(), "-e", str(script)], env=values, capture_output=True, text=True, check=False
    )
    lines = calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []
    return result, lines


@pytest.mark.parametrize(
    "script",
    sorted([*SCRIPTS.glob("*.sh"), *(ROOT / ".github" / "scripts").glob("*.sh")]),
    ids=lambda p: p.name,
)
def test_scripts_are_executable(script: Path) -> None:
    # The workflows run them as programs; git keeps the mode bit.
    assert os.access(script, os.X_OK)


# --- ci.yml: the README's commands on three systems ----------------------------------------


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", README_TEXT, re.S)


def powershell_of(posix: str) -> str:
    """The README's POSIX one-liner as Windows PowerShell 5 must say it: `py` for python3,
    `.venv\\Scripts\\` for `.venv/bin/`, and `&&` as nested `if ($?) { … }`, so the first
    failure stops the chain (a flat `; if ($?) {…}` would go on after a skipped block)."""
    parts = [
        part.strip()
        .replace("python3 -m venv", "py -m venv")
        .replace(".venv/bin/", ".venv\\Scripts\\")
        for part in posix.split("&&")
    ]
    text = parts[-1]
    for part in reversed(parts[:-1]):
        text = f"{part}; if ($?) {{ {text} }}"
    return text


def test_the_readme_gives_windows_the_same_two_commands() -> None:
    main_job, tests = readme_blocks("sh")[:2]
    assert readme_blocks("powershell") == [powershell_of(main_job), powershell_of(tests)]
    assert powershell_of(tests) == (
        "py -m venv .venv; if ($?) { .venv\\Scripts\\pip install --quiet -e '.[test]'; "
        "if ($?) { .venv\\Scripts\\python -m pytest -n 2 } }"
    )


def test_ci_triggers_and_permissions() -> None:
    ci = load(CI)
    assert triggers(ci) == {"push": None, "pull_request": None}
    assert ci["permissions"] == {"contents": "read"}
    (job,) = ci["jobs"].values()
    assert "permissions" not in job
    assert job["strategy"] == {
        "fail-fast": False,
        "matrix": {
            "os": ["ubuntu-latest", "macos-latest", "windows-latest"],
            "python": ["3.10", "3.13"],
        },
    }
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["env"] == {"PY_PYTHON": "${{ matrix.python }}"}
    setup = step(job, "Set up Python")
    assert setup["with"]["python-version"] == "${{ matrix.python }}"


def test_ci_runs_the_readme_commands_word_for_word() -> None:
    (job,) = load(CI)["jobs"].values()
    main_job, tests = readme_blocks("sh")[:2]
    win_main_job, win_tests = readme_blocks("powershell")[:2]
    posix_main = step(job, "The README's main job (Linux, macOS)")
    windows_main = step(job, "The README's main job (Windows)")
    posix_tests = step(job, "The README's test command (Linux, macOS)")
    windows_tests = step(job, "The README's test command (Windows)")
    for s in (posix_main, posix_tests):
        assert (s["if"], s["shell"]) == ("runner.os != 'Windows'", "bash")
    for s in (windows_main, windows_tests):
        assert (s["if"], s["shell"]) == ("runner.os == 'Windows'", "powershell")
    # Inside Actions the CLI would pick this repository from GITHUB_REPOSITORY; the
    # Quickstart is the local tracker's, so the main job first forgets where it runs.
    assert run_lines(posix_main) == ["unset GITHUB_REPOSITORY GITHUB_ACTIONS", main_job]
    assert run_lines(windows_main) == [
        "Remove-Item Env:GITHUB_REPOSITORY, Env:GITHUB_ACTIONS",
        win_main_job,
    ]
    assert run_lines(posix_tests) == [tests]
    assert run_lines(windows_tests) == [win_tests]
    # The same last line as .ci/run (tests/test_docs.py holds that one to the README too).
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_run[-1] == tests
    names = [s.get("name") for s in job["steps"]]
    assert names.index("Check that the README's commands get this Python") < names.index(
        "The README's main job (Linux, macOS)"
    )
    assert names[-4:] == [
        "The README's main job (Linux, macOS)",
        "The README's main job (Windows)",
        "The README's test command (Linux, macOS)",
        "The README's test command (Windows)",
    ]


def test_ci_keeps_lf_line_endings_before_the_checkout() -> None:
    (job,) = load(CI)["jobs"].values()
    first, second = job["steps"][:2]
    assert first["run"] == "git config --global core.autocrlf false"
    assert second["uses"].startswith("actions/checkout@")


def test_ci_run_checks_every_workflow_and_the_action() -> None:
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert (
        ".venv/bin/zizmor --offline --min-severity medium .github/workflows/ action.yml" in ci_run
    )
    assert (
        ".venv/bin/check-jsonschema --builtin-schema vendor.github-workflows "
        ".github/workflows/*.yml" in ci_run
    )
    assert ".venv/bin/check-jsonschema --builtin-schema vendor.github-actions action.yml" in ci_run
    assert ".venv/bin/shellcheck .github/scripts/*.sh roadmap_sync/cli/workflow/*.sh" in ci_run


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
    depth: list[str]

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

    def checkout(self, name: str) -> Path:
        """A new job's checkout of the remote's main, as deep as the first one."""
        path = self.tmp / name
        self.git(self.tmp, "clone", "-q", *self.depth, self.remote.as_uri(), str(path))
        return path

    def remote_refs(self) -> dict[str, str]:
        out = self.git(self.remote, "for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split() for line in out.splitlines())

    def remote_log(self, ref: str = "main") -> list[dict[str, str]]:
        """The remote branch's commits, newest first."""
        out = self.git(self.remote, "log", "--format=%H%x00%P%x00%an%x00%ae%x00%cn%x00%s", ref)
        keys = ("sha", "parents", "author", "email", "committer", "subject")
        return [dict(zip(keys, line.split("\0"), strict=True)) for line in out.splitlines()]

    def remote_file(self, name: str, ref: str = "main") -> str:
        return self.git(self.remote, "show", f"{ref}:{name}")

    def remote_files_changed(self, sha: str) -> list[str]:
        out = self.git(self.remote, "show", "--name-only", "--format=", sha)
        return sorted(out.split())

    def run_script(self, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
        env = git_env(self.tmp) | {
            "PERCENT": "42",
            "DONE": "35",
            "TOTAL": "83",
            "BRANCH": "main",
            "REMOTE": str(self.remote),
        }
        env.update(extra)
        return subprocess.run(
            [bash(), str(SCRIPT)],
            cwd=cwd or self.work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )


@pytest.fixture(params=["full", "shallow"])
def repos(tmp_path: Path, request: pytest.FixtureRequest) -> Repos:
    remote = tmp_path / "remote.git"
    # actions/checkout fetches one commit by default: the rebase must work from there too.
    depth = ["--depth", "1"] if request.param == "shallow" else []
    r = Repos(tmp_path, remote, tmp_path / "work", tmp_path / "other", depth)
    r.git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    r.git(tmp_path, "clone", "-q", str(remote), str(seed))
    r.git(seed, "checkout", "-q", "-b", "main")
    r.commit_and_push(seed, {"README.md": "# first\n"}, "first")
    r.commit_and_push(seed, {"README.md": README, "roadmap.yaml": "title: x\n"}, "seed")
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


# --- pull-request mode: the branch roadmap-sync/progress, one commit on main's tip -----------


def propose(
    repos: Repos, cwd: Path | None = None, **extra: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The commit script in pull-request mode; its result and its step outputs."""
    output = (cwd or repos.work).parent / f"{(cwd or repos.work).name}-output"
    result = repos.run_script(cwd, MODE="pull-request", GITHUB_OUTPUT=str(output), **extra)
    return result, outputs(output)


def assert_one_bot_commit_on(repos: Repos, base: str, subject: str = MESSAGE) -> dict[str, str]:
    """The branch is exactly one commit by the bot whose parent is ``base``: no pile-up."""
    branch = repos.remote_log(PR_BRANCH)
    tip = branch[0]
    assert tip["parents"] == base
    assert [c["sha"] for c in branch[1:]] == [c["sha"] for c in repos.remote_log(base)]
    assert tip["subject"] == subject
    assert (tip["author"], tip["email"], tip["committer"]) == (BOT_NAME, BOT_EMAIL, BOT_NAME)
    return tip


def test_pr_mode_no_change_pushes_nothing(repos: Repos) -> None:
    before = repos.remote_refs()
    result, out = propose(repos, RENDER="exit 99")
    assert_ok(result)
    assert "nothing to commit" in result.stdout
    assert repos.remote_refs() == before  # no branch, main untouched
    assert out == {"pushed": "false", "proposed": "false"}


def test_pr_mode_a_change_creates_the_branch_from_mains_tip_with_one_bot_commit(
    repos: Repos,
) -> None:
    main = repos.remote_log()
    render(repos.work / "README.md", 42)
    badges = repos.work / ".github" / "badges"
    badges.mkdir(parents=True)
    (badges / "progress.svg").write_text("<svg>42%</svg>\n", encoding="utf-8")
    (repos.work / "stray.txt").write_text("not ours", encoding="utf-8")  # must stay out
    result, out = propose(repos, RENDER="exit 99")
    assert_ok(result)
    assert f'pushed "{MESSAGE}" to {PR_BRANCH}, on top of main' in result.stdout

    assert repos.remote_log() == main  # main itself is never pushed to
    tip = assert_one_bot_commit_on(repos, main[0]["sha"])
    assert repos.remote_files_changed(tip["sha"]) == [".github/badges/progress.svg", "README.md"]
    assert "Progress: 42%" in repos.remote_file("README.md", PR_BRANCH)
    assert out == {"message": MESSAGE, "pushed": "true", "proposed": "true"}


def test_pr_mode_the_same_progress_again_pushes_nothing(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    assert_ok(propose(repos)[0])
    first = repos.remote_refs()

    # The next run: a new checkout, the same render, another moment. The commit is the same
    # one (its dates are those of main's tip, whatever the clock says), so nothing moves.
    later = repos.checkout("later")
    render(later / "README.md", 42)
    result, out = propose(
        repos,
        later,
        GIT_AUTHOR_DATE="2031-05-06T07:08:09+00:00",
        GIT_COMMITTER_DATE="2031-05-06T07:08:09+00:00",
    )
    assert_ok(result)
    assert f"{PR_BRANCH} already proposes" in result.stdout
    assert repos.remote_refs() == first
    # Still proposed: the pull request job makes sure one is open (reopening after a close).
    assert out == {"message": MESSAGE, "pushed": "false", "proposed": "true"}


def test_pr_mode_a_later_change_replaces_the_commit_instead_of_piling_up(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    assert_ok(propose(repos)[0])
    later = repos.checkout("later")
    render(later / "README.md", 50)
    result, out = propose(repos, later, PERCENT="50", DONE="41")
    assert_ok(result)
    assert out["pushed"] == "true"
    main = repos.remote_log()
    assert_one_bot_commit_on(repos, main[0]["sha"], "roadmap: 41/83 · 50%")
    assert "Progress: 50%" in repos.remote_file("README.md", PR_BRANCH)
    assert len(repos.remote_log(PR_BRANCH)) == len(main) + 1


def test_pr_mode_main_moved_since_the_last_run_rebuilds_the_branch_on_it(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    assert_ok(propose(repos)[0])
    theirs = repos.commit_and_push(repos.other, {"notes.md": "unrelated\n"}, "someone's notes")
    later = repos.checkout("later")
    render(later / "README.md", 42)  # the same progress, on a newer main
    result, out = propose(repos, later, RENDER="exit 99")
    assert_ok(result)
    assert out["pushed"] == "true"
    tip = assert_one_bot_commit_on(repos, theirs)
    assert repos.remote_files_changed(tip["sha"]) == ["README.md"]
    assert repos.remote_file("notes.md", PR_BRANCH) == "unrelated\n"


def test_pr_mode_main_moved_while_rendering_builds_on_the_new_tip(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    theirs = repos.commit_and_push(repos.other, {"notes.md": "unrelated\n"}, "someone's notes")
    # A conflict-free race must not re-render (that would cost a round of API calls).
    result, out = propose(repos, RENDER="exit 99")
    assert_ok(result)
    assert out["pushed"] == "true"
    tip = assert_one_bot_commit_on(repos, theirs)
    assert repos.remote_files_changed(tip["sha"]) == ["README.md"]
    assert repos.remote_log()[0]["sha"] == theirs


def test_pr_mode_a_conflict_renders_again_on_the_tip(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    their_readme = README.replace("Progress: 10%", "Progress: 20%").replace(
        "Intro written by hand.", "Intro rewritten."
    )
    theirs = repos.commit_and_push(repos.other, {"README.md": their_readme}, "edit README")
    renderer = repos.tmp / "render.py"
    renderer.write_text(
        "import pathlib, re\n"
        "p = pathlib.Path('README.md')\n"
        "p.write_text(re.sub(r'Progress: \\d+%', 'Progress: 42%', p.read_text()))\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(Path(sys.executable).as_posix())} {shlex.quote(renderer.as_posix())}"
    result, out = propose(repos, RENDER=command)
    assert_ok(result)
    assert "rendering again" in result.stdout
    assert out["pushed"] == "true"
    assert_one_bot_commit_on(repos, theirs)
    readme = repos.remote_file("README.md", PR_BRANCH)
    assert "Intro rewritten." in readme  # their edit kept
    assert "Progress: 42%" in readme  # our render on top of it
    assert repos.remote_log()[0]["sha"] == theirs


def test_pr_mode_when_main_already_has_the_progress_there_is_nothing_to_propose(
    repos: Repos,
) -> None:
    render(repos.work / "README.md", 42)
    same = README.replace("Progress: 10%", "Progress: 42%")
    repos.commit_and_push(repos.other, {"README.md": same}, "rendered locally")
    before = repos.remote_refs()
    result, out = propose(repos, RENDER="exit 99")
    assert_ok(result)
    assert "main already has this progress: nothing to propose" in result.stdout
    assert repos.remote_refs() == before
    assert out == {"pushed": "false", "proposed": "false"}


def test_pr_mode_gives_up_after_max_attempts(repos: Repos) -> None:
    hook = repos.remote / "hooks" / "pre-receive"
    count = repos.tmp / "pushes"
    hook.write_text(f"#!/bin/sh\necho x >> {shlex.quote(count.as_posix())}\nexit 1\n")
    hook.chmod(0o755)
    render(repos.work / "README.md", 42)
    result, _ = propose(repos, MAX_ATTEMPTS="3")
    assert result.returncode == 1
    assert f"could not push the progress to {PR_BRANCH} after 3 attempts" in result.stderr
    assert count.read_text().count("x") == 3
    assert PR_BRANCH not in "".join(repos.remote_refs())


def test_an_unknown_mode_is_refused(repos: Repos) -> None:
    render(repos.work / "README.md", 42)
    before = repos.remote_refs()
    result = repos.run_script(MODE="pr")
    assert result.returncode == 2
    assert result.stderr == "commit-progress: MODE must be push or pull-request, not: pr\n"
    assert repos.remote_refs() == before


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
        [bash(), "-x", str(SCRIPT)],  # even traced, the token must not show
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


# --- the pull request: one per branch, through a fake gh -----------------------------------

FAKE_GH = r"""
import json, os, sys

state_path = os.environ["FAKE_GH_STATE"]
with open(state_path, encoding="utf-8") as f:
    state = json.load(f)
args = sys.argv[1:]
state["calls"].append(args)


def option(name):
    return args[args.index(name) + 1]


def url(number):
    return f"https://github.com/{option('--repo')}/pull/{number}"


def find(head, base):
    return [p for p in state["pulls"] if (p["head"], p["base"], p["state"]) == (head, base, "open")]


code = 0
if args[:2] == ["pr", "list"]:
    # The one query the script makes; its --jq program is GitHub's, applied here by hand.
    assert args[args.index("--state") + 1] == "open"
    assert option("--json") == "number,url"
    assert option("--jq") == '.[0] | select(.) | "\\(.number) \\(.url)"'
    for pull in find(option("--head"), option("--base"))[:1]:
        print(pull["number"], url(pull["number"]))
elif args[:2] == ["pr", "create"]:
    if os.environ.get("FAKE_GH_FORBID"):
        print("pull request create failed: GraphQL: GitHub Actions is not permitted to create "
              "or approve pull requests (createPullRequest)", file=sys.stderr)
        code = 1
    elif find(option("--head"), option("--base")):
        # GitHub's own rule: one open pull request per head and base.
        print("a pull request for branch already exists", file=sys.stderr)
        code = 1
    else:
        number = len(state["pulls"]) + 1
        state["pulls"].append({"number": number, "head": option("--head"),
                               "base": option("--base"), "state": "open",
                               "title": option("--title"), "body": option("--body")})
        print(url(number))
elif args[:2] == ["pr", "edit"]:
    (pull,) = [p for p in state["pulls"] if p["number"] == int(args[2])]
    pull["title"], pull["body"] = option("--title"), option("--body")
    print(url(pull["number"]))
else:
    print("fake gh: unexpected call", args, file=sys.stderr)
    code = 2
with open(state_path, "w", encoding="utf-8") as f:
    json.dump(state, f)
sys.exit(code)
"""


@dataclass
class FakeGitHubCLI:
    """A `gh` on PATH that keeps pull requests in a JSON file, and the script's runner."""

    tmp: Path
    state: Path

    def pulls(self) -> list[dict[str, Any]]:
        return list(json.loads(self.state.read_text(encoding="utf-8"))["pulls"])

    def calls(self) -> list[list[str]]:
        return list(json.loads(self.state.read_text(encoding="utf-8"))["calls"])

    def seed(self, *pulls: dict[str, Any]) -> None:
        self.state.write_text(json.dumps({"pulls": list(pulls), "calls": []}), encoding="utf-8")

    def run(self, **extra: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
        output = self.tmp / "pr-output"
        output.unlink(missing_ok=True)
        env = git_env(self.tmp) | {
            "PATH": os.pathsep.join([str(self.tmp / "bin"), os.environ.get("PATH", "")]),
            "FAKE_GH_STATE": str(self.state),
            "GH_TOKEN": "ghs_fake",
            "REPO": "me/plan",
            "BASE": "main",
            "TITLE": MESSAGE,
            "GITHUB_OUTPUT": str(output),
        }
        env.update(extra)
        result = subprocess.run(
            [bash(), str(OPEN_PR)],
            cwd=self.tmp,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        return result, outputs(output)


@pytest.fixture
def gh(tmp_path: Path) -> FakeGitHubCLI:
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "fake_gh.py"
    fake.write_text(FAKE_GH, encoding="utf-8")
    wrapper = tmp_path / "bin" / "gh"
    python = Path(sys.executable).as_posix()
    wrapper.write_text(f'#!/usr/bin/env bash\nexec "{python}" "{fake.as_posix()}" "$@"\n')
    wrapper.chmod(0o755)
    cli = FakeGitHubCLI(tmp_path, tmp_path / "gh-state.json")
    cli.seed()
    return cli


def pull(number: int, state: str = "open", head: str = PR_BRANCH) -> dict[str, Any]:
    return {"number": number, "head": head, "base": "main", "state": state}


def test_opens_a_pull_request_when_none_is_open(gh: FakeGitHubCLI) -> None:
    gh.seed(pull(1, head="feature"))  # someone else's pull request: not ours
    result, out = gh.run()
    assert_ok(result)
    assert result.stdout == f"opened pull request #2: {MESSAGE}\n"
    assert out == {
        "action": "created",
        "number": "2",
        "url": "https://github.com/me/plan/pull/2",
    }
    ours = gh.pulls()[1]
    assert (ours["head"], ours["base"], ours["state"], ours["title"]) == (
        PR_BRANCH,
        "main",
        "open",
        MESSAGE,
    )
    assert "Merge it to publish the progress on `main`." in ours["body"]
    assert [call[:2] for call in gh.calls()] == [["pr", "list"], ["pr", "create"]]


def test_updates_the_open_one_and_never_opens_a_second(gh: FakeGitHubCLI) -> None:
    gh.seed(pull(7))
    for done, percent in ((35, 43), (36, 44)):
        result, out = gh.run(TITLE=f"roadmap: {done}/83 · {percent}%")
        assert_ok(result)
        assert result.stdout == f"updated pull request #7: roadmap: {done}/83 · {percent}%\n"
        assert out == {
            "action": "updated",
            "number": "7",
            "url": "https://github.com/me/plan/pull/7",
        }
    (only,) = gh.pulls()
    assert only["title"] == "roadmap: 36/83 · 44%"
    assert [call[:3] for call in gh.calls()] == [
        ["pr", "list", "--repo"],
        ["pr", "edit", "7"],
        ["pr", "list", "--repo"],
        ["pr", "edit", "7"],
    ]


@pytest.mark.parametrize("previous", ["merged", "closed"])
def test_a_new_one_once_the_previous_was_merged_or_closed(gh: FakeGitHubCLI, previous: str) -> None:
    gh.seed(pull(1, state=previous))
    result, out = gh.run()
    assert_ok(result)
    assert out["action"] == "created"
    assert [(p["number"], p["state"]) for p in gh.pulls()] == [(1, previous), (2, "open")]


def test_without_the_setting_the_error_names_it(gh: FakeGitHubCLI) -> None:
    result, out = gh.run(FAKE_GH_FORBID="1")
    assert result.returncode == 1
    assert "not permitted to create or approve pull requests" in result.stderr
    assert (
        "::error::allow it under Settings → Actions → General → Workflow permissions: "
        '"Allow GitHub Actions to create and approve pull requests"\n'
    ) in result.stderr
    assert out == {}
    assert gh.pulls() == []


def test_the_pull_request_script_needs_a_token(gh: FakeGitHubCLI) -> None:
    result, _ = gh.run(GH_TOKEN="")
    assert result.returncode == 2
    assert result.stderr == "open-pull-request: GH_TOKEN is required\n"
    assert gh.calls() == []
