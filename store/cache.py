"""Cached findings per report, next to the database (``<db>.cache/<id>.json``).

The rule book runs over a report's current values and its previous-year
report; its result changes only when the rules, the report's corrections or
that previous report change. Each cache entry carries a signature of exactly
those inputs, so a stale entry is simply not used: no invalidation to forget.
Entries are written atomically but without fsync: losing one only costs a
re-check. Reviews are applied when reading (they never change the findings).

The cache is disposable and never evidence: each entry is sealed with an
HMAC under a random key kept in the database itself (table ``_cache_key``),
so an entry edited on disk (an error removed to turn ``check --db``'s exit 1
into 0), damaged, or copied from another database fails the check and the
findings are recomputed. Without a key (a read-only view of a database that
never had one) nothing is read from or written to the disk cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

from .storage import TMP_MARK, atomic_write_bytes, dumps, remove_regular_file

KEY_TABLE = "_cache_key"
_ENTRY = re.compile(r"^[0-9a-f]{12,64}\.json$")


def cache_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".cache")


def _seal(key: bytes, report_id: str, signature: str, body: bytes) -> str:
    """The HMAC of an entry: its report, its signature and the exact bytes of its findings."""
    head = f"{report_id}\x00{signature}\x00".encode()
    return hmac.new(key, head + body, hashlib.sha256).hexdigest()


# An entry on disk: one JSON line {"signature", "mac"}, then the findings' JSON
# (the exact bytes the seal covers: nothing is re-encoded to check it).


class FindingsCache:
    def __init__(self, db_path: Path):
        self.dir = cache_dir(db_path)
        self.key: bytes | None = None  # set by the store from the database
        self._memory: dict[str, tuple[str, list[dict]]] = {}
        self._pending: dict[str, tuple[str, list[dict]]] = {}

    def get(self, report_id: str, signature: str) -> list[dict] | None:
        hit = self._memory.get(report_id)
        if hit is not None and hit[0] == signature:
            return hit[1]
        if self.key is None:
            return None
        try:
            raw = (self.dir / f"{report_id}.json").read_bytes()
            head, sep, body = raw.partition(b"\n")
            entry = json.loads(head.decode("utf-8")) if sep else None
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("signature") != signature or not isinstance(entry.get("mac"), str):
            return None
        if not hmac.compare_digest(entry["mac"], _seal(self.key, report_id, signature, body)):
            return None  # edited, damaged or foreign: recompute
        try:
            findings = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
            return None
        self._memory[report_id] = (signature, findings)
        return findings

    def put(self, report_id: str, signature: str, findings: list[dict]) -> None:
        """Remember findings; they reach the disk on ``flush()`` (after the
        database write they depend on has succeeded)."""
        self._memory[report_id] = self._pending[report_id] = (signature, findings)

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        if not pending or self.key is None:
            return
        try:
            self.dir.mkdir(exist_ok=True)
            for report_id, (signature, findings) in pending.items():
                body = dumps(findings)
                head = dumps({"signature": signature, "mac": _seal(self.key, report_id, signature, body)})
                atomic_write_bytes(self.dir / f"{report_id}.json", head + b"\n" + body, durable=False)
        except (OSError, TypeError, ValueError):
            pass  # a cache: the findings are recomputed next time

    def forget(self) -> None:
        self._memory.clear()
        self._pending.clear()

    def collect_orphans(self, report_ids: set[str]) -> int:
        """Remove entries of reports the database does not hold (only while holding the lock)."""
        if not self.dir.is_dir():
            return 0
        removed = 0
        for p in self.dir.iterdir():
            if TMP_MARK not in p.name and (not _ENTRY.match(p.name) or p.name[:-5] in report_ids):
                continue
            removed += remove_regular_file(p)
        return removed
