"""Commands that work on the roadmap file itself, with no tracker: ``validate``, ``import``."""

from __future__ import annotations

from pathlib import Path

from ..errors import RoadmapSyncError
from ..files import write_atomic
from ..model.load import load, loads, read_text
from ..model.roadmap import Roadmap
from ..report.text import plural
from ..sync.desired import build
from .console import say


def size(roadmap: Roadmap) -> str:
    """``7 phases, 83 items``: how every command describes a roadmap."""
    return f"{plural(len(roadmap.phases), 'phase')}, {plural(len(roadmap.items), 'item')}"


def read_checklist(source: Path) -> Roadmap:
    """A markdown checklist roadmap (``import``, ``init --from``), as a Roadmap."""
    from ..model.importer import parse_markdown  # ftfy, only when importing

    missing = "markdown file not found; check the path of the checklist to import"
    return parse_markdown(read_text(source, "markdown", missing), str(source))


def validate(roadmap: Path) -> int:
    """Check roadmap.yaml, issue bodies included (every problem at once, as FILE:LINE:COL)."""
    loaded = load(roadmap)
    build(loaded)
    say(f"{roadmap}: {size(loaded)}")
    return 0


def import_markdown(source: Path, out: Path, force: bool) -> int:
    """Turn a markdown checklist roadmap into roadmap.yaml; never overwrite without ``force``,
    never write a roadmap that would not load."""
    from ..model.yamlwrite import to_yaml

    if out.exists() and not force:
        raise RoadmapSyncError(f"{out} exists; pass --force to overwrite it, or -o another path")
    parsed = read_checklist(source)
    text = to_yaml(parsed)
    loads(text, str(out))
    write_atomic(out, text)
    done = sum(item.done for item in parsed.items)
    hint = f", {done} marked done" if done else ""
    say(f"{out}: {size(parsed)}{hint}")
    return 0
