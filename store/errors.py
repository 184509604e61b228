"""The store's error types: one-line Chinese messages that say what to do."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The audit database cannot be used (or a call is not allowed on it).

    ``str(err)`` is one line for a person; ``path`` is the database file (or
    the file concerned). The CLI exits 3 on it.
    """

    def __init__(self, message: str, path: str | Path | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return " ".join(self.message.split())


class ReportNotFound(StoreError, KeyError):
    """No report with this id in the database."""

    def __init__(self, report_id: str, path: str | Path | None = None):
        super().__init__(f"数据库中没有编号为 {report_id} 的报告", path)
        self.report_id = report_id

    def __str__(self) -> str:  # KeyError would repr() the message
        return StoreError.__str__(self)
