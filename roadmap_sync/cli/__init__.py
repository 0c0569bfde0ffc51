"""The command line, the one layer that does IO with people: click (only in ``app``), the
terminal and JSON output (rich only in ``console``), GitHub Actions' workflow commands, and
choosing the tracker. Each command is a plain function ``(…) -> int`` in a module named for
what it works on: ``authoring`` (validate, import), ``syncing`` (plan, sync, migrate),
``reporting`` (status, render), ``marking`` (done, start, skip, reopen).

May import every other layer; nothing imports it.
"""
