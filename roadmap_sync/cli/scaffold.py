"""``roadmap-sync init``: set any repository up in one command, offline.

It writes the roadmap (the shipped one, an imported checklist, or a small example), the
GitHub Actions workflow that installs exactly this version of the tool from the package index,
the two scripts that workflow runs, the progress markers in the README and the cache line in
.gitignore. It refuses to overwrite a roadmap, workflow or script unless forced, and checks
everything before it writes anything.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

from .. import __version__, files
from ..errors import RoadmapSyncError
from ..model.load import loads
from ..model.yamlwrite import SCHEMA_URL, to_yaml
from ..report.readme import END, START, has_section, splice
from .authoring import read_checklist, size
from .console import say
from .target import check_repo

ROADMAP = Path("roadmap.yaml")
WORKFLOW = Path(".github/workflows/roadmap.yml")
SCRIPTS = ("commit-progress.sh", "open-pull-request.sh")
SCRIPT_DIR = Path(".github/scripts")
CACHE_LINE = files.CACHE_FILE.as_posix()
EXAMPLE = """\
# yaml-language-server: $schema={schema}
#
# Your learning roadmap: phases of topics to study and projects to build. Every item becomes
# one issue; close it when you are done. `roadmap-sync validate` checks this file.
title: My learning roadmap
goal: Where this roadmap leads, in one sentence
{repository}
phases:
  - id: basics                 # keep an id when you rename: it keeps the milestone
    name: Basics
    tagline: Start here
    topics:
      - id: first-topic        # an item's id keeps its issue; never reuse one
        title: A first topic to study
        description: What it is, and why it matters.
        tasks:                 # the "done when" checklist of its issue
          - Read the introduction
          - Write a one-page summary
        resources:
          - title: A good page about it
            url: https://example.org/
    projects:
      - id: first-project
        title: A first project to build
        needs: [first-topic]   # what to do first: becomes "blocked by" on GitHub
"""
NO_REPOSITORY = "# repository: OWNER/NAME   # the GitHub repository of the issues (or --repo)\n"
NEXT_STEPS = """\
Next steps:
  1. Commit and push:
     git add {paths}
     git commit -m "Roadmap" && git push
  2. On GitHub, Settings -> Actions -> General -> Workflow permissions: "Read and write
     permissions" (for pull-request mode, also "Allow GitHub Actions to create and approve
     pull requests").
  3. The first sync: run the workflow "roadmap" from the Actions tab, or here:
     roadmap-sync sync (offline, into .roadmap-sync/tracker.json until you set a repository)."""


def _data(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def workflow_text() -> str:
    """The learner's workflow, pinned to this very version of the tool."""
    return _data("roadmap_sync.cli", "workflow/roadmap.yml").replace("@VERSION@", __version__)


def _roadmap_text(source: Path | None, empty: bool, repo: str | None) -> tuple[str, str]:
    """The roadmap.yaml to write and how to describe it; checked to load."""
    if empty:
        # Formatted, not written by to_yaml, so the example keeps its comments.
        repository = f"repository: {repo}\n" if repo else NO_REPOSITORY
        text = EXAMPLE.format(schema=SCHEMA_URL, repository=repository)
        loads(text, str(ROADMAP))  # never write a roadmap that would not load
        return text, "a small example to edit"
    if source is not None:
        roadmap = read_checklist(source)
        what = f"imported from {source}"
    else:
        shipped = _data("roadmap_sync.model", "roadmap.yaml")
        roadmap = loads(shipped, str(ROADMAP))
        what = "the Unified AI Career Roadmap"
    if repo:
        roadmap = dataclasses.replace(roadmap, repository=repo)
    text = to_yaml(roadmap)
    loaded = loads(text, str(ROADMAP))  # never write a roadmap that would not load
    return text, f"{what}: {size(loaded)}"


def init(folder: Path, source: Path | None, empty: bool, repo: str | None, force: bool) -> int:
    """Set ``folder`` up; exit 1 naming what exists, writing nothing, unless ``force``."""
    if source is not None and empty:
        raise RoadmapSyncError("choose one of --from and --empty")
    if repo is not None:
        check_repo(repo, "--repo")
    text, described = _roadmap_text(source, empty, repo)
    owned = {
        ROADMAP: text,
        WORKFLOW: workflow_text(),
        **{SCRIPT_DIR / name: _data("roadmap_sync.cli", f"workflow/{name}") for name in SCRIPTS},
    }
    existing = [path for path in owned if (folder / path).exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise RoadmapSyncError(f"{names} already exist in {folder}; pass --force to replace them")
    readme = _readme(folder)
    ignore = _gitignore(folder)
    for path, data in owned.items():
        files.write_atomic(folder / path, data)
    say(f"wrote {ROADMAP} ({described})")
    say(f"wrote {WORKFLOW} (installs roadmap-sync=={__version__})")
    say(f"wrote {', '.join(str(SCRIPT_DIR / name) for name in SCRIPTS)} (the workflow runs them)")
    if readme is not None:
        files.write_atomic(folder / "README.md", readme)
        say("added the progress markers to README.md")
    if ignore is not None:
        files.write_atomic(folder / ".gitignore", ignore)
        say(f"added {CACHE_LINE} to .gitignore")
    paths = " ".join(str(p) for p in (ROADMAP, WORKFLOW, SCRIPT_DIR, "README.md", ".gitignore"))
    say(NEXT_STEPS.format(paths=paths))
    return 0


def _readme(folder: Path) -> str | None:
    """The README with the markers appended (created when missing); None when it has them."""
    current = files.read_utf8(folder / "README.md", "README")
    if current is not None and has_section(current, "README.md"):
        return None
    text, _ = splice(current, f"{START}\n{END}\n", name="README.md")
    return text


def _gitignore(folder: Path) -> str | None:
    """The .gitignore with the ETag cache's line appended; None when it is there."""
    current = files.read_utf8(folder / ".gitignore", ".gitignore")
    if current is not None and CACHE_LINE in current.splitlines():
        return None
    if not current:
        return f"{CACHE_LINE}\n"
    newline = "\r\n" if "\r\n" in current else "\n"
    joiner = "" if current.endswith("\n") else newline
    return f"{current}{joiner}{CACHE_LINE}{newline}"
