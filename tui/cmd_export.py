"""`gipr-tui export`: not built yet (issue 5)."""

from __future__ import annotations

from .cli import EXIT_USAGE, error


def run(args) -> int:
    error("export: the audit database is not built yet (issue 5)")
    return EXIT_USAGE
