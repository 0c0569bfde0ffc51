"""The layers stay layers (ARCHITECTURE.md): an import scan of the whole package.

cli → (sync, report) → (model, the trackers' protocol); the core imports no IO library, click
and rich live in one module each, PyGithub and requests only under trackers/, and there is no
import cycle. Also the size rule: no module over 400 lines, five packages and four modules at
the top.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "roadmap_sync"
LAYERS = ("model", "sync", "report", "trackers", "cli")

# What each layer may import of the package (by module-name prefix).
ALLOWED = {
    "errors": (),
    "files": ("roadmap_sync.errors",),
    "__init__": (),
    "__main__": ("roadmap_sync.cli.app",),
    "model": ("roadmap_sync.errors", "roadmap_sync.model"),
    "trackers": (
        "roadmap_sync.errors",
        "roadmap_sync.files",
        "roadmap_sync.trackers",
        "roadmap_sync.__init__",  # the version, for the User-Agent
    ),
    "sync": (
        "roadmap_sync.errors",
        "roadmap_sync.model",
        "roadmap_sync.sync",
        "roadmap_sync.trackers.base",
    ),
    "report": (
        "roadmap_sync.errors",
        "roadmap_sync.model",
        "roadmap_sync.report",
        "roadmap_sync.trackers.base",
        "roadmap_sync.sync.identity",
        "roadmap_sync.sync.status",
        "roadmap_sync.sync.tasks",
    ),
    "cli": ("roadmap_sync",),
}
# Third-party libraries that do IO or talk to people, and the only modules that may use them.
CONFINED = {
    "click": {"roadmap_sync.cli.app", "roadmap_sync.cli.options"},
    "rich": {"roadmap_sync.cli.console"},
    "github": {"roadmap_sync.trackers.github_http"},
    "requests": {"roadmap_sync.trackers.github_http"},
    "filelock": {"roadmap_sync.files"},
    "fcntl": set(),
    "msvcrt": set(),
}


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts), path


REAL = {name for name, _ in modules()}


def _module(name: str) -> str:
    """A package's own module for an imported name: a package means its __init__."""
    return f"{name}.__init__" if f"{name}.__init__" in REAL else name


def imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, relative imports resolved: ``from x import y`` imports
    ``x.y`` when that is a module, else ``x`` itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.removesuffix(".__init__") if path.name == "__init__.py" else name
    package = package if path.name == "__init__.py" else package.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_module(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            for alias in node.names:
                sub = _module(f"{module}.{alias.name}")
                found.add(sub if sub in REAL else _module(module))
    return found


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 else parts[-1]


def ours(found: set[str]) -> set[str]:
    """The package's own modules among the imports."""
    return found & REAL


GRAPH = {name: imports(name, path) for name, path in modules()}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_point_down_the_layers(name: str) -> None:
    allowed = ALLOWED[layer(name)]
    wrong = sorted(
        module
        for module in ours(GRAPH[name])
        if not any(module == a or module.startswith(f"{a}.") for a in allowed)
        and not module.startswith(f"{name}.")
    )
    assert not wrong, f"{name} may not import {wrong}"


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_io_libraries_stay_in_their_module(library: str) -> None:
    users = {
        name
        for name, found in GRAPH.items()
        if any(m == library or m.startswith(f"{library}.") for m in found)
    }
    assert users <= CONFINED[library], f"{library} imported by {sorted(users - CONFINED[library])}"


def test_the_core_imports_no_io_library() -> None:
    core = [name for name in GRAPH if layer(name) in ("model", "sync", "report")]
    for name in core:
        for module in GRAPH[name]:
            assert module.split(".")[0] not in CONFINED, f"{name} imports {module}"


def test_no_import_cycles() -> None:
    edges = {name: ours(found) for name, found in GRAPH.items()}
    state: dict[str, str] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for child in sorted(edges.get(node, ())):
            if state.get(child) == "open":
                cycle = [*stack[stack.index(child) :], child]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if child not in state:
                visit(child, [*stack, child])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])


def test_no_module_over_400_lines() -> None:
    long = {
        name: lines
        for name, path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long


def test_the_top_level_is_five_layers_and_four_modules() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert packages == set(LAYERS)
    assert top <= {"__init__.py", "__main__.py", "errors.py", "files.py"}
    for name in LAYERS:
        docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert docstring, f"{name}/__init__.py says what lives there"
        assert len(docstring) > 100, f"{name}/__init__.py says what lives there"


def test_the_scan_sees_imports() -> None:
    # The scan itself: a known downward import and a known confined one are found.
    assert "roadmap_sync.model.roadmap" in ours(GRAPH["roadmap_sync.sync.desired"])
    assert "click" in GRAPH["roadmap_sync.cli.app"]
    assert "roadmap_sync.sync.identity" in ours(GRAPH["roadmap_sync.report.progress"])
