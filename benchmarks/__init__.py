"""Benchmarks of roadmap-sync against the fake GitHub; run ``python -m benchmarks.run``."""
