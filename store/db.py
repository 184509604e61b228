"""``AuditStore``: the audit database (docs/STORE_API.md is the contract).

Layout on disk, for a database file ``audit.json``:

- ``audit.json``: a TinyDB file (``AtomicJSONStorage``: atomic, fsync'd,
  UTF-8) holding only small things: the schema marker (``_gipr``), one
  metadata document per report (``reports``: id, source path, sha256, organ,
  year, version, status) and the append-only audit log, one small table per
  report and kind (``corrections/<id>``, ``reviews/<id>``, ``notes/<id>``,
  ``status_log/<id>``; entry ids count per report). Nothing in the log is
  ever changed or deleted; undo, redo, revert and clearing a review are new
  entries. A save re-encodes only the tables it touched (see ``storage``).
- ``audit.json.blobs/<sha256>.json``: each report's parsed ``gipr/1`` dict,
  display text and page positions (PDF), content-addressed, written once before the database refers
  to it (see ``blobs``). So a saved correction rewrites the small TinyDB file
  (~0.5 KB per report plus the log), not every report's text.
- ``audit.json.cache/<id>.json``: each report's findings, with a signature of
  their inputs (see ``cache``): a cache, safe to delete.
- ``audit.json.lock``: the write lock (see ``lock``). A second process opens
  the database read-only and says who holds it.

Report ids are the first 12 hex digits of the source's sha256 (longer on the
unlikely clash), so the same file has the same id in every database.

Derived values are computed, never stored as truth: a cell's current value
(parsed value + the corrections log, ``journal.replay``), the findings
(``checks.run_checks`` over the current report and the same organ's previous
year, cached per report under a signature of the rules' source, the report's
log length and its previous-year report's), the review of a finding (latest
review entry for its key), the error/warning counts (findings minus waived).
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import os
import re
import secrets
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from collections.abc import Iterator

from tinydb import TinyDB

from parsing import parser_version
from parsing.model.schema import FLAG_CORRECTED, cell_label, cell_paths, get_cell, split_path

from . import journal
from .blobs import BlobStore, Reading
from .cache import KEY_TABLE, FindingsCache
from .clock import now_utc
from .errors import ReportNotFound, StoreError
from .lock import LockHolder, UnsafeLockFile, WriteLock
from .reread import RereadResult, changed_cells, note_text, reparsed_findings
from .schema_version import META_TABLE, migrate, new_database
from .sources import SourceStore, read_original
from .storage import AtomicJSONStorage, TMP_MARK
from .values import normalize
from .vocabulary import CONFIRMED, RESOLVED, STATUS_NEW, STATUSES, WAIVED, open_counts

_DECISION_ALIASES = {"确认": CONFIRMED, "豁免": WAIVED}

REPORTS, CORRECTIONS, REVIEWS, NOTES, STATUS_LOG = "reports", "corrections", "reviews", "notes", "status_log"
LOG_TABLES = (CORRECTIONS, REVIEWS, NOTES, STATUS_LOG)
SETTINGS = "settings"


def _same_report(doc: dict, meta: dict) -> bool:
    """An edited copy of a stored report: the same organ and year (both known), under any file name."""
    organ, year = meta.get("organ"), meta.get("year")
    return bool(organ) and isinstance(year, int) and doc.get("organ") == organ and doc.get("year") == year


def log_table(kind: str, report_id: str) -> str:
    """The TinyDB table of one report's log of one kind (``corrections/<id>``)."""
    return f"{kind}/{report_id}"


@dataclass(frozen=True)
class ImportResult:
    report_id: str
    status: str  # "new" | "unchanged" | "new_version"
    previous_id: str | None
    message: str


@dataclass(frozen=True)
class ReportSummary:
    id: str
    organ: str | None
    year: int | None
    format: str | None  # meta.format: "2021" | "2019" | "pre-2019" | "unknown"
    source_path: str
    sha256: str
    status: str
    errors: int
    warnings: int
    corrections: int
    imported_at: str
    version: int
    superseded: bool
    title: str | None = None
    source_format: str | None = None  # text | html | pdf | docx
    problem: str | None = None  # why the report cannot be checked (e.g. its stored content is missing)


@dataclass(frozen=True)
class StoredReport:
    id: str
    parsed_report: dict
    text: str
    source_path: str
    sha256: str
    status: str
    imported_at: str
    version: int
    superseded: bool
    organ: str | None
    year: int | None
    format: str | None
    # Where each page of a paged source (PDF) starts in ``text``: [(page number, offset)]
    # as the reader recorded them; [] without pages; None when stored before the store
    # kept them (re-reading the report brings them).
    pages: list[tuple[int, int]] | None = None


def resolve_auditor(auditor: str | None = None) -> str:
    """``--auditor``, else ``$GIPR_AUDITOR``, else the login name."""
    for candidate in (auditor, os.environ.get("GIPR_AUDITOR")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        name = getpass.getuser()
    except Exception:  # no login name (containers, odd platforms)
        name = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    return name.strip() or "未知审核人"


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A hash of what findings depend on besides the report: the rule book's
    source and the parser's (its schema names the cells and rows in every
    finding message). Cached findings are stale when either changes."""
    import checks

    h = hashlib.sha256(parser_version().encode())
    root = Path(checks.__file__).parent
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def _cell_set(report: dict, path: str, value) -> None:
    extra = report.get("extra_cells") or {}
    if path in extra:
        extra[path] = value
        return
    table, row, col = split_path(path)
    report.setdefault("tables", {}).setdefault(table, {}).setdefault(row, {})[col] = value


def _overlay(parsed: dict, replay: journal.Replay) -> dict:
    """``parsed`` with the replayed cells applied: new tables/provenance dicts,
    every other part shared with ``parsed`` (callers must not mutate it)."""
    report = dict(parsed)
    report["tables"] = {
        t: {r: dict(cols) if isinstance(cols, dict) else cols for r, cols in rows.items()} if isinstance(rows, dict) else rows
        for t, rows in (parsed.get("tables") or {}).items()
    }
    if "extra_cells" in parsed:
        report["extra_cells"] = dict(parsed.get("extra_cells") or {})
    prov = report["provenance"] = dict(parsed.get("provenance") or {})
    for path, state in replay.cells.items():
        _cell_set(report, path, state.value)
        if state.corrected:
            entry = dict(prov.get(path) or {"raw": None, "span": None, "flags": []})
            flags = list(entry.get("flags") or [])
            if FLAG_CORRECTED not in flags:
                flags.append(FLAG_CORRECTED)
            entry["flags"] = flags
            entry["parsed"] = get_cell(parsed, path)
            prov[path] = entry
    return report


def _private_copy(data):
    """A deep copy of JSON data (several times faster than copy.deepcopy)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


