"""URL routing: parsed request in, handler chosen, status/body/headers out (handlers live in
routes.py and issue_routes.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from .contents import RepoState
from .errors import (
    DOC_URLS,
    DOCS,
    ApiError,
    error_body,
    not_found,
    requires_authentication,
    validation_failed,
)
from .render import Renderer


@dataclass
class Request:
    """A request as the handlers see it (path already normalised to /repos/{o}/{r}/...)."""

    method: str
    path: str
    query: dict[str, str]
    query_pairs: list[tuple[str, str]]
    body: Any
    headers: dict[str, str]
    base: str
    actor: str
    can_push: bool = True
    link_style: str = "repositories"
    anonymous: bool = False  # no Authorization header at all
    params: dict[str, str] = field(default_factory=dict)
    rest: str = ""

    def obj(self) -> dict[str, Any]:
        """The JSON body as an object (GitHub: 400 when it is some other JSON type)."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise ApiError(400, error_body(400, "Body should be a JSON object"))
        return self.body


@dataclass
class Reply:
    """What a handler answers; ``applied`` marks a successful state change."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    applied: bool = False


Handler = Callable[[RepoState, Request, Renderer], Reply]
_REPO = r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str], Handler, str]] = []


def route(method: str, pattern: str, doc: str = DOCS) -> Callable[[Handler], Handler]:
    """Register a repository-scoped handler for ``method`` and a path suffix regex;
    ``doc`` is the operation's page, which GitHub names in a 401 for a missing token."""

    def register(func: Handler) -> Handler:
        """Add ``func`` to the routing table and return it unchanged."""
        _ROUTES.append((method, re.compile(_REPO + pattern + "$"), func, doc))
        return func

    return register


def dispatch(state: RepoState, req: Request) -> Reply:
    """Find the handler; unknown routes and other repositories are 404 like on GitHub.

    Without a token a private repository is 404 too (GitHub hides it), and a public one
    may be read but not written (401).
    """
    path_known = False
    wanted = "GET" if req.method == "HEAD" else req.method  # transports drop HEAD bodies
    for method, pattern, handler, doc in _ROUTES:
        match = pattern.match(req.path)
        if match is None:
            continue
        path_known = True
        if method != wanted:
            continue
        if not state.matches_repo(match["owner"], match["repo"]) or (
            req.anonymous and state.private
        ):
            raise not_found(DOC_URLS["repo"])
        if req.anonymous and wanted != "GET":
            raise requires_authentication(doc)
        req.params = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
        req.rest = req.path[match.end("repo") :]
        return handler(state, req, Renderer(state, req.base, req.can_push, req.anonymous))
    raise not_found(DOC_URLS["repo"] if path_known else DOCS)


def per_page(req: Request) -> tuple[int, int]:
    """(per_page, page) with GitHub's defaults (30, 1) and cap (100)."""

    def number(key: str, default: int) -> int:
        raw = req.query.get(key, "")
        return int(raw) if raw.isdigit() and int(raw) > 0 else default

    return min(number("per_page", 30), 100), number("page", 1)


def paginate(
    state: RepoState, req: Request, items: list[Any], render: Callable[[Any], Any]
) -> Reply:
    """One page of ``items`` plus a Link header formed like GitHub's (RULES.md G1-G3)."""
    size, page = per_page(req)
    last = max(1, -(-len(items) // size))
    chunk = items[(page - 1) * size : page * size]
    reply = Reply(200, [render(item) for item in chunk])
    if last == 1 and page == 1:
        return reply
    prefix = (
        f"{req.base}/repositories/{state.repo_id}{req.rest}"
        if req.link_style == "repositories"
        else f"{req.base}{req.path}"
    )
    kept = [(k, v) for k, v in req.query_pairs if k != "page"]

    def link(target: int, rel: str) -> str:
        return f'<{prefix}?{urlencode([*kept, ("page", str(target))])}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links.append(link(1, "first"))
    reply.headers["Link"] = ", ".join(links)
    return reply


def number(req: Request) -> int:
    """The ``{number}`` path parameter."""
    return int(req.params["number"])


def choice(req: Request, key: str, default: str, allowed: tuple[str, ...], doc: str) -> str:
    """A query parameter that must be one of ``allowed`` (422 otherwise)."""
    value = req.query.get(key, default)
    if value not in allowed:
        raise validation_failed("Milestone", key, "invalid", doc, value=value, with_value=True)
    return value
