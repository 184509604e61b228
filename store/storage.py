"""Crash-safe JSON storage for TinyDB, and the atomic file write it rests on.

Every write goes to a temporary file in the same folder, is flushed and
fsync'd, replaces the target with ``os.replace`` and then the folder itself is
fsync'd: after a crash the file is either the old or the new version, never a
mix. JSON is UTF-8 with Chinese written as itself.

The storage keeps the decoded data in memory (TinyDB reads the whole
database on every query otherwise). A ``batch()`` groups several TinyDB
operations into one atomic write (all or nothing); if a write fails, the
in-memory copy is dropped so that the next read sees what is on disk.
A read-only storage re-reads the file when another process has replaced it.

Encoding the whole database on every save would cost time proportional to the
database; instead each table's JSON is cached and re-encoded only when the
table changed. TinyDB replaces a table's dict object on every write to that
table (``Table._update_table``), so "same object" means "same content" as long
as nobody mutates the stored data outside TinyDB, which the store never does.
The audit log is split into small per-report tables, so a saved correction
re-encodes a few kilobytes whatever the size of the database.
"""

from __future__ import annotations

import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Callable, Iterator

from tinydb.storages import Storage

from .errors import StoreError

TMP_MARK = ".tmp-"


def remove_regular_file(path: Path) -> bool:
    """Delete ``path`` if it is a regular file (never a link, a folder or a
    device planted in the store's folders); whether it was removed."""
    try:
        if path.is_file() and not path.is_symlink():
            os.unlink(path)
            return True
    except OSError:
        pass
    return False


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder: best effort
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file.

    ``durable=False`` skips the fsyncs (for caches that can be recomputed).
    """
    target = Path(path)
    tmp = target.with_name(f"{target.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(target.parent)


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _TableEncoder:
    """Encodes the database, reusing each unchanged table's bytes from the last time."""

    def __init__(self):
        self._cache: dict[str, tuple[dict, bytes]] = {}

    def encode(self, data: dict) -> bytes:
        fresh: dict[str, tuple[dict, bytes]] = {}
        parts = []
        for name, table in data.items():
            hit = self._cache.get(name)
            body = hit[1] if hit is not None and hit[0] is table else dumps(table)
            fresh[name] = (table, body)
            parts.append(dumps(name) + b":" + body)
        self._cache = fresh
        return b"{" + b",".join(parts) + b"}"


def load_json_file(path: Path):
    """The decoded JSON of ``path``; StoreError when it is not UTF-8 JSON."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise StoreError(f"无法读取审核数据库 {path}：{e.strerror or e}", path) from None
    if not raw.strip():
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise StoreError(
            f"{path} 不是 gipr-tui 审核数据库或已损坏（不是完整的 JSON，或嵌套过深）：请移走该文件或改用 --db 指定其他文件",
            path,
        ) from None


class AtomicJSONStorage(Storage):
    """A TinyDB storage: the whole database in one JSON file, written atomically."""

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False,
                 on_load: Callable[[dict], tuple[dict, bool]] | None = None):
        """``on_load(data) -> (data, changed)`` checks and upgrades what is read
        (every time it is read: a read-only storage reloads); ``needs_write``
        then says the upgraded data has not been written yet."""
        self.path = Path(path)
        self.read_only = read_only
        self._on_load = on_load
        self.needs_write = False
        self._data: dict | None = None
        self._stamp: tuple | None = None
        self._batch_depth = 0
        self._dirty = False
        self.generation = 0  # bumped whenever the data is (re)loaded from disk
        self._encoder = _TableEncoder()

    # --- TinyDB's interface -------------------------------------------------
    def read(self) -> dict:
        if self._data is None or (self.read_only and self._changed_on_disk()):
            self._load()
        return self._data

    def write(self, data: dict) -> None:
        if self.read_only:
            raise StoreError(f"审核数据库 {self.path} 以只读方式打开，不能写入", self.path)
        self._data = data
        if self._batch_depth:
            self._dirty = True
        else:
            self._flush()

    def close(self) -> None:
        self._data = None

    # --- ours ---------------------------------------------------------------
    def _file_stamp(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _changed_on_disk(self) -> bool:
        return self._file_stamp() != self._stamp

    def _load(self) -> None:
        stamp = self._file_stamp()
        data = load_json_file(self.path) if stamp is not None else None
        if data is None:
            data = {}
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreError(
                f"{self.path} 不是 gipr-tui 审核数据库（不是 TinyDB 格式）：请移走该文件或改用 --db 指定其他文件",
                self.path,
            )
        if data and self._on_load is not None:
            data, self.needs_write = self._on_load(data)
        self._data, self._stamp = data, stamp
        self._encoder = _TableEncoder()
        self.generation += 1

    def _flush(self) -> None:
        try:
            atomic_write_bytes(self.path, self._encoder.encode(self._data))
        except OSError as e:
            self._data, self._encoder = None, _TableEncoder()  # forget what did not reach the disk
            raise StoreError(
                f"无法写入审核数据库 {self.path}：{e.strerror or e}（请检查磁盘空间和权限，或改用 --db 指定其他文件）",
                self.path,
            ) from None
        except BaseException:
            self._data, self._encoder = None, _TableEncoder()
            raise
        self._dirty = self.needs_write = False
        self._stamp = self._file_stamp()

    def make_writable(self) -> None:
        """After taking the write lock: re-read the file, then allow writes."""
        self.read_only = False
        self._data = None

    def hold_in_memory(self, data: dict) -> None:
        """Use ``data`` without writing it (a read-only view of a missing file)."""
        self._data = data

    def replace_data(self, data: dict) -> None:
        """Set the whole database (creation, migration) and write it."""
        self.write(data)

    @property
    def in_batch(self) -> bool:
        return self._batch_depth > 0

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes into one atomic write at the end; nothing on error."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty:
                self._data, self._dirty = None, False  # roll back to the disk
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._flush()
