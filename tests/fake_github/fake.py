"""FakeGitHub: the request pipeline (faults, auth, rate limit, routing, ETags, logging)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from .clock import Clock, as_clock, http_date
from .contents import RepoState
from .errors import DOC_URLS, DOCS, ApiError, error_body
from .faults import WRITE_METHODS, Fault, fault_body
from .hooks import Hooks
from .log import LoggedRequest, Outcome
from .models import user_id
from .ratelimit import RateBucket, overview
from .routes import Request, dispatch
from .transport import Transports
from .webui import WebUI

DEFAULT_TOKEN = "ghp_testtoken1234567890abcdefghijklmnop"
_UNAUTHENTICATED_LIMIT = 60
_EXPOSED = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)


class FakeGitHub(WebUI, Transports, Hooks):
    """Stateful in-memory GitHub REST v3 for one repository.

    Use :meth:`install` on a ``responses.RequestsMock`` or :meth:`serve` for real HTTP.
    Inspect ``requests`` (the log), ``reads``/``writes``/``applied_writes``, ``commits``;
    inject failures with :meth:`add_fault`/:meth:`fail`; act like a web-UI user with the
    ``ui_*`` methods (those are not logged and not rate limited); change state between two
    requests with :meth:`before`.

    ``private``: False (the default) serves a public repository, as a learner's roadmap
    usually is: requests without an ``Authorization`` header may read it (charged to the
    60/hour unauthenticated bucket) but writes answer 401 "Requires authentication". A
    private repository answers every such request 404, as GitHub hides private
    repositories. A wrong token is 401 "Bad credentials" either way.

    ``milestone_titles_case_sensitive``: GitHub documents no rule for whether milestone
    titles that differ only in case clash. RULES.md V3 records only an exact-title 422.
    The default (False, titles clash whatever their case) is the reading that matches how
    GitHub treats label names, what this fake always did and what its tests were written
    against; True lets tests run a client against the other behaviour.
    """

    def __init__(
        self,
        owner: str = "learner",
        repo: str = "roadmap",
        token: str = DEFAULT_TOKEN,
        read_only_token: str | None = None,
        login: str | None = None,
        rate_limit: int = 5000,
        clock: Clock | Callable[[], datetime] | None = None,
        api_url: str = "https://api.github.com",
        default_labels: bool = True,
        collaborators: tuple[str, ...] = (),
        link_style: str = "repositories",
        pacific_due_on: bool = True,
        private: bool = False,
        milestone_titles_case_sensitive: bool = False,
    ) -> None:
        self.clock = as_clock(clock)
        self.owner, self.repo = owner, repo
        self.token, self.read_only_token = token, read_only_token
        self.login = login or owner
        self.api_url = api_url.rstrip("/")
        self.link_style = link_style
        self.state = RepoState(
            owner,
            repo,
            self.clock,
            default_labels,
            collaborators,
            pacific_due_on,
            private,
            milestone_titles_case_sensitive,
        )
        self.core = RateBucket(rate_limit, self.clock)
        self.anonymous = RateBucket(_UNAUTHENTICATED_LIMIT, self.clock)
        self.faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        self.applied_writes = 0
        self.after_write: Callable[[int], None] | None = None
        # Exceptions raised while serving over HTTP (e.g. by an after_write hook); the
        # client saw a dropped connection.
        self.server_errors: list[BaseException] = []
        self.lock = threading.RLock()
        Transports.__init__(self)
        Hooks.__init__(self)

    # -- inspection ---------------------------------------------------------------------
    @property
    def full_name(self) -> str:
        """``owner/repo`` (what GITHUB_REPOSITORY holds)."""
        return f"{self.owner}/{self.repo}"

    @property
    def reads(self) -> int:
        """Number of logged read attempts (GET/HEAD), whatever their outcome."""
        return sum(1 for r in self.requests if r.kind == "read")

    @property
    def writes(self) -> int:
        """Number of logged write attempts (POST/PATCH/PUT/DELETE), whatever their outcome."""
        return sum(1 for r in self.requests if r.kind == "write")

    @property
    def commits(self) -> list[Any]:
        """Commits made through the contents API (and ``ui_put_file``), oldest first."""
        return self.state.commits

    def calls(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """Logged requests filtered by method and/or a path regex."""
        return [r for r in self.requests if r.matches(method, path)]

    def reset_log(self) -> None:
        """Forget logged requests (state, faults and the rate-limit window are kept)."""
        with self.lock:
            self.requests.clear()

    # -- faults -------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> Fault:
        """Register a fault rule; the first rule that fires on a request wins."""
        with self.lock:
            self.faults.append(fault)
        return fault

    def fail(self, kind: str, method: str = "*", path: str = ".*", **options: Any) -> Fault:
        """Shorthand for ``add_fault(Fault(kind, method, path, **options))``."""
        return self.add_fault(Fault(kind, method=method, path=path, **options))

    def random_failures(self, rate: float, seed: int = 0, **options: Any) -> Fault:
        """Add a seeded flaky-GitHub rule (see :func:`faults.random_failures`)."""
        from .faults import random_failures

        return self.add_fault(random_failures(rate, seed, **options))

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        with self.lock:
            self.faults.clear()

    # -- pipeline -----------------------------------------------------------------------
    def handle(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        transport: str,
        base: str | None = None,
    ) -> Outcome:
        """Answer one request. Transport adapters turn the Outcome into HTTP behaviour."""
        method = method.upper()
        with self.lock:
            parts = urlsplit(url)
            path = self._normalise(parts.path)
            self._run_hooks(method, path)
            hdrs = {k.lower(): v for k, v in headers.items()}
            entry = LoggedRequest(
                seq=len(self.requests) + 1,
                method=method,
                path=path,
                query=parse_qs(parts.query, keep_blank_values=True),
                url=url,
                headers=dict(headers),
                body=_loggable(body),
                kind="write" if method in WRITE_METHODS else "read",
                transport=transport,
                at=self.clock.now(),
            )
            self.requests.append(entry)
            firing = self._pick_fault(method, path)
            if firing is not None and not firing[0].applies_first(firing[1]):
                return self._fault(entry, *firing)
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            outcome = self._process(entry, path, pairs, hdrs, body, base or self.api_url)
            return outcome if firing is None else self._fault(entry, *firing)

    def _normalise(self, raw: str) -> str:
        prefix = urlsplit(self.api_url).path.rstrip("/")
        path = raw[len(prefix) :] if prefix and raw.startswith(prefix) else raw
        alias = f"/repositories/{self.state.repo_id}"
        if path == alias or path.startswith(alias + "/"):
            path = f"/repos/{self.owner}/{self.repo}" + path[len(alias) :]
        return path.rstrip("/") or "/"

    def _pick_fault(self, method: str, path: str) -> tuple[Fault, str, int | None] | None:
        chosen: tuple[Fault, str, int | None] | None = None
        for fault in self.faults:
            if fault.matches(method, path):
                firing = fault.decide(suppressed=chosen is not None)
                if firing is not None:
                    chosen = (fault, *firing)
        return chosen

    def _fault(self, entry: LoggedRequest, fault: Fault, kind: str, status: int | None) -> Outcome:
        entry.fault = kind
        if status is None:  # drop, apply_then_drop, timeout
            entry.outcome, entry.status = ("timeout" if kind == "timeout" else "drop"), None
            return Outcome(None, action=entry.outcome, hang=fault.hang)
        extra: dict[str, str] = {}
        if fault.retry_after is not None:
            extra["Retry-After"] = str(fault.retry_after)
        if kind == "primary_limit":
            self.core.block(fault.reset_in)
            return self._primary_limited(entry, status, anonymous=False)
        if not fault.applies_first(kind):
            self._charge(entry, self.core)
        return self._respond(entry, status, fault_body(kind, status), self.core, extra)

    def _process(
        self,
        entry: LoggedRequest,
        path: str,
        pairs: list[tuple[str, str]],
        hdrs: dict[str, str],
        body: bytes | None,
        base: str,
    ) -> Outcome:
        authorization = hdrs.get("authorization", "").strip()
        scheme, _, credential = authorization.partition(" ")
        anonymous = not authorization
        if not anonymous and not (
            scheme.lower() in ("token", "bearer")
            and credential.strip() in (self.token, self.read_only_token)
        ):
            # A wrong token is refused everywhere, even where no token would be served.
            self._charge(entry, self.anonymous)
            return self._respond(entry, 401, error_body(401, "Bad credentials"), self.anonymous)
        bucket = self.anonymous if anonymous else self.core
        if entry.method == "GET" and path == "/rate_limit":
            rates = overview(bucket, anonymous)  # not charged (RULES.md H6)
            return self._respond(entry, 200, rates, bucket, conditional=hdrs)
        if bucket.exhausted():
            return self._primary_limited(entry, 403, anonymous)
        self._charge(entry, bucket)
        read_only = credential.strip() == self.read_only_token
        try:
            if "user-agent" not in hdrs:
                raise ApiError(403, error_body(403, _NO_USER_AGENT))
            if entry.kind == "write" and read_only and not anonymous:
                message = "Resource not accessible by personal access token"
                raise ApiError(403, error_body(403, message))
            parsed = _parse_json(body)
            req = Request(
                entry.method,
                path,
                dict(pairs),  # a repeated key keeps its last value, as Rack parses it
                pairs,
                parsed,
                hdrs,
                base.rstrip("/"),
                self.login,
                can_push=not (read_only or anonymous),
                link_style=self.link_style,
                anonymous=anonymous,
            )
            reply = dispatch(self.state, req)
        except ApiError as err:
            return self._respond(entry, err.status, err.body, bucket, err.headers)
        if reply.applied and entry.kind == "write":
            self.applied_writes += 1
            entry.applied = True
            if self.after_write is not None:
                self.after_write(self.applied_writes)
        conditional = hdrs if entry.method in ("GET", "HEAD") and reply.status == 200 else None
        return self._respond(
            entry, reply.status, reply.body, bucket, reply.headers, conditional=conditional
        )

    def _charge(self, entry: LoggedRequest, bucket: RateBucket) -> None:
        bucket.count()
        entry.counted = True

    def _primary_limited(self, entry: LoggedRequest, status: int, anonymous: bool) -> Outcome:
        if anonymous:
            # The form GitHub uses for the 60/hour bucket of an IP (RULES.md H5).
            message = (
                "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                "Authenticated requests get a higher rate limit. Check out the documentation "
                "for more details.)"
            )
            doc = f"{DOCS}/overview/resources-in-the-rest-api#rate-limiting"
            return self._respond(entry, status, error_body(status, message, doc), self.anonymous)
        message = (
            f"API rate limit exceeded for user ID {user_id(self.login)}. If you reach "
            "out to GitHub Support for help, please include the request ID "
            f"{_request_id(entry.seq)} and timestamp {self.clock.now():%Y-%m-%d %H:%M:%S} UTC."
        )
        doc = f"{DOC_URLS['rate-limits']}#primary-rate-limit"
        body = {"message": message, "documentation_url": doc, "status": str(status)}
        return self._respond(entry, status, body, self.core)

    def _respond(
        self,
        entry: LoggedRequest,
        status: int,
        body: Any,
        bucket: RateBucket,
        extra: Mapping[str, str] | None = None,
        conditional: Mapping[str, str] | None = None,
    ) -> Outcome:
        if isinstance(body, bytes):
            payload = body
        elif body is None:
            payload = b""
        else:
            payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        headers: dict[str, str] = {"Date": http_date(self.clock.now())}
        if status == 200 and entry.method in ("GET", "HEAD"):
            etag = f'W/"{hashlib.sha256(payload).hexdigest()}"'
            headers["ETag"] = etag
            headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
            wanted = (conditional or {}).get("if-none-match", "")
            if etag.removeprefix("W/") in {t.strip().removeprefix("W/") for t in wanted.split(",")}:
                # Not charged: GitHub does not count 304s against the primary limit.
                if entry.counted:
                    bucket.refund()
                entry.counted, entry.status = False, 304
                return Outcome(304, [*headers.items(), *bucket.headers().items()], b"")
        elif status in (200, 201) and entry.method in WRITE_METHODS and payload:
            # Recorded writes (PyGithub replays, octokit fixtures) carry an ETag of the body
            # (strong: GitHub weakens it only when it gzips) and the GETs' Cache-Control, but
            # no Last-Modified; a 204 carries neither (octokit fixtures, 2022).
            headers["ETag"] = f'"{hashlib.sha256(payload).hexdigest()}"'
            headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
        if payload and "Content-Type" not in (extra or {}):
            headers["Content-Type"] = "application/json; charset=utf-8"
        headers.update(extra or {})
        headers.update(bucket.headers())
        headers.update(
            {
                "X-GitHub-Media-Type": "github.v3; format=json",
                "X-GitHub-Api-Version-Selected": "2022-11-28",
                "Access-Control-Expose-Headers": _EXPOSED,
                "X-GitHub-Request-Id": _request_id(entry.seq),
            }
        )
        entry.status = status
        return Outcome(status, list(headers.items()), payload)


_NO_USER_AGENT = (
    "Request forbidden by administrative rules. Please make sure your request has a User-Agent "
    f"header ({DOCS}/overview/resources-in-the-rest-api#user-agent-required). "
    "Check https://developer.github.com for other possible causes."
)


def _request_id(seq: int) -> str:
    return f"F4KE:{seq:04X}:{seq * 7919:06X}:{seq * 104729:07X}:6700AB{seq % 256:02X}"


def _loggable(body: bytes | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _parse_json(body: bytes | None) -> Any:
    if not body or not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        doc = f"{DOCS}/overview/resources-in-the-rest-api#client-errors"
        raise ApiError(400, error_body(400, "Problems parsing JSON", doc)) from None
