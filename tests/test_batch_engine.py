"""The headless batch engine (``parsing.find_reports``, ``store.batch``):
`gipr-tui check` and the app's import pick exactly the same files from the
same folder and read them within the same per-file time budget; with
``--db`` a report is checked once (by the store), not in the worker too."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

import checks
import parsing
from parsing import REPORT_SUFFIXES, find_reports
from store import AuditStore, batch
from tests.conftest import FIXTURES, SAMPLES
from tests.tui.conftest import SIZE, make_app, run_async, settle
from tui.cli import main as cli_main

# A few bytes that say "PNG" and are no picture: tried (it may be a scan) and refused at once.
NOT_A_PICTURE = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def _mixed_folder(root: Path) -> set[str]:
    """A folder as an auditor's download folder looks; returns the files that are to be tried."""
    root.mkdir()
    (root / "luding.txt").write_bytes((SAMPLES / "2024-luding-county.txt").read_bytes())
    deeper = root / "2021" / "街道"
    deeper.mkdir(parents=True)
    (deeper / "zhanbeilu.md").write_bytes((SAMPLES / "2021-zhanbeilu-street.txt").read_bytes())
    (root / "scan.png").write_bytes(NOT_A_PICTURE)
    (root / "PHOTO.JPG").write_bytes(NOT_A_PICTURE)
    os.mkfifo(root / "pipe.txt")  # listed, then refused without waiting for a writer
    # never tried:
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text("hidden folder", encoding="utf-8")
    (root / "README.md").write_text("# 说明", encoding="utf-8")
    (root / "LICENSE.txt").write_text("licence", encoding="utf-8")
    (root / "data.xyz").write_text("unknown suffix", encoding="utf-8")
    (root / "list.csv").write_text("a,b", encoding="utf-8")
    (root / "2021" / "back").symlink_to("..")  # a symlinked folder (a loop): not followed
    page = root / "公开报告.html"
    page.write_bytes((FIXTURES / "html" / "luding-2024-gov-page.html").read_bytes())
    assets = root / "公开报告_files"  # what a browser saves beside the page
    assets.mkdir()
    (assets / "banner.png").write_bytes(NOT_A_PICTURE)
    return {str(p) for p in (root / "luding.txt", deeper / "zhanbeilu.md", root / "scan.png", root / "PHOTO.JPG",
                             root / "pipe.txt", page)}


def test_one_suffix_list_and_it_holds_what_the_readers_take():
    assert {".txt", ".md", ".html", ".pdf", ".docx", ".png", ".jpg", ".jpeg"} <= REPORT_SUFFIXES
    assert not {".csv", ".xlsx", ".json", ".zip", ".py"} & REPORT_SUFFIXES


def test_a_folder_is_walked_once_in_a_stable_order_and_an_unlistable_folder_is_said(tmp_path):
    expected = _mixed_folder(tmp_path / "reports")
    files, bad = find_reports([tmp_path / "reports", tmp_path / "reports" / "luding.txt"])
    assert set(files) == expected and len(files) == len(expected) and bad == []
    assert files == find_reports([tmp_path / "reports"])[0]
    if os.geteuid() != 0:  # root reads any folder
        locked = tmp_path / "reports" / "locked"
        locked.mkdir()
        (locked / "x.txt").write_text("x", encoding="utf-8")
        locked.chmod(0)
        try:
            files, bad = find_reports([tmp_path / "reports"])
        finally:
            locked.chmod(0o755)
        assert set(files) == expected and [p for p, _ in bad] == [str(locked)] and "没有权限" in bad[0][1]


def test_check_and_the_app_import_pick_exactly_the_same_files(tmp_path, capsys):
    expected = _mixed_folder(tmp_path / "reports")

    code = cli_main(["check", "--json", str(tmp_path / "reports")])
    out, _ = capsys.readouterr()
    by_check = [json.loads(line)["source"]["path"] for line in out.splitlines()]
    assert code == 2 and len(by_check) == len(set(by_check))

    store = AuditStore.open(tmp_path / "audit.json")

    async def run():
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            app.say = lambda message, **kw: None
            await settle(pilot)
            await app.screen.start_import([str(tmp_path / "reports")])
            await app.workers.wait_for_complete()
            await settle(pilot, 3)
            return [p for p, _ in app.screen._failures], app.screen.query_one("#import-failures").render()

    try:
        failed, listed = run_async(run)()
        imported = [r.source_path for r in store.list_reports()]
    finally:
        store.close()
    assert set(by_check) == expected
    assert sorted(imported + failed) == sorted(by_check)  # each tried once, imported or listed as not imported
    assert {Path(p).name for p in failed} == {"scan.png", "PHOTO.JPG", "pipe.txt"}
    assert "pipe.txt" in str(listed) and "scan.png" in str(listed)


