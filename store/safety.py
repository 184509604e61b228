"""Where the store may write on someone's behalf: an export target is checked
before anything is written (``gipr-tui export -o``, the app's export dialog).

An audit database is evidence. ``export -o audit.json`` once overwrote the
database itself (and a stored blob, or a device node as root) and exited 0;
the next run found the database corrupt. Refused now, each with a one-line
reason: a target that is the database file or one of its companions (the
lock, the blob and cache folders and anything in them, a temporary file of
the database), the same file as the database under another name (hard link),
a symbolic link, and anything that is not a regular file (a folder, a device
such as ``/dev/sda`` or ``/dev/null``, a FIFO, a socket). A target that passes
is written through a temporary file beside it and renamed over it
(``storage.atomic_write_bytes``): never written in place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .blobs import blob_dir
from .cache import cache_dir
from .lock import lock_path
from .storage import TMP_MARK, atomic_write_bytes


class UnsafeTarget(ValueError):
    """An output target refused; ``str(err)`` is one line saying why."""


def _real(p: Path) -> Path:
    return Path(os.path.realpath(p))


def check_output_target(target: str | os.PathLike, db_path: str | os.PathLike) -> Path:
    """The target as an absolute path, or ``UnsafeTarget`` saying why it is refused."""
    raw = os.fspath(target)
    if not raw or not raw.strip():
        raise UnsafeTarget("输出文件名为空")
    path = Path(os.path.abspath(Path(raw).expanduser()))
    db = Path(os.path.abspath(Path(db_path).expanduser()))
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UnsafeTarget(f"无法检查输出文件 {path}：{e.strerror or e}") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeTarget(f"{path} 是符号链接：为安全起见不写入，请指定一个普通文件")
        if stat.S_ISDIR(st.st_mode):
            raise UnsafeTarget(f"{path} 是文件夹：请指定一个文件名")
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeTarget(f"{path} 不是普通文件（设备、管道或套接字）：不写入")
    guarded = _database_files(db)
    where = _real(path.parent) / path.name
    for g in guarded:
        if where == g or g in where.parents:
            raise UnsafeTarget(f"{path} 是审核数据库的文件（{g.name}）：导出会毁掉数据库，请另选文件名")
    if where.name.startswith(db.name + TMP_MARK) and where.parent == _real(db.parent):
        raise UnsafeTarget(f"{path} 是审核数据库的临时文件：请另选文件名")
    if st is not None:
        try:
            db_st = os.stat(db)
        except OSError:
            db_st = None
        if db_st is not None and (st.st_dev, st.st_ino) == (db_st.st_dev, db_st.st_ino):
            raise UnsafeTarget(f"{path} 与审核数据库是同一个文件：导出会毁掉数据库，请另选文件名")
    return path


def _database_files(db: Path) -> list[Path]:
    out = []
    for p in (db, lock_path(db), blob_dir(db), cache_dir(db)):
        out.append(p)
        real = _real(p)
        if real != p:
            out.append(real)
    return out


def write_export(target: str | os.PathLike, data: bytes, db_path: str | os.PathLike) -> Path:
    """Check ``target`` (``check_output_target``), then write ``data`` through a
    temporary file beside it. Raises UnsafeTarget or OSError."""
    path = check_output_target(target, db_path)
    atomic_write_bytes(path, data)
    return path
