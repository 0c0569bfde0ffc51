"""Where everything of the roadmap map goes: bands of phase columns, rows of equal boxes
(pure geometry, no drawing).

Columns are ``COLUMN`` px wide with ``GUTTER`` px between them, at most ``MAX_COLUMNS`` to a
band (more phases start a new band below), so seven phases make a picture 978 px wide:
shown 900 px wide in a README, its 12 px text is still 11 px. Every box has the same
height, room for three lines of title, so the rows line up across columns: the gutters and
the gaps between rows are free lanes for the connectors. The picture is as tall as its
longest phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from .progress import PhaseProgress

COLUMN, GUTTER, MARGIN = 122, 16, 14
MAX_COLUMNS = 7
FONT_SIZE, LINE = 12, 14.5
BOX_H = 58  # three lines of LINE and the padding, rounded up
ROW_GAP = 10
PITCH = BOX_H + ROW_GAP
HEADER_H = 77  # three lines of phase name, its fraction, its bar and a gap
TITLE_H = 44  # the roadmap's title line above the bands
BAND_GAP = 26
MIN_WIDTH = 560  # the title and the legend need this much, even for one phase


@dataclass(frozen=True, slots=True)
class Place:
    """An item's box: its band, column and row, and its top left corner."""

    band: int
    column: int
    row: int
    x: float
    y: float

    @property
    def right(self) -> float:
        """The box's right edge."""
        return self.x + COLUMN

    @property
    def middle(self) -> float:
        """The height of the box's middle, where connectors attach."""
        return self.y + BOX_H / 2


@dataclass(frozen=True, slots=True)
class Grid:
    """The bands and columns: column ``n`` of every band has the same x.

    ``bottom`` is where the last band ends (the legend goes below it).
    """

    columns: int
    offset: float  # the first column's x, centring the columns in a picture wider than them
    band_tops: tuple[float, ...]
    width: int
    bottom: float

    def x(self, column: int) -> float:
        """The left edge of a column."""
        return self.offset + column * (COLUMN + GUTTER)

    def gutter(self, index: int) -> float:
        """The middle of gutter ``index``: gutter n is left of column n, so gutter
        ``columns`` is right of the last column (the margins serve as outer gutters)."""
        return self.x(index) - GUTTER / 2

    def row_y(self, band: int, row: int) -> float:
        """The top edge of a row's boxes."""
        return self.band_tops[band] + HEADER_H + row * PITCH


def grid(phases: tuple[PhaseProgress, ...]) -> Grid:
    """The grid for these phases: up to seven columns a band, bands as tall as their
    longest phase."""
    columns = max(1, min(len(phases), MAX_COLUMNS))
    bands = [phases[n : n + columns] for n in range(0, len(phases), columns)] or [()]
    inner = columns * COLUMN + (columns - 1) * GUTTER
    width = max(MIN_WIDTH, inner + 2 * MARGIN)
    tops = []
    y = float(TITLE_H)
    for band in bands:
        tops.append(y)
        rows = max((len(p.items) for p in band), default=0)
        y += HEADER_H + max(0, rows * PITCH - ROW_GAP)
        y += BAND_GAP
    return Grid(columns, (width - inner) / 2, tuple(tops), width, y - BAND_GAP)


def places(phases: tuple[PhaseProgress, ...], layout: Grid) -> dict[str, Place]:
    """Item id → its box, phase by phase in roadmap order."""
    out = {}
    for index, phase in enumerate(phases):
        band, column = divmod(index, layout.columns)
        for row, entry in enumerate(phase.items):
            out[entry.item.id] = Place(band, column, row, layout.x(column), layout.row_y(band, row))
    return out


def phase_spot(index: int, layout: Grid) -> tuple[float, float]:
    """The top left corner of phase ``index``'s header."""
    band, column = divmod(index, layout.columns)
    return layout.x(column), layout.band_tops[band]
