"""One request to GitHub through PyGithub's requester, with the waiting and retrying GitHub asks
for: writes paced, rate limits honoured, reads retried, and a POST never resent blindly."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlencode

import requests
from github import Auth, Github
from urllib3.exceptions import NameResolutionError, NewConnectionError

from .. import __version__
from ..errors import TrackerError
from .base import DEFAULT_API
from .etags import Page, PageCache

MAX_WAIT = 15 * 60  # longer than this, a run stops and says when to come back
# Seconds to connect, and between bytes of an answer. GitHub itself ends a request after 10 s,
# and a wrong --api-url must be named within 10 s: a connection that never opened is not
# retried (see _unreachable). PyGithub takes one whole number for both.
TIMEOUT = 8
SECONDARY_DEFAULT_WAIT = 60.0  # GitHub: "wait at least one minute" without retry-after
READ_ATTEMPTS = 5
RATE_LIMIT_ATTEMPTS = 6

_RATE_LIMIT_WORDS = re.compile(
    r"rate limit|abuse detection|temporarily blocked from content creation", re.IGNORECASE
)
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


# Every field the tracker reads from a repository, label, milestone or issue. Pages are cut
# down to these before they are kept: an issue's JSON is mostly URLs and user objects, and
# the ETag cache of 10,000 issues would otherwise weigh tens of megabytes.
_KEEP = frozenset(
    [
        "number",
        "id",
        "title",
        "body",
        "state",
        "state_reason",
        "labels",
        "milestone",
        "created_at",
        "updated_at",
        "closed_at",
        "assignees",
        "html_url",
        "parent_issue_url",
        "issue_dependencies_summary",
        "pull_request",
        "name",
        "color",
        "description",
        "due_on",
    ]
)


def slim(data: Any) -> Any:
    """A page of GitHub JSON with only the fields the tracker uses."""
    if isinstance(data, list):
        return [slim(entry) for entry in data]
    if not isinstance(data, dict):
        return data
    kept = {key: value for key, value in data.items() if key in _KEEP}
    if isinstance(kept.get("labels"), list):
        kept["labels"] = [{"name": label["name"]} for label in kept["labels"]]
    if isinstance(kept.get("milestone"), dict):
        kept["milestone"] = {"number": kept["milestone"]["number"]}
    if isinstance(kept.get("assignees"), list):
        kept["assignees"] = [{"login": user["login"]} for user in kept["assignees"]]
    if "pull_request" in kept:
        kept["pull_request"] = {}
    if isinstance(kept.get("issue_dependencies_summary"), dict):
        summary = kept["issue_dependencies_summary"]
        kept["issue_dependencies_summary"] = {
            key: summary.get(key) for key in ("total_blocked_by", "total_blocking")
        }
    return kept


class Ambiguous(Exception):
    """A write failed in a way that leaves unknown whether GitHub applied it."""


class Refused(Exception):
    """GitHub answered a write with an error the caller may handle (e.g. 422 already_exists)."""

    def __init__(self, status: int, data: Any) -> None:
        super().__init__(status)
        self.status = status
        self.data = data if isinstance(data, dict) else {}

    @property
    def codes(self) -> set[str]:
        """The ``code`` of every entry in a 422's ``errors`` list."""
        errors = self.data.get("errors") or []
        return {str(e.get("code")) for e in errors if isinstance(e, dict)}

    @property
    def message(self) -> str:
        """GitHub's message, with the field errors it lists."""
        text = str(self.data.get("message") or f"HTTP {self.status}")
        details = [
            " ".join(str(e.get(k)) for k in ("resource", "field", "code", "message") if e.get(k))
            for e in self.data.get("errors") or []
            if isinstance(e, dict)
        ]
        return f"{text} ({'; '.join(details)})" if details else text


@dataclass
class Stats:
    """Requests sent, by kind, for the summary and the benchmarks."""

    reads: int = 0
    writes: int = 0
    not_modified: int = 0
    waited: float = 0.0
    log: list[str] = field(default_factory=list)


