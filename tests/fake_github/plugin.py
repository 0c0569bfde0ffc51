"""pytest fixtures: ``fake_github``, ``fake_github_server`` and an autouse network guard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
import responses

from . import netguard
from .clock import UTC
from .fake import DEFAULT_TOKEN, FakeGitHub


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: connecting or resolving anything but loopback raises NetworkBlockedError."""
    netguard.guarded(monkeypatch.setattr)


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A fresh fake for ``learner/roadmap`` (token in ``.token``), answering every
    ``requests`` call to https://api.github.com for the duration of the test."""
    fake = FakeGitHub(owner="learner", repo="roadmap", token=DEFAULT_TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


@pytest.fixture
def fake_github_server(fake_github: FakeGitHub) -> Iterator[FakeGitHub]:
    """The same fake, also served over HTTP on 127.0.0.1; ``.base_url`` is its URL and
    ``.subprocess_env()`` the environment for running the CLI against it."""
    with fake_github.serve():
        yield fake_github


REPO = "/repos/learner/roadmap"
T0 = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)


@pytest.fixture
def frozen(fake_github: FakeGitHub) -> FakeGitHub:
    """The standard fake with its clock frozen at T0."""
    fake_github.clock.set(T0)
    return fake_github


def ok(response: requests.Response, status: int = 200) -> Any:
    """Assert the status and return the decoded JSON body."""
    assert response.status_code == status, response.text
    return response.json() if response.content else None
