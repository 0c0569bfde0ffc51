"""Every file `render` produces (the README, the badge SVG and its shields endpoint JSON, the
phase badges, the burn-up chart and the three pictures: the map, the activity calendar and the
progress card), computed in full before anything is written (pure: the caller reads the README
and writes the files)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import badges, burnup, readme
from .calendar_svg import calendar_svg
from .card_svg import card_svg
from .map_svg import map_svg
from .progress import Progress

PICTURES = ("map.svg", "calendar.svg", "card.svg")


@dataclass(frozen=True, slots=True)
class Files:
    """Every output file's wanted bytes, and the notice splicing gave (if any)."""

    contents: tuple[tuple[Path, bytes], ...]
    notice: str | None = None


def render_files(
    report: Progress,
    current: str | None,
    readme_path: Path,
    badge: Path,
    template: str | None,
    badge_dir: Path | None = None,
) -> Files:
    """The README (``current`` is its text now, None when missing) with its section rewritten,
    the badge files, and in ``badge_dir`` (the badge's folder unless given) a badge per phase,
    the burn-up chart and the pictures the README shows."""
    folder = badge_dir if badge_dir is not None else badge.parent
    # The README links images relative to its own folder, as GitHub resolves them.
    base = readme_path.parent if str(readme_path.parent) else Path(".")

    def link(path: Path) -> str:
        return Path(os.path.relpath(path, base)).as_posix()

    pictures = {name.removesuffix(".svg"): link(folder / name) for name in PICTURES}
    section = readme.render_section(report, badge=link(badge), template=template, pictures=pictures)
    text, notice = readme.splice(current, section, name=str(readme_path))
    contents = [
        (readme_path, text),
        (badge, badges.badge_svg(report.percent, message=report.fraction)),
        (badge.with_suffix(".json"), badges.endpoint_json(report.percent, message=report.fraction)),
    ]
    for stem, (svg, endpoint) in badges.phase_badges(report).items():
        contents += [(folder / f"{stem}.svg", svg), (folder / f"{stem}.json", endpoint)]
    contents += [
        (folder / "burnup.svg", burnup.svg(report)),
        (folder / "map.svg", map_svg(report)),
        (folder / "calendar.svg", calendar_svg(report)),
        (folder / "card.svg", card_svg(report)),
    ]
    return Files(tuple((path, data.encode("utf-8")) for path, data in contents), notice)
