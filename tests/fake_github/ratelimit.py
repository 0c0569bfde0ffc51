"""Primary rate-limit bookkeeping (one hourly window per bucket)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .clock import Clock

WINDOW = timedelta(hours=1)


class RateBucket:
    """Counts requests in an hourly window; can be forced empty until a given time."""

    def __init__(self, limit: int, clock: Clock, resource: str = "core") -> None:
        self.limit = limit
        self.clock = clock
        self.resource = resource
        self.used = 0
        # The hourly window opens with the first charged request, as on GitHub.
        self.reset_at: datetime | None = None
        self.blocked_until: datetime | None = None

    def _roll(self) -> None:
        now = self.clock.now()
        if self.blocked_until is not None and now >= self.blocked_until:
            self.blocked_until = None
            self.used, self.reset_at = 0, None
        elif self.blocked_until is None and self.reset_at is not None and now >= self.reset_at:
            self.used, self.reset_at = 0, None

    def exhausted(self) -> bool:
        """True while requests must be refused with a primary rate-limit error."""
        self._roll()
        return self.blocked_until is not None or self.used >= self.limit

    def count(self) -> None:
        """Charge one request to the window."""
        self._roll()
        if self.reset_at is None:
            self.reset_at = self.clock.now() + WINDOW
        self.used = min(self.limit, self.used + 1)

    def refund(self) -> None:
        """Undo one charge (a request that turned out to be a free 304)."""
        self.used = max(0, self.used - 1)

    def block(self, seconds: int) -> None:
        """Exhaust the window until ``seconds`` from now (the primary_limit fault)."""
        self.used = self.limit
        self.blocked_until = self.clock.now() + timedelta(seconds=seconds)
        self.reset_at = self.blocked_until

    @property
    def remaining(self) -> int:
        """Requests left in the window."""
        return 0 if self.blocked_until is not None else max(0, self.limit - self.used)

    @property
    def reset_epoch(self) -> int:
        """UTC epoch seconds of the window reset (``x-ratelimit-reset``)."""
        reset = self.reset_at or self.clock.now() + WINDOW
        return int(reset.timestamp())

    def headers(self) -> dict[str, str]:
        """The five ``x-ratelimit-*`` headers, strings as on the wire."""
        self._roll()
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_epoch),
            "X-RateLimit-Used": str(self.limit - self.remaining),
            "X-RateLimit-Resource": self.resource,
        }

    def snapshot(self) -> dict[str, int]:
        """rate-limit schema object for GET /rate_limit."""
        self._roll()
        return {
            "limit": self.limit,
            "used": self.limit - self.remaining,
            "remaining": self.remaining,
            "reset": self.reset_epoch,
        }


def overview(bucket: RateBucket, anonymous: bool) -> dict[str, Any]:
    """GET /rate_limit: ``bucket`` as core (and the deprecated top-level ``rate``)."""
    core = bucket.snapshot()
    reset = core["reset"]

    def fresh(limit: int) -> dict[str, int]:
        return {"limit": limit, "used": 0, "remaining": limit, "reset": reset}

    # Without a token GitHub allows 10 searches a minute and no GraphQL at all.
    resources = {
        "core": core,
        "search": fresh(10 if anonymous else 30),
        "graphql": fresh(0 if anonymous else 5000),
        "code_search": fresh(10),
        "integration_manifest": fresh(5000),
    }
    return {"resources": resources, "rate": core}
