"""`gipr-tui check PATH ...`: not built yet (issue 4)."""

from __future__ import annotations

from .cli import EXIT_USAGE, error


def run(args) -> int:
    error("check: the rule book is not built yet (issue 4)")
    return EXIT_USAGE
