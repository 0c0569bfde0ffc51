"""pytest fixtures: ``fake_github``, ``fake_github_server`` and an autouse network guard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from . import netguard
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
