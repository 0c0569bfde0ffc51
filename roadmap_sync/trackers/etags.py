"""The pages of the last snapshot with their ETags, so the next one can ask "changed?".

GitHub answers a conditional GET whose ETag still matches with 304, which does not count
against the rate limit; a no-op re-sync then costs (almost) nothing. The cache holds only
what GitHub returned (never the token) and is rebuilt from each snapshot's pages, so it
cannot grow without bound. A missing or broken cache is simply an empty one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RoadmapSyncError
from ..files import TRACKER_FILE, ignore_state_files, write_atomic

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Page:
    """One cached response: its ETag, its JSON and where the next page is."""

    etag: str
    data: Any
    next_url: str | None


class PageCache:
    """ETag-keyed pages for one API root and repository, persisted as JSON."""

    def __init__(self, path: Path | None, scope: str) -> None:
        self._path = path
        self._scope = scope
        self._old: dict[str, Page] = {}
        self._new: dict[str, Page] = {}
        if path is not None:
            self._old = _read(path, scope)

    def get(self, key: str) -> Page | None:
        """The cached page for a request, if any."""
        return self._old.get(key)

    def put(self, key: str, page: Page) -> None:
        """Remember a page seen in this snapshot."""
        self._new[key] = page

    def save(self) -> None:
        """Write the pages of this snapshot (and only those), atomically."""
        if self._path is None:
            return
        if self._new.keys() == self._old.keys() and all(
            self._new[k] is self._old[k] for k in self._new
        ):
            self._new = {}
            return  # every page came back 304: the file already says all of it
        doc = {
            "format": FORMAT,
            "scope": self._scope,
            "pages": {k: [p.etag, p.data, p.next_url] for k, p in sorted(self._new.items())},
        }
        try:
            # The cache is local; only the tracker file in its folder is meant for git.
            ignore_state_files(self._path.parent, keep=TRACKER_FILE.name)
            # dumps, not dump: dump streams through the pure-Python encoder.
            write_atomic(self._path, json.dumps(doc, separators=(",", ":")))
        except (OSError, RoadmapSyncError):
            pass  # a cache that cannot be written only costs requests next time
        self._old, self._new = self._new, {}


def _read(path: Path, scope: str) -> dict[str, Page]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("scope") != scope:
            return {}
        return {key: Page(str(e), d, n) for key, (e, d, n) in doc["pages"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
