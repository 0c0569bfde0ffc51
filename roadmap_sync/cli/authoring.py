"""Commands that work on the roadmap file itself, with no tracker: ``validate``, ``import``."""

from __future__ import annotations

from pathlib import Path

from ..errors import RoadmapSyncError
from ..files import write_atomic
from ..model.load import load, loads, read_text
from ..sync.desired import build
from .console import say


def validate(roadmap: Path) -> int:
    """Check roadmap.yaml, issue bodies included (every problem at once, as FILE:LINE:COL)."""
    loaded = load(roadmap)
    build(loaded)
    say(f"{roadmap}: {len(loaded.phases)} phases, {len(loaded.items)} items")
    return 0


def import_markdown(source: Path, out: Path, force: bool) -> int:
    """Turn a markdown checklist roadmap into roadmap.yaml; never overwrite without ``force``,
    never write a roadmap that would not load."""
    from ..model.importer import parse_markdown
    from ..model.yamlwrite import to_yaml

    if out.exists() and not force:
        raise RoadmapSyncError(f"{out} exists; pass --force to overwrite it, or -o another path")
    missing = "markdown file not found; check the path of the checklist to import"
    parsed = parse_markdown(read_text(source, "markdown", missing), str(source))
    text = to_yaml(parsed)
    loads(text, str(out))
    write_atomic(out, text)
    done = sum(item.done for item in parsed.items)
    hint = f", {done} marked done" if done else ""
    say(f"{out}: {len(parsed.phases)} phases, {len(parsed.items)} items{hint}")
    return 0
