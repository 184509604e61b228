"""The audit database (TinyDB, one JSON file): reports, corrections, notes,
finding reviews, and the audit-log export. docs/STORE_API.md is the contract;
``db`` explains the layout on disk.

This package never imports textual, rich or the tui package.
"""

from .errors import ReportNotFound, StoreError
from .paths import default_db_path, resolve_db_path
from .vocabulary import (
    CONFIRMED,
    DECISIONS,
    RESOLVED,
    REVIEW_EVENT_LABELS,
    REVIEW_STATE_LABELS,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUSES,
    WAIVED,
    decision_of,
    has_open_error,
    is_open,
    is_pending,
    open_counts,
    review_event_label,
    review_state_label,
    rule_name,
)

# The database module pulls in TinyDB, the parser and the checks: import it
# only when one of its names is used, so `gipr-tui --version`/`--help` (which
# need only the path) start fast.
_FROM_DB = {
    "AuditStore", "ImportResult", "ReportSummary", "StoredReport", "resolve_auditor",
}


# Export targets (store.safety): checked before anything is written.
_FROM_SAFETY = {"UnsafeTarget", "check_output_target", "write_export"}
# The export's helpers for callers choosing what and where to export.
_FROM_EXPORT = {"EXPORT_FORMATS", "default_export_path", "export_folder", "resolve_report", "shown_value"}
# The batch engine (store.batch): many files read in workers within a time
# budget, imported; `gipr-tui check` and the app's import use it.
# Which cells two readings of a report disagree on (store.reread).
_FROM_REREAD = {"changed_cells"}
_FROM_BATCH = {"FILE_TIME_BUDGET", "PARALLEL_FROM", "Checked", "check_all", "check_one", "import_all",
               "parse_one", "time_budget", "OverTime"}


def __getattr__(name: str):
    if name == "normalize_value":  # what a cell may hold (the edit dialog validates with it)
        from .values import normalize

        return normalize
    if name in _FROM_DB:
        from . import db

        return getattr(db, name)
    if name in _FROM_SAFETY:
        from . import safety

        return getattr(safety, name)
    if name in _FROM_EXPORT:
        from . import export

        return export.FORMATS if name == "EXPORT_FORMATS" else getattr(export, name)
    if name in _FROM_REREAD:
        from . import reread

        return getattr(reread, name)
    if name in _FROM_BATCH:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")


__all__ = [
    "normalize_value",
    "AuditStore",
    "StoreError",
    "ReportNotFound",
    "ImportResult",
    "ReportSummary",
    "StoredReport",
    # the store's words (store.vocabulary): report statuses, review decisions, open findings
    "STATUSES",
    "STATUS_NEW",
    "STATUS_IN_PROGRESS",
    "STATUS_DONE",
    "CONFIRMED",
    "WAIVED",
    "RESOLVED",
    "DECISIONS",
    "REVIEW_STATE_LABELS",
    "REVIEW_EVENT_LABELS",
    "decision_of",
    "review_state_label",
    "review_event_label",
    "is_pending",
    "is_open",
    "open_counts",
    "has_open_error",
    "rule_name",
    "resolve_auditor",
    "default_db_path",
    "resolve_db_path",
    "UnsafeTarget",
    "check_output_target",
    "write_export",
    "EXPORT_FORMATS",
    "default_export_path",
    "export_folder",
    "resolve_report",
    "shown_value",
    "changed_cells",
    *sorted(_FROM_BATCH),
]
