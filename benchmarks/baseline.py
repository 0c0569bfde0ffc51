"""The request pattern of a declarative tool that reads every object on its own.

terraform's GitHub provider (integrations/terraform-provider-github) refreshes each resource
in its state with one GET: ``github_repository`` → ``GET /repos/o/r``, ``github_issue_label``
→ ``GET /repos/o/r/labels/{name}``, ``github_repository_milestone`` →
``GET /repos/o/r/milestones/{n}``, ``github_issue`` → ``GET /repos/o/r/issues/{n}``; once
its state holds an object's ETag the GET carries ``If-None-Match`` (so can be a free 304),
and terraform runs 10 of these at a time (``-parallelism=10``). This replays that pattern
with ``requests``; it parses nothing and plans nothing, so it is a lower bound on such a tool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

import requests

TERRAFORM_PARALLELISM = 10


@dataclass(frozen=True)
class Resources:
    """What terraform's state would hold for a synced roadmap."""

    labels: tuple[str, ...]
    milestones: tuple[int, ...]
    issues: tuple[int, ...]

    def paths(self, repo: str) -> list[str]:
        """One GET path per resource, the repository first."""
        base = f"/repos/{repo}"
        return [
            base,
            *(f"{base}/labels/{quote(name, safe='')}" for name in self.labels),
            *(f"{base}/milestones/{number}" for number in self.milestones),
            *(f"{base}/issues/{number}" for number in self.issues),
        ]


@dataclass(frozen=True)
class Refresh:
    """How a refresh went: its wall time and the ETag of every object (its new state)."""

    seconds: float
    etags: dict[str, str]
    statuses: dict[int, int]


def refresh(
    base_url: str,
    token: str,
    paths: Iterable[str],
    etags: dict[str, str] | None = None,
    parallelism: int = TERRAFORM_PARALLELISM,
) -> Refresh:
    """GET every path, ``parallelism`` at a time, conditional on ``etags`` when given."""
    local = threading.local()
    known = etags or {}
    opened: list[requests.Session] = []

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            opened.append(local.session)
            local.session.headers.update(
                {
                    "Authorization": f"token {token}",
                    "Accept": "application/vnd.github+json",
                    "User-Agent": "terraform-provider-github-baseline",
                }
            )
        return local.session  # type: ignore[no-any-return]

    def get(path: str) -> tuple[str, int, str]:
        headers = {"If-None-Match": known[path]} if path in known else {}
        response = session().get(base_url + path, headers=headers, timeout=30)
        if response.status_code not in (200, 304):
            raise RuntimeError(f"baseline GET {path}: HTTP {response.status_code}")
        return path, response.status_code, response.headers.get("ETag", known.get(path, ""))

    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=parallelism) as pool:
            results = list(pool.map(get, paths))
        seconds = time.perf_counter() - started
    finally:
        for each in opened:
            each.close()
    statuses: dict[int, int] = {}
    for _, status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    return Refresh(seconds, {path: etag for path, _, etag in results}, statuses)
