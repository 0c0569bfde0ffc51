"""Recorded GitHub traffic (PyGithub replay files, octokit fixtures) as data for replay tests.

A :class:`Recording` is one file's exchanges, plus, for a PyGithub test file, the exchanges
of its class's ``setUp`` recording (PyGithub runs setUp before every test, so its answers
describe the repository the test ran against). :func:`operation` names what an exchange
does, so a test can tell the operations roadmap-sync uses from the others.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .contract import CONTRACT

PYGITHUB = CONTRACT / "pygithub-replay"
OCTOKIT = CONTRACT / "octokit-fixtures"
_FIELDS_PER_EXCHANGE = 10  # protocol, verb, host, port, path, headers, body, status, ...


@dataclass
class Exchange:
    """One recorded request and its answer; header names are lower-cased."""

    index: int
    method: str
    host: str
    target: str  # path and query string, as sent
    request_headers: dict[str, str]
    body: Any  # the request's JSON, or None
    status: int
    headers: dict[str, str]
    response: Any  # the answer's JSON (octokit: a string for non-JSON), or None

    @property
    def path(self) -> str:
        """The path without its query string."""
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        """The query string as a dict (a repeated key keeps its last value)."""
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def is_write(self) -> bool:
        """POST, PATCH, PUT or DELETE."""
        return self.method != "GET"

    @property
    def date(self) -> str:
        """The answer's Date header (when it was recorded)."""
        return self.headers.get("date", "")


@dataclass
class Recording:
    """One recorded file: its exchanges and, for a PyGithub test, its class's setUp's."""

    name: str
    exchanges: list[Exchange]
    setup: list[Exchange] = field(default_factory=list)

    @cached_property
    def operations(self) -> list[str]:
        """:func:`operation` of each exchange, in order."""
        return [operation(e) for e in self.exchanges]


