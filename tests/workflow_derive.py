"""How the learner's workflow (roadmap_sync/cli/workflow/roadmap.yml, written by `init`) is this
repository's workflow: the same triggers, permissions, concurrency and hardening, but for what
only exists here. One function, so the test and a maintainer who regenerates it agree."""

from __future__ import annotations

LEARNER_HEADER = (
    "# Written by `roadmap-sync init` for roadmap-sync @VERSION@; `roadmap-sync init --force`\n"
    "# writes it again for the installed version. It installs that version from PyPI.\n#\n"
)
# (this repository's line, the learner's line)
SUBSTITUTIONS = (
    # No pip cache: it would be keyed on a pyproject.toml the learner's repository lacks.
    ("          cache: pip\n          cache-dependency-path: pyproject.toml\n", ""),
    (
        "        run: python -m pip install .\n",
        "        run: python -m pip install roadmap-sync==@VERSION@\n",
    ),
    (
        "        run: roadmap_sync/cli/workflow/commit-progress.sh\n",
        "        run: bash .github/scripts/commit-progress.sh\n",
    ),
    (
        "        run: roadmap_sync/cli/workflow/open-pull-request.sh\n",
        "        run: bash .github/scripts/open-pull-request.sh\n",
    ),
)


def learner_workflow(ours: str) -> str:
    """The learner's workflow text from this repository's."""
    text = ours
    for here, there in SUBSTITUTIONS:
        assert text.count(here) == 1, here
        text = text.replace(here, there)
    return LEARNER_HEADER + text
