"""What protects the evidence: one writer at a time, stale locks, corrupt or
foreign files left untouched, schema versions and migrations."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys

import pytest

from store import AuditStore, StoreError
from store import schema_version
from store.lock import lock_path
from tests.conftest import FIXTURES, ROOT
from tests.store.helpers import parsed

CELL = "requests.new_received.total"


# --- one writer at a time ----------------------------------------------------------
def test_second_instance_is_read_only_and_says_who_holds_the_lock(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path) as first:
        rid = first.import_parsed(parsed(), "/r/a.txt").report_id
        with AuditStore.open(path) as second:
            assert second.read_only and not first.read_only
            assert second.lock_holder.pid == os.getpid()
            with pytest.raises(StoreError, match=f"另一个 gipr-tui 进程使用（pid {os.getpid()}.*只读"):
                second.correct(rid, CELL, 1)
            with pytest.raises(StoreError):
                second.add_note(rid, "x")
            first.correct(rid, CELL, 40)  # the reader sees the writer's later saves
            assert second.value(rid, CELL) == 40
    with AuditStore.open(path) as third:  # released on close
        assert not third.read_only


def _holder(path):
    code = (
        "import sys, time; from store import AuditStore;"
        f"s = AuditStore.open({str(path)!r}); print('ready', flush=True); time.sleep(60)"
    )
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def test_lock_of_a_killed_process_does_not_block(tmp_path):
    path = tmp_path / "audit.json"
    holder = _holder(path)
    try:
        with AuditStore.open(path) as s:
            assert s.read_only and s.lock_holder.pid == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert lock_path(path).exists()  # the crashed process left its lock file behind
    with AuditStore.open(path) as s:
        assert not s.read_only


def test_stale_lock_file_is_taken_over(tmp_path):
    path = tmp_path / "audit.json"
    lock_path(path).write_text('{"pid": 999999, "host": "gone", "time": "2020-01-01T00:00:00Z"}')
    with AuditStore.open(path) as s:
        assert not s.read_only and s.lock_holder is None


def test_explicit_read_only_open_creates_nothing(tmp_path):
    path = tmp_path / "sub" / "audit.json"
    with AuditStore.open(path, read_only=True) as s:
        assert s.read_only and s.list_reports() == []
        with pytest.raises(StoreError, match="只读"):
            s.import_parsed(parsed(), "/r/a.txt")
    assert not (tmp_path / "sub").exists()


# --- corrupt, foreign, unwritable ---------------------------------------------------
BAD_FILES = {
    "truncated": b'{"_gipr": {"1": {"app": "gipr-tui", "schema_version": 1}}, "reports": {"1": {"id": "ab',
    "not json": "审计记录\n第一行".encode(),
    "binary": b"\xff\xfe\x00garbage\x00",
    "foreign tinydb": b'{"_default": {"1": {"name": "another program"}}}',
    "a json list": b"[1, 2, 3]",
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_corrupt_or_foreign_file_is_refused_and_never_overwritten(tmp_path, kind):
    path = tmp_path / "audit.json"
    path.write_bytes(BAD_FILES[kind])
    with pytest.raises(StoreError) as e:
        AuditStore.open(path)
    assert e.value.path == path
    assert str(path) in str(e.value) and "--db" in str(e.value) and "\n" not in str(e.value)
    assert path.read_bytes() == BAD_FILES[kind]
    assert not lock_path(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.json"]


def test_database_of_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "audit.json"
    data = b'{"_gipr": {"1": {"app": "gipr-tui", "schema_version": 99}}}'
    path.write_bytes(data)
    with pytest.raises(StoreError, match="升级"):
        AuditStore.open(path)
    assert path.read_bytes() == data


def test_a_folder_at_the_path_is_refused(tmp_path):
    with pytest.raises(StoreError, match="不是文件"):
        AuditStore.open(tmp_path)


def test_missing_parent_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "audit.json"
    with AuditStore.open(path) as s:
        s.import_parsed(parsed(), "/r/a.txt")
    assert path.is_file()


def test_unwritable_folder_is_a_store_error(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere (CI runs as root): the kernel's refusal as a user gets it
        import store.lock

        def refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

        monkeypatch.setattr(store.lock, "_open_lock_file", refused)
    try:
        with pytest.raises(StoreError, match="无法写入"):
            AuditStore.open(folder / "audit.json")
    finally:
        folder.chmod(0o700)


def test_failed_write_leaves_the_previous_database(tmp_path, monkeypatch):
    import store.storage as storage

    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_parsed(parsed(), "/r/a.txt").report_id
        before = path.read_bytes()

        def disk_full(*a, **k):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(storage, "atomic_write_bytes", disk_full)
        with pytest.raises(StoreError, match="无法写入"):
            s.correct(rid, CELL, 1)
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert s.corrections(rid) == [] and s.value(rid, CELL) == 34  # memory follows the disk
        s.correct(rid, CELL, 2)
        assert [c["after"] for c in s.corrections(rid)] == [2]


# --- schema versions ----------------------------------------------------------------
def _copy_v1(tmp_path):
    dst = tmp_path / "v1"
    shutil.copytree(FIXTURES / "store" / "v1", dst)
    return dst / "audit.json"


def _check_v1_content(s):
    [summary] = s.list_reports()
    rid = summary.id
    assert (summary.organ, summary.status, summary.corrections) == ("泸定县人民政府", "审核中", 1)
    assert s.value(rid, CELL) == 35 and s.corrections(rid)[0]["reason"] == "原文为 35"
    assert s.notes(rid)[0]["text"] == "第 1 版数据库中的备注"
    assert s.reviews(rid)["requests.row_sum|requests.new_received.total"]["justification"] == "v1 豁免"


def test_a_version_1_database_opens(tmp_path):
    path = _copy_v1(tmp_path)
    with AuditStore.open(path) as s:
        assert s.schema_info()["schema_version"] == schema_version.SCHEMA_VERSION
        _check_v1_content(s)


def test_opening_an_older_database_runs_the_migrations(tmp_path, monkeypatch):
    """Simulates schema version 2: the hook migrates the v1 fixture and records the new version."""
    path = _copy_v1(tmp_path)

    def v1_to_v2(data):
        for doc in data["reports"].values():
            doc["v2_field"] = True
        return data

    monkeypatch.setattr(schema_version, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(schema_version, "MIGRATIONS", {1: v1_to_v2})
    before = path.read_bytes()
    with AuditStore.open(path, read_only=True) as s:  # a reader upgrades in memory only
        assert s.schema_info()["schema_version"] == 2
        _check_v1_content(s)
    assert path.read_bytes() == before
    with AuditStore.open(path) as s:
        assert s.schema_info()["schema_version"] == 2
        _check_v1_content(s)
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["_gipr"]["1"]["schema_version"] == 2 and data["reports"]["1"]["v2_field"] is True


def test_missing_migration_step_is_a_clear_error(tmp_path, monkeypatch):
    path = _copy_v1(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(schema_version, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(schema_version, "MIGRATIONS", {})
    with pytest.raises(StoreError, match="无法从数据库版本 1 升级"):
        AuditStore.open(path)
    assert path.read_bytes() == before


def test_a_missing_report_blob_is_reported_not_fatal(tmp_path):
    from store.blobs import blob_dir
    from store.cache import cache_dir

    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        a = s.import_parsed(parsed(), "/r/a.txt").report_id
        b = s.import_parsed(parsed(year=2023), "/r/b.txt").report_id
    sha_a = next(p for p in blob_dir(path).iterdir() if p.name.startswith(a))
    sha_a.unlink()
    shutil.rmtree(cache_dir(path), ignore_errors=True)
    with AuditStore.open(path) as s:
        by_id = {r.id: r for r in s.list_reports()}
        assert "缺失" in by_id[a].problem and "重新导入" in by_id[a].problem
        assert by_id[b].problem is None
        with pytest.raises(StoreError, match="缺失"):
            s.get(a)


def test_read_only_store_takes_over_when_the_holder_goes(tmp_path):
    path = tmp_path / "audit.json"
    first = AuditStore.open(path)
    rid = first.import_parsed(parsed(), "/r/a.txt").report_id
    second = AuditStore.open(path)
    assert second.read_only and not second.try_write_access()
    first.correct(rid, CELL, 7)
    first.close()
    assert second.try_write_access() and not second.read_only and second.lock_holder is None
    assert second.value(rid, CELL) == 7
    second.correct(rid, CELL, 8)
    second.close()
    with AuditStore.open(path, read_only=True) as s:
        assert s.value(rid, CELL) == 8 and not s.try_write_access()


def test_export_still_writes_the_log_of_a_report_whose_content_is_missing(tmp_path):
    from store.blobs import blob_dir
    from store.cache import cache_dir

    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_parsed(parsed(), "/r/a.txt").report_id
        s.correct(rid, CELL, 9, "保留的更正")
    shutil.rmtree(blob_dir(path))
    shutil.rmtree(cache_dir(path))
    with AuditStore.open(path, read_only=True) as s:
        csv_text = s.export("csv")
        md = s.export("md")
    assert "保留的更正" in csv_text and "无法检查" in csv_text
    assert "保留的更正" in md and "无法检查" in md


def test_a_parent_that_is_a_file_is_a_store_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="无法写入") as e:
        AuditStore.open(blocker / "audit.json")
    assert "--db" in str(e.value) and blocker.read_text() == "x"