def _json_or_none(text: str) -> Any:
    if text in ("", "None"):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_pygithub(path: Path) -> list[Exchange]:
    """A PyGithub ``ReplayData`` file: ten lines per exchange, a blank line between them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    exchanges, start = [], 0
    while start + _FIELDS_PER_EXCHANGE <= len(lines) and lines[start]:
        _, verb, host, _, target, req_headers, req_body, status, headers, body = lines[
            start : start + _FIELDS_PER_EXCHANGE
        ]
        exchanges.append(
            Exchange(
                index=len(exchanges),
                method=verb,
                host=host,
                target=target,
                request_headers={k.lower(): v for k, v in ast.literal_eval(req_headers).items()},
                body=_json_or_none(req_body),
                status=int(status),
                headers={k.lower(): v for k, v in ast.literal_eval(headers)},
                response=_json_or_none(body),
            )
        )
        start += _FIELDS_PER_EXCHANGE + 1
    return exchanges


def parse_octokit(path: Path) -> list[Exchange]:
    """An octokit ``raw-fixture.json``: a list of nock-style records."""
    exchanges = []
    for number, raw in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        pairs = raw["rawHeaders"]
        exchanges.append(
            Exchange(
                index=number,
                method=raw["method"].upper(),
                host=urlsplit(raw["scope"]).hostname or "",
                target=raw["path"],
                request_headers={k.lower(): str(v) for k, v in raw.get("reqheaders", {}).items()},
                body=raw.get("body") or None,
                status=int(raw["status"]),
                headers={pairs[i].lower(): pairs[i + 1] for i in range(0, len(pairs), 2)},
                response=raw.get("response"),
            )
        )
    return exchanges


def octokit(scenario: str) -> list[Exchange]:
    """The exchanges of one octokit scenario (a folder of ``octokit-fixtures``)."""
    return parse_octokit(OCTOKIT / scenario / "raw-fixture.json")


def all_recordings() -> dict[str, Recording]:
    """Every recording in the contract folder, by name (``Class.test.txt`` or ``octokit/x``)."""
    found: dict[str, Recording] = {}
    for path in sorted(PYGITHUB.glob("*.txt")):
        setup = PYGITHUB / f"{path.name.split('.')[0]}.setUp.txt"
        context = parse_pygithub(setup) if setup.exists() and setup != path else []
        found[path.name] = Recording(path.name, parse_pygithub(path), context)
    for folder in sorted(p for p in OCTOKIT.iterdir() if p.is_dir()):
        name = f"octokit/{folder.name}"
        found[name] = Recording(name, octokit(folder.name))
    return found


_REPO = r"/(?:repos/[^/]+/[^/]+|repositories/\d+)"
_ISSUE = _REPO + r"/issues/\d+"
# (method or "*", path regex, operation); the first match wins.
_OPERATIONS: list[tuple[str, str, str]] = [
    ("GET", _REPO, "get-repository"),
    ("PATCH", _REPO, "update-repository"),
    ("DELETE", _REPO, "delete-repository"),
    ("POST", r"/(?:orgs/[^/]+|user)/repos", "create-repository"),
    ("GET", _REPO + "/labels", "list-labels"),
    ("POST", _REPO + "/labels", "create-label"),
    ("GET", _REPO + "/labels/.+", "get-label"),
    ("PATCH", _REPO + "/labels/.+", "update-label"),
    ("DELETE", _REPO + "/labels/.+", "delete-label"),
    ("GET", _REPO + "/milestones", "list-milestones"),
    ("POST", _REPO + "/milestones", "create-milestone"),
    ("GET", _REPO + r"/milestones/\d+", "get-milestone"),
    ("PATCH", _REPO + r"/milestones/\d+", "update-milestone"),
    ("DELETE", _REPO + r"/milestones/\d+", "delete-milestone"),
    ("GET", _REPO + "/issues", "list-issues"),
    ("POST", _REPO + "/issues", "create-issue"),
    ("GET", _ISSUE, "get-issue"),
    ("PATCH", _ISSUE, "update-issue"),
    ("*", _ISSUE + "/labels(?:/.+)?", "issue-labels"),
    ("POST", _ISSUE + "/comments", "create-comment"),
    ("*", _ISSUE + "/lock", "lock-issue"),
    ("GET", _ISSUE + "/sub_issues", "list-sub-issues"),
    ("POST", _ISSUE + "/sub_issues", "add-sub-issue"),
    ("DELETE", _ISSUE + "/sub_issue", "remove-sub-issue"),
    ("GET", _ISSUE + "/dependencies/blocked_by", "list-blocked-by"),
    ("POST", _ISSUE + "/dependencies/blocked_by", "add-blocked-by"),
    ("DELETE", _ISSUE + r"/dependencies/blocked_by/\d+", "remove-blocked-by"),
    ("GET", _ISSUE + "/dependencies/blocking", "list-blocking"),
    ("*", _REPO + "/(?:contents/.*|readme)", "contents"),
    ("*", _REPO + "/releases(?:/.*)?", "releases"),
    ("GET", "/rate_limit", "rate-limit"),
    ("GET", "/search/issues", "search"),
    ("*", "/user/keys", "user-keys"),
    ("*", "/user/emails", "user-emails"),
    ("GET", r"/users?(?:/[^/]+)?", "users"),
    ("GET", "/enterprises/.+", "enterprise"),
]
_COMPILED = [(m, re.compile(p + "$"), op) for m, p, op in _OPERATIONS]


def operation(exchange: Exchange) -> str:
    """What an exchange does, e.g. ``list-issues``; ``unknown`` when nothing matches.

    Uploads (uploads.github.com) are ``releases``; an issue listing filtered by a mention
    is ``list-issues-by-mention`` (a filter the product never uses and the fake lacks).
    """
    if exchange.host.startswith("uploads."):
        return "releases"
    for method, pattern, name in _COMPILED:
        if method in ("*", exchange.method) and pattern.match(exchange.path):
            if name == "list-issues" and "mentioned" in exchange.query:
                return "list-issues-by-mention"
            return name
    return "unknown"
