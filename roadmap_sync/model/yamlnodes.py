"""Parse YAML into plain data while remembering where every key and value stood.

PyYAML's constructors drop positions, so we compose the node graph and build the data
ourselves: each value and each mapping key keeps its mark, and every error can name a line.
Aliases are refused outright (a roadmap never needs them, and they are how YAML bombs work),
and so is any tag outside YAML's core schema (``!!python/object`` and friends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem

Path = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


_SCALARS = yaml.constructor.SafeConstructor()
# What YAML itself refuses (C0/C1 controls but tab and newlines, surrogates, U+FFFE/FFFF).
_UNPRINTABLE = re.compile(
    r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


# Control characters a YAML escape can put in a string; tab and newline are text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text for an error message: unprintable characters shown as escapes, never sent."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class _Refused:
    """The value of a node already reported; the schema must not report it again."""

    def __repr__(self) -> str:
        return "<refused>"


REFUSED: Any = _Refused()


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None,
                None,
                "anchors and aliases (*name) are not supported in a roadmap; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


@dataclass
class Located:
    """Plain data (dicts, lists, str, int, float, bool, None) plus the marks of its parts."""

    data: Any
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The (line, col) of the value at path (or of its key), else of its nearest parent."""
        marks = self.key_marks if key else self.value_marks
        while path:
            if path in marks:
                return marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            path = path[:-1]
        return self.value_marks.get((), (1, 1))


MAX_DEPTH = 32  # a roadmap is 5 levels deep; deeper is a mistake or an attack on the parser


def parse(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    """Compose text into Located data; on a syntax error return None and the problem."""
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        msg = f"unprintable character U+{ord(bad.group()):04X}; remove it"
        return None, [Problem(file, line, col, msg)]
    node = _compose_fast(text)
    if node is not None:
        return _located(node, file)
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        hint = _hint(what, source, col)
        what += f"; {hint}" if hint else ""
        return None, [Problem(file, line, col, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        return None, [Problem(file, 1, 1, f"YAML syntax error: {first}")]
    except RecursionError:
        return None, [Problem(file, 1, 1, "nested too deeply to be a roadmap")]
    finally:
        loader.dispose()
    if node is None:
        return Located(None), []
    return _located(node, file)


def _hint(problem: str, source: str, col: int) -> str:
    """The likely fix, in plain words, for the YAML mistakes learners make most."""
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        key, colon, value = source[: col - 1].partition(": ")
        key = key.strip().removeprefix("- ").strip()
        if colon and key and not key.startswith(("'", '"')):
            # A second ": " on the line: the value holds one and YAML reads a new key there.
            value = source.split(": ", 1)[1].strip()
            quoted = f"'{value}'" if '"' in value else f'"{value}"'
            return f"put the {key} in quotes: {key}: {quoted}"
        return "line this key up with the keys above it (the same number of spaces)"
    if problem.startswith(("expected <block end>", "did not find expected")) or (
        "expected" in problem and "but found" in problem
    ):
        stripped = source.strip()
        if stripped.startswith("- "):
            first = f"{stripped.split(':', 1)[0]}:" if ":" in stripped else stripped[:30]
            return f"line up `{first}` under the other items of its list (the same spaces)"
        return "line this up with the lines above it (the same number of spaces)"
    return ""


def _located(node: Node, file: str) -> tuple[Located, list[Problem]]:
    located = Located(None)
    problems: list[Problem] = []
    located.data = _build(node, (), located, problems, file)
    return located, problems


def _compose_fast(text: str) -> Node | None:
    """The node graph from libyaml, when it is installed and the text is a plain, valid
    document; None sends the caller to the pure-Python composer, which is ten times slower
    but words every error (syntax, aliases) the same way on every machine."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return None
    loader = fast(text)
    try:
        node: Node | None = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return node if node is not None and not _shares_nodes(node) else None


def _shares_nodes(root: Node) -> bool:
    """Whether any node is reached twice: what an alias composes to."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack += node.value
    return False


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: Node, path: Path, out: Located, problems: list[Problem], file: str) -> Any:
    out.value_marks[path] = _mark(node)
    if node.tag not in _CORE_TAGS:
        line, col = _mark(node)
        problems.append(
            Problem(file, line, col, f"unsupported YAML tag {visible(node.tag)}; remove it")
        )
        return REFUSED
    if len(path) > MAX_DEPTH:
        problems.append(Problem(file, *_mark(node), "nested too deeply to be a roadmap"))
        return REFUSED
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                line, col = _mark(key_node)
                problems.append(Problem(file, line, col, "keys must be plain words"))
                continue
            key = key_node.value
            here: Path = (*path, key)
            if key in result:
                line, col = _mark(key_node)
                first = out.key_marks[here][0]
                problems.append(
                    Problem(file, line, col, f"key {key!r} appears twice (first on line {first})")
                )
                continue
            out.key_marks[here] = _mark(key_node)
            result[key] = _build(value_node, here, out, problems, file)
        return result
    if isinstance(node, SequenceNode):
        children = enumerate(node.value)
        return [_build(child, (*path, i), out, problems, file) for i, child in children]
    assert isinstance(node, ScalarNode)
    if node.tag == "tag:yaml.org,2002:timestamp":
        # Kept as text: dates are checked (and reported with their line) by the model.
        return node.value
    if node.tag == "tag:yaml.org,2002:str":
        bad = CONTROL.search(node.value)
        if bad:
            # Escapes like "\e[2J" would reach terminals and issue titles as they are.
            msg = f"control character U+{ord(bad.group()):04X} in the text; remove it"
            problems.append(Problem(file, *_mark(node), msg))
            return REFUSED
        return node.value
    construct = _SCALARS.yaml_constructors[node.tag]
    try:
        return construct(_SCALARS, node)
    except (ValueError, KeyError, TypeError):
        msg = f"{node.value[:40]!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
        problems.append(Problem(file, *_mark(node), msg))
        return REFUSED
