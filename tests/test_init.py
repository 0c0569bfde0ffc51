"""`roadmap-sync init`: any folder set up in one command, offline; never overwriting without
--force, never touching what a README or .gitignore already says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from roadmap_sync import __version__
from roadmap_sync.model.load import load
from tests.conftest import REPO_ROOT, Run
from tests.workflow_derive import learner_workflow

OWNED = (
    "roadmap.yaml",
    ".github/workflows/roadmap.yml",
    ".github/scripts/commit-progress.sh",
    ".github/scripts/open-pull-request.sh",
)
START, END = "<!-- roadmap-sync:start -->", "<!-- roadmap-sync:end -->"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (outside .git) with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(folder).parts[:1]
    }


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository as the current folder, with no GitHub in the environment."""
    folder = tmp_path / "my roadmap"
    folder.mkdir()
    subprocess.run(["git", "init", "--quiet"], cwd=folder, check=True)
    monkeypatch.chdir(folder)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROADMAP_SYNC_WRITE_INTERVAL", "0")
    return folder


def test_init_in_an_empty_repository_then_the_quickstart_works(learner: Path, run: Run) -> None:
    out = run("init").out
    assert out.splitlines()[:5] == [
        "wrote roadmap.yaml (the Unified AI Career Roadmap: 7 phases, 83 items)",
        f"wrote .github/workflows/roadmap.yml (installs roadmap-sync=={__version__})",
        "wrote .github/scripts/commit-progress.sh, .github/scripts/open-pull-request.sh "
        "(the workflow runs them)",
        "added the progress markers to README.md",
        "added .roadmap-sync/cache.json to .gitignore",
    ]
    assert "Next steps:" in out
    assert "Allow GitHub Actions to create and approve" in out
    for name in OWNED:
        assert (learner / name).is_file(), name
    assert (learner / "README.md").read_text() == f"{START}\n{END}\n"
    assert (learner / ".gitignore").read_text() == ".roadmap-sync/cache.json\n"
    assert run("validate").out == "roadmap.yaml: 7 phases, 83 items\n"
    # The shipped roadmap, byte for byte but for nothing: the package carries this very file.
    assert (learner / "roadmap.yaml").read_bytes() == (REPO_ROOT / "roadmap.yaml").read_bytes()
    run("sync")
    run("done", "python-core")
    run("render")
    readme = (learner / "README.md").read_text(encoding="utf-8")
    assert "- [x] Python: functions, OOP, decorators, lambdas, exceptions `#1`" in readme


def test_a_second_init_refuses_and_changes_nothing(learner: Path, run: Run) -> None:
    run("init")
    before = tree(learner)
    result = run("init", expect=1)
    assert result.err == (
        "roadmap-sync: error: roadmap.yaml, .github/workflows/roadmap.yml, "
        ".github/scripts/commit-progress.sh, .github/scripts/open-pull-request.sh already "
        "exist in .; pass --force to replace them\n"
    )
    assert result.out == ""
    assert tree(learner) == before


def test_force_from_a_markdown_checklist_imports_it(learner: Path, run: Run) -> None:
    run("init")
    shutil.copy(REPO_ROOT / "tests" / "data" / "seed-roadmap.md", learner / "seed.md")
    out = run("init", "--force", "--from", "seed.md").out
    assert out.startswith("wrote roadmap.yaml (imported from seed.md: 7 phases, 83 items)\n")
    imported = load(learner / "roadmap.yaml")
    assert imported.items[0].id == "python-functions-oop"  # the importer's ids, not ours
    assert not any(item.tasks for item in imported.items)  # the bare roadmap
    # README and .gitignore were set up the first time: left exactly as they are.
    assert "to README.md" not in out
    assert "to .gitignore" not in out


