"""URL routing and endpoint handlers: parsed request in, status/body/headers out."""

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
from .issues import label_item_names
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

    def link(number: int, rel: str) -> str:
        return f'<{prefix}?{urlencode([*kept, ("page", str(number))])}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links.append(link(1, "first"))
    reply.headers["Link"] = ", ".join(links)
    return reply


def _number(req: Request) -> int:
    return int(req.params["number"])


def _choice(req: Request, key: str, default: str, allowed: tuple[str, ...], doc: str) -> str:
    value = req.query.get(key, default)
    if value not in allowed:
        raise validation_failed("Milestone", key, "invalid", doc, value=value, with_value=True)
    return value


# -- repository ---------------------------------------------------------------------------
@route("GET", "")
def get_repo(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}."""
    return Reply(200, r.repository())


# -- labels -------------------------------------------------------------------------------
@route("GET", "/labels")
def list_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/labels."""
    return paginate(state, req, state.sorted_labels(), r.label)


@route("POST", "/labels", DOC_URLS["create-label"])
def create_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/labels."""
    body = r.label(state.create_label(req.obj()))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("GET", "/labels/(?P<name>.+)")
def get_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/labels/{name}."""
    return Reply(200, r.label(state.get_label(req.params["name"])))


@route("PATCH", "/labels/(?P<name>.+)", DOC_URLS["update-label"])
def update_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PATCH /repos/{owner}/{repo}/labels/{name}."""
    return Reply(200, r.label(state.update_label(req.params["name"], req.obj())), applied=True)


@route("DELETE", "/labels/(?P<name>.+)", DOC_URLS["delete-label"])
def delete_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/labels/{name}."""
    state.delete_label(req.params["name"])
    return Reply(204, applied=True)


