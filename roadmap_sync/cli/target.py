"""Which tracker a command talks to, from options, environment and roadmap.yaml (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import RoadmapSyncError
from ..files import TRACKER_FILE
from ..model.roadmap import REPO_RE
from ..trackers.base import DEFAULT_API
from .github_actions import in_actions

DEFAULT_WRITE_INTERVAL = 1.0  # GitHub's advice: a second between mutating requests
_TOKEN_RE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: every token format


def check_repo(repo: str, what: str) -> None:
    """An OWNER/NAME repository, or an error naming ``what`` was given and an example."""
    if not REPO_RE.fullmatch(repo):
        raise RoadmapSyncError(f"{what} {repo!r} must be OWNER/NAME, e.g. octocat/roadmap")


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved tracker: GitHub (repo, token, API root) or the local file."""

    repo: str | None
    token: str = ""
    api_url: str = DEFAULT_API
    local_path: Path = TRACKER_FILE
    write_interval: float = DEFAULT_WRITE_INTERVAL
    notice: str | None = None

    @property
    def is_local(self) -> bool:
        return self.repo is None


def resolve(
    *,
    repo: str | None,
    local: bool,
    api_url: str | None,
    write_interval: float | None,
    roadmap_repo: str | None,
    env: Mapping[str, str],
    tracker_path: Path = TRACKER_FILE,
) -> Target:
    """``--repo`` > ``GITHUB_REPOSITORY`` > ``repository:`` → GitHub; none of them → local.

    Inside GitHub Actions the local tracker is never chosen silently: only ``--local`` picks it.
    """
    interval = _interval(write_interval, env)
    if local:
        return Target(None, local_path=tracker_path, write_interval=interval)
    chosen = repo or env.get("GITHUB_REPOSITORY") or roadmap_repo
    if not chosen:
        if in_actions(env):
            raise RoadmapSyncError(
                "no repository to sync in GitHub Actions: set GITHUB_REPOSITORY or --repo, "
                "or pass --local to use the tracker file on purpose"
            )
        # One short line: it shows on every command until the learner connects GitHub.
        notice = (
            f"no repository set: using the local tracker {tracker_path} (--local hides this note)"
        )
        return Target(None, local_path=tracker_path, write_interval=interval, notice=notice)
    check_repo(chosen, "repository")
    variable = "GITHUB_TOKEN" if env.get("GITHUB_TOKEN") else "GH_TOKEN"
    # Pasted or read from a file, a token often carries a newline or spaces around it.
    token = (env.get(variable) or "").strip()
    if token and not _TOKEN_RE.fullmatch(token):
        # Said without the value: it is a secret, and it could also break a header.
        raise RoadmapSyncError(
            f"{variable} holds characters no GitHub token has (spaces, line breaks or "
            "non-ASCII inside it); set it to the token alone"
        )
    if not token:
        raise RoadmapSyncError(
            f"no token for {chosen}: set GITHUB_TOKEN or GH_TOKEN to a token with "
            "Issues: read and write (or pass --local to work offline)"
        )
    api = api_url or env.get("GITHUB_API_URL") or DEFAULT_API
    return Target(chosen, token=token, api_url=api, write_interval=interval)


def _interval(option: float | None, env: Mapping[str, str]) -> float:
    if option is not None:
        return option
    raw = env.get("ROADMAP_SYNC_WRITE_INTERVAL")
    if raw is None or raw == "":
        return DEFAULT_WRITE_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise RoadmapSyncError(
            f"ROADMAP_SYNC_WRITE_INTERVAL={raw!r} must be a number of seconds, 0 or more"
        )
    return value
