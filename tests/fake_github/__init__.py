"""A stateful fake of the GitHub REST API for roadmap-sync's tests.

``FakeGitHub`` serves one repository over ``responses`` (``install``) or real HTTP
(``serve``); ``Fault`` describes injected failures and ``Hook`` (``FakeGitHub.before``) a
change of state between two requests. See plugin.py for pytest fixtures, and replay.py for
the recorded GitHub traffic the fake is checked against.
"""

from __future__ import annotations

from .clock import UTC, Clock
from .fake import DEFAULT_TOKEN, FakeGitHub
from .faults import KINDS as FAULT_KINDS
from .faults import Fault, random_failures
from .hooks import Hook
from .log import LoggedRequest

__all__ = [
    "DEFAULT_TOKEN",
    "FAULT_KINDS",
    "UTC",
    "Clock",
    "FakeGitHub",
    "Fault",
    "Hook",
    "LoggedRequest",
    "random_failures",
]
