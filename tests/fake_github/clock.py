"""Injectable clock and GitHub-style timestamp formatting."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from zoneinfo import ZoneInfo

UTC = timezone.utc
# GitHub stores milestone due dates as dates and renders them as midnight Pacific time.
_PACIFIC = ZoneInfo("America/Los_Angeles")


class Clock:
    """Wall clock for the fake: real UTC time by default, frozen once a start is given.

    Rate-limit resets and every ``*_at`` field come from here, so tests can pin dates
    (``Clock(datetime(2025, 1, 1, tzinfo=UTC))``) and move time with :meth:`advance`.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen = _aware(start) if start is not None else None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Current time (timezone-aware UTC, microseconds dropped like GitHub's timestamps)."""
        with self._lock:
            base = self._frozen if self._frozen is not None else datetime.now(UTC) + self._offset
        return base.replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        """Move time forward (works for both frozen and real-time clocks)."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        """Freeze the clock at ``when``."""
        with self._lock:
            self._frozen = _aware(when)

    @property
    def frozen(self) -> bool:
        """True when the clock does not follow real time."""
        return self._frozen is not None


class CallableClock(Clock):
    """Adapter so any ``() -> datetime`` callable can drive the fake."""

    def __init__(self, func: Callable[[], datetime]) -> None:
        super().__init__()
        self._func = func

    def now(self) -> datetime:
        """Current time as reported by the wrapped callable."""
        return _aware(self._func()).replace(microsecond=0) + self._offset

    def advance(self, seconds: float) -> None:
        """Shift the wrapped callable's time forward."""
        self._offset += timedelta(seconds=seconds)


def as_clock(clock: Clock | Callable[[], datetime] | None) -> Clock:
    """Normalise the ``clock`` constructor argument of the fake."""
    if clock is None:
        return Clock()
    if isinstance(clock, Clock):
        return clock
    return CallableClock(clock)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """Render like GitHub: ``2025-07-16T12:57:05Z`` (None stays None)."""
    if value is None:
        return None
    return _aware(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(value: datetime) -> str:
    """RFC 7231 date for the ``Date`` header."""
    return format_datetime(_aware(value), usegmt=True)


def parse_iso(text: str) -> datetime:
    """Parse the ISO-8601 forms GitHub accepts (``Z`` suffix, offsets, or a bare date)."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    parsed = datetime.fromisoformat(cleaned)
    return _aware(parsed)


def pacific_midnight(text: str) -> datetime:
    """GitHub's milestone ``due_on`` quirk: keep the calendar date as written, ignore the
    time and offset, and answer midnight America/Los_Angeles in UTC (07:00Z or 08:00Z)."""
    day = date.fromisoformat(text.strip()[:10])
    local = datetime(day.year, day.month, day.day, tzinfo=_PACIFIC)
    return local.astimezone(UTC)