# -- milestones ---------------------------------------------------------------------------
@route("GET", "/milestones")
def list_milestones(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/milestones."""
    doc = DOC_URLS["get-milestone"]
    found = state.list_milestones(
        _choice(req, "state", "open", ("open", "closed", "all"), doc),
        _choice(req, "sort", "due_on", ("due_on", "completeness"), doc),
        _choice(req, "direction", "asc", ("asc", "desc"), doc),
    )
    return paginate(state, req, found, r.milestone)


@route("POST", "/milestones", DOC_URLS["create-milestone"])
def create_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/milestones."""
    body = r.milestone(state.create_milestone(req.obj(), req.actor))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("GET", r"/milestones/(?P<number>\d+)")
def get_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/milestones/{number}."""
    return Reply(200, r.milestone(state.milestone(_number(req), DOC_URLS["get-milestone"])))


@route("PATCH", r"/milestones/(?P<number>\d+)", DOC_URLS["update-milestone"])
def update_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PATCH /repos/{owner}/{repo}/milestones/{number}."""
    return Reply(200, r.milestone(state.update_milestone(_number(req), req.obj())), applied=True)


@route("DELETE", r"/milestones/(?P<number>\d+)", DOC_URLS["delete-milestone"])
def delete_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/milestones/{number}."""
    state.delete_milestone(_number(req))
    return Reply(204, applied=True)


# -- issues -------------------------------------------------------------------------------
@route("GET", "/issues")
def list_issues(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues."""
    return paginate(state, req, state.list_issues(req.query), r.issue)


@route("POST", "/issues", DOC_URLS["create-issue"])
def create_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues."""
    body = r.issue(state.create_issue(req.obj(), req.actor))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("GET", r"/issues/(?P<number>\d+)")
def get_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}."""
    return Reply(200, r.issue(state.issue(_number(req), DOC_URLS["get-issue"])))


@route("PATCH", r"/issues/(?P<number>\d+)", DOC_URLS["update-issue"])
def update_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{number}."""
    issue = state.update_issue(_number(req), req.obj(), req.actor)
    return Reply(200, r.issue(issue), applied=True)


def _issue_labels(state: RepoState, r: Renderer, number: int) -> list[dict[str, Any]]:
    issue = state.issue(number, DOC_URLS["get-issue"])
    labels = [state.label_by_name(n) for n in state.issue_label_names(issue)]
    return [r.label(lb) for lb in labels if lb is not None]


def _label_payload(req: Request) -> list[str]:
    # Accepted forms: ["a"], [{"name": "a"}], {"labels": [...]}, and (PUT) a bare string.
    body = req.body
    if isinstance(body, dict):
        body = body.get("labels", [])
    if isinstance(body, str):
        body = [body]
    if not isinstance(body, list):
        raise ApiError(400, error_body(400, "Body should be a JSON object or array"))
    return label_item_names(body, DOC_URLS["get-issue"])


@route("GET", r"/issues/(?P<number>\d+)/labels")
def list_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/labels."""
    issue = state.issue(_number(req), DOC_URLS["get-issue"])
    labels = [state.label_by_name(n) for n in state.issue_label_names(issue)]
    return paginate(state, req, [lb for lb in labels if lb is not None], r.label)


@route("POST", r"/issues/(?P<number>\d+)/labels", DOC_URLS["add-labels"])
def add_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/labels."""
    state.add_issue_labels(_number(req), _label_payload(req))
    return Reply(200, _issue_labels(state, r, _number(req)), applied=True)


@route("PUT", r"/issues/(?P<number>\d+)/labels", DOC_URLS["set-labels"])
def set_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PUT /repos/{owner}/{repo}/issues/{number}/labels."""
    state.add_issue_labels(_number(req), _label_payload(req), replace=True)
    return Reply(200, _issue_labels(state, r, _number(req)), applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/labels", DOC_URLS["remove-all-labels"])
def clear_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/labels."""
    state.remove_issue_label(_number(req), None)
    return Reply(204, applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/labels/(?P<name>.+)", DOC_URLS["remove-label"])
def remove_issue_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}."""
    state.remove_issue_label(_number(req), req.params["name"])
    return Reply(200, _issue_labels(state, r, _number(req)), applied=True)


@route("GET", r"/issues/(?P<number>\d+)/comments")
def list_comments(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/comments."""
    issue = state.issue(_number(req), DOC_URLS["get-issue"])
    return paginate(state, req, [state.comments[c] for c in issue.comment_ids], r.comment)


@route("POST", r"/issues/(?P<number>\d+)/comments", DOC_URLS["add-comment"])
def add_comment(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/comments."""
    body = r.comment(state.add_comment(_number(req), req.obj(), req.actor))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("GET", r"/issues/(?P<number>\d+)/sub_issues")
def list_sub_issues(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/sub_issues."""
    return paginate(state, req, state.list_sub_issues(_number(req)), r.nested_issue)


@route("POST", r"/issues/(?P<number>\d+)/sub_issues", DOC_URLS["add-sub-issue"])
def add_sub_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/sub_issues."""
    body = r.nested_issue(state.add_sub_issue(_number(req), req.obj()))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/sub_issue", DOC_URLS["remove-sub-issue"])
def remove_sub_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/sub_issue."""
    parent = state.remove_sub_issue(_number(req), req.obj())
    return Reply(200, r.nested_issue(parent), applied=True)


@route("GET", r"/issues/(?P<number>\d+)/parent")
def get_parent(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/parent."""
    return Reply(200, r.issue(state.parent_of(_number(req))))


# -- contents -----------------------------------------------------------------------------
@route("GET", "/contents(?:/(?P<path>.*))?")
def get_contents(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/contents/{path}: a file, or a listing for a directory."""
    path = req.params.get("path", "").strip("/")
    found = state.read_path(path)
    if isinstance(found, list):
        entries = [r.content_entry(p, state.files.get(p)) for p in found]
        return Reply(200, entries)
    if "raw" in req.headers.get("accept", ""):
        return Reply(200, found, {"Content-Type": "application/vnd.github.raw; charset=utf-8"})
    return Reply(200, r.content_file(path, found))


@route("PUT", "/contents/(?P<path>.+)", DOC_URLS["put-contents"])
def put_contents(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PUT /repos/{owner}/{repo}/contents/{path}."""
    path = req.params["path"].strip("/")
    created, commit = state.put_file(path, req.obj(), req.actor)
    body = r.file_commit(path, state.files[path], commit)
    headers = {"Location": body["content"]["url"]} if created else {}
    return Reply(201 if created else 200, body, headers, applied=True)
