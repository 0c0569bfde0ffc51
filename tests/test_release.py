"""The release workflow, read as data, and its tag check against a copy of the repository.

A release is built once and checked (twine check --strict, the tag against the package
version and the changelog); the publishing jobs only download what the build job uploaded.
The identity token that PyPI's trusted publishing needs is asked for by the one job that
publishes, and the right to write the repository by the one job that makes the release.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from roadmap_sync import __version__
from tests.test_workflow import RELEASE, ROOT, bash, load, step, triggers

CHECK = ROOT / ".github" / "scripts" / "check-release.sh"
DIST_DOWNLOAD = {
    "uses": "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093",
    "with": {"name": "dist", "path": "dist/"},
}


def jobs() -> dict[str, Any]:
    found = load(RELEASE)["jobs"]
    assert isinstance(found, dict)
    return found


def uses_and_runs(job: dict[str, Any]) -> list[str]:
    return [str(s.get("uses", s.get("run"))).strip() for s in job["steps"]]


def test_a_pushed_tag_and_nothing_else_releases() -> None:
    assert triggers(load(RELEASE)) == {"push": {"tags": ["v*"]}}


def test_permissions_each_job_only_what_it_uses() -> None:
    workflow = load(RELEASE)
    assert workflow["permissions"] == {}
    assert {name: job["permissions"] for name, job in jobs().items()} == {
        "build": {"contents": "read"},
        "publish": {"id-token": "write"},
        "github-release": {"contents": "write"},
    }


def test_the_identity_token_is_asked_for_only_where_pypi_is_published_to() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert text.count("id-token:") == 1
    with_token = [name for name, job in jobs().items() if "id-token" in job["permissions"]]
    assert with_token == ["publish"]


def test_the_jobs_run_in_order_build_publish_release() -> None:
    j = jobs()
    assert "needs" not in j["build"]
    assert j["publish"]["needs"] == "build"
    assert j["github-release"]["needs"] == "publish"
    assert load(RELEASE)["concurrency"] == {
        "group": "release-${{ github.ref }}",
        "cancel-in-progress": False,
    }


def test_build_checks_the_tag_then_builds_once_and_uploads_dist() -> None:
    build = jobs()["build"]
    assert uses_and_runs(build) == [
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
        "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065",
        ".github/scripts/check-release.sh",
        "python -m pip install --upgrade build twine",
        "python -m build",
        "python -m twine check --strict dist/*",
        "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02",
        "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02",
    ]
    check = step(build, "Check the tag against the version and the changelog")
    assert check["env"] == {
        "TAG": "${{ github.ref_name }}",
        "NOTES": "${{ runner.temp }}/release-notes.md",
    }
    # No cache in a release: nothing an earlier run left behind goes into it.
    assert step(build, "Set up Python")["with"] == {"python-version": "3.12"}
    assert step(build, "Upload the distributions")["with"] == {
        "name": "dist",
        "path": "dist/",
        "if-no-files-found": "error",
    }


def test_publish_uploads_the_built_files_with_trusted_publishing() -> None:
    publish = jobs()["publish"]
    assert publish["environment"] == {
        "name": "pypi",
        "url": "https://pypi.org/project/roadmap-sync/",
    }
    download, upload = publish["steps"]
    assert {k: download[k] for k in ("uses", "with")} == DIST_DOWNLOAD
    # No password, no token input: PyPI takes the job's identity token instead.
    assert upload == {
        "name": "Publish to PyPI",
        "uses": "pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc",
    }


def test_the_github_release_attaches_the_same_files() -> None:
    release = jobs()["github-release"]
    dist, notes, create = release["steps"]
    assert {k: dist[k] for k in ("uses", "with")} == DIST_DOWNLOAD
    assert notes["with"] == {"name": "release-notes", "path": "notes/"}
    assert create["run"] == (
        'gh release create "$TAG" dist/* --verify-tag --title "$TAG" '
        "--notes-file notes/release-notes.md"
    )
    assert create["env"] == {
        "GH_TOKEN": "${{ github.token }}",
        "GH_REPO": "${{ github.repository }}",
        "TAG": "${{ github.ref_name }}",
    }


def test_nothing_is_built_or_checked_out_after_the_build_job() -> None:
    for name in ("publish", "github-release"):
        for s in jobs()[name]["steps"]:
            assert not str(s.get("uses", "")).startswith(
                ("actions/checkout@", "actions/setup-python@", "actions/upload-artifact@")
            ), name
            assert "build" not in str(s.get("run", "")), name


# --- check-release.sh on a copy of the repository ------------------------------------------

CHANGELOG = """\
# Changelog

