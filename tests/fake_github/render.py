"""JSON shapes of GitHub's REST v3 resources, rendered from the fake's state."""

from __future__ import annotations

import base64
import textwrap
from typing import Any
from urllib.parse import quote

from .clock import iso
from .contents import RepoState
from .models import Comment, Commit, Issue, Label, Milestone, blob_sha, node_id, user_id

WEB = "https://github.com"


class Renderer:
    """Renders entities with URLs rooted at the API base the request came in on."""

    def __init__(
        self, state: RepoState, base: str, can_push: bool = True, anonymous: bool = False
    ) -> None:
        self.s = state
        self.base = base.rstrip("/")
        self.can_push = can_push
        self.anonymous = anonymous
        self.repo_url = f"{self.base}/repos/{state.owner}/{state.name}"
        self.repo_html = f"{WEB}/{state.owner}/{state.name}"
        self._users: dict[str, dict[str, Any]] = {}
        self._repository: dict[str, Any] | None = None

    def user(self, login: str) -> dict[str, Any]:
        """simple-user (memoised per response; a page repeats the same few users)."""
        if login not in self._users:
            self._users[login] = self._user(login)
        return dict(self._users[login])

    def _user(self, login: str) -> dict[str, Any]:
        uid, api = user_id(login), f"{self.base}/users/{login}"
        return {
            "login": login,
            "id": uid,
            "node_id": node_id("U", uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{WEB}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }

    def label(self, label: Label) -> dict[str, Any]:
        """label."""
        return {
            "id": label.id,
            "node_id": node_id("LA", label.id),
            "url": f"{self.repo_url}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def milestone(self, m: Milestone) -> dict[str, Any]:
        """milestone, with open/closed counts computed from the issues."""
        opened, closed = self.s.milestone_counts(m.number)
        return {
            "url": f"{self.repo_url}/milestones/{m.number}",
            "html_url": f"{self.repo_html}/milestone/{m.number}",
            "labels_url": f"{self.repo_url}/milestones/{m.number}/labels",
            "id": m.id,
            "node_id": node_id("MI", m.id),
            "number": m.number,
            "title": m.title,
            "description": m.description,
            "creator": self.user(m.creator),
            "open_issues": opened,
            "closed_issues": closed,
            "state": m.state,
            "created_at": iso(m.created_at),
            "updated_at": iso(m.updated_at),
            "due_on": iso(m.due_on),
            "closed_at": iso(m.closed_at),
        }

    def issue(self, i: Issue, with_repository: bool = False) -> dict[str, Any]:
        """issue (also used for pull requests in the issues listing).

        ``with_repository``: the form of sub-issue and dependency answers and list items,
        which GitHub sends with a ``repository`` object and without ``closed_by``
        (SubIssue.* and IssueDependencies.* in pygithub-replay).
        """
        url = f"{self.repo_url}/issues/{i.number}"
        kind = "pull" if i.is_pull_request else "issues"
        labels = [self.s.label_by_name(n) for n in self.s.issue_label_names(i)]
        milestone = self.s.milestones.get(i.milestone) if i.milestone is not None else None
        body: dict[str, Any] = {
            "url": url,
            "repository_url": self.repo_url,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.repo_html}/{kind}/{i.number}",
            "id": i.id,
            "node_id": node_id("PR" if i.is_pull_request else "I", i.id),
            "number": i.number,
            "title": i.title,
            "user": self.user(i.user),
            "labels": [self.label(lb) for lb in labels if lb is not None],
            "state": i.state,
            "locked": i.locked,
            "assignee": self.user(i.assignees[0]) if i.assignees else None,
            "assignees": [self.user(a) for a in i.assignees],
            "milestone": self.milestone(milestone) if milestone is not None else None,
            "comments": len(i.comment_ids),
            "created_at": iso(i.created_at),
            "updated_at": iso(i.updated_at),
            "closed_at": iso(i.closed_at),
            "author_association": self._association(i.user),
            "type": None,
            "active_lock_reason": None,
            "sub_issues_summary": self.s.sub_issues_summary(i),
            "issue_dependencies_summary": self.s.dependencies_summary(i),
        }
        if with_repository:
            body["repository"] = self.embedded_repository()
        body["body"] = i.body
        if not with_repository:
            body["closed_by"] = self.user(i.closed_by) if i.closed_by else None
        body.update(
            {
                "reactions": self._reactions(f"{url}/reactions"),
                "timeline_url": f"{url}/timeline",
                "performed_via_github_app": None,
                "state_reason": i.state_reason,
            }
        )
        if i.parent is not None:
            body["parent_issue_url"] = f"{self.repo_url}/issues/{i.parent}"
        if i.is_pull_request:
            pr_url = f"{self.repo_url}/pulls/{i.number}"
            body["draft"] = i.draft
            body["pull_request"] = {
                "url": pr_url,
                "html_url": body["html_url"],
                "diff_url": f"{body['html_url']}.diff",
                "patch_url": f"{body['html_url']}.patch",
                "merged_at": None,
            }
        return body

    def nested_issue(self, i: Issue) -> dict[str, Any]:
        """``issue(i, with_repository=True)``, for paginate()."""
        return self.issue(i, with_repository=True)

    def comment(self, c: Comment) -> dict[str, Any]:
        """issue-comment."""
        return {
            "url": f"{self.repo_url}/issues/comments/{c.id}",
            "html_url": f"{self.repo_html}/issues/{c.issue_number}#issuecomment-{c.id}",
            "issue_url": f"{self.repo_url}/issues/{c.issue_number}",
            "id": c.id,
            "node_id": node_id("IC", c.id),
            "user": self.user(c.user),
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "body": c.body,
            "author_association": self._association(c.user),
            "reactions": self._reactions(f"{self.repo_url}/issues/comments/{c.id}/reactions"),
            "performed_via_github_app": None,
        }

    def _association(self, login: str) -> str:
        if login.lower() == self.s.owner.lower():
            return "OWNER"
        return "COLLABORATOR" if login.lower() in self.s.collaborators else "NONE"

    @staticmethod
    def _reactions(url: str) -> dict[str, Any]:
        counts = dict.fromkeys(("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket"), 0)
        return {"url": url, "total_count": 0, **counts, "eyes": 0}

    def content_entry(self, path: str, raw: bytes | None) -> dict[str, Any]:
        """Directory-listing entry (raw None = directory) or the metadata part of a file."""
        is_file = raw is not None
        sha = blob_sha(raw) if raw is not None else blob_sha(path.encode())
        self_url = f"{self.repo_url}/contents/{quote(path)}?ref=main"
        git_url = f"{self.repo_url}/git/{'blobs' if is_file else 'trees'}/{sha}"
        html = f"{self.repo_html}/{'blob' if is_file else 'tree'}/main/{quote(path)}"
        raw_url = f"https://raw.githubusercontent.com/{self.s.owner}/{self.s.name}/main/{path}"
        return {
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(raw) if raw is not None else 0,
            "url": self_url,
            "html_url": html,
            "git_url": git_url,
            "download_url": raw_url if is_file else None,
            "type": "file" if is_file else "dir",
            "_links": {"self": self_url, "git": git_url, "html": html},
        }

    def content_file(self, path: str, raw: bytes) -> dict[str, Any]:
        """content-file: base64 wrapped at 60 columns with a trailing newline, like GitHub."""
        encoded = base64.b64encode(raw).decode()
        wrapped = "".join(f"{line}\n" for line in textwrap.wrap(encoded, 60))
        return {**self.content_entry(path, raw), "content": wrapped, "encoding": "base64"}

    def file_commit(self, path: str, raw: bytes, commit: Commit) -> dict[str, Any]:
        """file-commit: the PUT /contents answer."""
        person = {
            "name": commit.author,
            "email": f"{user_id(commit.author)}+{commit.author}@users.noreply.github.com",
            "date": iso(commit.date),
        }
        parents = []
        if commit.parent:
            parents.append(
                {
                    "url": f"{self.repo_url}/git/commits/{commit.parent}",
                    "html_url": f"{self.repo_html}/commit/{commit.parent}",
                    "sha": commit.parent,
                }
            )
        return {
            "content": self.content_entry(path, raw),
            "commit": {
                "sha": commit.sha,
                "node_id": f"C_kwDO{commit.sha[:20]}",
                "url": f"{self.repo_url}/git/commits/{commit.sha}",
                "html_url": f"{self.repo_html}/commit/{commit.sha}",
                "author": person,
                "committer": person,
                "tree": {"sha": commit.tree, "url": f"{self.repo_url}/git/trees/{commit.tree}"},
                "message": commit.message,
                "parents": parents,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
        }

    def embedded_repository(self) -> dict[str, Any]:
        """repository (not full-repository) as nested in issues; memoised per response."""
        if self._repository is None:
            full = self.repository()
            # The two keys only full-repository has; the recorded nested objects lack them.
            self._repository = {
                k: v for k, v in full.items() if k not in ("network_count", "subscribers_count")
            }
        return dict(self._repository)

    def repository(self) -> dict[str, Any]:
        """full-repository for GET /repos/{owner}/{repo}."""
        s, api, html = self.s, self.repo_url, self.repo_html
        open_count = sum(1 for i in s.live_issues() if i.state == "open")
        templated = {
            "keys_url": "/keys{/key_id}",
            "collaborators_url": "/collaborators{/collaborator}",
            "issue_events_url": "/issues/events{/number}",
            "assignees_url": "/assignees{/user}",
            "branches_url": "/branches{/branch}",
            "blobs_url": "/git/blobs{/sha}",
            "git_tags_url": "/git/tags{/sha}",
            "git_refs_url": "/git/refs{/sha}",
            "trees_url": "/git/trees{/sha}",
            "statuses_url": "/statuses/{sha}",
            "commits_url": "/commits{/sha}",
            "git_commits_url": "/git/commits{/sha}",
            "comments_url": "/comments{/number}",
            "issue_comment_url": "/issues/comments{/number}",
            "contents_url": "/contents/{+path}",
            "compare_url": "/compare/{base}...{head}",
            "archive_url": "/{archive_format}{/ref}",
            "issues_url": "/issues{/number}",
            "pulls_url": "/pulls{/number}",
            "milestones_url": "/milestones{/number}",
            "notifications_url": "/notifications{?since,all,participating}",
            "labels_url": "/labels{/name}",
            "releases_url": "/releases{/id}",
        }
        plain = [
            "forks",
            "teams",
            "hooks",
            "events",
            "tags",
            "languages",
            "stargazers",
            "contributors",
            "subscribers",
            "subscription",
            "merges",
            "downloads",
            "deployments",
        ]
        urls = {key: api + suffix for key, suffix in templated.items()}
        urls.update({f"{name}_url": f"{api}/{name}" for name in plain})
        pushed = s.commits[-1].date if s.commits else s.created_at
        body: dict[str, Any] = {
            "id": s.repo_id,
            "node_id": node_id("R", s.repo_id),
            "name": s.name,
            "full_name": f"{s.owner}/{s.name}",
            "private": s.private,
            "owner": self.user(s.owner),
            "html_url": html,
            "description": None,
            "fork": False,
            "url": api,
            **urls,
            "created_at": iso(s.created_at),
            "updated_at": iso(s.created_at),
            "pushed_at": iso(pushed),
            "git_url": f"git://github.com/{s.owner}/{s.name}.git",
            "ssh_url": f"git@github.com:{s.owner}/{s.name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": sum(len(b) for b in s.files.values()) // 1024,
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": None,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": True,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "mirror_url": None,
            "archived": False,
            "disabled": False,
            "open_issues_count": open_count,
            "license": None,
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": [],
            "visibility": "private" if s.private else "public",
            "forks": 0,
            "open_issues": open_count,
            "watchers": 0,
            "default_branch": "main",
            "permissions": {
                "admin": self.can_push,
                "maintain": self.can_push,
                "push": self.can_push,
                "triage": self.can_push,
                "pull": True,
            },
            "network_count": 0,
            "subscribers_count": 1,
        }
        if self.anonymous:
            del body["permissions"]  # GitHub tells only a signed-in user what they may do
        return body
