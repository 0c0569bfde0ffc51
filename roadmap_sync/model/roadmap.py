"""The roadmap model: Roadmap → Phase → Item, as frozen values (pure)."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
REPO_RE = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class Kind(enum.Enum):
    """What an item asks of the learner: study a topic or build a project."""

    TOPIC = "topic"
    PROJECT = "project"


@dataclass(frozen=True, slots=True)
class Resource:
    """A link worth reading for an item."""

    url: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One topic or project; becomes one issue."""

    id: str
    title: str
    kind: Kind
    description: str = ""
    tasks: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    was: tuple[str, ...] = ()
    done: bool = False
    line: int = field(default=0, compare=False)


def task_key(text: str) -> str:
    """How two tasks are compared: ignoring surrounding whitespace and case. A task keeps its
    tick while its key is unchanged; two tasks of one item may not share a key."""
    return text.strip().casefold()


@dataclass(frozen=True, slots=True)
class Phase:
    """A stage of the roadmap; becomes one milestone and one `phase-N` label."""

    id: str
    number: int
    name: str
    tagline: str = ""
    focus: str = ""
    outcome: str = ""
    description: str = ""
    due: date | None = None
    topics: tuple[Item, ...] = ()
    projects: tuple[Item, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """Topics first, then projects, in file order."""
        return self.topics + self.projects

    @property
    def label(self) -> str:
        """The label that marks this phase's issues."""
        return f"phase-{self.number}"

    @property
    def title(self) -> str:
        """The milestone title, e.g. ``Phase 1: Foundations``."""
        return f"Phase {self.number}: {self.name}"


@dataclass(frozen=True, slots=True)
class Roadmap:
    """The whole roadmap as read from roadmap.yaml."""

    title: str
    phases: tuple[Phase, ...]
    goal: str = ""
    repository: str | None = None
    sub_issues: bool = False
    path: str = field(default="roadmap.yaml", compare=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item of every phase, in file order."""
        return tuple(item for phase in self.phases for item in phase.items)

    def phase_of(self) -> dict[str, Phase]:
        """Item id → its phase."""
        return {item.id: phase for phase in self.phases for item in phase.items}


def slugify(text: str) -> str:
    """A readable id from a title: ASCII lower case words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:48].rstrip("-")
