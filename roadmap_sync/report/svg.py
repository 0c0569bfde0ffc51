"""What the hand-drawn pictures share (pure): the document frame, escaping, fixed-decimal
numbers, the light/dark colours, and fitting text into a width.

Every picture is a string built here and in its own module, not with a drawing library: the
shapes are few and simple (rects, text, paths), and building the text ourselves is what
makes the bytes exactly the same from run to run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .text import one_line

# A generic family list ending in sans-serif: GitHub shows SVGs as images, which may load no
# web font, so the viewer's own system font draws the text.
FONT = "-apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial, sans-serif"
ELLIPSIS = "…"

# What XML 1.0 forbids beyond the controls ``one_line`` already drops: an ElementTree parse
# would fail on them.
_INVALID = re.compile("[\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def _widths(table: str) -> tuple[int, ...]:
    return tuple(int(n) for n in table.split())


# Advance widths (thousandths of an em) of the printable ASCII characters, space to tilde,
# in DejaVu Sans and DejaVu Sans Bold: the widest of the fonts the list above falls back to
# (Helvetica, Arial, Segoe UI and San Francisco are all narrower), so text measured with
# them fits whichever font the viewer has.
_REGULAR = _widths(
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 "
    "636 636 636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 "
    "752 295 295 656 557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 "
    "337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 634 612 "
    "635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD = _widths(
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 "
    "696 696 696 696 696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 "
    "837 372 372 775 637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 "
    "365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 712 687 "
    "716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
# The typographic characters roadmaps and our own text use, (regular, bold), same fonts.
_TYPOGRAPHIC = {
    "·": (318, 380),
    "…": (1000, 1000),
    "→": (838, 838),
    "—": (1000, 1000),
    "–": (500, 500),
    "‘": (318, 380),
    "’": (318, 380),
    "“": (518, 657),
    "”": (518, 657),
}
_WIDE = 1000  # anything else: as wide as an em (a CJK ideograph, a symbol)
_EMOJI = 1300  # colour emoji fonts draw wider than an em


def num(value: float) -> str:
    """A coordinate with one decimal, always: no float noise can change a byte."""
    return f"{value:.1f}"


def clean(text: object) -> str:
    """User text on one line (``one_line``), without characters XML forbids, every kind of
    space a plain one."""
    return _SPACES.sub(" ", _INVALID.sub("", one_line(text))).strip()


def esc(text: object) -> str:
    """Text made safe for XML character data and for a double- or single-quoted attribute:
    the five entities, after ``clean``."""
    out = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace('"', "&quot;").replace("'", "&apos;")


def _char_width(char: str, bold: bool) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if char in _TYPOGRAPHIC:
        return _TYPOGRAPHIC[char][bold]
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0  # combining marks and joiners take no room of their own
    base = unicodedata.normalize("NFD", char)[0]
    if 32 <= ord(base) < 127:  # an accented Latin letter is as wide as its letter
        return (_BOLD if bold else _REGULAR)[ord(base) - 32]
    if unicodedata.category(char) == "So" and unicodedata.east_asian_width(char) == "W":
        return _EMOJI
    return _WIDE


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width ``text`` takes at ``size`` px, measured generously (see ``_REGULAR``)."""
    return sum(_char_width(c, bold) for c in text) * size / 1000