class _Malformed(Exception):
    """A record of the database does not have the shape this program writes."""


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BLOB_KEY = re.compile(r"^[0-9a-f]{64}(?:\.[0-9a-f]{16})?$")
# Fields every log entry of a kind must have, with their types.
_LOG_FIELDS = {
    CORRECTIONS: {"path": str, "kind": str},
    REVIEWS: {"key": str},
    NOTES: {"text": str},
    STATUS_LOG: {"status": str},
}


def _require(ok: bool, where: str, why: str) -> None:
    if not ok:
        raise _Malformed(f"{where}：{why}")


def _check_report_doc(key: str, doc) -> None:
    where = f"reports 表第 {key} 条"
    _require(isinstance(doc, dict), where, "不是一条记录")
    _require(isinstance(doc.get("id"), str) and bool(doc.get("id")), where, "缺少报告编号 id")
    _require(isinstance(doc.get("sha256"), str) and bool(_SHA256.match(doc["sha256"])), where, "缺少有效的 sha256")
    _require(isinstance(doc.get("source_path"), str), where, "缺少 source_path")
    digest = doc.get("blob_sha256")
    _require(digest is None or (isinstance(digest, str) and bool(_SHA256.match(digest))), where, "blob_sha256 无效")
    key = doc.get("blob")
    _require(key is None or (isinstance(key, str) and bool(_BLOB_KEY.match(key)) and key.startswith(doc["sha256"])),
             where, "blob 无效")
    _require(isinstance(doc.get("version", 1), int), where, "version 不是整数")
    _require(doc.get("year") is None or isinstance(doc.get("year"), int), where, "year 不是整数")
    for name in ("organ", "format", "title", "status", "imported_at", "parser"):
        _require(doc.get(name) is None or isinstance(doc.get(name), str), where, f"{name} 不是文字")


def _check_log_entry(table: str, kind: str, key: str, entry) -> None:
    where = f"{table} 表第 {key} 条"
    _require(isinstance(entry, dict), where, "不是一条记录")
    for name, typ in _LOG_FIELDS[kind].items():
        _require(isinstance(entry.get(name), typ), where, f"缺少 {name}")
    if kind == CORRECTIONS:
        if entry["kind"] == journal.EDIT:
            _require("after" in entry, where, "缺少 after")
        if entry["kind"] in (journal.UNDO, journal.REDO):
            _require(isinstance(entry.get("undoes"), int), where, "缺少 undoes")
        if entry["kind"] == journal.REDO:
            _require(isinstance(entry.get("redoes"), int), where, "缺少 redoes")


class _Index:
    """In-memory lookups over the decoded database (rebuilt when it is reloaded)."""

    @classmethod
    def build(cls, data: dict, path: Path) -> _Index:
        """The index; StoreError (exit 3, with the reason) for a malformed record."""
        try:
            return cls(data)
        except _Malformed as e:
            why = str(e)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as e:
            why = f"{type(e).__name__}: {e}"
        raise StoreError(
            f"{path} 的记录格式不正确（{why}）：数据库可能被手工改动或已损坏；请从备份恢复，或改用 --db 指定其他文件",
            path,
        )

    def __init__(self, data: dict):
        self.reports: dict[str, dict] = {}
        self.doc_ids: dict[str, int] = {}
        self.by_sha: dict[str, str] = {}
        self.by_organ_year: dict[tuple, list[str]] = defaultdict(list)
        self.logs: dict[str, dict[str, list[dict]]] = {t: defaultdict(list) for t in LOG_TABLES}
        for key, doc in (data.get(REPORTS) or {}).items():
            _require(key.isdigit(), f"reports 表的键 {key[:20]!r}", "不是数字")
            _check_report_doc(key, doc)
            self.add_report(doc, int(key))
        for name, raw in data.items():
            kind, _, report_id = name.partition("/")
            if kind not in self.logs or not report_id:
                continue
            for key, entry in raw.items():
                _require(key.isdigit(), f"{name} 表的键 {key[:20]!r}", "不是数字")
                _check_log_entry(name, kind, key, entry)
            self.logs[kind][report_id] = [{**raw[key], "id": int(key)} for key in sorted(raw, key=int)]

    def add_report(self, doc: dict, doc_id: int) -> None:
        rid = doc["id"]
        self.reports[rid] = doc
        self.doc_ids[rid] = doc_id
        self.by_sha[doc["sha256"]] = rid
        self.by_organ_year[(doc.get("organ"), doc.get("year"))].append(rid)


def _latest(docs: list[dict]) -> dict:
    """Of several reports of one organ and year, the one the checks compare with:
    a current version before a superseded one, then the newest."""
    return max(docs, key=lambda d: (not d.get("superseded"), d.get("version", 1), d.get("imported_at", ""), d["id"]))


