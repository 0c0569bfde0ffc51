"""Repository contents on the default branch, with a commit log."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from .dependencies import DependencyOps
from .errors import DOC_URLS, ApiError, error_body, invalid_request, not_found
from .models import Commit, blob_sha
from .store import expect


class ContentOps(DependencyOps):
    """Files keyed by path; every successful PUT is one commit, as on GitHub."""

    def read_path(self, path: str) -> bytes | list[str]:
        """File bytes, or the sorted child paths when ``path`` is a directory."""
        clean = path.strip("/")
        if clean in self.files:
            return self.files[clean]
        prefix = f"{clean}/" if clean else ""
        children = sorted(
            {prefix + p[len(prefix) :].split("/")[0] for p in self.files if p.startswith(prefix)}
        )
        if not children:
            raise not_found(DOC_URLS["contents"])
        return children

    def is_dir(self, path: str) -> bool:
        """True when some stored file lives below ``path``."""
        return any(p.startswith(f"{path}/") for p in self.files)

    def put_file(self, path: str, data: dict[str, Any], actor: str) -> tuple[bool, Commit]:
        """PUT /contents/{path}: create (no sha) or update (sha must match the current blob).

        Returns (created, commit). Stale sha -> 409, missing sha on update -> 422.
        """
        doc = DOC_URLS["put-contents"]
        clean = path.strip("/")
        message = expect(data, "message", (str,), doc)
        content = expect(data, "content", (str,), doc)
        sha = expect(data, "sha", (str,), doc)
        for key, value in (("message", message), ("content", content)):
            if value is None:
                raise invalid_request(f'"{key}" wasn\'t supplied.', doc)
        if not clean or self.is_dir(clean):
            raise not_found(doc)
        try:
            raw = base64.b64decode(str(content), validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, error_body(422, "content is not valid Base64", doc)) from None
        existing = self.files.get(clean)
        if existing is not None:
            if sha is None:
                raise invalid_request('"sha" wasn\'t supplied.', doc)
            if sha != blob_sha(existing):
                raise ApiError(409, error_body(409, f"{clean} does not match {sha}", doc))
        self.files[clean] = raw
        return existing is None, self._commit(clean, str(message), raw, actor)

    def write_file(self, path: str, raw: bytes, message: str, actor: str) -> Commit:
        """Commit a file without any checks (web-UI helper path)."""
        clean = path.strip("/")
        self.files[clean] = raw
        return self._commit(clean, message, raw, actor)

    def _commit(self, path: str, message: str, raw: bytes, actor: str) -> Commit:
        parent = self.commits[-1].sha if self.commits else None
        seed = f"{len(self.commits)}:{path}:{blob_sha(raw)}:{parent}:{message}"
        tree_seed = "".join(f"{p}:{blob_sha(b)}" for p, b in sorted(self.files.items()))
        commit = Commit(
            sha=hashlib.sha1(seed.encode()).hexdigest(),
            message=message,
            path=path,
            blob=blob_sha(raw),
            tree=hashlib.sha1(tree_seed.encode()).hexdigest(),
            parent=parent,
            date=self.now(),
            author=actor,
        )
        self.commits.append(commit)
        return commit


class RepoState(ContentOps):
    """Everything the fake knows about its one repository."""