class GitHubHttp:
    """Sends requests for one repository; knows nothing of roadmaps."""

    def __init__(
        self,
        repo: str,
        token: str,
        api_url: str,
        write_interval: float,
        notify: Callable[[str], None],
        verbose: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.repo = repo
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            per_page=100,
            retry=None,  # PyGithub's default retry re-POSTs on 5xx; we decide per verb
            timeout=TIMEOUT,
            # Pacing is ours (the write interval), so that it can be shown and tested.
            seconds_between_requests=None,
            seconds_between_writes=None,
            user_agent=f"roadmap-sync/{__version__}",
        )
        self._requester = self._gh.requester
        self._interval = write_interval
        self._notify = notify
        self._verbose = verbose
        self._sleep = sleep
        self._last_write = float("-inf")
        self._api = api_url.rstrip("/")
        self._answered = False  # whether the API has answered once in this run
        self.stats = Stats()
        self.base = f"/repos/{repo}"

    def close(self) -> None:
        """Release the HTTP connections."""
        self._gh.close()

    def get(
        self, url: str, params: dict[str, Any] | None = None, etag: str | None = None
    ) -> tuple[dict[str, Any], Any]:
        """A GET, retried on 5xx and dropped connections; returns (headers, data).

        With ``etag``, a 304 answer returns ``(headers, None)``.
        """
        headers = {"If-None-Match": etag} if etag else None
        for attempt in range(READ_ATTEMPTS):
            try:
                response_headers, data = self._send("GET", url, params, None, headers)
            except _Transient as exc:
                if attempt == READ_ATTEMPTS - 1:
                    raise TrackerError(f"GitHub kept failing on GET {_path(url)}: {exc}") from None
                self._sleep(min(2.0**attempt, 8.0))
                continue
            return response_headers, data
        raise AssertionError("unreachable")

    def get_all(
        self, url: str, params: dict[str, Any], cache: PageCache | None = None
    ) -> list[dict[str, Any]]:
        """Every page of a list, following GitHub's ``link: rel="next"`` URLs.

        With a cache, each page is asked for with the ETag it had last time, and a 304
        ("not modified", free of rate limit) reuses the cached page.
        """
        results: list[dict[str, Any]] = []
        next_url: str | None = url
        next_params: dict[str, Any] | None = {**params, "per_page": 100}
        while next_url:
            page = self.get_cached(next_url, next_params, cache)
            results.extend(page.data or [])
            # The link URL already carries every parameter; never rebuild it ourselves.
            next_url, next_params = page.next_url, None
        return results

    def get_cached(self, url: str, params: dict[str, Any] | None, cache: PageCache | None) -> Page:
        """One GET, conditional on the cached ETag when there is one."""
        key = f"{url}?{urlencode(sorted(params.items()))}" if params else url
        cached = cache.get(key) if cache else None
        headers, data = self.get(url, params, etag=cached.etag if cached else None)
        if headers.get("status") == "304" and cached is not None:
            page = cached
        else:
            match = _NEXT_LINK.search(headers.get("link", ""))
            next_url = match.group(1) if match else None
            page = Page(headers.get("etag", ""), slim(data), next_url)
        if cache is not None and page.etag:
            cache.put(key, page)
        return page

    def write(self, verb: str, url: str, body: dict[str, Any] | None) -> Any:
        """A POST, PATCH or DELETE, paced by the write interval.

        PATCH and DELETE are idempotent and retried; a POST that fails with a 5xx or a lost
        connection raises Ambiguous, since GitHub may have applied it.
        """
        for attempt in range(READ_ATTEMPTS):
            self._pace()
            try:
                return self._send(verb, url, None, body, None)[1]
            except _Transient as exc:
                if verb == "POST":
                    raise Ambiguous(str(exc)) from None
                if attempt == READ_ATTEMPTS - 1:
                    msg = f"GitHub kept failing on {verb} {_path(url)}: {exc}"
                    raise TrackerError(msg) from None
                self._sleep(min(2.0**attempt, 8.0))
        raise AssertionError("unreachable")

    def _pace(self) -> None:
        wait = self._last_write + self._interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_write = time.monotonic()

    def _send(
        self,
        verb: str,
        url: str,
        params: dict[str, Any] | None,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> tuple[dict[str, Any], Any]:
        limited = 0
        while True:
            try:
                status, response_headers, output = self._requester.requestJson(
                    verb, url, parameters=params, headers=headers, input=body
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                self._count(verb, url, "dropped", {})
                reason = _unreachable(exc)
                if reason and not self._answered:
                    # Nothing ever answered at this address: a wrong URL, not a bad moment.
                    raise TrackerError(
                        f"cannot reach the GitHub API at {self._api} ({reason}): check --api-url "
                        f"or GITHUB_API_URL (without them it is {DEFAULT_API})"
                    ) from None
                raise _Transient(type(exc).__name__) from None
            self._answered = True
            response_headers = {k.lower(): v for k, v in response_headers.items()}
            self._count(verb, url, str(status), response_headers)
            data = _json(output)
            if status < 400:
                return {**response_headers, "status": str(status)}, data
            wait = self._rate_limit_wait(status, response_headers, data)
            if wait is None:
                self._raise_for(status, data, verb, url)
            limited += 1
            if limited >= RATE_LIMIT_ATTEMPTS:
                raise TrackerError(
                    "GitHub's secondary rate limit keeps refusing requests; "
                    "wait an hour and run again (nothing is lost)"
                )
            self._notify(f"GitHub rate limit: waiting {wait:.0f} s before going on")
            self.stats.waited += wait
            self._sleep(wait)

    def _count(self, verb: str, url: str, status: str, headers: dict[str, Any]) -> None:
        if status == "304":
            self.stats.not_modified += 1
        elif verb == "GET":
            self.stats.reads += 1
        else:
            self.stats.writes += 1
        if self._verbose:
            left = headers.get("x-ratelimit-remaining", "?")
            self._notify(f"{verb} {_path(url)} → {status} (rate limit left: {left})")

    def _rate_limit_wait(self, status: int, headers: dict[str, Any], data: Any) -> float | None:
        """Seconds to wait before retrying, if this answer is a rate limit; else None."""
        if status not in (403, 429):
            return None
        message = str(data.get("message", "")) if isinstance(data, dict) else ""
        exhausted = headers.get("x-ratelimit-remaining") == "0"
        retry_after = headers.get("retry-after")
        if status == 403 and not (exhausted or retry_after or _RATE_LIMIT_WORDS.search(message)):
            return None  # a permission problem, not a limit
        if retry_after is not None:
            return max(float(retry_after), 0.0)
        reset = headers.get("x-ratelimit-reset")
        if exhausted and reset is not None:
            wait = float(reset) - time.time() + 1
            if wait > MAX_WAIT:
                at = time.strftime("%H:%M UTC", time.gmtime(float(reset)))
                raise TrackerError(
                    f"GitHub's API rate limit is used up until {at} (in {wait / 60:.0f} min); "
                    "run again after that: the next run carries on where this one stopped"
                )
            return max(wait, 0.0)
        return SECONDARY_DEFAULT_WAIT

    def _raise_for(self, status: int, data: Any, verb: str, url: str) -> NoReturn:
        message = str(data.get("message", "")) if isinstance(data, dict) else ""
        if status >= 500:
            raise _Transient(f"HTTP {status}")
        if status == 401:
            raise TrackerError(
                "GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN "
                "to a valid token with Issues: read and write"
            )
        if status == 403:
            raise TrackerError(
                f"GitHub refused {verb} {_path(url)} (403: {message or 'Forbidden'}): the token "
                f"needs Issues: read and write on {self.repo}; in GitHub Actions add "
                "`permissions: issues: write` to the workflow"
            )
        if status == 404 and _path(url).rstrip("/").endswith(self.base):
            raise TrackerError(
                f"repository {self.repo} not found (404): check --repo, GITHUB_REPOSITORY or "
                "`repository:` in roadmap.yaml, and that the token can see the repository"
            )
        raise Refused(status, data)


def _unreachable(exc: Exception) -> str:
    """Why no connection could be made at all (no DNS name, refused, no answer), or ``""``
    for a connection that was made and then dropped."""
    if isinstance(exc, requests.ConnectTimeout):
        return f"no answer within {TIMEOUT} s"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NameResolutionError):
        return "host not found"
    if isinstance(reason, NewConnectionError):
        return "connection refused" if "refused" in str(reason).lower() else "no connection"
    return ""


def _json(output: str) -> Any:
    if not output:
        return None
    try:
        return json.loads(output)
    except ValueError:
        return {"message": output[:200]}


class _Transient(Exception):
    """A 5xx or a lost connection: worth another try for reads and idempotent writes."""


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
