"""`roadmap-sync validate` and the CLI's contract: exit codes, streams, help and version."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_sync import __version__
from roadmap_sync.cli.app import main

VALID = """\
title: My Roadmap
phases:
  - name: Foundations
    topics:
      - title: Python
      - title: Git
    projects:
      - title: Build a CLI
  - name: Next
    topics:
      - title: Rust
"""

# Five different problems, on lines 2, 3, 6, 9 and 10.
INVALID = """\
title: x
zzz: 1
repository: nope
phases:
  - name: A
    due: 2027-02-30
    topics:
      - title: T
        id: Bad
        tags: [1]
"""


def invalid_lines(path: Path) -> list[str]:
    return [
        f"{path}:2:1: unknown key 'zzz'; allowed: github, goal, phases, repository, title",
        f"{path}:3:13: repository: 'nope' must be OWNER/NAME",
        f"{path}:6:10: due: '2027-02-30' is not a real date; write YYYY-MM-DD",
        f"{path}:9:13: id: 'Bad' must be lower-case letters, digits and hyphens, e.g. python-core",
        f"{path}:10:16: tags: must be text",
    ]


@dataclass(frozen=True)
class Result:
    """What a CLI run left behind; its repr shows both streams when an assertion fails."""

    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write(tmp_path: Path, text: str, name: str = "roadmap.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- validate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--roadmap", "-f"])
def test_valid_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str) -> None:
    path = write(tmp_path, VALID)
    result = run(capsys, "validate", flag, str(path))
    assert result == Result(0, f"{path}: 2 phases, 4 items\n", "")


def test_valid_file_at_the_default_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, VALID)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "validate") == Result(0, "roadmap.yaml: 2 phases, 4 items\n", "")


def test_missing_default_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    msg = "file not found; create it, or pass --roadmap PATH (roadmap-sync import FILE.md)"
    assert run(capsys, "validate") == Result(1, "", f"roadmap.yaml:1:1: {msg}\n")


def test_invalid_file_lists_every_problem_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, INVALID)
    result = run(capsys, "validate", "-f", str(path))
    assert result.code == 1, result
    assert result.out == ""
    assert result.err.splitlines() == invalid_lines(path)
    assert "Traceback" not in result.err


def test_too_many_problems_are_cut_at_fifty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = "".join(f"      - id: Bad{n}\n        title: T{n}\n" for n in range(60))
    path = write(tmp_path, "title: x\nphases:\n  - name: A\n    topics:\n" + items)
    result = run(capsys, "validate", "-f", str(path))
    assert result.code == 1, result
    lines = result.err.splitlines()
    assert len(lines) == 51
    assert lines[0].startswith(f"{path}:5:13: id: 'Bad0' must be ")
    assert lines[-1] == "... and 10 more problems (fix these first)"


def test_issue_body_too_long_is_reported_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "title: x\nphases:\n  - name: A\n    topics:\n      - title: T\n"
    path = write(tmp_path, text + "        description: " + "a" * 70_000 + "\n")
    result = run(capsys, "validate", "-f", str(path))
    assert result.code == 1, result
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"{path}:5:1: item 't': its issue body would be ")
    assert line.endswith(
        "characters, over the 64512 a managed block may have; shorten its description"
    )


NOT_A_MAPPING = "it must be a mapping with 'title' and 'phases'"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            None,
            "1:1: file not found; create it, or pass --roadmap PATH (roadmap-sync import FILE.md)",
            id="missing",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "1:1: not UTF-8 text (byte 0x89); save the file as UTF-8",
            id="binary",
        ),
        pytest.param(
            b"title: x\n\x00\x01\x02",
            "2:1: binary data (NUL byte); not a text file",
            id="nul-byte",
        ),
        pytest.param(b"", f"1:1: the roadmap is empty; {NOT_A_MAPPING}", id="empty"),
        pytest.param(b"- a\n- b\n", f"1:1: the roadmap is a list; {NOT_A_MAPPING}", id="list"),
        pytest.param(
            b"# roadmap\n" * 1_000_000,
            "1:1: file is over the 5 MiB a roadmap may have; split it",
            id="10-mb",
        ),
        pytest.param(
            b"title: x\nphases:\n\t- name: A\n",
            "3:1: YAML syntax error: found character '\\t' that cannot start any token;"
            " indent with spaces, not tabs",
            id="tabs",
        ),
    ],
)
def test_unreadable_file_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "roadmap.yaml"
    if content is not None:
        path.write_bytes(content)
    result = run(capsys, "validate", "-f", str(path))
    assert result == Result(1, "", f"{path}:{message}\n")


def test_directory_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = run(capsys, "validate", "-f", str(tmp_path))
    assert result == Result(1, "", f"{tmp_path}:1:1: is a directory; name the roadmap file\n")


def test_unprintable_character_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_bytes(b"title: x\x07\nphases:\n  - name: A\n")
    result = run(capsys, "validate", "-f", str(path))
    assert result.code == 1, result
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"{path}:1:9: ")


def test_unconstructible_scalar_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "title: !!int x\nphases:\n  - name: A\n")
    result = run(capsys, "validate", "-f", str(path))
    assert result.code == 1, result
    assert result.out == ""
    assert result.err.startswith(f"{path}:1:8: ")


# --- help, version, usage errors ------------------------------------------------------------

COMMANDS = ["validate", "plan", "sync", "import", "done", "start", "skip", "reopen"]
USAGE = {
    "validate": "Usage: roadmap-sync validate [OPTIONS]",
    "plan": "Usage: roadmap-sync plan [OPTIONS]",
    "sync": "Usage: roadmap-sync sync [OPTIONS]",
    "import": "Usage: roadmap-sync import [OPTIONS] SOURCE",
    "done": "Usage: roadmap-sync done [OPTIONS] ID",
    "start": "Usage: roadmap-sync start [OPTIONS] ID",
    "skip": "Usage: roadmap-sync skip [OPTIONS] ID",
    "reopen": "Usage: roadmap-sync reopen [OPTIONS] ID",
}


def listed_commands(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The commands `roadmap-sync --help` lists."""
    result = run(capsys, "--help")
    assert result.code == 0, result
    section = result.out.split("\nCommands:\n", 1)[1]
    return re.findall(r"^  ([a-z][a-z0-9-]*)\b", section, flags=re.MULTILINE)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_top_level_help(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    result = run(capsys, flag)
    assert result.code == 0, result
    assert result.out.startswith("Usage: roadmap-sync [OPTIONS] COMMAND [ARGS]...\n")
    assert result.err == ""


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(COMMANDS) <= set(listed_commands(capsys))


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_shows_its_usage(capsys: pytest.CaptureFixture[str], command: str) -> None:
    result = run(capsys, command, "--help")
    assert result.code == 0, result
    assert result.out.splitlines()[0] == USAGE[command]
    assert result.err == ""


def test_every_listed_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    # Commands added later (render, badge, ...) are covered without editing this file.
    for command in listed_commands(capsys):
        result = run(capsys, command, "--help")
        assert result.code == 0, (command, result)
        assert result.out.startswith(f"Usage: roadmap-sync {command} "), (command, result)
        assert "Show this message and exit." in result.out, command
        assert result.err == "", (command, result)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == Result(0, f"roadmap-sync, version {__version__}\n", "")


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        pytest.param(("--bogus",), "Error: No such option '--bogus'", id="top-level-option"),
        pytest.param(
            ("validate", "--bogus"), "Error: No such option '--bogus'", id="command-option"
        ),
        pytest.param(("bogus",), "Error: No such command 'bogus'", id="unknown-command"),
        pytest.param(
            ("validate", "extra"), "Error: Got unexpected extra argument (extra)", id="extra-arg"
        ),
    ],
)
def test_usage_error_exits_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], error: str
) -> None:
    result = run(capsys, *argv)
    assert result.code == 2, result
    assert result.out == ""
    assert error in result.err
    assert "Usage: roadmap-sync" in result.err
    assert "Traceback" not in result.err


# --- the module entry point -----------------------------------------------------------------


@pytest.mark.slow
def test_python_m_roadmap_sync_validate(tmp_path: Path) -> None:
    good = write(tmp_path, VALID, "good.yaml")
    bad = write(tmp_path, INVALID, "bad.yaml")

    def module(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "roadmap_sync", *argv],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    ok = module("validate", "-f", str(good))
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, f"{good}: 2 phases, 4 items\n", "")
    failed = module("validate", "-f", str(bad))
    assert failed.returncode == 1, failed
    assert failed.stdout == ""
    assert failed.stderr.splitlines() == invalid_lines(bad)
