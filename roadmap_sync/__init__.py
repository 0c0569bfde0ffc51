"""roadmap-sync: a learning roadmap in roadmap.yaml, kept in step with GitHub issues."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap-sync")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
