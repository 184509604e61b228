"""Content-addressed report blobs next to the database.

Each imported report's parsed ``gipr/1`` dict, display text (~10-20 KB) and,
for a paged source (PDF), where each page starts in that text (the reader's
``ParsedReport.pages``: ``[[page number, offset], …]``) live in
``<db>.blobs/<sha256>.json``, written once, atomically, before the
database refers to it, and never changed afterwards. This keeps the TinyDB
file small (metadata and the audit log only), so a saved correction rewrites
kilobytes, not megabytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

from .errors import StoreError
from .storage import atomic_write_bytes, dumps, remove_regular_file

# a sources sha256, and for a later reading by another parser "<sha256>.<parser version>"
_SHA = re.compile(r"^[0-9a-f]{64}(?:\.[0-9a-f]{16})?$")
_ORPHAN = re.compile(r"^([0-9a-f]{64})(?:\.[0-9a-f]{16})?\.(?:json|src)$")


def _read_quickly(f: Path, size: int = 1 << 20) -> bytes | None:
    """The file's bytes (``size``: the expected size, read in one call), or None."""
    try:
        fd = os.open(f, os.O_RDONLY)
    except OSError:
        return None
    try:
        chunks = []
        while True:
            block = os.read(fd, max(size + 1, 4096))
            if not block:
                return b"".join(chunks)
            chunks.append(block)
    except OSError:
        return None
    finally:
        os.close(fd)


class Reading(NamedTuple):
    """What a blob holds. ``pages``: (page number, offset in ``text``) of a paged
    source, ``[]`` for one without pages, None for a blob written before the
    store kept them (its page positions are unknown until the report is re-read)."""

    report: dict
    text: str
    pages: list[tuple[int, int]] | None


def _valid_pages(pages, text: str) -> list[tuple[int, int]] | None:
    """The stored page list as (number, offset) pairs, or None if it is malformed."""
    if not isinstance(pages, list):
        return None
    out = []
    for p in pages:
        if not (isinstance(p, list) and len(p) == 2 and all(type(v) is int for v in p) and 0 <= p[1] <= len(text)):
            return None
        out.append((p[0], p[1]))
    return out


def blob_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".blobs")


class BlobStore:
    def __init__(self, db_path: Path, cache_size: int = 64):
        self.dir = blob_dir(db_path)
        self._cache: OrderedDict[str, Reading] = OrderedDict()
        self._cache_size = cache_size
        self._verified: dict[str, tuple] = {}  # sha → file stamp when it last passed verify()

    def _file(self, sha: str) -> Path:
        if not _SHA.match(sha):
            raise StoreError(f"无效的报告摘要 {sha!r}", self.dir)
        return self.dir / f"{sha}.json"

    def put(self, sha: str, report: dict, text: str, pages=(), *, repair: bool = False) -> str:
        """Store a report once (``pages``: the reader's (page number, offset) list);
        the sha256 of the blob file's bytes (recorded by the database, checked on
        every read). A blob that exists already is kept as is, unless ``repair``:
        then a missing, damaged or altered one is rewritten."""
        f = self._file(sha)
        pages = [(int(n), int(at)) for n, at in pages]
        data = dumps({"report": report, "text": text, "pages": [list(p) for p in pages]})
        if f.exists() and not repair:
            return hashlib.sha256(data).hexdigest()
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(f, data)
        except OSError as e:
            raise StoreError(f"无法写入报告内容文件 {f}：{e.strerror or e}", f) from None
        self._remember(sha, Reading(report, text, pages))
        return hashlib.sha256(data).hexdigest()

    def get(self, sha: str, digest: str | None = None) -> Reading:
        """(parsed report, display text, pages); shared objects: callers must not mutate.

        The file is verified when read: against ``digest`` (the sha256 of its
        bytes recorded at import), and in any case its report must name the
        source ``sha`` it is filed under. An altered blob is never used."""
        hit = self._cache.get(sha)
        if hit is not None:
            self._cache.move_to_end(sha)
            return hit
        value = self._load(sha, digest)
        self._remember(sha, value)
        return value

    def _load(self, sha: str, digest: str | None) -> Reading:
        f = self._file(sha)
        try:
            raw = f.read_bytes()
        except FileNotFoundError:
            raise StoreError(f"报告内容文件 {f} 缺失：请从原文件重新导入该报告", f) from None
        except OSError:
            raise StoreError(f"报告内容文件 {f} 无法读取：请移走它并从原文件重新导入该报告", f) from None
        if digest is not None and hashlib.sha256(raw).hexdigest() != digest:
            raise StoreError(f"报告内容文件 {f} 已被改动（与导入时记录的摘要不符）：请移走它并从原文件重新导入该报告", f)
        try:
            blob = json.loads(raw.decode("utf-8"))
            value = Reading(blob["report"], blob["text"], None)
            named = (value.report.get("source") or {}).get("sha256")
            if not isinstance(value.text, str):
                raise TypeError
            if "pages" in blob:  # absent in a blob written before the store kept page positions
                pages = _valid_pages(blob["pages"], value.text)
                if pages is None:
                    raise TypeError
                value = value._replace(pages=pages)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise StoreError(f"报告内容文件 {f} 已损坏：请移走它并从原文件重新导入该报告", f) from None
        if named is not None and named != sha.split(".")[0]:
            raise StoreError(f"报告内容文件 {f} 已被改动（内容与文件名的摘要不符）：请移走它并从原文件重新导入该报告", f)
        return value

    def verify(self, sha: str, digest: str | None) -> None:
        """StoreError unless the blob file passes ``get``'s checks; re-read only
        when the file changed since it last passed (one ``stat`` otherwise)."""
        f = self._file(sha)
        try:
            st = os.stat(f)
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns, digest)
            size = st.st_size
        except OSError:
            stamp = None
        if stamp is not None and self._verified.get(sha) == stamp:
            return
        self._cache.pop(sha, None)
        if digest is None or stamp is None:
            self._load(sha, digest)  # a record without a digest: the full check
        else:  # the bytes against the digest recorded at import: no decoding needed
            raw = _read_quickly(f, size)
            if raw is None or hashlib.sha256(raw).hexdigest() != digest:
                self._load(sha, digest)  # raises with the precise reason
        if stamp is not None:
            self._verified[sha] = stamp

    def intact(self, sha: str, digest: str | None) -> bool:
        """Whether the blob of ``sha`` is present and passes ``get``'s checks."""
        try:
            self._load(sha, digest)
        except StoreError:
            self._cache.pop(sha, None)
            return False
        return True

    def collect_orphans(self, sources: set[str]) -> int:
        """Remove files of sources no report refers to: readings (``<sha>.json``,
        ``<sha>.<parser>.json``) and kept source bytes (``<sha>.src``) left by an
        import killed after writing them and before the database referred to
        them. ``sources``: the source sha256 of every report. Only while holding
        the write lock. The number removed."""
        if not self.dir.is_dir():
            return 0
        removed = 0
        for p in self.dir.iterdir():
            m = _ORPHAN.match(p.name)
            if m is None or m.group(1) in sources:
                continue
            removed += remove_regular_file(p)
        return removed

    def _remember(self, sha: str, value: Reading) -> None:
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
