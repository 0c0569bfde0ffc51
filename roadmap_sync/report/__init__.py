"""Progress read back from the issues: each item's status and the counts per phase, the pace
and the burn-up chart, the badges, and the README section with its template and escaping.

Pure: state in, text out (the CLI reads and writes the files). Imports ``model``,
``trackers.base``, and from ``sync`` only ``identity``, ``status`` and ``tasks`` (reading an
issue, never the diff).
"""
