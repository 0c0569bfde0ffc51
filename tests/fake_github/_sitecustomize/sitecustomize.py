"""Loaded by subprocesses started with ``FakeGitHub.subprocess_env()``: blocks real network."""

from __future__ import annotations

import importlib.util
import os
import pathlib

if os.environ.get("FAKE_GITHUB_BLOCK_NETWORK") == "1":
    _path = pathlib.Path(__file__).resolve().parent.parent / "netguard.py"
    _spec = importlib.util.spec_from_file_location("_fake_github_netguard", _path)
    if _spec is not None and _spec.loader is not None:
        _module = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_module)
        _module.install_permanently()
