"""Roadmap → roadmap.yaml text, in the shipped file's style, that loads back equal."""

from __future__ import annotations

import json
import re
import textwrap

import yaml

from .roadmap import Item, Phase, Roadmap

_WIDE = 2**31  # never let PyYAML fold a long title over two lines
WIDTH = 100  # a description longer than a line of this is folded over several
# Text YAML reads back as itself when written plain, provided it does not look like a number,
# bool, null or date (the resolver's test): no ": ", " #", leading indicator or edge space.
_SAFE_PLAIN = re.compile(r"[^\W_][\w ,.()/&+'’\-→—–?!]*(?<! )")
# Sure signs that plain will not do (an indicator first, ": ", " #", edge spaces), so the
# PyYAML dump that decides the rest is skipped for them.
_NEEDS_QUOTES = re.compile(r"[!&*|>'\"%@`#,\[\]{}\s]|[-?:](?:\s|$)|.*(?:: | #|:$|\s$)", re.S)
# Numbers to YAML 1.2 (yaml-language-server) though text to PyYAML: quoted for editors' sake.
_YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)

# Where editors (the YAML language server) find the JSON Schema: a URL, so that it works in any
# repository, not only in a checkout of roadmap-sync.
SCHEMA_URL = (
    "https://raw.githubusercontent.com/roadmap-sync/roadmap-sync/main/"
    "roadmap_sync/model/roadmap.schema.json"
)
HEADER = f"""\
# yaml-language-server: $schema={SCHEMA_URL}
#
# A learning roadmap for roadmap-sync: phases of topics to study and projects to build.
# Every item becomes one issue. `roadmap-sync validate` checks this file; `sync` applies it.
#
# - `id` is an item's identity: keep it when you rename a title, and never reuse one.
#   Ids are lower-case letters, digits and hyphens, unique in this file.
# - To give an item a new id and keep its issue, list the old one: `was: [old-id]`.
# - Optional on an item: `description`, `tasks` (the "done when" checklist of its issue),
#   `needs` (ids of the items to do first), `resources` (links), `tags` (extra labels) and
#   `done: true` (its new issue is created already closed).
# - Optional on a phase: `due: YYYY-MM-DD`, the due date of its milestone.
# - Issues go to a local tracker (.roadmap-sync/tracker.json) until you add a top-level
#   `repository: OWNER/NAME` (or pass --repo) to use GitHub.
"""


def to_yaml(roadmap: Roadmap) -> str:
    """The roadmap.yaml text for a roadmap, in the shipped file's style.

    Keys in model order; optional keys only when set (``done`` only when true); titles
    quoted only when YAML needs it. ``roadmap.loads`` of the result gives an equal Roadmap.
    """
    out = [HEADER, *_field("title", roadmap.title, 0), *_field("goal", roadmap.goal, 0)]
    if roadmap.repository:
        out.append(f"repository: {_scalar(roadmap.repository)}")
    if roadmap.sub_issues:
        out += ["github:", "  sub_issues: true"]
    out += ["", "phases:"]
    for index, phase in enumerate(roadmap.phases):
        if index:
            out.append("")  # a blank line between phases, so each reads as a block
        out += _phase_lines(phase)
    return "\n".join(out) + "\n"


def _phase_lines(phase: Phase) -> list[str]:
    # Ids go through _scalar too: "2024" or "yes" are valid ids that YAML would not read as text.
    lines = [f"  - id: {_scalar(phase.id)}", *_field("name", phase.name, 4)]
    for key in ("tagline", "focus", "outcome", "description"):
        lines += _field(key, getattr(phase, key), 4)
    if phase.due is not None:
        # Unquoted on purpose: our loader keeps dates as text and editors (YAML 1.2) agree.
        lines.append(f"    due: {phase.due.isoformat()}")
    for key, items in (("topics", phase.topics), ("projects", phase.projects)):
        if items:
            lines.append(f"    {key}:")
            for item in items:
                lines += _item_lines(item)
    return lines


def _item_lines(item: Item) -> list[str]:
    lines = [f"      - id: {_scalar(item.id)}", *_field("title", item.title, 8)]
    lines += _field("description", item.description, 8)
    if item.tasks:
        lines.append("        tasks:")
        lines += [f"          - {_scalar(task)}" for task in item.tasks]
    if item.needs:
        lines.append(f"        needs: {_flow(item.needs)}")
    if item.tags:
        lines.append(f"        tags: {_flow(item.tags)}")
    if item.resources:
        lines.append("        resources:")
        for res in item.resources:
            if res.title:
                lines += [
                    f"          - title: {_scalar(res.title)}",
                    f"            url: {_scalar(res.url)}",
                ]
            else:
                lines.append(f"          - {_scalar(res.url)}")
    if item.was:
        lines.append(f"        was: {_flow(item.was)}")
    if item.done:
        lines.append("        done: true")
    return lines


def _field(key: str, value: str, indent: int) -> list[str]:
    """``key: value`` lines; several lines become a literal block, and a line too long to read
    a folded one, when that reads back exactly."""
    if not value:
        return []
    pad = " " * indent
    if "\n" not in value and indent + len(key) + 2 + len(value) > WIDTH:
        wrapped = textwrap.wrap(
            value, WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False
        )
        block = [f"{key}: >-", *(f"  {line}" for line in wrapped)]
        if _reads_back(block, key, value):
            return [pad + block[0], *(pad + line for line in block[1:])]
    if "\n" in value:
        block = [f"{key}: |-", *((f"{pad}  {line}" if line else "") for line in value.split("\n"))]
        if _reads_back(block, key, value):
            return [pad + block[0], *block[1:]]
    return [f"{pad}{key}: {_scalar(value)}"]


def _reads_back(block: list[str], key: str, value: str) -> bool:
    try:
        return bool(yaml.safe_load("\n".join(block)) == {key: value})
    except yaml.YAMLError:
        return False


def _scalar(value: str) -> str:
    """A string plain when YAML reads it back as that text, else double-quoted (one line)."""
    if not _YAML12_NUMBER.fullmatch(value) and _implicit_tag(value) is None:
        if _SAFE_PLAIN.fullmatch(value):
            return value  # the common case, decided without a dump: 10,000 titles in ~0.1 s
        if not _NEEDS_QUOTES.match(value):
            plain: str = yaml.safe_dump({"k": value}, allow_unicode=True, width=_WIDE)
            if plain == f"k: {value}\n":
                return value
    if value.isprintable():
        # JSON's escapes (\" and \\ for printable text) are YAML double-quoted escapes too.
        return json.dumps(value, ensure_ascii=False)
    quoted: str = yaml.safe_dump({"k": value}, allow_unicode=True, width=_WIDE, default_style='"')
    return quoted[len('"k": ') :].rstrip("\n")


def _implicit_tag(value: str) -> str | None:
    """The tag YAML 1.1 (PyYAML, our loader) gives this text written plain, if not str."""
    for tag, pattern in yaml.resolver.Resolver.yaml_implicit_resolvers.get(value[:1], []):
        if pattern.match(value):
            return str(tag)
    return None


def _flow(values: tuple[str, ...]) -> str:
    """A one-line ``[a, b]`` list; each entry plain when YAML allows, else double-quoted."""
    entries = []
    for value in values:
        plain: str = yaml.safe_dump(
            [value], allow_unicode=True, width=_WIDE, default_flow_style=True
        )
        if plain != f"[{value}]\n":
            plain = yaml.safe_dump(
                [value], allow_unicode=True, width=_WIDE, default_flow_style=True, default_style='"'
            )
        entries.append(plain.rstrip("\n")[1:-1])
    return f"[{', '.join(entries)}]"
