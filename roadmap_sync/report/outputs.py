"""Every file `render` produces (the README, the badge SVG and its shields endpoint JSON, the
phase badges and the burn-up chart), computed in full before anything is written (pure: the
caller reads the README and writes the files)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import badges, burnup, readme
from .progress import Progress


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
    and the badge files; with ``badge_dir``, also a badge per phase and the burn-up chart."""
    # The README links the badge relative to its own folder, as GitHub resolves it.
    folder = readme_path.parent if str(readme_path.parent) else Path(".")
    link = Path(os.path.relpath(badge, folder)).as_posix()
    section = readme.render_section(report, badge=link, template=template)
    text, notice = readme.splice(current, section, name=str(readme_path))
    contents = [
        (readme_path, text),
        (badge, badges.badge_svg(report.percent, message=report.fraction)),
        (badge.with_suffix(".json"), badges.endpoint_json(report.percent, message=report.fraction)),
    ]
    if badge_dir is not None:
        for stem, (svg, endpoint) in badges.phase_badges(report).items():
            contents += [(badge_dir / f"{stem}.svg", svg), (badge_dir / f"{stem}.json", endpoint)]
        contents.append((badge_dir / "burnup.svg", burnup.svg(report)))
    return Files(tuple((path, data.encode("utf-8")) for path, data in contents), notice)
