"""The progress badges: shields-style SVGs and shields.io endpoint JSON, for the whole roadmap
and for each phase (pure)."""

from __future__ import annotations

import json

import anybadge

from .progress import Progress

# (below this percent, shields.io colour name, its hex code). The names go into the endpoint
# JSON, which shields.io resolves itself; the codes are shields' own, so the SVG we draw and
# the one shields.io draws look the same (anybadge's "yellowgreen" is a different CSS colour).
_STEPS = (
    (25, "red", "#e05d44"),
    (50, "orange", "#fe7d37"),
    (75, "yellow", "#dfb317"),
    (100, "yellowgreen", "#a4a61d"),
)
_COMPLETE = ("brightgreen", "#4c1")

# anybadge numbers each badge's mask from a process-wide counter, so the second badge drawn
# would differ from the first; a fixed id keeps the file byte-identical between runs.
_MASK_ID = "roadmap-sync-badge"


def _check(percent: int) -> None:
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, not {percent}")


def color(percent: int) -> tuple[str, str]:
    """The shields.io colour name and hex code for a percent."""
    _check(percent)
    for below, name, code in _STEPS:
        if percent < below:
            return name, code
    return _COMPLETE


def badge_svg(percent: int, label: str = "roadmap", message: str | None = None) -> str:
    """A flat shields-style SVG reading ``label | message`` (``NN%`` by default), coloured by
    percent; deterministic."""
    _, code = color(percent)
    badge = anybadge.Badge(label, message or f"{percent}%", default_color=code)
    badge.mask_str = _MASK_ID
    return str(badge.badge_svg_text)


def endpoint_json(percent: int, label: str = "roadmap", message: str | None = None) -> str:
    """The shields.io endpoint document for the same badge, with sorted keys."""
    name, _ = color(percent)
    message = message or f"{percent}%"
    data = {"schemaVersion": 1, "label": label, "message": message, "color": name}
    return json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n"


def phase_badges(progress: Progress) -> dict[str, tuple[str, str]]:
    """One badge per phase, in roadmap order: ``{"phase-1": (svg, endpoint json), …}``.

    The key is the phase's label (``phase-N``), a file stem with no user text in it; each
    badge reads ``Phase N | done/countable · NN%`` (0% for a phase with no items).
    """
    badges = {}
    for phase in progress.phases:
        label = f"Phase {phase.phase.number}"
        badges[phase.phase.label] = (
            badge_svg(phase.percent, label, phase.fraction),
            endpoint_json(phase.percent, label, phase.fraction),
        )
    return badges
