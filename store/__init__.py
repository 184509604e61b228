"""The audit database (TinyDB, one JSON file): reports, corrections, notes,
finding reviews, and the audit-log export.

This package never imports textual, rich or the tui package.
"""

from .paths import default_db_path, resolve_db_path

__all__ = ["default_db_path", "resolve_db_path"]
