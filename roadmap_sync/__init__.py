"""roadmap-sync: a learning roadmap in roadmap.yaml, kept in step with GitHub issues."""

# The one place the version is written; pyproject.toml reads it from here. A constant, not
# importlib.metadata: that lookup alone costs a tenth of the CLI's start-up.
__version__ = "0.2.0"
