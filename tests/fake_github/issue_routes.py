"""Endpoint handlers below an issue: its labels, comments, sub-issues and dependencies."""

from __future__ import annotations

from typing import Any

from .contents import RepoState
from .errors import DOC_URLS, ApiError, error_body
from .issues import label_item_names
from .render import Renderer
from .routing import Reply, Request, number, paginate, route


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
    issue = state.issue(number(req), DOC_URLS["get-issue"])
    labels = [state.label_by_name(n) for n in state.issue_label_names(issue)]
    return paginate(state, req, [lb for lb in labels if lb is not None], r.label)


@route("POST", r"/issues/(?P<number>\d+)/labels", DOC_URLS["add-labels"])
def add_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/labels."""
    state.add_issue_labels(number(req), _label_payload(req))
    return Reply(200, _issue_labels(state, r, number(req)), applied=True)


@route("PUT", r"/issues/(?P<number>\d+)/labels", DOC_URLS["set-labels"])
def set_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """PUT /repos/{owner}/{repo}/issues/{number}/labels."""
    state.add_issue_labels(number(req), _label_payload(req), replace=True)
    return Reply(200, _issue_labels(state, r, number(req)), applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/labels", DOC_URLS["remove-all-labels"])
def clear_issue_labels(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/labels."""
    state.remove_issue_label(number(req), None)
    return Reply(204, applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/labels/(?P<name>.+)", DOC_URLS["remove-label"])
def remove_issue_label(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}."""
    state.remove_issue_label(number(req), req.params["name"])
    return Reply(200, _issue_labels(state, r, number(req)), applied=True)


@route("GET", r"/issues/(?P<number>\d+)/comments")
def list_comments(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/comments."""
    issue = state.issue(number(req), DOC_URLS["get-issue"])
    return paginate(state, req, [state.comments[c] for c in issue.comment_ids], r.comment)


@route("POST", r"/issues/(?P<number>\d+)/comments", DOC_URLS["add-comment"])
def add_comment(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/comments."""
    body = r.comment(state.add_comment(number(req), req.obj(), req.actor))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("GET", r"/issues/(?P<number>\d+)/sub_issues")
def list_sub_issues(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/sub_issues."""
    return paginate(state, req, state.list_sub_issues(number(req)), r.nested_issue)


@route("POST", r"/issues/(?P<number>\d+)/sub_issues", DOC_URLS["add-sub-issue"])
def add_sub_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/sub_issues."""
    body = r.nested_issue(state.add_sub_issue(number(req), req.obj()))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route("DELETE", r"/issues/(?P<number>\d+)/sub_issue", DOC_URLS["remove-sub-issue"])
def remove_sub_issue(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/sub_issue."""
    parent = state.remove_sub_issue(number(req), req.obj())
    return Reply(200, r.nested_issue(parent), applied=True)


@route("GET", r"/issues/(?P<number>\d+)/dependencies/blocked_by")
def list_blocked_by(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by."""
    return paginate(state, req, state.blockers(number(req)), r.nested_issue)


@route("POST", r"/issues/(?P<number>\d+)/dependencies/blocked_by", DOC_URLS["add-blocked-by"])
def add_blocked_by(state: RepoState, req: Request, r: Renderer) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by.

    Location is the blocked issue's URL, as recorded (the spec's example says otherwise).
    """
    body = r.nested_issue(state.add_blocked_by(number(req), req.obj()))
    return Reply(201, body, {"Location": body["url"]}, applied=True)


@route(
    "DELETE",
    r"/issues/(?P<number>\d+)/dependencies/blocked_by/(?P<issue_id>\d+)",
    DOC_URLS["remove-blocked-by"],
)
def remove_blocked_by(state: RepoState, req: Request, r: Renderer) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by/{issue_id}."""
    blocked = state.remove_blocked_by(number(req), int(req.params["issue_id"]))
    return Reply(200, r.nested_issue(blocked), applied=True)


@route("GET", r"/issues/(?P<number>\d+)/dependencies/blocking")
def list_blocking(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/dependencies/blocking."""
    return paginate(state, req, state.blocked_ones(number(req)), r.nested_issue)


@route("GET", r"/issues/(?P<number>\d+)/parent")
def get_parent(state: RepoState, req: Request, r: Renderer) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{number}/parent."""
    return Reply(200, r.issue(state.parent_of(number(req))))