## [Unreleased]

- Something next

## [1.2.0] - 2027-01-02

### Added

- A thing.

## [1.1.0] - 2026-12-01

- An older thing.

[1.2.0]: https://github.com/roadmap-sync/roadmap-sync/releases/tag/v1.2.0
"""


def check(cwd: Path, tag: str, notes: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "TAG": tag, "HOME": str(cwd)}
    if notes is not None:
        env["NOTES"] = str(notes)
    return subprocess.run(
        [bash(), str(CHECK)], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git checkout with the package's __init__.py at 1.2.0 and a changelog."""
    root = tmp_path / "project"
    (root / "roadmap_sync").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    init = '"""The package."""\n\n# The one place.\n__version__ = "1.2.0"\n'
    (root / "roadmap_sync" / "__init__.py").write_text(init, encoding="utf-8")
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return root


def test_a_matching_tag_passes_and_writes_its_changelog_entry(project: Path) -> None:
    notes = project.parent / "notes.md"
    (project / "roadmap_sync").joinpath("sub").mkdir()
    result = check(project / "roadmap_sync" / "sub", "v1.2.0", notes)  # from inside the tree
    assert result.returncode == 0, result.stderr
    assert result.stdout == "v1.2.0 is roadmap-sync 1.2.0, with its changelog entry\n"
    assert notes.read_text(encoding="utf-8") == "### Added\n\n- A thing.\n"


def test_the_last_entry_ends_at_the_link_definitions(project: Path) -> None:
    init = project / "roadmap_sync" / "__init__.py"
    init.write_text(init.read_text().replace("1.2.0", "1.1.0"), encoding="utf-8")
    notes = project.parent / "notes.md"
    assert check(project, "v1.1.0", notes).returncode == 0
    assert notes.read_text(encoding="utf-8") == "- An older thing.\n"


@pytest.mark.parametrize("tag", ["v1.2.1", "1.2.0", "v1.2", "v1.2.0rc1"])
def test_a_tag_that_is_not_the_version_fails(project: Path, tag: str) -> None:
    result = check(project, tag)
    assert result.returncode == 1
    assert result.stderr == (
        f"::error::the tag {tag} is not v1.2.0, the version in roadmap_sync/__init__.py\n"
    )


def test_a_version_without_a_changelog_entry_fails(project: Path) -> None:
    init = project / "roadmap_sync" / "__init__.py"
    init.write_text(init.read_text().replace("1.2.0", "1.3.0"), encoding="utf-8")
    result = check(project, "v1.3.0")
    assert result.returncode == 1
    assert result.stderr == '::error::CHANGELOG.md has no entry "## [1.3.0]" for this release\n'


def test_an_unreadable_version_fails(project: Path) -> None:
    (project / "roadmap_sync" / "__init__.py").write_text("VERSION = '1.2.0'\n", encoding="utf-8")
    result = check(project, "v1.2.0")
    assert result.returncode == 1
    assert result.stderr == (
        '::error::no single __version__ = "X.Y.Z" line in roadmap_sync/__init__.py\n'
    )


def test_this_repository_can_release_its_version(tmp_path: Path) -> None:
    # The real __init__.py and CHANGELOG.md, copied: a version bump needs its changelog entry.
    root = tmp_path / "copy"
    (root / "roadmap_sync").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    shutil.copy(ROOT / "roadmap_sync" / "__init__.py", root / "roadmap_sync" / "__init__.py")
    shutil.copy(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")
    notes = tmp_path / "notes.md"
    result = check(root, f"v{__version__}", notes)
    assert result.returncode == 0, result.stderr
    assert notes.read_text(encoding="utf-8").strip()
