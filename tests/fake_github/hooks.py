"""Hooks that change the fake's state between two requests (see FakeGitHub.before)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Hook:
    """Run ``callback`` before each of the next ``times`` requests that match.

    ``method``: one verb (case-insensitive) or "*"; ``path``: regex searched in the request
    path (the ``/repos/{o}/{r}/...`` form, no query string), as for faults and ``calls``.
    ``fired`` counts the runs so far; the hook is spent when it reaches ``times``.
    """

    method: str
    path: str
    callback: Callable[[], None]
    times: int = 1
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.times < 1:
            raise ValueError(f"times must be at least 1, not {self.times}")
        self._pattern = re.compile(self.path)

    @property
    def spent(self) -> bool:
        """True once the callback has run ``times`` times."""
        return self.fired >= self.times

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and (normalised) path triggers the hook."""
        wanted = self.method.upper()
        return (wanted in ("*", method)) and self._pattern.search(path) is not None


class Hooks:
    """Mixin giving FakeGitHub :meth:`before`; its ``handle`` calls ``_run_hooks`` first."""

    lock: threading.RLock

    def __init__(self) -> None:
        self.hooks: list[Hook] = []

    def before(
        self, method: str, path_regex: str, callback: Callable[[], None], times: int = 1
    ) -> Hook:
        """Run ``callback`` before each of the next ``times`` requests matching ``method``
        ("GET", "PATCH"... or "*") and ``path_regex`` (searched in the path).

        It runs under the fake's lock before the request is logged or processed (faults
        included), so it can change the repository between two requests of a client,
        e.g. ``ui_edit_issue`` after the client listed the issues and before it PATCHes
        one. An exception from it reaches the client as a dropped connection over HTTP
        (see ``server_errors``) and the test itself under ``responses``.
        """
        hook = Hook(method, path_regex, callback, times)
        with self.lock:
            self.hooks.append(hook)
        return hook

    def _run_hooks(self, method: str, path: str) -> None:
        for hook in [h for h in self.hooks if h.matches(method, path)]:
            hook.fired += 1
            if hook.spent:
                self.hooks.remove(hook)
            hook.callback()
