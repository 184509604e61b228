"""Content-addressed report blobs next to the database.

Each imported report's parsed ``gipr/1`` dict and display text (~10-20 KB)
live in ``<db>.blobs/<sha256>.json``, written once, atomically, before the
database refers to it, and never changed afterwards. This keeps the TinyDB
file small (metadata and the audit log only), so a saved correction rewrites
kilobytes, not megabytes.
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from pathlib import Path

from .errors import StoreError
from .storage import atomic_write_bytes, dumps

# a sources sha256, and for a later reading by another parser "<sha256>.<parser version>"
_SHA = re.compile(r"^[0-9a-f]{64}(?:\.[0-9a-f]{16})?$")


def blob_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".blobs")


class BlobStore:
    def __init__(self, db_path: Path, cache_size: int = 64):
        self.dir = blob_dir(db_path)
        self._cache: OrderedDict[str, tuple[dict, str]] = OrderedDict()
        self._cache_size = cache_size

    def _file(self, sha: str) -> Path:
        if not _SHA.match(sha):
            raise StoreError(f"无效的报告摘要 {sha!r}", self.dir)
        return self.dir / f"{sha}.json"

    def put(self, sha: str, report: dict, text: str) -> None:
        """Store a report once (a blob that exists already is kept as is)."""
        f = self._file(sha)
        if f.exists():
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(f, dumps({"report": report, "text": text}))
        except OSError as e:
            raise StoreError(f"无法写入报告内容文件 {f}：{e.strerror or e}", f) from None
        self._remember(sha, (report, text))

    def get(self, sha: str) -> tuple[dict, str]:
        """(parsed report, display text); shared objects: callers must not mutate."""
        hit = self._cache.get(sha)
        if hit is not None:
            self._cache.move_to_end(sha)
            return hit
        f = self._file(sha)
        try:
            blob = json.loads(f.read_bytes().decode("utf-8"))
            value = (blob["report"], blob["text"])
        except FileNotFoundError:
            raise StoreError(f"报告内容文件 {f} 缺失：请从原文件重新导入该报告", f) from None
        except (OSError, ValueError, KeyError, TypeError):
            raise StoreError(f"报告内容文件 {f} 已损坏：请移走它并从原文件重新导入该报告", f) from None
        self._remember(sha, value)
        return value

    def _remember(self, sha: str, value: tuple[dict, str]) -> None:
        self._cache[sha] = value
        self._cache.move_to_end(sha)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def clean_temporaries(self) -> None:
        """Remove temporary files left by a crash (only while holding the lock)."""
        if not self.dir.is_dir():
            return
        for p in self.dir.glob("*.tmp-*"):
            try:
                os.unlink(p)
            except OSError:
                pass
