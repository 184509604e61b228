"""Issue 13 through the installed console script: `export -o` aimed at the
database, output to a full device, and the app's import of a folder holding
a FIFO (the app must stay responsive and quit on q)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import AuditStore
from store.blobs import blob_dir
from tests.conftest import sample_path
from tests.tui.conftest import SIZE, make_app, run_async, settle

GIPR = str(Path(sys.executable).with_name("gipr-tui"))
LUDING = sample_path("2024-luding-county")


def _gipr(*args, stdout=subprocess.PIPE, env=None) -> subprocess.CompletedProcess:
    proc = subprocess.run([GIPR, *map(str, args)], stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE,
                          env={**os.environ, **(env or {})}, timeout=120)
    proc.err = proc.stderr.decode("utf-8")
    assert "Traceback" not in proc.err, proc.err
    return proc


def _database(tmp_path) -> tuple[Path, str]:
    db = tmp_path / "audit.json"
    with AuditStore.open(db) as s:
        rid = s.import_file(LUDING).report_id
        sha = s.get(rid).sha256
    return db, sha


@pytest.mark.parametrize("target", ["db", "blob", "lock"])
def test_export_onto_the_database_or_its_blob_is_refused_and_the_database_survives(tmp_path, target):
    db, sha = _database(tmp_path)
    path = {"db": db, "blob": blob_dir(db) / f"{sha}.json", "lock": tmp_path / "audit.json.lock"}[target]
    before = path.read_bytes() if path.exists() else None
    proc = _gipr("export", "--db", db, "--format", "csv", "-o", path)
    assert proc.returncode == 2 and proc.err.count("\n") == 1 and "数据库" in proc.err
    assert (path.read_bytes() if path.exists() else None) == before
    assert _gipr("export", "--db", db, "--format", "json").returncode == 0  # still a sound database


def test_export_onto_a_device_or_fifo_is_refused(tmp_path):
    db, _ = _database(tmp_path)
    from tests.store.test_hostile_store import _device_node

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    device = _device_node(tmp_path)  # never the real /dev/null: were the check to regress, it would be replaced
    for target in [fifo] + ([device] if device is not None else []):
        proc = _gipr("export", "--db", db, "--format", "csv", "-o", target)
        assert proc.returncode == 2 and "不是普通文件" in proc.err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["extract", str(LUDING)], ["extract", "--json", str(LUDING)],
                                  ["check", str(LUDING)], ["check", "--json", str(LUDING)],
                                  ["export", "--format", "csv"], ["--help"], ["--version"], ["check", "--help"]])
def test_output_to_a_full_device_is_one_line_and_exit_4(tmp_path, argv):
    with open("/dev/full", "wb") as full:
        proc = _gipr(*argv, stdout=full, env={"GIPR_DB": str(_database(tmp_path)[0])})
    assert proc.returncode == 4, proc.err
    assert proc.err.count("\n") == 1 and "无法写出结果" in proc.err


def test_a_usage_error_with_a_full_standard_error_is_still_exit_2():
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([GIPR, "check", "--no-such-option"], stderr=full, stdout=subprocess.DEVNULL)
    assert proc.returncode == 2


def test_check_with_errors_to_a_full_device_is_not_exit_1(tmp_path):
    broken = tmp_path / "broken.txt"
    text = LUDING.read_text(encoding="utf-8")
    broken.write_text(text.replace("一、本年新收政府信息公开申请数量 | 31 |", "一、本年新收政府信息公开申请数量 | 32 |"),
                      encoding="utf-8")
    assert _gipr("check", broken).returncode == 1
    with open("/dev/full", "wb") as full:
        assert _gipr("check", broken, stdout=full).returncode == 4


def test_the_app_importing_a_folder_with_a_fifo_reports_it_and_still_quits_on_q(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "luding.txt").write_bytes(LUDING.read_bytes())
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    store = AuditStore.open(tmp_path / "audit.json")
    notes: list[str] = []

    async def run():
        app = make_app(store, import_paths=[str(folder)])
        app.say = lambda message, **kw: notes.append(str(message))
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(40):
                await settle(pilot)
                if any("导入完成" in n for n in notes):
                    break
            await pilot.press("q")
            await settle(pilot)
        return app

    try:
        run_async(run)()
        assert sum("不是普通文件" in n for n in notes) == 2, notes
        assert any("导入完成" in n and "新增 1" in n for n in notes), notes
        assert len(store.list_reports()) == 1
    finally:
        store.close()
