"""The suite is self-contained: no test reaches outside the repository.

A learner's fresh clone has nothing beside it, so a test that reads a file in a sibling folder
passes only on our machines. This scans every test module's source: a path that climbs to a
parent folder, ``__file__``'s parents past the repository root, or an absolute path of one
machine (a home or work folder, a drive letter) is a test that cannot pass elsewhere. Test data
lives in ``tests/data/``; scratch files in pytest's ``tmp_path``.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MACHINE_PATH = re.compile(r"^(/(home|work|root|Users|tmp)/|[A-Za-z]:\\)")


def _sources() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def _climbs_out(value: str) -> bool:
    parts = value.replace("\\", "/").split("/")
    return os.pardir in parts


def _file_parents_index(node: ast.Subscript) -> int | None:
    """k in ``Path(__file__)….parents[k]``, or None for any other subscript."""
    value = node.value
    if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
        return None
    if "__file__" not in ast.unparse(value.value):
        return None
    index = node.slice
    return index.value if isinstance(index, ast.Constant) and isinstance(index.value, int) else None


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.relative_to(TESTS).as_posix())
def test_no_test_names_a_path_outside_the_repository(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    # parents[0] of a file is its folder, so a file k folders below the root may use parents[k].
    depth = len(source.relative_to(ROOT).parts) - 1
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and (_climbs_out(text) or MACHINE_PATH.match(text)):
            found.append(f"line {node.lineno}: {text[:60]!r}")
        if isinstance(node, ast.Subscript):
            k = _file_parents_index(node)
            if k is not None and k > depth:
                found.append(f"line {node.lineno}: parents[{k}] climbs above the repository")
    assert found == []


def test_the_scan_sees_what_it_forbids() -> None:
    """The checks above catch the shapes they are written for (so the scan is not vacuous).

    The forbidden paths are built at run time, or this file would fail its own scan."""
    up = os.pardir
    assert _climbs_out(f"{up}/sibling/seed.txt")
    assert _climbs_out(up)
    assert _climbs_out("\\".join(["tests", up, up, "sibling"]))
    assert not _climbs_out("tests/data/seed.txt")
    assert not _climbs_out("…/dependencies/blocked_by")
    assert MACHINE_PATH.match("/" + "home/me/notes.txt")
    assert MACHINE_PATH.match("C:" + "\\Users\\me")
    assert not MACHINE_PATH.match("roadmap.yaml")
    tree = ast.parse("Path(__file__).resolve().parents[3]")
    subscript = next(n for n in ast.walk(tree) if isinstance(n, ast.Subscript))
    assert _file_parents_index(subscript) == 3
