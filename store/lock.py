"""One writer at a time: ``<db>.lock`` held with ``fcntl.flock``.

The lock file records who holds it (pid, host, time), for the read-only
banner of a second instance. The operating system releases a flock when its
process dies, so a crashed process never blocks the database: a lock file
whose flock is free is stale and simply taken over.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

from .clock import now_utc

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    host: str | None
    since: str | None

    def describe(self) -> str:
        parts = [f"pid {self.pid}" if self.pid else "pid 未知"]
        if self.host:
            parts.append(f"主机 {self.host}")
        if self.since:
            parts.append(f"自 {self.since}")
        return "，".join(parts)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_HOLDER_BYTES = 4096  # a holder record is ~100 bytes; never read more


class UnsafeLockFile(OSError):
    """The lock file is a symbolic link, a hard link or not a regular file:
    opening it for writing could clobber another file, so it is left alone."""


def _read_holder(path: Path) -> LockHolder:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        try:
            raw = os.read(fd, _HOLDER_BYTES)
        finally:
            os.close(fd)
        info = json.loads(raw.decode("utf-8"))
        return LockHolder(*(v if isinstance(v, (str, int)) and not isinstance(v, bool) else None
                            for v in (info.get("pid"), info.get("host"), info.get("time"))))
    except (OSError, ValueError, AttributeError, RecursionError):
        return LockHolder(None, None, None)


def _open_lock_file(path: Path) -> int:
    """Open (creating) the lock file without following a symlink planted in its
    place; refuse a hard link or anything but a regular file (``ftruncate`` would
    clobber the file it points at)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), 0o644)
    except OSError as e:
        if os.path.islink(path):
            raise UnsafeLockFile(f"锁文件 {path} 是一个符号链接：为安全起见不跟随它，请删除该链接后重试") from None
        raise e
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        os.close(fd)
        raise UnsafeLockFile(f"锁文件 {path} 不是普通文件或有多个硬链接：为安全起见不写入它，请删除它后重试")
    return fd


class WriteLock:
    """The write lock of one database; ``acquire()`` never blocks."""

    def __init__(self, db_path: Path):
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> LockHolder | None:
        """Take the lock: None when taken, else who holds it.

        Raises OSError when the lock file cannot be created (unwritable folder).
        """
        if fcntl is None:  # pragma: no cover
            return None
        for _ in range(5):
            fd = _open_lock_file(self.path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return _read_holder(self.path)
            except BaseException:
                os.close(fd)
                raise
            # The holder may have removed the file between our open and flock.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self._fd = fd
            info = {"pid": os.getpid(), "host": socket.gethostname(), "time": now_utc()}
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info).encode("utf-8"))
            os.fsync(fd)
            return None
        raise OSError(f"无法获取锁文件 {self.path}")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink()
        except OSError:
            pass
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None