def test_empty_gives_a_small_commented_example_and_repo_names_the_repository(
    learner: Path, run: Run
) -> None:
    run("init", "--empty", "--repo", "octocat/plan")
    roadmap = load(learner / "roadmap.yaml")
    assert (len(roadmap.phases), len(roadmap.items), roadmap.repository) == (1, 2, "octocat/plan")
    assert roadmap.items[1].needs == ("first-topic",)
    text = (learner / "roadmap.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=https://")
    # --repo keeps the example's comments: the line is added, the file is not rewritten.
    assert "\nrepository: octocat/plan\n" in text
    assert "# an item's id keeps its issue; never reuse one" in text
    assert '# what to do first: becomes "blocked by" on GitHub' in text
    run("init", "--empty", "--force")
    bare = (learner / "roadmap.yaml").read_text(encoding="utf-8")
    assert bare == text.replace(
        "repository: octocat/plan\n",
        "# repository: OWNER/NAME   # the GitHub repository of the issues (or --repo)\n",
    )
    assert load(learner / "roadmap.yaml").repository is None
    shipped = load(REPO_ROOT / "roadmap.yaml")
    assert shipped.repository is None


def test_an_existing_readme_and_gitignore_are_appended_to_never_rewritten(
    learner: Path, run: Run
) -> None:
    (learner / "README.md").write_bytes(b"# Mine\r\n\r\nMy words, kept.")
    (learner / ".gitignore").write_bytes(b"*.pyc\r\n.venv/")
    run("init")
    readme = (learner / "README.md").read_bytes()
    assert readme.startswith(b"# Mine\r\n\r\nMy words, kept.\r\n\r\n")
    assert readme.endswith(f"{START}\r\n{END}".encode())
    assert (
        learner / ".gitignore"
    ).read_bytes() == b"*.pyc\r\n.venv/\r\n.roadmap-sync/cache.json\r\n"
    # Markers already there (and the cache line): nothing is added twice.
    run("init", "--force")
    assert (learner / "README.md").read_bytes() == readme
    assert (learner / ".gitignore").read_bytes().count(b"cache.json") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--repo", "not a repo"), "--repo 'not a repo' must be OWNER/NAME, e.g. octocat/roadmap"),
        (("--from", "missing.md"), None),
        (("--from", "x.md", "--empty"), "choose one of --from and --empty"),
    ],
)
def test_bad_input_writes_nothing_anywhere(
    learner: Path, run: Run, args: tuple[str, ...], message: str | None
) -> None:
    result = run("init", *args, expect=1)
    if message:
        assert result.err == f"roadmap-sync: error: {message}\n"
    else:
        assert result.err == (
            "missing.md:1:1: markdown file not found; check the path of the checklist to import\n"
        )
    assert tree(learner) == {}


def test_init_takes_a_folder_and_creates_it(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "new" / "plan"
    run("init", str(target), "--empty")
    assert sorted(tree(target)) == sorted([*OWNED, "README.md", ".gitignore"])


def test_the_learners_workflow_is_ours_but_for_what_only_exists_here() -> None:
    ours = (REPO_ROOT / ".github" / "workflows" / "roadmap.yml").read_text(encoding="utf-8")
    packaged = REPO_ROOT / "roadmap_sync" / "cli" / "workflow" / "roadmap.yml"
    assert packaged.read_text(encoding="utf-8") == learner_workflow(ours)
    theirs = yaml.safe_load(learner_workflow(ours).replace("@VERSION@", __version__))
    here = yaml.safe_load(ours)
    for key in (True, "permissions", "concurrency"):  # True: PyYAML reads `on:` as a bool
        assert theirs[key] == here[key], key
    assert [job.get("permissions") for job in theirs["jobs"].values()] == [
        job.get("permissions") for job in here["jobs"].values()
    ]
    text = learner_workflow(ours)
    assert "pip install .\n" not in text
    assert "roadmap_sync/" not in text
    assert "cache: pip" not in text


@pytest.mark.slow
def test_the_written_workflow_passes_zizmor_and_the_schema(learner: Path, run: Run) -> None:
    run("init")
    bin_dir = Path(sys.executable).parent
    workflow = learner / ".github" / "workflows" / "roadmap.yml"
    checks = (
        [bin_dir / "zizmor", "--offline", "--min-severity", "medium", workflow],
        [bin_dir / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow],
        [bin_dir / "shellcheck", *sorted((learner / ".github" / "scripts").glob("*.sh"))],
    )
    for command in checks:
        result = subprocess.run([str(a) for a in command], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
