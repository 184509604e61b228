"""The audit database (TinyDB, one JSON file): reports, corrections, notes,
finding reviews, and the audit-log export. docs/STORE_API.md is the contract;
``db`` explains the layout on disk.

This package never imports textual, rich or the tui package.
"""

from .db import (
    CONFIRMED,
    DECISION_LABELS,
    RESOLVED,
    STATUSES,
    WAIVED,
    AuditStore,
    ImportResult,
    ReportSummary,
    StoredReport,
    resolve_auditor,
)
from .errors import ReportNotFound, StoreError
from .paths import default_db_path, resolve_db_path

__all__ = [
    "AuditStore",
    "StoreError",
    "ReportNotFound",
    "ImportResult",
    "ReportSummary",
    "StoredReport",
    "STATUSES",
    "CONFIRMED",
    "WAIVED",
    "RESOLVED",
    "DECISION_LABELS",
    "resolve_auditor",
    "default_db_path",
    "resolve_db_path",
]
