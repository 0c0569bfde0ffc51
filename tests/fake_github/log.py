"""Request log records and the transport-neutral outcome of handling one request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class LoggedRequest:
    """One request attempt as the fake saw it (retries by the client are separate entries).

    ``kind`` is "read" (GET/HEAD) or "write"; ``counted`` says whether it was charged to the
    primary rate limit (304s and GET /rate_limit are not); ``applied`` says whether a write
    changed state; ``fault`` names the injected failure, if any; ``outcome`` is "response",
    "drop" or "timeout" (``status`` is None for the last two).
    """

    seq: int
    method: str
    path: str
    query: dict[str, list[str]]
    url: str
    headers: dict[str, str]
    body: Any
    kind: str
    transport: str
    at: datetime
    status: int | None = None
    counted: bool = False
    applied: bool = False
    fault: str | None = None
    outcome: str = "response"

    def matches(self, method: str | None = None, path: str | None = None) -> bool:
        """Filter helper: exact method (case-insensitive) and/or regex searched in the path."""
        if method is not None and self.method != method.upper():
            return False
        return path is None or re.search(path, self.path) is not None


@dataclass
class Outcome:
    """How to answer: a response, a dropped connection, or a hang until the client times out."""

    status: int | None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    action: str = "respond"
    hang: float = 0.0
