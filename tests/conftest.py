"""Shared fixtures: the fake GitHub plugin and a guard that keeps every test off the network."""

from __future__ import annotations

pytest_plugins = ["tests.fake_github.plugin"]
