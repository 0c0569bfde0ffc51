"""The package as PyPI gets it: an sdist and a wheel that pass `twine check --strict`, and a
wheel that works on its own, installed in a fresh virtual environment, away from this
checkout: the templates and the JSON Schema travel inside it.
"""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from roadmap_sync import __version__
from tests.conftest import REPO_ROOT

PACKAGE_DATA = (
    "roadmap_sync/py.typed",
    "roadmap_sync/model/roadmap.schema.json",
    "roadmap_sync/model/roadmap.yaml",
    "roadmap_sync/cli/workflow/roadmap.yml",
    "roadmap_sync/cli/workflow/commit-progress.sh",
    "roadmap_sync/cli/workflow/open-pull-request.sh",
    "roadmap_sync/sync/templates/issue_body.md.j2",
    "roadmap_sync/report/templates/readme_section.md.j2",
)
START, END = "<!-- roadmap-sync:start -->", "<!-- roadmap-sync:end -->"


def clean_env(scratch: Path) -> dict[str, str]:
    """No GITHUB_* (so the local tracker is used), no token, nothing pointing at this checkout,
    and pip's cache in the test's own folder (build and pip would file wheels in the user's)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "GH_", "PYTEST", "PYTHON", "VIRTUAL_ENV"))
    }
    return env | {"PIP_CACHE_DIR": str(scratch / "pip-cache")}


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(cwd),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_the_sdist_and_wheel_build_check_and_work_from_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # Without --sdist/--wheel, build makes the sdist and then the wheel from it: a file the
    # sdist leaves out is missing from the wheel too.
    run(sys.executable, "-m", "build", "--outdir", dist, REPO_ROOT, cwd=tmp_path)
    sdist = dist / f"roadmap_sync-{__version__}.tar.gz"
    wheel = dist / f"roadmap_sync-{__version__}-py3-none-any.whl"
    assert sorted(dist.iterdir()) == [wheel, sdist]
    checked = run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel, cwd=tmp_path)
    assert checked.stdout.count("PASSED") == 2

    with tarfile.open(sdist) as tar:
        in_sdist = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for name in ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", *PACKAGE_DATA):
        assert name in in_sdist, name
    assert not any(name.startswith("tests/") for name in in_sdist)

    with zipfile.ZipFile(wheel) as whl:
        in_wheel = set(whl.namelist())
        metadata = email.parser.Parser().parsestr(
            whl.read(f"roadmap_sync-{__version__}.dist-info/METADATA").decode()
        )
    for name in (*PACKAGE_DATA, f"roadmap_sync-{__version__}.dist-info/licenses/LICENSE"):
        assert name in in_wheel, name
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# roadmap-sync\n")
    assert sorted(metadata.get_all("Project-URL")) == [
        "Changelog, https://github.com/roadmap-sync/roadmap-sync/blob/main/CHANGELOG.md",
        "Homepage, https://github.com/roadmap-sync/roadmap-sync",
        "Issues, https://github.com/roadmap-sync/roadmap-sync/issues",
        "Repository, https://github.com/roadmap-sync/roadmap-sync",
    ]
    classifiers = set(metadata.get_all("Classifier"))
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert {
        "Operating System :: OS Independent",
        "Environment :: Console",
        "Intended Audience :: Education",
        "Topic :: Education",
    } <= classifiers

    # The wheel alone, in a fresh venv, run from a folder holding nothing but a roadmap and a
    # README with the two markers.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    run(scripts / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    where = run(
        scripts / "python", "-c", "import roadmap_sync; print(roadmap_sync.__file__)", cwd=tmp_path
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)

    # A learner's own repository: `git init`, then `init` from the wheel, then the main loop.
    folder = tmp_path / "learner"
    folder.mkdir()
    run("git", "init", "--quiet", cwd=folder)
    (folder / "README.md").write_text("# My plan\n", encoding="utf-8")
    cli = scripts / "roadmap-sync"
    wrote = run(cli, "init", cwd=folder).stdout
    assert f"wrote .github/workflows/roadmap.yml (installs roadmap-sync=={__version__})" in wrote
    workflow = (folder / ".github" / "workflows" / "roadmap.yml").read_text(encoding="utf-8")
    assert f"pip install roadmap-sync=={__version__}\n" in workflow
    for args in (["validate"], ["sync"], ["done", "python-core"], ["render"]):
        run(cli, *args, cwd=folder)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# My plan\n\n{START}\n")
    assert "- [x] Python: functions" in readme
    assert "- [ ] Virtual environments" in readme
    assert (folder / ".github" / "badges" / "progress.svg").is_file()
    assert (folder / ".roadmap-sync" / "tracker.json").is_file()
