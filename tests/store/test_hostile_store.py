"""Issue 13, tampering with the evidence: altered blobs, an edited findings
cache, a missing blob repaired by re-importing, a planted lock symlink,
malformed records, orphaned blobs, and export targets inside the database."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from store import AuditStore, StoreError
from store.blobs import blob_dir
from store.cache import cache_dir
from store.lock import lock_path
from store.safety import UnsafeTarget, check_output_target, write_export
from tests.conftest import sample_path

LUDING = sample_path("2024-luding-county")


def _broken_luding(folder: Path) -> Path:
    """The luding sample with one request cell changed: error findings."""
    text = LUDING.read_text(encoding="utf-8")
    old = "一、本年新收政府信息公开申请数量 | 31 |"
    assert old in text
    f = folder / "luding-broken.txt"
    f.write_text(text.replace(old, "一、本年新收政府信息公开申请数量 | 32 |"), encoding="utf-8")
    return f


def _imported(tmp_path, source: Path | None = None):
    db = tmp_path / "audit.json"
    with AuditStore.open(db) as s:
        rid = s.import_file(source or _broken_luding(tmp_path)).report_id
        sha = s.get(rid).sha256
        s.list_reports()  # findings computed and cached
    return db, rid, sha


# --- 6. blobs verified when read ---------------------------------------------------------

def test_a_blob_edited_on_disk_is_never_used_as_the_report(tmp_path):
    db, rid, sha = _imported(tmp_path)
    blob = blob_dir(db) / f"{sha}.json"
    data = json.loads(blob.read_text(encoding="utf-8"))
    data["report"]["meta"]["organ"] = "篡改后的机关"
    data["text"] = data["text"].replace("泸定", "篡改")
    blob.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with AuditStore.open(db) as s:
        with pytest.raises(StoreError) as err:
            s.get(rid)
        assert "已被改动" in str(err.value)
        summary = s.list_reports()[0]
        assert summary.problem and "已被改动" in summary.problem
        exported = s.export("json")
    assert "篡改" not in exported and "已被改动" in exported


def test_a_blob_swapped_for_another_reports_blob_is_detected(tmp_path):
    db, rid, sha = _imported(tmp_path)
    with AuditStore.open(db) as s:
        other = s.import_file(LUDING).report_id
        other_sha = s.get(other).sha256
    blobs = blob_dir(db)
    (blobs / f"{sha}.json").write_bytes((blobs / f"{other_sha}.json").read_bytes())
    with AuditStore.open(db) as s:
        with pytest.raises(StoreError):
            s.get(rid)


def test_an_edited_findings_cache_is_recomputed_and_check_still_exits_1(tmp_path, capsys):
    from tui.cli import main

    db = tmp_path / "audit.json"
    source = _broken_luding(tmp_path)
    assert main(["check", "--db", str(db), str(source)]) == 1
    entries = list(cache_dir(db).glob("*.json"))
    assert entries
    for e in entries:  # remove every error, keep the signature and the seal as they were
        head, body = e.read_text(encoding="utf-8").split("\n", 1)
        findings = json.loads(body)
        assert json.loads(head)["signature"] and any(f["severity"] == "error" for f in findings)
        findings = [f for f in findings if f["severity"] != "error"]
        e.write_text(head + "\n" + json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--db", str(db), str(source)]) == 1
    with AuditStore.open(db) as s:
        assert s.list_reports()[0].errors > 0


def test_a_cache_entry_copied_from_another_database_is_not_trusted(tmp_path):
    a, rid, _ = _imported(tmp_path / "a")
    b = tmp_path / "b" / "audit.json"
    with AuditStore.open(b) as s:
        s.import_file(tmp_path / "a" / "luding-broken.txt")
        assert s.list_reports()[0].errors > 0
    from store.cache import KEY_TABLE, _seal

    # An entry without the errors, properly sealed, but with database a's key.
    head, _ = (cache_dir(a) / f"{rid}.json").read_text(encoding="utf-8").split("\n", 1)
    signature = json.loads(head)["signature"]
    key_a = bytes.fromhex(next(iter(json.loads(a.read_text(encoding="utf-8"))[KEY_TABLE].values()))["key"])
    forged = json.dumps({"signature": signature, "mac": _seal(key_a, rid, signature, b"[]")})
    (cache_dir(b) / f"{rid}.json").write_text(forged + "\n[]", encoding="utf-8")
    with AuditStore.open(a) as s:  # the forgery would pass in a: the seal is right there
        (cache_dir(a) / f"{rid}.json").write_text(forged + "\n[]", encoding="utf-8")
        assert s.list_reports()[0].errors == 0
    with AuditStore.open(b) as s:
        assert s.list_reports()[0].errors > 0


# --- 7. re-importing repairs a missing blob ------------------------------------------------

@pytest.mark.parametrize("damage", ["delete_folder", "delete_file", "edit_file"])
def test_reimporting_the_same_file_repairs_the_stored_content(tmp_path, damage):
    source = _broken_luding(tmp_path)
    db, rid, sha = _imported(tmp_path, source)
    with AuditStore.open(db) as s:
        s.correct(rid, "requests.new_received.natural_person", 31, "原文笔误")
    blob = blob_dir(db) / f"{sha}.json"
    if damage == "delete_folder":
        for p in blob_dir(db).iterdir():
            p.unlink()
        blob_dir(db).rmdir()
    elif damage == "delete_file":
        blob.unlink()
    else:
        blob.write_bytes(blob.read_bytes().replace("泸定".encode(), "篡改".encode()))
    with AuditStore.open(db) as s:
        assert s.list_reports()[0].problem
        result = s.import_file(source)
        assert result.status == "repaired" and result.report_id == rid
        assert s.get(rid).text == source.read_text(encoding="utf-8")
        assert s.value(rid, "requests.new_received.natural_person") == 31  # the log is kept
        assert s.list_reports()[0].problem is None
    with AuditStore.open(db) as s:  # and it stays repaired
        assert s.import_file(source).status == "unchanged"


# --- 8. the lock file is never followed -------------------------------------------------------

def test_a_lock_symlink_planted_beside_the_database_clobbers_nothing(tmp_path):
    db = tmp_path / "audit.json"
    with AuditStore.open(db):
        pass
    victim = tmp_path / "precious.txt"
    victim.write_text("不能被覆盖", encoding="utf-8")
    lock_path(db).symlink_to(victim)
    with pytest.raises(StoreError) as err:
        AuditStore.open(db)
    assert "符号链接" in str(err.value)
    assert victim.read_text(encoding="utf-8") == "不能被覆盖"


def test_a_lock_hard_link_is_refused(tmp_path):
    db = tmp_path / "audit.json"
    victim = tmp_path / "precious.txt"
    victim.write_text("不能被覆盖", encoding="utf-8")
    os.link(victim, lock_path(db))
    with pytest.raises(StoreError):
        AuditStore.open(db)
    assert victim.read_text(encoding="utf-8") == "不能被覆盖"


# --- 9. malformed records: exit 3 with the reason ------------------------------------------

def _tamper(db: Path, change) -> None:
    data = json.loads(db.read_text(encoding="utf-8"))
    change(data)
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _drop_id(data):
    del next(iter(data["reports"].values()))["id"]


def _string_entry(data):
    table = next(k for k in data if k.startswith("corrections/"))
    data[table]["1"] = "not a record"


def _bad_key(data):
    data["reports"]["x"] = next(iter(data["reports"].values()))


@pytest.mark.parametrize("change", [_drop_id, _string_entry, _bad_key])
def test_malformed_records_are_exit_3_with_the_reason(tmp_path, change, capsys):
    from tui.cli import main

    db, rid, _ = _imported(tmp_path)
    with AuditStore.open(db) as s:
        s.correct(rid, "requests.new_received.natural_person", 31, "x")
    _tamper(db, change)
    for argv in (["check", "--db", str(db), str(LUDING)], ["export", "--db", str(db), "--format", "json"]):
        assert main(argv) == 3
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "记录格式不正确" in err and "Traceback" not in err


def test_deeply_nested_json_is_exit_3_not_a_recursion_traceback(tmp_path, capsys):
    from tui.cli import main

    db = tmp_path / "audit.json"
    db.write_text("[" * 100_000, encoding="utf-8")
    assert main(["export", "--db", str(db), "--format", "csv"]) == 3
    assert "Traceback" not in capsys.readouterr().err


# --- 11. orphaned blobs collected ----------------------------------------------------------------

def test_blobs_left_by_killed_imports_are_collected(tmp_path):
    db, rid, sha = _imported(tmp_path)
    blobs = blob_dir(db)
    orphans = [blobs / f"{i:064x}.json" for i in range(158)]
    for p in orphans:
        p.write_text('{"report": {}, "text": ""}', encoding="utf-8")
    (cache_dir(db) / "deadbeef0000.json").write_text("{}", encoding="utf-8")
    with AuditStore.open(db, read_only=True):
        assert all(p.exists() for p in orphans)  # only the lock holder collects
    with AuditStore.open(db) as s:
        assert not any(p.exists() for p in orphans)
        assert (blobs / f"{sha}.json").exists() and s.get(rid).text
    assert not (cache_dir(db) / "deadbeef0000.json").exists()


# --- 2. export targets ---------------------------------------------------------------------------

def test_export_targets_inside_the_database_are_refused(tmp_path):
    db, rid, sha = _imported(tmp_path)
    before = db.read_bytes()
    for target in (db, lock_path(db), blob_dir(db) / f"{sha}.json", blob_dir(db), cache_dir(db) / "x.csv",
                   tmp_path / "sub" / ".." / "audit.json"):
        with pytest.raises(UnsafeTarget):
            write_export(target, b"x", db)
    link = tmp_path / "link.csv"
    link.symlink_to(db)
    with pytest.raises(UnsafeTarget):
        check_output_target(link, db)
    hard = tmp_path / "hard.csv"
    os.link(db, hard)
    with pytest.raises(UnsafeTarget):
        check_output_target(hard, db)
    assert db.read_bytes() == before
    with AuditStore.open(db) as s:
        assert s.get(rid).text


def _device_node(folder: Path) -> Path | None:
    """A character device node (the null device) inside ``folder``, where the system allows making one."""
    import stat

    node = folder / "null-device"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (OSError, AttributeError):
        return None
    return node


def test_export_refuses_devices_and_fifos_and_writes_beside_a_regular_target(tmp_path):
    db = tmp_path / "audit.json"
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    targets = [fifo, tmp_path]
    device = _device_node(tmp_path)  # never the real /dev/null: were the check to regress, it would be replaced
    if device is not None:
        targets.append(device)
    for target in targets:
        with pytest.raises(UnsafeTarget):
            check_output_target(target, db)
    out = tmp_path / "log.csv"
    out.write_text("old", encoding="utf-8")
    ino = out.stat().st_ino
    write_export(out, b"new", db)
    assert out.read_bytes() == b"new" and out.stat().st_ino != ino  # a new file renamed over it
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_a_blob_planted_before_its_report_is_imported_is_replaced_not_trusted(tmp_path):
    import hashlib

    db = tmp_path / "audit.json"
    source = _broken_luding(tmp_path)
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    with AuditStore.open(db) as s:
        blob_dir(db).mkdir(parents=True, exist_ok=True)
        planted = {"report": {"source": {"sha256": sha}, "meta": {"organ": "植入的机关"}, "tables": {}}, "text": "植入"}
        (blob_dir(db) / f"{sha}.json").write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
        rid = s.import_file(source).report_id
        assert s.get(rid).text == source.read_text(encoding="utf-8")
        assert s.list_reports()[0].errors > 0


def test_orphan_collection_keeps_every_file_of_a_referenced_source(tmp_path):
    db, rid, sha = _imported(tmp_path)
    blobs = blob_dir(db)
    reading = blobs / f"{sha}.{'0' * 16}.json"  # a later parser's reading of the same source
    reading.write_bytes((blobs / f"{sha}.json").read_bytes())
    orphan_src = blobs / f"{'e' * 64}.src"
    orphan_src.write_bytes(b"bytes of a killed import")
    with AuditStore.open(db):
        pass
    assert (blobs / f"{sha}.json").exists() and reading.exists() and (blobs / f"{sha}.src").exists()
    assert not orphan_src.exists()


def test_a_reread_report_is_verified_against_its_new_reading(tmp_path, monkeypatch):
    db, rid, sha = _imported(tmp_path)
    import parsing

    real = parsing.parse_bytes

    def newer_parser(data, name=None):  # reads the same file a little differently
        parsed = real(data, name=name)
        parsed.text += "\n（新版解析器）"
        return parsed

    monkeypatch.setattr("store.db.parser_version", lambda: "f" * 16)
    monkeypatch.setattr(parsing, "parse_bytes", newer_parser)
    with AuditStore.open(db) as s:
        result = s.reread(rid)
        assert result.status == "reread"
        assert s.list_reports()[0].problem is None and s.get(rid).text
    key = json.loads(db.read_text(encoding="utf-8"))["reports"]["1"]["blob"]
    assert key == f"{sha}.{'f' * 16}"
    blob = blob_dir(db) / f"{key}.json"
    blob.write_bytes(blob.read_bytes().replace("泸定".encode(), "篡改".encode()))
    with AuditStore.open(db) as s:
        assert "已被改动" in (s.list_reports()[0].problem or "")
