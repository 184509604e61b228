"""The database's schema marker and version, and the migrations between versions.

A gipr-tui database has a ``_gipr`` table holding one document
``{"app": "gipr-tui", "schema_version": N, "created": time}``. A file without
it is someone else's and is never touched. ``MIGRATIONS[n]`` turns the data of
version ``n`` into version ``n + 1`` (a pure function on the decoded JSON);
opening an older database runs them in order and writes the result.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from .errors import StoreError

APP = "gipr-tui"
META_TABLE = "_gipr"
SCHEMA_VERSION = 1

# version n -> function(data of version n) -> data of version n + 1
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


def new_database(created: str) -> dict:
    return {META_TABLE: {"1": {"app": APP, "schema_version": SCHEMA_VERSION, "created": created}}}


def _foreign(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} 不是 gipr-tui 审核数据库（{why}）：请移走该文件或改用 --db 指定其他文件", path)


def version_of(data: dict, path: Path) -> int:
    """The schema version recorded in ``data``; StoreError for a foreign file."""
    marker = data.get(META_TABLE)
    doc = next(iter(marker.values()), None) if isinstance(marker, dict) and marker else None
    if not isinstance(doc, dict) or doc.get("app") != APP:
        raise _foreign(path, "没有 gipr-tui 的数据库标记，可能是其他程序的 TinyDB 文件")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise _foreign(path, f"数据库版本无效：{version!r}")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} 由更新版本的 gipr-tui 创建（数据库版本 {version}，本程序支持 {SCHEMA_VERSION}）：请升级 gipr-tui",
            path,
        )
    return version


def migrate(data: dict, path: Path) -> tuple[dict, bool]:
    """(data at SCHEMA_VERSION, whether anything changed)."""
    version = version_of(data, path)
    changed = False
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError(f"{path}：无法从数据库版本 {version} 升级（缺少迁移步骤）", path)
        data = step(data)
        version += 1
        for doc in data[META_TABLE].values():
            doc["schema_version"] = version
        changed = True
    return data, changed
