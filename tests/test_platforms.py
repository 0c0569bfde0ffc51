"""Linux, macOS and Windows: nothing on the main path is POSIX-only, simulated here.

A Windows console or pipe in cp1252 cannot encode the bars' blocks (or a title's emoji): the
CLI degrades its glyphs instead of raising UnicodeEncodeError. Without fcntl (no flock) the
local tracker still locks. A roadmap with CRLF line endings, and paths with spaces, work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, Run

BLOCK_FCNTL = (
    "import sys; sys.modules['fcntl'] = None; "  # `import fcntl` now raises ImportError
    "from roadmap_sync.cli.app import main; sys.exit(main(sys.argv[1:]))"
)


def cli(
    cwd: Path, *args: str, encoding: str = "utf-8", code: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in a child process whose stdout and stderr use ``encoding``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(PYTHONIOENCODING=encoding, PYTHONPATH=str(REPO_ROOT), PYTHONUTF8="0")
    command = ["-c", code] if code else ["-m", "roadmap_sync"]
    return subprocess.run(
        [sys.executable, *command, *args], cwd=cwd, env=env, capture_output=True, check=False
    )


@pytest.fixture
def emoji_roadmap(workdir: Path) -> Path:
    # A title no cp1252 console can show, to prove the user's text never crashes output.
    text = (workdir / "roadmap.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Git & GitHub basics", 'title: "Git & GitHub basics 🚀"')
    (workdir / "roadmap.yaml").write_text(text, encoding="utf-8")
    return workdir


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [("sync",), ("plan",), ("status",), ("status", "--items"), ("render",)]
)
def test_a_cp1252_console_gets_plain_glyphs_and_no_traceback(
    emoji_roadmap: Path, args: tuple[str, ...]
) -> None:
    if args[0] != "sync":
        assert cli(emoji_roadmap, "sync").returncode == 0
    result = cli(emoji_roadmap, *args, encoding="cp1252")
    assert result.returncode == 0, result.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in result.stderr
    assert b"UnicodeEncodeError" not in result.stderr
    out = result.stdout.decode("cp1252")
    if args[0] == "status":
        assert "Overall: 0/83 · 0%" in out  # the middle dot is in cp1252
        assert "----------" in out  # the bar in ASCII: cp1252 has no block characters
    if args == ("status", "--items"):
        assert "Git & GitHub basics ?" in out  # the emoji, replaced


@pytest.mark.slow
def test_the_local_loop_works_without_fcntl(workdir: Path) -> None:
    probe = cli(workdir, code="import sys; sys.modules['fcntl'] = None; import fcntl")
    assert b"import of fcntl halted" in probe.stderr  # the block really holds in the child
    lock = cli(
        workdir,
        code=BLOCK_FCNTL.split("from")[0] + "import roadmap_sync.files as f; "
        "print(f.FileLock.__name__)",
    )
    assert lock.stdout.strip() == b"SoftFileLock"  # filelock's branch for a system without flock
    for args in (("sync",), ("done", "python-core"), ("render",), ("status",)):
        result = cli(workdir, *args, code=BLOCK_FCNTL)
        assert result.returncode == 0, (args, result.stderr.decode())
        assert b"Warning" not in result.stderr
    readme = (workdir / "README.md").read_text(encoding="utf-8")
    assert "- [x] Python: functions, OOP, decorators, lambdas, exceptions `#1`" in readme


def test_crlf_roadmap_and_paths_with_spaces(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "my learning plan"
    folder.mkdir()
    text = (REPO_ROOT / "roadmap.yaml").read_text(encoding="utf-8")
    roadmap = folder / "road map.yaml"
    roadmap.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    tracker = folder / "state dir" / "tracker file.json"
    readme = folder / "READ ME.md"
    badge = folder / "badges here" / "progress badge.svg"
    common = ("-f", str(roadmap), "--local", "--tracker", str(tracker))
    assert "7 phases, 83 items" in run("validate", "-f", str(roadmap)).out
    run("sync", *common)
    run("done", "python-core", *common)
    run("render", *common, "--readme", str(readme), "--badge", str(badge))
    section = readme.read_text(encoding="utf-8")
    assert "- [x] Python: functions, OOP, decorators, lambdas, exceptions `#1`" in section
    # The README links the badge with its spaces percent-encoded, as Markdown needs.
    assert "![roadmap progress](badges%20here/progress%20badge.svg)" in section
    assert badge.is_file()
    run("render", *common, "--readme", str(readme), "--badge", str(badge), "--check")
