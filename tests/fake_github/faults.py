"""Deterministic fault injection: which request fails, and how."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import DOC_URLS, DOCS

# kind -> (applied before failing?, default status)
KINDS: dict[str, tuple[bool, int | None]] = {
    "error": (False, 502),
    "apply_then_error": (True, 502),
    "drop": (False, None),
    "apply_then_drop": (True, None),
    "timeout": (False, None),
    "secondary_limit": (False, 403),
    "primary_limit": (False, 403),
    "abuse": (False, 403),
}
_SERVER_ERRORS = {500: "Server Error", 502: "Server Error", 503: "Service Unavailable"}
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit and have been temporarily blocked from content "
    "creation. Please retry your request again later."
)
ABUSE_MESSAGE = (
    "You have triggered an abuse detection mechanism. Please wait a few minutes before you "
    "try again."
)
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@dataclass
class Fault:
    """One fault rule.

    ``kind``: one of KINDS, or several (one picked per firing with the seeded RNG).
    ``method``: "*", "READ", "WRITE", one verb or "POST|PATCH". ``path``: regex searched in
    the request path (the ``/repos/{o}/{r}/...`` form, no query string).
    ``nth``: fire only on the nth matching request (1-based). ``times``: fire at most this
    many times. ``probability``: fire with this chance, drawn from ``random.Random(seed)``.
    ``status``: override (500/502/503 for errors, 403/429 for limits); ``retry_after``:
    seconds for a ``retry-after`` header; ``reset_in``: seconds until a primary limit lifts;
    ``apply``: for ``timeout``, apply the write before timing out; ``hang``: seconds the HTTP
    server holds a timed-out connection before closing it.
    """

    kind: str | Sequence[str]
    method: str = "*"
    path: str = ".*"
    nth: int | None = None
    times: int | None = None
    probability: float | None = None
    seed: int = 0
    status: int | None = None
    retry_after: int | None = None
    reset_in: int = 60
    apply: bool = False
    hang: float = 30.0
    matched: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)
    history: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        kinds = [self.kind] if isinstance(self.kind, str) else list(self.kind)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise ValueError(f"unknown fault kind(s) {unknown}; choose from {sorted(KINDS)}")
        self._kinds = kinds
        self._pattern = re.compile(self.path)
        self._rng = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule covers the request at all (before nth/times/probability)."""
        wanted = self.method.upper()
        if wanted == "WRITE":
            ok = method in WRITE_METHODS
        elif wanted == "READ":
            ok = method not in WRITE_METHODS
        else:
            ok = wanted == "*" or method in wanted.split("|")
        return ok and self._pattern.search(path) is not None

    def decide(self, suppressed: bool = False) -> tuple[str, int | None] | None:
        """Count a matching request; return (kind, status) to inject, or None.

        ``suppressed`` means an earlier rule already fires on this request: the match is
        counted (so ``nth`` keeps meaning "nth matching request") but nothing is consumed.
        Every random draw happens here, in a fixed order, so a seed replays exactly.
        """
        self.matched += 1
        draw = self._rng.random() if self.probability is not None else 0.0
        if suppressed or (self.nth is not None and self.matched != self.nth):
            return None
        if self.times is not None and self.fired >= self.times:
            return None
        if self.probability is not None and draw >= self.probability:
            return None
        kind = self._kinds[0] if len(self._kinds) == 1 else self._rng.choice(self._kinds)
        status = self.status if self.status is not None else KINDS[kind][1]
        if kind in ("error", "apply_then_error") and self.status is None and len(self._kinds) > 1:
            status = self._rng.choice(sorted(_SERVER_ERRORS))
        self.fired += 1
        self.history.append(kind)
        return kind, (status if KINDS[kind][1] is not None else None)

    def applies_first(self, kind: str) -> bool:
        """True when the request is processed before the failure is delivered."""
        return KINDS[kind][0] or (kind == "timeout" and self.apply)


def fault_body(kind: str, status: int) -> dict[str, Any]:
    """Response body GitHub sends for each injected failure."""
    if kind in ("secondary_limit",):
        doc = f"{DOC_URLS['rate-limits']}#about-secondary-rate-limits"
        return {"message": SECONDARY_MESSAGE, "documentation_url": doc, "status": str(status)}
    if kind == "abuse":
        doc = f"{DOCS}/overview/resources-in-the-rest-api#abuse-rate-limits"
        return {"message": ABUSE_MESSAGE, "documentation_url": doc}
    return {"message": _SERVER_ERRORS.get(status, "Server Error"), "status": str(status)}


def random_failures(
    rate: float,
    seed: int = 0,
    kinds: Sequence[str] = ("error", "apply_then_error", "drop", "secondary_limit"),
    method: str = "*",
    path: str = ".*",
    retry_after: int | None = None,
) -> Fault:
    """A flaky-GitHub rule: each matching request fails with probability ``rate``, the kind
    (and 500/502/503 status for errors) chosen by a ``random.Random(seed)``."""
    return Fault(
        kind=tuple(kinds),
        method=method,
        path=path,
        probability=rate,
        seed=seed,
        retry_after=retry_after,
    )
