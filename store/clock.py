"""Time stamps of the audit log: UTC, ISO 8601, to the second (``2026-11-23T20:31:05Z``)."""

from __future__ import annotations

from datetime import datetime, UTC


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
