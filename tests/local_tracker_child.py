"""Child processes for the local tracker's concurrency and kill tests (not a test module).

``python tests/local_tracker_child.py writers PATH`` serves the kill test: for every line read
on stdin it forks a writer that rewrites issue #1 of PATH forever (``wrote N`` after each
write that returned), prints ``pid P``, and prints ``reaped`` once the test has killed it.
Forking from this already-imported process makes each writer start in a millisecond, where a
fresh interpreter would spend a third of a second importing.

``python tests/local_tracker_child.py label PATH NAME`` creates one label and exits.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

from roadmap_sync.trackers.base import IssueEdit, LabelSpec
from roadmap_sync.trackers.local import LocalTracker

SHARED_ISSUE = 1  # every worker of the race comments on it


def body(generation: int) -> str:
    """Issue #1's body at a generation; its size varies, so a torn file could not pass."""
    return f"generation {generation}\n" + "x" * (1000 * (generation % 13))


def generation(tracker: LocalTracker) -> int:
    """The generation issue #1 of the tracker holds."""
    return int(tracker.issue(1).body.split()[1])


def race(path: str, worker: int, rounds: int, barrier: Any) -> None:
    """In each round, wait for the other worker, then close this worker's issue of the round
    and comment on the shared issue: two read-modify-writes that must both survive."""
    tracker = LocalTracker(Path(path))
    for round_ in range(rounds):
        barrier.wait(timeout=10)  # long enough, and a failed peer cannot hang the test
        tracker.edit_issue(2 + 2 * round_ + worker, IssueEdit(state="closed"))
        tracker.comment(SHARED_ISSUE, f"worker {worker} round {round_}")


def say(line: str) -> None:
    """Write a whole line in one system call: a pipe never splits or interleaves it, even when
    the writer is killed mid-print (print may write the text and the newline separately)."""
    os.write(sys.stdout.fileno(), f"{line}\n".encode())


def _write_forever(path: Path, server: int) -> None:
    tracker = LocalTracker(path)
    current = generation(tracker)
    while os.getppid() == server:  # an orphan (the test died) stops instead of writing forever
        current += 1
        tracker.edit_issue(1, IssueEdit(body=body(current)))
        say(f"wrote {current}")


def serve_writers(path: Path) -> None:
    """Fork one writer per line on stdin; report its pid, then reap it once it is killed."""
    for _ in sys.stdin:
        server, pid = os.getpid(), os.fork()
        if pid == 0:
            try:
                _write_forever(path, server)
            except BaseException:
                traceback.print_exc()  # only if writing failed: the test sees no progress
            os._exit(1)  # never run the server's code in the writer
        say(f"pid {pid}")
        os.waitpid(pid, 0)
        say("reaped")


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    if mode == "writers":
        serve_writers(target)
    else:
        LocalTracker(target).create_label(LabelSpec(sys.argv[3], "ededed", ""))
