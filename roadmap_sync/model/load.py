"""Loading roadmap.yaml: YAML with positions, the JSON Schema, then the model, with every
problem reported at once as FILE:LINE:COL."""

from __future__ import annotations

import difflib
import json
import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path as FsPath
from typing import Any

import jsonschema

from ..errors import Problem, RoadmapError, not_utf8
from .needs import needs_problems
from .roadmap import ID_RE, REPO_RE, Item, Kind, Phase, Resource, Roadmap, slugify, task_key
from .yamlnodes import REFUSED, Located, Path, parse

MAX_FILE_BYTES = 5 * 1024 * 1024


@cache
def schema() -> dict[str, Any]:
    """The shipped JSON Schema of roadmap.yaml."""
    text = (
        resources.files("roadmap_sync.model")
        .joinpath("roadmap.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)  # type: ignore[no-any-return]


ROADMAP_MISSING = "file not found; create it, or pass --roadmap PATH (roadmap-sync import FILE.md)"


def read_text(path: FsPath, what: str = "roadmap", missing: str = ROADMAP_MISSING) -> str:
    """Read a user's text file (``what`` it is, for messages; ``missing``, what to say when it
    does not exist), turning every OS or encoding failure into a RoadmapError."""
    name = str(path)
    try:
        if path.is_dir():
            raise RoadmapError([Problem(name, 1, 1, f"is a directory; name the {what} file")])
        with path.open("rb") as handle:
            # Read one byte past the cap instead of trusting stat(): pipes have no size.
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            mib = MAX_FILE_BYTES // (1024 * 1024)
            msg = f"file is over the {mib} MiB a roadmap may have; split it"
            raise RoadmapError([Problem(name, 1, 1, msg)])
    except FileNotFoundError:
        raise RoadmapError([Problem(name, 1, 1, missing)]) from None
    except OSError as exc:
        raise RoadmapError([Problem(name, 1, 1, f"cannot read: {exc.strerror}")]) from None
    except ValueError:  # a NUL in the path itself
        raise RoadmapError([Problem(name, 1, 1, "not a valid file name")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoadmapError([not_utf8(name, raw, exc, "save the file as UTF-8")]) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RoadmapError([Problem(name, line, 1, "binary data (NUL byte); not a text file")])
    return text


def load(path: str | FsPath) -> Roadmap:
    """Read and check a roadmap file; raise RoadmapError listing every problem found."""
    path = FsPath(path)
    return loads(read_text(path), str(path))


def loads(text: str, file: str = "roadmap.yaml") -> Roadmap:
    """Parse and check roadmap text; raise RoadmapError listing every problem found."""
    located, problems = parse(text, file)
    if located is None:
        raise RoadmapError(problems)
    if not isinstance(located.data, dict):
        kinds = {"list": "a list", "str": "text", "int": "a number", "float": "a number"}
        kind = "empty" if located.data is None else kinds.get(type(located.data).__name__, "text")
        msg = f"the roadmap is {kind}; it must be a mapping with 'title' and 'phases'"
        raise RoadmapError([*problems, Problem(file, *located.at(()), msg)])
    problems.extend(_schema_problems(located, file))
    # The model is built even from a structurally broken file, so that semantic problems
    # (duplicate ids, bad dates) are reported in the same run as the schema's.
    roadmap = _build(located, file, problems)
    if problems:
        raise RoadmapError(sorted(set(problems), key=lambda p: (p.line, p.col, p.message)))
    return roadmap


_MESSAGES = {
    "required": "missing required key {missing!r}",
    "type": "must be {expected}",
    "minLength": "must not be blank",
    "minItems": "needs at least one entry",
    "maxItems": "has {count} entries, over the limit of {limit}",
    "pattern": "{pattern_message}",
    "maxLength": "is {length} characters long, over the limit of {limit}",
}

_PATTERN_MESSAGES = {
    "id": "{value!r} must be lower-case letters, digits and hyphens, e.g. python-core",
    "due": "{value!r} must be a date written YYYY-MM-DD",
    "repository": "{value!r} must be OWNER/NAME",
}

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "a whole number",
}


def _schema_problems(located: Located, file: str) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in validator.iter_errors(located.data):
        if error.instance is REFUSED:
            continue  # already reported where it was read
        path: Path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(allowed)):
                hint = difflib.get_close_matches(key, allowed, n=1)
                fix = f"did you mean {hint[0]!r}?" if hint else f"allowed: {', '.join(allowed)}"
                line, col = located.at((*path, key), key=True)
                problems.append(Problem(file, line, col, f"unknown key {key!r}; {fix}"))
            continue
        line, col = located.at(path)
        problems.append(Problem(file, line, col, f"{_where(path)}{_describe(error, path)}"))
    return problems


def _where(path: Path) -> str:
    names = [str(p) for p in path if isinstance(p, str)]
    return f"{names[-1]}: " if names else ""


def _describe(error: jsonschema.ValidationError, path: Path) -> str:
    kind = str(error.validator)
    if kind == "oneOf":
        return "must be a URL, or a mapping with 'url' and an optional 'title'"
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return _MESSAGES["required"].format(missing=missing[0] if missing else "?")
    if kind == "type":
        expected: Any = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return _MESSAGES["type"].format(expected=" or ".join(_TYPE_NAMES.get(n, n) for n in names))
    if kind == "pattern":
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        if key in ("title", "name", "tasks"):
            return "must be a single line"
        template = _PATTERN_MESSAGES.get(
            "id" if key in ("id", "was", "needs") else key, "is not valid"
        )
        return template.format(value=error.instance)
    if kind in ("maxLength", "maxItems"):
        instance: Any = error.instance
        limit = error.validator_value
        return _MESSAGES[kind].format(length=len(instance), count=len(instance), limit=limit)
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return str(error.message)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _build(located: Located, file: str, problems: list[Problem]) -> Roadmap:
    data = located.data
    seen_items: dict[str, tuple[int, int]] = {}
    seen_phases: dict[str, tuple[int, int]] = {}
    olds: dict[str, tuple[int, int]] = {}
    phases = []
    placed: list[tuple[Item, Path]] = []  # every item with its position, for the needs graph
    for p_index, raw_phase in enumerate(_list(data.get("phases"))):
        raw_phase = _mapping(raw_phase)
        p_path: Path = ("phases", p_index)
        _not_blank(raw_phase, "name", p_path, located, file, problems)
        phase_id = raw_phase.get("id") or slugify(_text(raw_phase, "name"))
        if not phase_id and _text(raw_phase, "name"):
            msg = "cannot derive an id from this name; add an 'id:' (e.g. basics)"
            problems.append(Problem(file, *located.at((*p_path, "name")), msg))
        if isinstance(phase_id, str):
            _claim(phase_id, p_path, "phase", seen_phases, located, file, problems)
        kinds = []
        for kind in Kind:
            items = []
            key = f"{kind.value}s"
            for i_index, raw_item in enumerate(_list(raw_phase.get(key))):
                i_path: Path = (*p_path, key, i_index)
                item = _item(_mapping(raw_item), kind, i_path, located, file, problems)
                _claim(item.id, i_path, "item", seen_items, located, file, problems)
                placed.append((item, i_path))
                for w_index, old in enumerate(item.was):
                    w_path: Path = (*i_path, "was", w_index)
                    _claim(old, w_path, "former", olds, located, file, problems)
                items.append(item)
            kinds.append(tuple(items))
        due = _date(raw_phase.get("due"), (*p_path, "due"), located, file, problems)
        phases.append(
            Phase(
                id=str(phase_id),
                number=p_index + 1,
                name=_text(raw_phase, "name"),
                tagline=_text(raw_phase, "tagline"),
                focus=_text(raw_phase, "focus"),
                outcome=_text(raw_phase, "outcome"),
                description=_text(raw_phase, "description"),
                due=due,
                topics=kinds[0],
                projects=kinds[1],
                line=located.at(p_path)[0],
            )
        )
    for old, (line, col) in olds.items():
        if old in seen_items:
            live = seen_items[old][0]
            msg = f"former id {old!r} is also a live id (line {live}); remove it from 'was'"
            problems.append(Problem(file, line, col, msg))
    problems.extend(needs_problems(placed, located, file))
    _not_blank(data, "title", (), located, file, problems)
    github = _mapping(data.get("github"))
    repository = data.get("repository")
    if isinstance(repository, str) and not REPO_RE.fullmatch(repository):
        msg = "repository: " + _PATTERN_MESSAGES["repository"].format(value=repository)
        problems.append(Problem(file, *located.at(("repository",)), msg))
    return Roadmap(
        title=_text(data, "title"),
        goal=_text(data, "goal"),
        repository=repository if isinstance(repository, str) else None,
        sub_issues=github.get("sub_issues") is True,
        phases=tuple(phases),
        path=file,
    )


def _item(
    raw: dict[str, Any],
    kind: Kind,
    path: Path,
    located: Located,
    file: str,
    problems: list[Problem],
) -> Item:
    title = _text(raw, "title")
    raw_id = raw.get("id")
    item_id = raw_id if isinstance(raw_id, str) and raw_id else slugify(title)
    _not_blank(raw, "title", path, located, file, problems)
    if title and not item_id:
        msg = "cannot derive an id from this title; add an 'id:' (e.g. my-topic)"
        problems.append(Problem(file, *located.at((*path, "title")), msg))
    tags = tuple(t for t in _list(raw.get("tags")) if isinstance(t, str))
    for t_index, tag in enumerate(_list(raw.get("tags"))):
        if isinstance(tag, str) and tag and tag.strip() != tag:
            msg = f"tags: {tag!r} must not start or end with spaces"
            problems.append(Problem(file, *located.at((*path, "tags", t_index)), msg))
    res = tuple(
        Resource(url=r) if isinstance(r, str) else Resource(url=r["url"], title=r.get("title", ""))
        for r in _list(raw.get("resources"))
        if isinstance(r, str) or (isinstance(r, dict) and isinstance(r.get("url"), str))
    )
    return Item(
        id=item_id,
        title=title,
        kind=kind,
        description=_text(raw, "description"),
        tasks=_tasks(raw, path, located, file, problems),
        needs=_ids(raw.get("needs")),
        tags=tags,
        resources=res,
        was=tuple(w for w in _list(raw.get("was")) if isinstance(w, str)),
        done=raw.get("done") is True,
        line=located.at(path)[0],
    )


def _ids(value: Any) -> tuple[str, ...]:
    """The well-formed ids of a list (the schema reports the others)."""
    return tuple(v for v in _list(value) if isinstance(v, str) and ID_RE.fullmatch(v))


def _tasks(
    raw: dict[str, Any], path: Path, located: Located, file: str, problems: list[Problem]
) -> tuple[str, ...]:
    """The item's "done when" checklist, each task stripped; a blank task or two tasks that
    differ only in case or surrounding spaces (they would share a tick) are problems."""
    tasks: list[str] = []
    first: dict[str, int] = {}
    for index, task in enumerate(_list(raw.get("tasks"))):
        if not isinstance(task, str):
            continue  # reported by the schema
        where = located.at((*path, "tasks", index))
        if task and not task.strip():
            problems.append(Problem(file, *where, "tasks: a task must not be blank"))
            continue
        key = task_key(task)
        if key in first:
            msg = f"tasks: the same task as number {first[key]} (line "
            msg += f"{located.at((*path, 'tasks', first[key] - 1))[0]}); give each task once"
            problems.append(Problem(file, *where, msg))
        first.setdefault(key, index + 1)
        tasks.append(task.strip())
    return tuple(tasks)


def _not_blank(
    raw: dict[str, Any], key: str, path: Path, located: Located, file: str, problems: list[Problem]
) -> None:
    if isinstance(raw.get(key), str) and not raw[key].strip():
        problems.append(Problem(file, *located.at((*path, key)), f"{key}: must not be blank"))


def _claim(
    ident: str,
    path: Path,
    what: str,
    seen: dict[str, tuple[int, int]],
    located: Located,
    file: str,
    problems: list[Problem],
) -> None:
    here = located.at((*path, "id")) if what != "former" else located.at(path)
    if not ident:
        return
    if not ID_RE.fullmatch(ident):
        # JSON Schema's "$" lets a trailing newline through; ids must match exactly.
        key = "was" if what == "former" else "id"
        msg = f"{key}: " + _PATTERN_MESSAGES["id"].format(value=ident)
        problems.append(Problem(file, *here, msg))
        return
    if ident in seen:
        first = seen[ident][0]
        msg = f"duplicate {what} id {ident!r} (also on line {first}); give each a unique id"
        problems.append(Problem(file, *here, msg))
        return
    seen[ident] = here


def _date(
    value: Any, path: Path, located: Located, file: str, problems: list[Problem]
) -> date | None:
    if not isinstance(value, str):
        return None  # absent, or already reported by the schema
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        # Same words as the schema's, so the two reports of one mistake fold into one.
        msg = "due: " + _PATTERN_MESSAGES["due"].format(value=value)
        problems.append(Problem(file, *located.at(path), msg))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"due: {value!r} is not a real date; write YYYY-MM-DD"
        problems.append(Problem(file, *located.at(path), msg))
        return None
