"""The changes a plan is made of: frozen values, one class per kind of object (pure)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..trackers.base import LabelSpec, MilestoneSpec


class Action(enum.Enum):
    """What a change does."""

    CREATE = "create"
    UPDATE = "update"
    CLOSE = "close"
    REOPEN = "reopen"
    CLOSE_DUPLICATE = "close-duplicate"
    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True, slots=True)
class LabelChange:
    """Create a label, or bring one's colour and description in step."""

    action: Action
    spec: LabelSpec
    current_name: str = ""
    fields: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"label {self.spec.name}"

    @property
    def writes(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class MilestoneChange:
    """Create a phase's milestone, or update its title, description or due date."""

    action: Action
    spec: MilestoneSpec
    number: int | None = None
    fields: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"milestone {self.spec.phase_id}"

    @property
    def writes(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class IssueChange:
    """Create, update, close or reopen an item's issue. Unset fields (None) stay as they are;
    ``milestone`` names a phase id, resolved to a number when the change is applied.

    A body update carries ``block``, the managed block as the roadmap has it: the body is
    merged again with the issue as it is just before the write, so a box ticked or a note
    written while the sync ran is kept (GitHub has no conditional update for a body).
    """

    action: Action
    item_id: str
    number: int | None = None
    title: str | None = None
    body: str | None = None
    block: str | None = None
    labels: tuple[str, ...] | None = None
    milestone: str | None = None
    state: str | None = None
    state_reason: str | None = None
    close_as: str | None = None
    comment: str | None = None
    fields: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"issue {self.item_id}"

    @property
    def writes(self) -> int:
        return 1 + (self.close_as is not None) + (self.comment is not None)


@dataclass(frozen=True, slots=True)
class LinkChange:
    """Attach an item's issue to its phase's parent issue, or detach it (sub-issues mode).

    ``number``/``child_id`` (the issue's number and GitHub id) and ``parent`` are None when
    that issue is created by the same plan; they are resolved when the change is applied.
    """

    action: Action
    item_id: str
    phase_id: str
    number: int | None = None
    child_id: int | None = None
    parent: int | None = None
    replace: bool = False

    @property
    def key(self) -> str:
        return f"sub-issue {self.item_id}"

    @property
    def fields(self) -> tuple[str, ...]:
        return ("parent",)

    @property
    def writes(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class DependencyChange:
    """Make the issue of ``need`` block the issue of ``item_id`` ("blocked by"), or remove
    that dependency. Numbers and GitHub ids are None for an issue this plan creates; they are
    resolved when the change is applied."""

    action: Action
    item_id: str
    need_id: str
    number: int | None = None
    blocker_number: int | None = None
    blocker_id: int | None = None

    @property
    def key(self) -> str:
        return f"dependency {self.item_id}<-{self.need_id}"

    @property
    def fields(self) -> tuple[str, ...]:
        return ("blocked_by",)

    @property
    def writes(self) -> int:
        return 1


Change = LabelChange | MilestoneChange | IssueChange | LinkChange | DependencyChange


@dataclass(frozen=True, slots=True)
class Plan:
    """The changes in the order they must be applied, and what could not be planned."""

    changes: tuple[Change, ...]
    milestones: Mapping[str, int] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def writes(self) -> int:
        """How many write requests applying the plan takes."""
        return sum(change.writes for change in self.changes)

    @property
    def creates(self) -> int:
        """How many issues applying the plan creates."""
        return sum(
            1 for c in self.changes if isinstance(c, IssueChange) and c.action is Action.CREATE
        )