def _synchronized(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._mutex:
            return method(self, *args, **kwargs)

    return wrapper


class AuditStore:
    """The audit database; open it with ``AuditStore.open(path)``."""

    def __init__(self, path: Path, auditor: str, storage: AtomicJSONStorage, lock: WriteLock,
                 lock_holder: LockHolder | None):
        self.path = path
        self.auditor = auditor
        self._storage = storage
        self._db = TinyDB(storage=lambda: storage)
        self._lock = lock
        self.lock_holder = lock_holder
        self.read_only = storage.read_only
        self._blobs = BlobStore(path)
        self._sources = SourceStore(path)
        self._mutex = threading.RLock()
        self._index: _Index | None = None
        self._index_gen = -1
        self._replays: dict[str, journal.Replay] = {}
        self._findings_cache = FindingsCache(path)
        self._closed = False

    # --- opening and closing ---------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, auditor: str | None = None, *, read_only: bool = False) -> AuditStore:
        """Open (creating it if missing) the database at ``path``.

        ``read_only=True`` opens without taking the write lock (export, a
        viewer); a missing file is then an empty database and nothing is created.
        """
        db_path = Path(os.path.abspath(Path(path).expanduser()))
        if db_path.exists() and not db_path.is_file():
            raise StoreError(f"{db_path} 不是文件：请改用 --db 指定一个文件", db_path)
        lock = WriteLock(db_path)
        holder = None
        if not read_only:
            try:
                db_path.parent.mkdir(parents=True, exist_ok=True)
                holder = lock.acquire()
            except UnsafeLockFile as e:
                raise StoreError(str(e), db_path) from None
            except OSError as e:
                raise StoreError(
                    f"无法写入审核数据库所在的文件夹 {db_path.parent}：{e.strerror or e}（请检查权限，或改用 --db 指定其他文件）",
                    db_path,
                ) from None
            read_only = holder is not None
        storage = AtomicJSONStorage(db_path, read_only=read_only, on_load=lambda data: migrate(data, db_path))
        try:
            cls._prepare(storage, db_path, writable=lock.held)
        except BaseException:
            lock.release()
            raise
        store = cls(db_path, resolve_auditor(auditor), storage, lock, holder)
        try:
            ix = store._ix()  # every record checked now: a malformed database is refused at open
            store._findings_cache.key = store._cache_key(create=lock.held)
            if lock.held:
                store._blobs.clean_temporaries()
                store._blobs.collect_orphans({d["sha256"] for d in ix.reports.values()})
                store._findings_cache.collect_orphans(set(ix.reports))
                for tmp in db_path.parent.glob(db_path.name + TMP_MARK + "*"):
                    try:
                        tmp.unlink()
                    except OSError:
                        pass
        except BaseException:
            store.close()
            raise
        return store

    def _cache_key(self, create: bool) -> bytes | None:
        """The database's key sealing the findings cache (see ``cache``); made on first use."""
        data = self._storage.read()
        doc = next(iter((data.get(KEY_TABLE) or {}).values()), None)
        key = doc.get("key") if isinstance(doc, dict) else None
        if isinstance(key, str) and _SHA256.match(key):
            return bytes.fromhex(key)
        if not create:
            return None
        key = secrets.token_hex(32)
        with self._write():
            self._db.table(KEY_TABLE).truncate()
            self._db.table(KEY_TABLE).insert({"key": key})
        return bytes.fromhex(key)

    @staticmethod
    def _prepare(storage: AtomicJSONStorage, db_path: Path, writable: bool) -> None:
        """Check the marker (``on_load``), create a new database, write a migrated one."""
        data = storage.read()
        if writable and not os.access(db_path.parent, os.W_OK):
            raise StoreError(f"无法写入文件夹 {db_path.parent}：没有写权限（请改用 --db 指定其他文件）", db_path)
        if not data:
            data = new_database(now_utc())
            if writable:
                storage.replace_data(data)
            else:
                storage.hold_in_memory(data)  # an empty database until the file appears
        elif storage.needs_write and writable:
            storage.replace_data(data)

    def try_write_access(self) -> bool:
        """A read-only store (another process held the lock) takes the lock if it
        is free now, and becomes writable; whether the store is writable."""
        with self._mutex:
            if not self.read_only:
                return True
            if self.lock_holder is None or self._closed:  # opened read-only on purpose
                return False
            try:
                holder = self._lock.acquire()
            except OSError:
                return False
            if holder is not None:
                self.lock_holder = holder
                return False
            self._storage.make_writable()
            self.read_only, self.lock_holder, self._index = False, None, None
            return True

    def close(self) -> None:
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            self._storage.close()
            self._lock.release()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # pragma: no cover - a safety net, close() is the way
        try:
            self._lock.release()
        except Exception:
            pass

    # --- internals ---------------------------------------------------------------
    def _ix(self) -> _Index:
        if self._closed:
            raise StoreError("审核数据库已关闭", self.path)
        data = self._storage.read()
        if self._index is None or self._index_gen != self._storage.generation:
            self._index = _Index.build(data, self.path)
            self._index_gen = self._storage.generation
            self._replays.clear()
            self._findings_cache.forget()
        return self._index

    def _doc(self, report_id: str) -> dict:
        doc = self._ix().reports.get(report_id)
        if doc is None:
            raise ReportNotFound(report_id, self.path)
        return doc

    def _require_writable(self) -> None:
        if self._closed:
            raise StoreError("审核数据库已关闭", self.path)
        if not self.read_only:
            return
        if self.lock_holder is not None:
            raise StoreError(
                f"数据库正由另一个 gipr-tui 进程使用（{self.lock_holder.describe()}），当前为只读", self.path
            )
        raise StoreError("审核数据库以只读方式打开，不能修改", self.path)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One atomic write for everything done inside; nothing on error."""
        self._require_writable()
        with self._mutex:
            try:
                with self._storage.batch():
                    yield
                if not self._storage.in_batch:
                    self._findings_cache.flush()
            except BaseException:
                self._index = None  # the storage rolled back to the disk
                self._replays.clear()
                self._findings_cache.forget()
                raise

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many mutating calls (e.g. importing a folder) into one write.

        Everything inside is on disk when the block ends, or nothing is.
        """
        with self._write():
            yield

    def _insert(self, kind: str, doc: dict) -> dict:
        """Append to a report's log of ``kind``; the entry with its id."""
        doc_id = self._db.table(log_table(kind, doc["report_id"])).insert(doc)
        entry = {**doc, "id": doc_id}
        self._ix().logs[kind][doc["report_id"]].append(entry)
        return entry

    def _set_report_fields(self, report_id: str, **fields) -> None:
        ix = self._ix()
        self._db.table(REPORTS).update(fields, doc_ids=[ix.doc_ids[report_id]])
        ix.reports[report_id].update(fields)

    def _blob(self, report_id: str) -> Reading:
        doc = self._doc(report_id)
        return self._blobs.get(doc.get("blob") or doc["sha256"], doc.get("blob_sha256"))

    def _fmt(self, report_id: str) -> str | None:
        return self._doc(report_id).get("format")

    def _replay(self, report_id: str) -> journal.Replay:
        ix = self._ix()
        r = self._replays.get(report_id)
        if r is None:
            parsed = self._blob(report_id).report
            r = journal.replay(ix.logs[CORRECTIONS].get(report_id, ()), lambda p: get_cell(parsed, p))
            self._replays[report_id] = r
        return r

    def _corrected_count(self, report_id: str) -> int:
        """Cells an auditor corrected (whether a cell is corrected needs no parsed value)."""
        if report_id in self._replays:
            return len(self._replays[report_id].corrected_paths())
        entries = self._ix().logs[CORRECTIONS].get(report_id)
        return len(journal.replay(entries, lambda p: None).corrected_paths()) if entries else 0

    def _previous_of(self, report_id: str) -> str | None:
        doc = self._doc(report_id)
        if not doc.get("organ") or not isinstance(doc.get("year"), int):
            return None
        ix = self._ix()
        candidates = [ix.reports[r] for r in ix.by_organ_year.get((doc["organ"], doc["year"] - 1), ())]
        if not candidates and self._storage.read().get("organ_pairs"):
            # another name of the same organ, as the auditor answered (store.organs)
            from .organs import aliases

            candidates = [ix.reports[r] for name in aliases(self, doc["organ"])
                          for r in ix.by_organ_year.get((name, doc["year"] - 1), ())]
        if not candidates:
            return None
        return _latest(candidates)["id"]

    def _settle_with_previous(self, report: dict) -> list[str]:
        """A glued 规章/规范性文件 row the table alone left open, settled by the
        same organ's previous year held here (its 现行有效 + 制发 − 废止 =
        现行有效); settled cells are flagged ``inferred`` (parsing decides how)."""
        from parsing import settle_by_previous_year

        meta = report.get("meta") or {}
        organ, year = meta.get("organ"), meta.get("year")
        if not organ or not isinstance(year, int) or isinstance(year, bool):
            return []
        ix = self._ix()
        candidates = [ix.reports[r] for r in ix.by_organ_year.get((organ, year - 1), ())]
        if not candidates:
            return []
        try:
            return settle_by_previous_year(report, self._current(_latest(candidates)["id"]))
        except StoreError:
            return []

    def _invalidate(self, report_id: str) -> None:
        """Forget the replayed log of a report whose cells changed (findings go by signature)."""
        self._replays.pop(report_id, None)

    def _current(self, report_id: str) -> dict:
        """The current report, sharing unchanged parts with the cached blob (read-only use)."""
        parsed = self._blob(report_id).report
        return _overlay(parsed, self._replay(report_id))

    def _signature(self, report_id: str) -> str:
        """What a report's findings depend on: rules, its log, its previous year's log."""
        ix = self._ix()
        prev = self._previous_of(report_id)
        prev_part = (f"{prev}:{ix.reports[prev].get('blob') or '-'}:{len(ix.logs[CORRECTIONS].get(prev, ()))}"
                     if prev else "-")
        doc = self._doc(report_id)
        content = f"{doc.get('blob') or doc['sha256']}:{doc.get('blob_sha256') or '-'}"
        return f"{rules_fingerprint()}|{content}|{len(ix.logs[CORRECTIONS].get(report_id, ()))}|{prev_part}"

    def _findings_raw(self, report_id: str) -> list[dict]:
        signature = self._signature(report_id)
        cached = self._findings_cache.get(report_id, signature)
        if cached is None:
            from checks import run_checks

            current = self._current(report_id)
            text = self._blob(report_id).text
            prev_id = self._previous_of(report_id)
            previous = (self._current(prev_id), self._blob(prev_id)[1]) if prev_id else None
            cached = run_checks(current, text, previous=previous)
            self._findings_cache.put(report_id, signature, cached)
            if not self._storage.in_batch:
                self._findings_cache.flush()
        return cached

    def _all_findings(self, report_id: str) -> list[dict]:
        """The rule book's findings and the store's own: corrected cells whose
        parsed value a newer parser changed under the correction."""
        found = self._findings_raw(report_id)
        notes = self._ix().logs[NOTES].get(report_id)
        if not notes or not any("reread" in n for n in notes):
            return found
        replay = self._replay(report_id)
        corrected = {p: s.value for p, s in replay.cells.items() if s.corrected}
        return found + reparsed_findings(notes, corrected, cell_label)

    def _current_reviews(self, report_id: str) -> dict[str, dict]:
        latest: dict[str, dict] = {}
        for e in self._ix().logs[REVIEWS].get(report_id, ()):
            latest[e["key"]] = e
        return {k: dict(e) for k, e in latest.items() if e.get("decision") is not None}

    def _count(self, report_id: str) -> tuple[int, int]:
        from checks import finding_key

        reviews = self._current_reviews(report_id)
        return open_counts({**f, "review": reviews.get(finding_key(f))} for f in self._all_findings(report_id))

    # --- import ------------------------------------------------------------------
    @_synchronized
    def import_file(self, path: str | os.PathLike) -> ImportResult:
        """Parse and import one file; an unchanged file is not parsed again."""
        from parsing import parse_bytes, read_source

        p = Path(os.path.abspath(Path(path).expanduser()))
        data = read_source(p)  # only a regular file, bounded; else the right ParseError
        known = self._ix().by_sha.get(hashlib.sha256(data).hexdigest())
        if known and self._blob_intact(known):
            return self._unchanged(known, str(p))
        parsed = parse_bytes(data, name=str(p))
        return self.import_parsed(parsed, str(p), data=data)

    def _blob_intact(self, report_id: str) -> bool:
        doc = self._doc(report_id)
        return self._blobs.intact(doc.get("blob") or doc["sha256"], doc.get("blob_sha256"))

    def _repair(self, report_id: str, sha: str, parsed, source_path: str,
                data: bytes | None = None) -> ImportResult:
        """The same source again while its stored content is missing, damaged or
        altered: write the content anew from this (original) file, as this
        parser reads it (the report records that parser)."""
        self._require_writable()
        doc = self._doc(report_id)
        current = parser_version()
        key = sha if not doc.get("blob") or doc.get("blob") == sha else f"{sha}.{current}"
        report = parsed.report
        self._settle_with_previous(report)  # as an import does
        digest = self._blobs.put(key, report, parsed.text, parsed.pages, repair=True)
        self._keep_source(sha, source_path, data)
        with self._write():
            self._set_report_fields(report_id, blob=key, blob_sha256=digest, parser=current)
            self._invalidate(report_id)
        return ImportResult(report_id, "repaired", None,
                            f"{Path(source_path).name}：已导入报告的内容文件缺失或已损坏，已从该文件重新写入（更正和审核记录不变）")

    def _unchanged(self, report_id: str, source_path: str) -> ImportResult:
        doc = self._doc(report_id)
        return ImportResult(report_id, "unchanged", None,
                            f"{Path(source_path).name} 与已导入的第 {doc.get('version', 1)} 版内容相同，未重复导入")

    def known_file(self, path: str | os.PathLike) -> bool:
        """True when a file with these very bytes was imported before (reports
        are kept by sha256): importing it again parses nothing (a scan is
        recognised once). The file is read with the parser's bounded reader
        (regular files only: a FIFO or /dev/zero is never waited on) and
        outside the store's lock, so a slow file never blocks the app."""
        from parsing import ParseError, read_source

        try:
            sha = hashlib.sha256(read_source(path)).hexdigest()
        except ParseError:
            return False
        with self._mutex:
            return sha in self._ix().by_sha

    @_synchronized
    def import_parsed(self, parsed, source_path: str, data: bytes | None = None) -> ImportResult:
        """Import a parsed report. ``data``, the source bytes, are kept so that a
        later parser can read the report again (without them the file at
        ``source_path`` is kept if it still holds the same bytes)."""
        report, text = parsed.report, parsed.text
        sha = (report.get("source") or {}).get("sha256") or hashlib.sha256(text.encode("utf-8")).hexdigest()
        ix = self._ix()
        if sha in ix.by_sha:
            known = ix.by_sha[sha]
            if self._blob_intact(known):
                return self._unchanged(known, source_path)
            return self._repair(known, sha, parsed, source_path, data)
        self._require_writable()
        report_id = next(sha[:n] for n in range(12, 65, 4) if sha[:n] not in ix.reports)
        meta = report.get("meta") or {}
        same_path = [d for d in ix.reports.values() if d["source_path"] == source_path or _same_report(d, meta)]
        previous = max(same_path, key=lambda d: (d.get("version", 1), d["id"])) if same_path else None
        version = previous.get("version", 1) + 1 if previous else 1
        self._settle_with_previous(report)
        # No report refers to this source yet: a blob file already there is an
        # orphan (a killed import, or planted) and is replaced, never trusted.
        blob_sha256 = self._blobs.put(sha, report, text, parsed.pages, repair=True)
        self._keep_source(sha, source_path, data)
        doc = {
            "id": report_id,
            "sha256": sha,
            "blob_sha256": blob_sha256,
            "source_path": source_path,
            "organ": meta.get("organ"),
            "year": meta.get("year") if isinstance(meta.get("year"), int) else None,
            "format": meta.get("format"),
            "title": meta.get("title"),
            "source_format": (report.get("source") or {}).get("format"),
            "version": version,
            "superseded": False,
            "status": STATUS_NEW,
            "imported_at": now_utc(),
            "imported_by": self.auditor,
            "parser": parser_version(),
            "figures": _overview_figures(report),  # the overview's key totals, without reading the blob
        }
        with self._write():
            doc_id = self._db.table(REPORTS).insert(doc)
            self._ix().add_report(self._storage.read()[REPORTS][str(doc_id)], doc_id)
            for d in same_path:
                if not d.get("superseded"):
                    self._set_report_fields(d["id"], superseded=True)
            self._invalidate(report_id)
        name = Path(source_path).name
        if previous is None:
            who = f"{doc['organ'] or '未识别机关'} {str(doc['year']) + '年' if doc['year'] else '年度未识别'}"
            return ImportResult(report_id, "new", None, f"已导入 {name}（{who}）")
        if previous["source_path"] != source_path:  # an edited copy under another name: the same organ and year
            return ImportResult(
                report_id, "new_version", previous["id"],
                f"{name} 与已导入的 {Path(previous['source_path']).name} 是同一份报告（{doc['organ']} {doc['year']}年）："
                f"作为第 {version} 版导入，第 {previous.get('version', 1)} 版的更正保留在第 {previous.get('version', 1)} 版",
            )
        return ImportResult(
            report_id, "new_version", previous["id"],
            f"文件已变化：作为第 {version} 版导入，第 {previous.get('version', 1)} 版的更正保留在第 {previous.get('version', 1)} 版",
        )

    def import_samples(self) -> list[ImportResult]:
        """Import the bundled sample reports (a first run shows real reports at once)."""
        import sample_reports

        folder = Path(sample_reports.__file__).parent
        return [self.import_file(p) for p in sorted(folder.glob("*.txt"))]

    def _keep_source(self, sha: str, source_path: str, data: bytes | None) -> None:
        """Keep the source bytes for a later re-read (best effort: a report
        without them can still be read again from its original file)."""
        try:
            if data is None:
                data = read_original(source_path, sha)
            if data is not None:
                self._sources.put(sha, data)
        except StoreError:
            pass

    # --- reading again with a newer parser ------------------------------------------
    @_synchronized
    def stale_reports(self) -> list[str]:
        """Ids of reports read by another parser than this one (oldest first)."""
        current = parser_version()
        docs = sorted(self._ix().reports.values(), key=lambda d: (d.get("imported_at", ""), d["id"]))
        return [d["id"] for d in docs if d.get("parser") != current]

    def is_stale(self, report_id: str) -> bool:
        with self._mutex:
            return self._doc(report_id).get("parser") != parser_version()

    def source_bytes(self, report_id: str) -> bytes | None:
        """The report's source bytes as imported (the stored copy, else the
        original file if it still holds them); None when neither is left."""
        with self._mutex:
            doc = self._doc(report_id)
        sha = doc["sha256"]
        data = self._sources.get(sha)
        if data is None:
            data = read_original(doc["source_path"], sha)
        return data

    @_synchronized
    def reread(self, report_id: str, parsed=None) -> RereadResult:
        """Read a report again from its source bytes with this parser (or take
        ``parsed``, the same bytes parsed elsewhere, e.g. in a worker thread).

        Corrections, reviews, notes and the status are kept; the audit log
        gets a note of what changed. Never raises for an unreadable source:
        the old reading stays and the result says why."""
        from parsing import ParseError, parse_bytes

        self._require_writable()
        doc = self._doc(report_id)
        current = parser_version()
        if doc.get("parser") == current:
            return RereadResult(report_id, "current", "已是当前解析器的读取结果")
        sha = doc["sha256"]
        if parsed is None:
            data = self.source_bytes(report_id)
            if data is None:
                return RereadResult(report_id, "no_source", (
                    f"没有保存原文件，{doc['source_path']} 也已不是导入时的内容：无法用新版解析器重新读取，"
                    "请重新导入原文件（现有读取结果和更正保留）"))
            self._keep_source(sha, doc["source_path"], data)
            try:
                parsed = parse_bytes(data, name=doc["source_path"])
            except ParseError as e:
                return RereadResult(report_id, "failed", f"新版解析器无法读取该文件：{e}（保留原读取结果）")
        elif (parsed.report.get("source") or {}).get("sha256") not in (None, sha):
            raise ValueError("parsed 不是这份报告的原文件")
        old, old_text, old_pages = self._blob(report_id)
        new, new_text, new_pages = parsed.report, parsed.text, [(int(n), int(at)) for n, at in parsed.pages]
        old_fmt = (old.get("meta") or {}).get("format")
        new_meta = new.get("meta") or {}
        changed = changed_cells(old, new, old_fmt, new_meta.get("format"))
        corrected = set(self._replay(report_id).corrected_paths())
        under = [c for c in changed if c[0] in corrected]
        same = not changed and old_text == new_text and old == new and old_pages == new_pages
        key = doc.get("blob") or sha
        fields = {"parser": current, "blob": key}
        if not same:
            key = f"{sha}.{current}"
            # nothing refers to this key yet: a file already there is not trusted
            fields.update(blob=key, blob_sha256=self._blobs.put(key, new, new_text, new_pages, repair=True))
        fields["figures"] = _overview_figures(new)
        if not same:
            fields.update(
                organ=new_meta.get("organ"),
                year=new_meta.get("year") if isinstance(new_meta.get("year"), int) else None,
                format=new_meta.get("format"), title=new_meta.get("title"),
            )
        text = note_text(doc.get("parser"), current, changed, under, cell_label)
        with self._write():
            self._set_report_fields(report_id, **fields)
            self._insert(NOTES, {
                "report_id": report_id, "target": None, "text": text, "auditor": self.auditor,
                "time": now_utc(), "auto": True,
                "reread": {"from": doc.get("parser"), "to": current,
                           "changed": [list(c) for c in changed], "under_corrections": [list(c) for c in under]},
            })
            self._index = None  # organ/year may have changed: rebuild the lookups
            self._replays.clear()
        status = "same" if same else "reread"
        return RereadResult(report_id, status, text, changed, under)

    # --- reading -------------------------------------------------------------------
    @_synchronized
    def list_reports(self) -> list[ReportSummary]:
        """Every report (superseded versions too), ordered by organ, year, id."""
        ix = self._ix()
        docs = sorted(ix.reports.values(), key=lambda d: (d.get("organ") or "", d.get("year") or 0, d["id"]))
        out = []
        for d in docs:
            problem = None
            try:
                self._blobs.verify(d.get("blob") or d["sha256"], d.get("blob_sha256"))
                errors, warnings = self._count(d["id"])
            except StoreError as e:  # one damaged report must not hide the others
                errors, warnings, problem = 0, 0, str(e)
            out.append(ReportSummary(
                id=d["id"], organ=d.get("organ"), year=d.get("year"), format=d.get("format"),
                source_path=d["source_path"], sha256=d["sha256"], status=d.get("status", STATUS_NEW),
                errors=errors, warnings=warnings, corrections=self._corrected_count(d["id"]),
                imported_at=d.get("imported_at", ""), version=d.get("version", 1),
                superseded=bool(d.get("superseded")), title=d.get("title"), source_format=d.get("source_format"),
                problem=problem,
            ))
        return out

    @_synchronized
    def get(self, report_id: str) -> StoredReport:
        d = self._doc(report_id)
        reading = self._blob(report_id)
        return StoredReport(
            id=d["id"], parsed_report=_private_copy(reading.report), text=reading.text, source_path=d["source_path"],
            sha256=d["sha256"], status=d.get("status", STATUS_NEW), imported_at=d.get("imported_at", ""),
            version=d.get("version", 1), superseded=bool(d.get("superseded")), organ=d.get("organ"),
            year=d.get("year"), format=d.get("format"),
            pages=None if reading.pages is None else list(reading.pages),
        )

    @_synchronized
    def current_report(self, report_id: str) -> dict:
        return _private_copy(self._current(report_id))

    @_synchronized
    def findings(self, report_id: str) -> list[dict]:
        from checks import finding_key

        reviews = self._current_reviews(report_id)
        out = []
        for f in self._all_findings(report_id):
            d = _private_copy(f)
            d["key"] = finding_key(f)
            d["review"] = reviews.get(d["key"])
            out.append(d)
        return out

    @_synchronized
    def value(self, report_id: str, path: str):
        state = self._replay(report_id).cells.get(path)
        if state is not None:
            return state.value
        return get_cell(self._blob(report_id)[0], path)

    def previous_report_id(self, report_id: str) -> str | None:
        """The same organ's previous-year report the checks compare with, if held."""
        with self._mutex:
            return self._previous_of(report_id)

    # --- corrections ---------------------------------------------------------------
    def _check_path(self, report_id: str, path: str) -> None:
        parsed = self._blob(report_id).report
        if path in (parsed.get("extra_cells") or {}) or path in set(cell_paths(self._fmt(report_id))):
            return
        raise ValueError(f"未知的单元格：{path}")

    def _append_correction(self, report_id: str, path: str, kind: str, after, reason: str = "",
                           undoes: int | None = None, redoes: int | None = None) -> dict:
        parsed = self._blob(report_id).report
        raw = ((parsed.get("provenance") or {}).get(path) or {}).get("raw")
        doc = {
            "report_id": report_id, "path": path, "before": self.value(report_id, path), "after": after,
            "raw": raw, "auditor": self.auditor, "time": now_utc(), "reason": reason or "",
            "kind": kind, "undoes": undoes, "redoes": redoes,
        }
        with self._write():
            confirmed_before = self._confirmed_present(report_id)
            entry = self._insert(CORRECTIONS, doc)
            self._invalidate(report_id)
            self._close_resolved(report_id, entry, confirmed_before)
            self._findings_raw(report_id)  # re-check now: the list's counts stay current
        return dict(entry)

    def _confirmed_present(self, report_id: str) -> set[str]:
        """Keys of confirmed findings that are present now (before a correction)."""
        from checks import finding_key

        confirmed = {k for k, r in self._current_reviews(report_id).items() if r["decision"] == CONFIRMED}
        if not confirmed:
            return set()
        return confirmed & {finding_key(f) for f in self._findings_raw(report_id)}

    def _close_resolved(self, report_id: str, correction: dict, confirmed_before: set[str]) -> None:
        """Log confirmed findings that a correction made disappear (and those it brought back)."""
        from checks import finding_key

        reviews = self._current_reviews(report_id)
        resolved = {k for k, r in reviews.items() if r["decision"] == RESOLVED}
        if not confirmed_before and not resolved:
            return
        present = {finding_key(f) for f in self._findings_raw(report_id)}
        for key in sorted(confirmed_before - present):
            self._review_entry(report_id, key, RESOLVED, "更正后不再出现", auto=True, correction_id=correction["id"])
        for key in sorted(resolved & present):
            self._review_entry(report_id, key, CONFIRMED, "更正撤销后问题再次出现，恢复为已确认", auto=True,
                               correction_id=correction["id"])

    @_synchronized
    def correct(self, report_id: str, path: str, value, reason: str = "") -> dict:
        """Set a cell (an ``edit`` entry); the same value as now confirms the cell."""
        self._require_writable()
        self._check_path(report_id, path)
        value = normalize(path, value, self._fmt(report_id))
        return self._append_correction(report_id, path, journal.EDIT, value, reason)

    @_synchronized
    def revert(self, report_id: str, path: str, reason: str = "") -> dict | None:
        """Back to the parsed value (a ``revert`` entry); None when the cell is not corrected."""
        self._require_writable()
        self._check_path(report_id, path)
        state = self._replay(report_id).cells.get(path)
        if state is None or not state.corrected:
            return None
        return self._append_correction(report_id, path, journal.REVERT, get_cell(self._blob(report_id)[0], path), reason)

    @_synchronized
    def undo(self, report_id: str) -> dict | None:
        self._require_writable()
        stack = self._replay(report_id).undo_stack
        if not stack:
            return None
        target = stack[-1]
        return self._append_correction(report_id, target["path"], journal.UNDO, target["before"], undoes=target["id"])

    @_synchronized
    def redo(self, report_id: str) -> dict | None:
        self._require_writable()
        stack = self._replay(report_id).redo_stack
        if not stack:
            return None
        undo_entry, target = stack[-1]
        return self._append_correction(report_id, target["path"], journal.REDO, target["after"],
                                       undoes=undo_entry["id"], redoes=target["id"])

    @_synchronized
    def corrections(self, report_id: str) -> list[dict]:
        self._doc(report_id)
        return [dict(e) for e in self._ix().logs[CORRECTIONS].get(report_id, ())]

    # --- notes ---------------------------------------------------------------------
    @_synchronized
    def add_note(self, report_id: str, text: str, target: str | None = None) -> dict:
        self._require_writable()
        self._doc(report_id)
        if not isinstance(text, str) or not text.strip():
            raise ValueError("备注内容不能为空")
        doc = {"report_id": report_id, "target": target or None, "text": text.strip(),
               "auditor": self.auditor, "time": now_utc()}
        with self._write():
            entry = self._insert(NOTES, doc)
        return dict(entry)

    @_synchronized
    def notes(self, report_id: str) -> list[dict]:
        self._doc(report_id)
        return [dict(e) for e in self._ix().logs[NOTES].get(report_id, ())]

    # --- finding reviews -------------------------------------------------------------
    def _review_entry(self, report_id: str, key: str, decision: str | None, justification: str = "",
                      auto: bool = False, correction_id: int | None = None) -> dict:
        doc = {"report_id": report_id, "key": key, "decision": decision, "justification": justification,
               "auditor": self.auditor, "time": now_utc(), "auto": auto, "correction_id": correction_id}
        return self._insert(REVIEWS, doc)

    @_synchronized
    def review_finding(self, report_id: str, finding_key: str, decision: str, justification: str = "") -> dict:
        """Mark a finding 确认 (``confirmed``) or 豁免 (``waived``, justification required)."""
        self._require_writable()
        self._doc(report_id)
        decision = _DECISION_ALIASES.get(decision, decision)
        if decision not in (CONFIRMED, WAIVED):
            raise ValueError(f"复核结论只能是 confirmed（确认）或 waived（豁免），收到 {decision!r}")
        justification = (justification or "").strip()
        if decision == WAIVED and not justification:
            raise ValueError("豁免必须填写理由")
        if not finding_key:
            raise ValueError("缺少检查发现的标识")
        with self._write():
            entry = self._review_entry(report_id, finding_key, decision, justification)
        return dict(entry)

    @_synchronized
    def clear_review(self, report_id: str, finding_key: str) -> dict:
        self._require_writable()
        self._doc(report_id)
        with self._write():
            entry = self._review_entry(report_id, finding_key, None)
        return dict(entry)

    @_synchronized
    def reviews(self, report_id: str) -> dict[str, dict]:
        """The current review per finding key (cleared ones left out)."""
        self._doc(report_id)
        return self._current_reviews(report_id)

    @_synchronized
    def review_log(self, report_id: str) -> list[dict]:
        """Every review entry of a report, in order (cleared and automatic ones too)."""
        self._doc(report_id)
        return [dict(e) for e in self._ix().logs[REVIEWS].get(report_id, ())]

    # --- report status -----------------------------------------------------------------
    @_synchronized
    def set_status(self, report_id: str, status: str) -> dict | None:
        """Set the review status (未审核/审核中/已完成); None when it is already that."""
        self._require_writable()
        doc = self._doc(report_id)
        if status not in STATUSES:
            raise ValueError(f"审核状态只能是 {'、'.join(STATUSES)}，收到 {status!r}")
        before = doc.get("status", STATUS_NEW)
        if before == status:
            return None
        with self._write():
            entry = self._insert(STATUS_LOG, {"report_id": report_id, "status": status, "before": before,
                                              "auditor": self.auditor, "time": now_utc()})
            self._set_report_fields(report_id, status=status)
        return dict(entry)

    @_synchronized
    def status_log(self, report_id: str) -> list[dict]:
        self._doc(report_id)
        return [dict(e) for e in self._ix().logs[STATUS_LOG].get(report_id, ())]

    # --- export -------------------------------------------------------------------------
    @_synchronized
    def export(self, fmt: str, out: TextIO | None = None, *, report: str | None = None) -> str:
        """The audit log as ``csv``, ``json`` or ``md``; also written to ``out``.
        ``report``: that report only (an id or an unambiguous prefix; else
        ``ReportNotFound``). Each export records who, when, which tool version,
        which database (see ``store.export``)."""
        from .export import render

        text = render(self, fmt, report=report)
        if out is not None:
            out.write(text)
        return text

    @_synchronized
    def export_bytes(self, fmt: str, *, report: str | None = None) -> bytes:
        """Any export format (``csv``, ``json``, ``md``, ``xlsx``) as the bytes of its file."""
        from .export import render_bytes

        return render_bytes(self, fmt, report=report)

    @_synchronized
    def export_to(self, path: str | os.PathLike, fmt: str, *, report: str | None = None) -> Path:
        """Write an export to ``path`` (temporary file beside it, then ``os.replace``);
        returns the absolute path written."""
        from .export import write
        from .safety import check_output_target

        path = check_output_target(path, self.path)  # never the database's own files, a link or a device
        return write(self, path, fmt, report=report)

    # --- settings (small, additive: one document per name in the "settings" table) -------
    @_synchronized
    def setting(self, name: str, default=None):
        """A per-database setting (e.g. ``require_reason``); ``default`` when never set."""
        self._ix()
        for doc in (self._storage.read().get(SETTINGS) or {}).values():
            if doc.get("name") == name:
                return doc.get("value")
        return default

    @_synchronized
    def set_setting(self, name: str, value) -> None:
        from tinydb import Query

        with self._write():
            self._db.table(SETTINGS).upsert({"name": name, "value": value}, Query().name == name)

    def schema_info(self) -> dict:
        """The database's marker document (app, schema_version, created)."""
        with self._mutex:
            self._ix()
            return dict(next(iter(self._storage.read()[META_TABLE].values())))


def _overview_figures(report: dict) -> dict:
    """The overview sheet's key totals of a report as read (``store.overview.figures_of``)."""
    from .overview import figures_of

    try:
        return figures_of(report)
    except Exception:  # a malformed report: the overview reads it again and says so
        return {}
