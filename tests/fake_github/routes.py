"""Endpoint handlers for the repository, its labels, milestones, issues and contents."""

from __future__ import annotations

# Handlers below an issue register themselves on import.
from . import issue_routes  # noqa: F401
from .contents import RepoState
from .errors import DOC_URLS
from .render import Renderer
from .routing import Reply, Request, choice, dispatch, number, paginate, route

__all__ = ["Request", "dispatch"]


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
        choice(req, "state", "open", ("open", "closed", "all"), doc),
        choice(req, "sort", "due_on", ("due_on", "completeness"), doc),
        choice(req, "direction", "asc", ("asc", "desc"), doc),
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
    return Reply(200, r.milestone(state.milestone(number(req), DOC_URLS["get-milestone"])))


@route("PATCH", r"/milestones/(?P<number>\d+)", DOC_URLS["update-milestone"])
def update_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PATCH /repos/{owner}/{repo}/milestones/{number}."""
    return Reply(200, r.milestone(state.update_milestone(number(req), req.obj())), applied=True)


@route("DELETE", r"/milestones/(?P<number>\d+)", DOC_URLS["delete-milestone"])
def delete_milestone(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/milestones/{number}."""
    state.delete_milestone(number(req))
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
    return Reply(200, r.issue(state.issue(number(req), DOC_URLS["get-issue"])))


@route("PATCH", r"/issues/(?P<number>\d+)", DOC_URLS["update-issue"])
def update_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{number}."""
    issue = state.update_issue(number(req), req.obj(), req.actor)
    return Reply(200, r.issue(issue), applied=True)


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