def ellipsize(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` when it fits in ``width``, else as much of it as fits followed by "…"."""
    text = clean(text)
    if text_width(text, size, bold) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold)
    kept = ""
    for char in text:
        if text_width(kept + char, size, bold) > room:
            break
        kept += char
    return kept.rstrip(" ,;:·-—") + ELLIPSIS


# Where a line may break inside a word: after a hyphen or a slash ("Transformer-" "based",
# "TensorFlow/" "PyTorch") between two letters or digits on each side, which reads better
# than a cut anywhere; "t-SNE" and "(K-means" stay whole.
_BREAK = re.compile(r"(?<=[^\W_]{2}[-/])(?=[^\W_]{2})")


def _pieces(text: str, width: float, size: float, bold: bool) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space precedes it."""
    out: list[tuple[str, bool]] = []
    for word in clean(text).split(" "):
        glued = False
        for part in _BREAK.split(word):
            # A piece longer than a whole line is cut where the line is full.
            chunk = ""
            for char in part:
                if chunk and text_width(chunk + char, size, bold) > width:
                    out.append((chunk, bool(out) and not glued))
                    chunk, glued = "", True
                chunk += char
            out.append((chunk, bool(out) and not glued))
            glued = True
    return [(piece, space) for piece, space in out if piece]


def wrap(text: str, width: float, size: float, lines: int, bold: bool = False) -> tuple[str, ...]:
    """``text`` broken at spaces (or after a hyphen or slash) into at most ``lines`` lines
    no wider than ``width``; the last line ends in "…" when the text does not fit. Empty
    text gives no lines."""
    pieces = _pieces(text, width, size, bold)
    out: list[str] = []
    for index, (piece, space) in enumerate(pieces):
        joined = f"{out[-1]}{' ' if space else ''}{piece}" if out else piece
        if out and text_width(joined, size, bold) <= width:
            out[-1] = joined
        elif len(out) < lines:
            out.append(piece)
        else:
            # The rest cannot fit (its first piece did not): the last line ends in "…".
            rest = out[-1] + "".join(f"{' ' if gap else ''}{p}" for p, gap in pieces[index:])
            out[-1] = ellipsize(rest, width, size, bold)
            break
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Paint:
    """A colour role: its class name and its fill and stroke in the light and dark schemes
    (``""``: that property is not set)."""

    name: str
    fill: str = ""
    stroke: str = ""
    dark_fill: str = ""
    dark_stroke: str = ""

    def attrs(self) -> str:
        """``class="…" fill="…" stroke="…"``: the light colours as presentation attributes,
        which any renderer applies; the dark scheme's CSS rule overrides them."""
        out = f'class="{self.name}"'
        if self.fill:
            out += f' fill="{self.fill}"'
        if self.stroke:
            out += f' stroke="{self.stroke}"'
        return out


def style(paints: Iterable[Paint]) -> str:
    """The ``<style>`` switching every paint to its dark colours when the viewer prefers a
    dark scheme; sorted by class, so the bytes never depend on the order of use."""
    rules = []
    for paint in sorted(set(paints), key=lambda p: p.name):
        props = ""
        if paint.dark_fill:
            props += f"fill:{paint.dark_fill};"
        if paint.dark_stroke:
            props += f"stroke:{paint.dark_stroke};"
        if props:
            rules.append(f".{paint.name}{{{props}}}")
    return "<style>@media (prefers-color-scheme: dark) {" + "".join(rules) + "}</style>"


# GitHub's Primer colours. The background is opaque in both schemes, so the picture reads
# on GitHub's light and dark themes even when the viewer's preference and GitHub's theme
# disagree (an SVG shown as an image follows the system's preference, not GitHub's).
BACKGROUND = Paint("bg", "#ffffff", "#d0d7de", "#0d1117", "#30363d")
INK = Paint("ink", "#1f2328", "", "#e6edf3")
MUTED = Paint("muted", "#59636e", "", "#9198a1")
TRACK = Paint("track", "#eff2f5", "", "#21262d")  # the empty part of a bar or ring
ACCENT = Paint("accent", "#1f883d", "", "#2ea043")  # the done part of a bar or ring


def document(
    width: int,
    height: int,
    label: str,
    body: Iterable[str],
    paints: Iterable[Paint],
    radius: int = 6,
) -> str:
    """A complete SVG file: the XML declaration, the root with ``role="img"`` and
    ``aria-label``, the ``<title>`` first, the dark-scheme style, an opaque background with
    corners of ``radius``, then ``body``; ending in a newline. ``label`` is escaped here."""
    used = {BACKGROUND, INK, *paints}
    return (
        "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}" '
                f'font-family="{FONT}">',
                f"<title>{esc(label)}</title>",
                style(used),
                f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" '
                f'rx="{radius}" {BACKGROUND.attrs()}/>',
                *body,
                "</svg>",
            ]
        )
        + "\n"
    )


def bar(x: float, y: float, width: float, height: float, percent: int) -> list[str]:
    """A rounded progress bar: the track, and the done part over it when there is one, at
    least as wide as the bar is high, so a small percent shows as a dot, not a sliver."""
    frame = f'x="{num(x)}" y="{num(y)}" height="{height:g}" rx="{height / 2:g}"'
    out = [f'<rect {frame} width="{num(width)}" {TRACK.attrs()}/>']
    if percent:
        filled = max(height, width * percent / 100)
        out.append(f'<rect {frame} width="{num(filled)}" {ACCENT.attrs()}/>')
    return out


def text(
    x: float,
    y: float,
    content: str,
    size: float,
    paint: Paint = INK,
    *,
    anchor: str = "",
    bold: bool = False,
    extra: str = "",
) -> str:
    """One ``<text>`` element; ``content`` is escaped here."""
    attrs = f'x="{num(x)}" y="{num(y)}" font-size="{size:g}" {paint.attrs()}'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if extra:
        attrs += f" {extra}"
    return f"<text {attrs}>{esc(content)}</text>"
