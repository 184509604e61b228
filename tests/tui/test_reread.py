"""A parser upgrade reaches an auditor's database: the app re-reads a stale
report when it is opened, `R` in the library re-reads them all, and
`gipr-tui reread` does it headless (issue 12)."""

from __future__ import annotations

import shutil

import parsing
import store.db as dbmod
from parsing import parse_bytes
from store import AuditStore
from tui.cli import main as cli_main
from tui.screens.audit import AuditScreen

from .conftest import SIZE, make_app, run_async, sample_path, settle

CELL = "requests.new_received.natural_person"
OLD = "0123456789abcdef"


def _import_with_old_parser(db_path, src, monkeypatch, wrong=999) -> tuple[str, int]:
    truth = parse_bytes(src.read_bytes()).report["tables"]["requests"]["new_received"]["natural_person"]

    def old_parse(data, name=None):
        p = parse_bytes(data, name=name)
        p.report["tables"]["requests"]["new_received"]["natural_person"] = wrong
        return p

    with monkeypatch.context() as m:
        m.setattr(dbmod, "parser_version", lambda: OLD)
        m.setattr(parsing, "parse_bytes", old_parse)
        with AuditStore.open(db_path, auditor="甲") as s:
            rid = s.import_file(src).report_id
            s.correct(rid, "requests.carried_over.natural_person", 3, reason="核对")
    return rid, truth


def _src(tmp_path, name="2024-luding-county"):
    src = tmp_path / f"{name}.txt"
    shutil.copy(sample_path(name), src)
    return src


@run_async
async def test_opening_a_stale_report_reads_it_again_and_says_so(tmp_path, monkeypatch):
    db = tmp_path / "a.json"
    rid, truth = _import_with_old_parser(db, _src(tmp_path), monkeypatch)
    with AuditStore.open(db) as s:
        app = make_app(s)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_report(rid)
            for _ in range(600):  # a loaded machine may need more than a few frames (up to 30 s)
                if isinstance(app.screen, AuditScreen) and app.screen.is_mounted:
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, AuditScreen)
            assert s.value(rid, CELL) == truth
            assert s.value(rid, "requests.carried_over.natural_person") == 3
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "解析器已更新" in shown
        assert s.stale_reports() == []


@run_async
async def test_R_in_the_library_reads_every_stale_report_again(tmp_path, monkeypatch):
    db = tmp_path / "a.json"
    rid, truth = _import_with_old_parser(db, _src(tmp_path), monkeypatch)
    other, _ = _import_with_old_parser(db, _src(tmp_path, "2024-linzi-jixia-street"), monkeypatch)
    with AuditStore.open(db) as s:
        app = make_app(s)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert not isinstance(app.screen, AuditScreen)
            await pilot.press("R")
            await app.workers.wait_for_complete()
            await settle(pilot, 3)
            assert s.stale_reports() == []
            assert s.value(rid, CELL) == truth
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "重新读取 2 份" in shown and "其中 2 份解析值有变化" in shown


def test_reread_command_reads_stale_reports_and_keeps_corrections(tmp_path, monkeypatch, capsys):
    db = tmp_path / "a.json"
    src = _src(tmp_path)
    rid, truth = _import_with_old_parser(db, src, monkeypatch)
    src.unlink()  # the stored copy of the source is enough
    assert cli_main(["reread", "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert rid in out.out and "解析器已更新" in out.out
    with AuditStore.open(db) as s:
        assert s.value(rid, CELL) == truth
        assert s.value(rid, "requests.carried_over.natural_person") == 3
    assert cli_main(["reread", "--db", str(db)]) == 0
    assert "无需重新读取" in capsys.readouterr().out


def test_reread_without_the_source_exits_2_and_keeps_the_old_reading(tmp_path, monkeypatch, capsys):
    db = tmp_path / "a.json"
    src = _src(tmp_path)
    rid, _ = _import_with_old_parser(db, src, monkeypatch)
    for f in (tmp_path / "a.json.blobs").glob("*.src"):
        f.unlink()
    src.unlink()
    assert cli_main(["reread", "--db", str(db)]) == 2
    assert "重新导入" in capsys.readouterr().out
    with AuditStore.open(db) as s:
        assert s.value(rid, CELL) == 999


def test_reread_on_a_missing_database_exits_3(tmp_path, capsys):
    assert cli_main(["reread", "--db", str(tmp_path / "none.json")]) == 3
    assert "不存在" in capsys.readouterr().err


@run_async
async def test_a_stale_scan_is_not_recognised_again_on_the_screens_thread(tmp_path, monkeypatch):
    db = tmp_path / "a.json"
    src = _src(tmp_path)

    def scanned(data, name=None):  # as OCR hands it over: a confidence per cell
        p = parse_bytes(data, name=name)
        p.report["provenance"][CELL] = {**p.report["provenance"].get(CELL, {}), "confidence": 0.61}
        return p

    with monkeypatch.context() as m:
        m.setattr(dbmod, "parser_version", lambda: OLD)
        m.setattr(parsing, "parse_bytes", scanned)
        with AuditStore.open(db, auditor="甲") as s:
            rid = s.import_file(src).report_id
    with AuditStore.open(db) as s:
        app = make_app(s)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_report(rid)
            await settle(pilot, 3)
            assert s.stale_reports() == [rid]  # left for R's worker
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "按 R" in shown
