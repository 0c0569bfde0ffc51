"""The reliability suite's working folder holds its own roadmap: the shipped one without needs
(see test_support.py for why)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.test_support import SHIPPED_TEXT


@pytest.fixture
def workdir(workdir: Path) -> Path:
    """The scratch checkout of tests/conftest.py, with the suite's roadmap."""
    (workdir / "roadmap.yaml").write_text(SHIPPED_TEXT, encoding="utf-8")
    return workdir
