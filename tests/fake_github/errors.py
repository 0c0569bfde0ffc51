"""Error bodies shaped like GitHub's (basic-error and validation-error schemas)."""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.github.com/rest"
_DEPENDENCIES = f"{DOCS}/issues/issue-dependencies"
# Where GitHub points each error; only used for the documentation_url field.
DOC_URLS = {
    "repo": f"{DOCS}/repos/repos#get-a-repository",
    "create-label": f"{DOCS}/issues/labels#create-a-label",
    "update-label": f"{DOCS}/issues/labels#update-a-label",
    "get-label": f"{DOCS}/issues/labels#get-a-label",
    "create-milestone": f"{DOCS}/issues/milestones#create-a-milestone",
    "update-milestone": f"{DOCS}/issues/milestones#update-a-milestone",
    "get-milestone": f"{DOCS}/issues/milestones#get-a-milestone",
    "create-issue": f"{DOCS}/issues/issues#create-an-issue",
    "update-issue": f"{DOCS}/issues/issues#update-an-issue",
    "get-issue": f"{DOCS}/issues/issues#get-an-issue",
    "list-issues": f"{DOCS}/issues/issues#list-repository-issues",
    "add-sub-issue": f"{DOCS}/issues/sub-issues#add-sub-issue",
    "remove-sub-issue": f"{DOCS}/issues/sub-issues#remove-sub-issue",
    "get-parent": f"{DOCS}/issues/sub-issues#get-parent-issue",
    "list-blocked-by": f"{_DEPENDENCIES}#list-dependencies-an-issue-is-blocked-by",
    "add-blocked-by": f"{_DEPENDENCIES}#add-a-dependency-an-issue-is-blocked-by",
    "remove-blocked-by": f"{_DEPENDENCIES}#remove-dependency-an-issue-is-blocked-by",
    "list-blocking": f"{_DEPENDENCIES}#list-dependencies-an-issue-is-blocking",
    "add-comment": f"{DOCS}/issues/comments#create-an-issue-comment",
    "add-labels": f"{DOCS}/issues/labels#add-labels-to-an-issue",
    "set-labels": f"{DOCS}/issues/labels#set-labels-for-an-issue",
    "remove-label": f"{DOCS}/issues/labels#remove-a-label-from-an-issue",
    "remove-all-labels": f"{DOCS}/issues/labels#remove-all-labels-from-an-issue",
    "delete-label": f"{DOCS}/issues/labels#delete-a-label",
    "delete-milestone": f"{DOCS}/issues/milestones#delete-a-milestone",
    "contents": f"{DOCS}/repos/contents#get-repository-content",
    "put-contents": f"{DOCS}/repos/contents#create-or-update-file-contents",
    "rate-limits": f"{DOCS}/using-the-rest-api/rate-limits-for-the-rest-api",
}


class ApiError(Exception):
    """Raised by the state layer; the router turns it into an HTTP response."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(f"{status} {body.get('message')}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def error_body(status: int, message: str, doc: str = DOCS) -> dict[str, Any]:
    """Modern GitHub error body: message, documentation_url and the status as a string."""
    return {"message": message, "documentation_url": doc, "status": str(status)}


def not_found(doc: str = DOCS) -> ApiError:
    """404 Not Found, as for unknown repositories, issues, labels and routes."""
    return ApiError(404, error_body(404, "Not Found", doc))


def validation_failed(
    resource: str,
    field: str,
    code: str,
    doc: str = DOCS,
    value: Any = None,
    message: str | None = None,
    with_value: bool = False,
) -> ApiError:
    """422 Validation Failed with one entry in ``errors`` (RULES.md V1-V6)."""
    entry: dict[str, Any] = {"resource": resource, "code": code, "field": field}
    if with_value:
        entry = {"value": value, **entry}
    if message is not None:
        entry["message"] = message
    body = {"message": "Validation Failed", "errors": [entry], "documentation_url": doc}
    body["status"] = "422"
    return ApiError(422, body)


def requires_authentication(doc: str = DOCS) -> ApiError:
    """401 for a write without credentials (reads of a public repository need none)."""
    return ApiError(401, error_body(401, "Requires authentication", doc))


def invalid_request(message: str, doc: str = DOCS) -> ApiError:
    """422 produced by GitHub's request-schema check (``Invalid request.\\n\\n...``)."""
    return ApiError(422, error_body(422, f"Invalid request.\n\n{message}", doc))
