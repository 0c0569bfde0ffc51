"""Making the tracker match the roadmap: the desired state (labels, milestones, issue bodies),
which issue is an item's (markers, ``issue_of``), an issue's status in the roadmap's words,
the diff (``plan.diff`` and its change types), milestones and sub-issues, and ``apply``, the
loop that runs a plan against a tracker.

Pure but for ``apply``, which only calls the Tracker protocol. Imports ``model``,
``trackers.base`` and ``errors``; never click, rich, github, requests or the file lock.
"""
