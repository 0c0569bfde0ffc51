"""The pages of the last snapshot with their ETags, so the next one can ask "changed?".

GitHub answers a conditional GET whose ETag still matches with 304, which does not count
against the rate limit; a no-op re-sync then costs (almost) nothing. The cache holds only
what GitHub returned (never the token) and is rebuilt from each snapshot's pages, so it
cannot grow without bound. A missing or broken cache is simply an empty one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .local_file import GITIGNORE

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
        self._path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self._path.parent / ".gitignore"
        if self._path.parent.name == ".roadmap-sync" and not ignore.exists():
            # The cache is local; only the tracker file in this folder is meant for git.
            ignore.write_text(GITIGNORE.format(name="tracker.json"), encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".cache-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                # dumps, not dump: dump streams through the pure-Python encoder.
                out.write(json.dumps(doc, separators=(",", ":")))
            os.replace(tmp, self._path)
        except OSError:
            # A cache that cannot be written only costs requests next time.
            Path(tmp).unlink(missing_ok=True)
        self._old, self._new = self._new, {}


def _read(path: Path, scope: str) -> dict[str, Page]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("scope") != scope:
            return {}
        return {key: Page(str(e), d, n) for key, (e, d, n) in doc["pages"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
