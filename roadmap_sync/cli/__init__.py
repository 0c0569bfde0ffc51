"""The command line, the one layer that does IO with people: click (only in ``app`` and its
shared ``options``), the terminal and JSON output (rich only in ``console``), GitHub Actions'
workflow commands, and choosing the tracker. Each command is a plain function ``(…) -> int``
in a module named for what it works on: ``authoring`` (validate, import), ``syncing`` (plan,
sync, migrate), ``reporting`` (status, next, render), ``marking`` (done, start, skip, reopen,
tick, untick), ``scaffold`` (init). ``workflow/`` holds the GitHub Actions workflow and scripts
that ``init`` writes into a learner's repository.

May import every other layer; nothing imports it.
"""