def _stall(path_end: str):
    real = parsing.parse_file

    def parse_file(path):
        if str(path).endswith(path_end):
            while True:  # a reader gone quadratic
                pass
        return real(path)

    return parse_file


def test_the_time_budget_holds_in_a_thread_and_never_fires_after_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parsing, "parse_file", _stall("slow.txt"))
    results: list = []

    def work():
        started = time.monotonic()
        results.append(batch.parse_one(str(tmp_path / "slow.txt"), budget=0.3))
        results.append(time.monotonic() - started)
        results.append(batch.parse_one(str(SAMPLES / "2024-luding-county.txt"), budget=0.3))
        try:
            time.sleep(0.8)  # past the budget of the file before: nothing is raised here
            results.append("quiet")
        except BaseException as e:  # noqa: BLE001  (the failure this test is about)
            results.append(e)

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive()
    slow, took, fine, after = results
    assert slow.parsed is None and "秒" in slow.message and took < 5
    assert fine.message is None and fine.parsed.report["meta"]
    assert after == "quiet"


def test_the_app_import_skips_a_file_over_the_time_budget_and_imports_the_rest(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "slow.txt").write_text("slow", encoding="utf-8")
    (folder / "luding.txt").write_bytes((SAMPLES / "2024-luding-county.txt").read_bytes())
    monkeypatch.setattr(parsing, "parse_file", _stall("slow.txt"))
    monkeypatch.setattr(batch, "FILE_TIME_BUDGET", 0.5)
    store = AuditStore.open(tmp_path / "audit.json")

    async def run():
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            app.say = lambda message, **kw: None
            await settle(pilot)
            await app.screen.start_import([str(folder)])
            await app.workers.wait_for_complete()
            await settle(pilot, 3)
            return app.screen._failures

    try:
        failures = run_async(run)()
        imported = [Path(r.source_path).name for r in store.list_reports()]
    finally:
        store.close()
    assert [Path(p).name for p, _ in failures] == ["slow.txt"] and "秒" in failures[0][1]
    assert "--time-limit" not in failures[0][1]  # a command-line option means nothing in the app
    assert imported == ["luding.txt"]


@pytest.mark.parametrize("db", [False, True])
def test_each_report_is_checked_once_with_or_without_a_database(tmp_path, monkeypatch, capsys, db):
    calls = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: calls.append(1) or real(*a, **k))
    files = [str(SAMPLES / "2024-luding-county.txt"), str(SAMPLES / "2021-zhanbeilu-street.txt")]
    args = ["check", "--jobs", "1", *files] + (["--db", str(tmp_path / "audit.json")] if db else [])
    assert cli_main(args) == 0
    assert "已检查报告" in capsys.readouterr().out
    assert len(calls) == 2


def test_check_with_a_database_does_not_parse_again_what_it_holds(tmp_path, monkeypatch, capsys):
    calls = []
    real = parsing.parse_file
    monkeypatch.setattr(parsing, "parse_file", lambda path: calls.append(path) or real(path))
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("2024-luding-county", "2021-zhanbeilu-street"):
        (folder / f"{name}.txt").write_bytes((SAMPLES / f"{name}.txt").read_bytes())
    args = ["check", "--jobs", "1", "--json", "--db", str(tmp_path / "audit.json"), str(folder)]
    assert cli_main(args) == 0
    first = capsys.readouterr().out
    assert len(calls) == 2
    (folder / "copy of luding.txt").write_bytes((folder / "2024-luding-county.txt").read_bytes())
    assert cli_main(args) == 0
    again = capsys.readouterr().out.splitlines()
    assert len(calls) == 2  # nothing parsed: the database holds these very bytes
    # the same reports, findings and all; the copy is the report the database holds
    assert again[:2] == first.splitlines() and again[2] == again[1]
