"""The source bytes of each imported report, kept so it can be read again.

``<db>.blobs/<sha256>.src``: the file exactly as imported, written once
(atomically) and never changed. Its name is its own hash, so a copy edited
on disk is recognised as such when read. With the bytes at hand a better
parser can re-read every stored report (``AuditStore.reread``) without the
auditor finding the original files again.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .blobs import blob_dir
from .errors import StoreError
from .storage import atomic_write_bytes

_SHA = re.compile(r"^[0-9a-f]{64}$")


def _read_verified(path: str | os.PathLike, sha: str) -> bytes | None:
    """The file's bytes if they are exactly the imported ones (the parser's own
    bounded reader: regular files only, never waiting on a FIFO, at most
    ``parsing.MAX_BYTES``); None otherwise."""
    from parsing import ParseError, read_source

    try:
        data = read_source(path)
    except ParseError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha else None


class SourceStore:
    def __init__(self, db_path: Path):
        self.dir = blob_dir(db_path)

    def _file(self, sha: str) -> Path:
        if not _SHA.match(sha or ""):
            raise StoreError(f"无效的报告摘要 {sha!r}", self.dir)
        return self.dir / f"{sha}.src"

    def put(self, sha: str, data: bytes) -> None:
        """Keep the source bytes (once); bytes that do not hash to ``sha`` are refused."""
        if hashlib.sha256(data).hexdigest() != sha:
            raise StoreError("原文件内容与其摘要不符，未保存", self.dir)
        f = self._file(sha)
        if self.get(sha) is not None:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(f, data)
        except OSError as e:
            raise StoreError(f"无法写入原文件副本 {f}：{e.strerror or e}", f) from None

    def get(self, sha: str) -> bytes | None:
        """The stored bytes, or None when missing or no longer what was imported."""
        return _read_verified(self._file(sha), sha)


def read_original(path: str, sha: str) -> bytes | None:
    """The file at ``path`` if it still holds exactly the imported bytes."""
    return _read_verified(path, sha)
