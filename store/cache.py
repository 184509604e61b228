"""Cached findings per report, next to the database (``<db>.cache/<id>.json``).

The rule book runs over a report's current values and its previous-year
report; its result changes only when the rules, the report's corrections or
that previous report change. Each cache entry carries a signature of exactly
those inputs, so a stale entry is simply not used: no invalidation to forget.
Entries are written atomically but without fsync: losing one only costs a
re-check. Reviews are applied when reading (they never change the findings).
"""

from __future__ import annotations

import json
from pathlib import Path

from .storage import atomic_write_bytes, dumps


def cache_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".cache")


class FindingsCache:
    def __init__(self, db_path: Path):
        self.dir = cache_dir(db_path)
        self._memory: dict[str, tuple[str, list[dict]]] = {}
        self._pending: dict[str, tuple[str, list[dict]]] = {}

    def get(self, report_id: str, signature: str) -> list[dict] | None:
        hit = self._memory.get(report_id)
        if hit is not None and hit[0] == signature:
            return hit[1]
        try:
            entry = json.loads((self.dir / f"{report_id}.json").read_bytes().decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("signature") != signature or not isinstance(entry.get("findings"), list):
            return None
        self._memory[report_id] = (signature, entry["findings"])
        return entry["findings"]

    def put(self, report_id: str, signature: str, findings: list[dict]) -> None:
        """Remember findings; they reach the disk on ``flush()`` (after the
        database write they depend on has succeeded)."""
        self._memory[report_id] = self._pending[report_id] = (signature, findings)

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            self.dir.mkdir(exist_ok=True)
            for report_id, (signature, findings) in pending.items():
                atomic_write_bytes(self.dir / f"{report_id}.json",
                                   dumps({"signature": signature, "findings": findings}), durable=False)
        except (OSError, TypeError, ValueError):
            pass  # a cache: the findings are recomputed next time

    def forget(self) -> None:
        self._memory.clear()
        self._pending.clear()
