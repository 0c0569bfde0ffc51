"""File IO the tool does on its own behalf: one atomic write, one cross-process lock, and the
``.roadmap-sync/`` folder where the tracker file and the ETag cache live.

Everything that writes a file (the README and pictures, the local tracker, the ETag cache,
``import``) goes through :func:`write_atomic`, so a crash or a concurrent reader never sees
half a file, on Linux, macOS and Windows alike.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RoadmapSyncError, not_utf8

with warnings.catch_warnings():
    # Without fcntl (a rare POSIX build) filelock falls back to a lock file and warns once; the
    # fallback is the right lock there, and the warning would reach the learner's terminal.
    warnings.simplefilter("ignore")
    from filelock import BaseFileLock, FileLock

STATE_DIR = Path(".roadmap-sync")  # the tool's own folder
TRACKER_FILE = STATE_DIR / "tracker.json"  # the local tracker, meant to be committed
CACHE_FILE = STATE_DIR / "cache.json"  # the GitHub tracker's ETags, local only
# The .gitignore of that folder: the tracker file is meant for git, the rest is not.
GITIGNORE = (
    "# Commit {name} (your progress); locks and temp files stay local.\n*\n!.gitignore\n!{name}\n"
)


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write the file only if its content differs; return whether it was written.

    Text is written as UTF-8 bytes with no newline translation (read it back with
    :func:`read_bytes`, not ``read_text()``, or CRLF becomes LF). The new content goes to a
    temporary file in the same directory, is fsynced and then renamed over the old one, so a
    reader sees the old file or the new one, never half of either. Parent directories are
    created; a symlink is followed; the file's mode is kept. An OS failure (permissions, a
    directory in the way) raises RoadmapSyncError. Temporary files a killed writer left are
    not touched here: only a lock holder may remove them (``discard_temporaries``).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(path))
    try:
        try:
            if target.read_bytes() == raw:
                return False
            mode: int | None = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, raw, mode)
    except OSError as exc:
        raise RoadmapSyncError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True


def _replace(target: Path, raw: bytes, mode: int | None) -> None:
    prefix = f".{target.name}."
    temp = target.with_name(f"{prefix}{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write through a file (or link) someone else put there; 0o666 lets the
    # umask decide a new file's mode, as for any file the user's editor would create.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is synced; not every platform allows it.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discard_temporaries(path: Path) -> None:
    """Remove the temporary files a killed writer of ``path`` left beside it. Only safe while
    holding the file's lock: otherwise they may be another writer's, in flight."""
    folder, prefix = path.parent, f".{path.name}."
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist; other OS failures are RoadmapSyncError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RoadmapSyncError(f"{path}: cannot read: {exc.strerror}") from None


def read_utf8(path: Path, what: str = "file") -> str | None:
    """A text file exactly as it is (CRLF kept), None when missing; not UTF-8 is an error."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = not_utf8(str(path), raw, exc, f"save the {what} as UTF-8")
        raise RoadmapSyncError(str(problem)) from None


def ignore_state_files(folder: Path, keep: str) -> None:
    """Give the tool's own folder a .gitignore that commits only ``keep`` (the tracker file),
    once. Only in ``.roadmap-sync/``: a '*' anywhere else would hide the user's files."""
    ignore = folder / ".gitignore"
    if folder.name == STATE_DIR.name and not ignore.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ignore.write_text(GITIGNORE.format(name=keep), encoding="utf-8")


@dataclass
class _Hold:
    """This process's hold on one lock file, shared by every caller locking it."""

    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    owner: int | None = None
    lock: BaseFileLock | None = None


_HOLDS: dict[str, _Hold] = {}
_HOLDS_GUARD = threading.Lock()


def _hold(lock_path: Path) -> _Hold:
    with _HOLDS_GUARD:
        return _HOLDS.setdefault(os.path.abspath(lock_path), _Hold())


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[bool]:
    """Hold an OS lock on ``lock_path`` (flock on POSIX, LockFileEx on Windows) for the block;
    other processes and threads wait. Re-entrant in this thread: yields True for the outermost
    hold, False for a nested one. An OS failure raises RoadmapSyncError."""
    hold = _hold(lock_path)
    with hold.guard:
        outermost = hold.depth == 0
        if outermost:
            lock = FileLock(lock_path, mode=0o644)
            try:
                lock_path.parent.mkdir(parents=True, exist_ok=True)
                lock.acquire()
            except OSError as exc:
                raise RoadmapSyncError(f"{lock_path}: cannot lock: {exc.strerror}") from None
            hold.lock, hold.owner = lock, threading.get_ident()
        hold.depth += 1
        try:
            yield outermost
        finally:
            hold.depth -= 1
            if hold.depth == 0:
                hold.owner = None
                if hold.lock is not None:
                    hold.lock.release()
                    hold.lock = None


def holding(lock_path: Path) -> bool:
    """Whether this thread holds the lock on ``lock_path``."""
    return _hold(lock_path).owner == threading.get_ident()
