"""Snapshots built by hand, for the pure core's tests and the plan benchmark."""

from __future__ import annotations

from datetime import datetime, timezone

from roadmap_sync.model.roadmap import Roadmap
from roadmap_sync.sync import desired
from roadmap_sync.trackers.base import RemoteIssue, RemoteLabel, RemoteMilestone, Snapshot

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def converged(roadmap: Roadmap) -> Snapshot:
    """The snapshot a perfect first sync of the roadmap leaves behind."""
    want = desired.build(roadmap)
    labels = tuple(RemoteLabel(s.name, s.color, s.description) for s in want.labels)
    milestones = tuple(
        RemoteMilestone(n, s.title, s.description, "open", s.due_on)
        for n, s in enumerate(want.milestones, 1)
    )
    numbers = {s.phase_id: n for n, s in enumerate(want.milestones, 1)}
    issues = tuple(
        RemoteIssue(
            number=n,
            title=s.title,
            body=s.block,
            state="open",
            state_reason=None,
            labels=s.labels,
            milestone=numbers[s.phase_id],
            created_at=T0,
            updated_at=T0,
            url=f"https://github.com/o/r/issues/{n}",
        )
        for n, s in enumerate(want.issues, 1)
    )
    return Snapshot(labels, milestones, issues)
