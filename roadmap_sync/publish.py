"""The files `render` produces (README, badge SVG, shields endpoint JSON): computed in full,
then written; nothing is written when any of them cannot be made."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import badge as badges
from . import burnup, render
from .errors import RoadmapSyncError
from .progress import Progress


@dataclass(frozen=True, slots=True)
class Files:
    """Every output file's wanted bytes, and the notice splicing gave (if any)."""

    contents: tuple[tuple[Path, bytes], ...]
    notice: str | None = None


def render_files(
    report: Progress,
    readme: Path,
    badge: Path,
    template: str | None,
    badge_dir: Path | None = None,
) -> Files:
    """The README with its section rewritten, and the badge files, for a progress report;
    with ``badge_dir``, also a badge per phase and the burn-up chart there."""
    current = _read(readme)
    # The README links the badge relative to its own folder, as GitHub resolves it.
    link = Path(os.path.relpath(badge, readme.parent if str(readme.parent) else ".")).as_posix()
    section = render.render_section(report, badge=link, template=template)
    text, notice = render.splice(current, section, name=str(readme))
    contents = [
        (readme, text),
        (badge, badges.badge_svg(report.percent)),
        (badge.with_suffix(".json"), badges.endpoint_json(report.percent)),
    ]
    if badge_dir is not None:
        for stem, (svg, endpoint) in badges.phase_badges(report).items():
            contents += [(badge_dir / f"{stem}.svg", svg), (badge_dir / f"{stem}.json", endpoint)]
        contents.append((badge_dir / "burnup.svg", burnup.svg(report)))
    return Files(tuple((path, data.encode("utf-8")) for path, data in contents), notice)


def stale(files: Files) -> list[Path]:
    """The files whose bytes on disk differ from what render would write."""
    return [path for path, data in files.contents if _bytes(path) != data]


def write(files: Files) -> list[Path]:
    """Write every file that changed (atomically); return those written."""
    return [path for path, data in files.contents if render.write_atomic(path, data)]


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RoadmapSyncError(f"{path}: cannot read: {exc.strerror}") from None


def _read(path: Path) -> str | None:
    # Bytes, then decode: read_text() would turn CRLF into LF and break the byte-for-byte rule.
    raw = _bytes(path)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"{path}:{line}: not UTF-8 text; save the README as UTF-8"
        raise RoadmapSyncError(msg) from None
