"""Importing a scan in the app: OCR runs in the import worker, its pages are
shown as they are recognised, Esc cancels it, and a scan imported before is
not recognised again."""

from __future__ import annotations

import threading

import pytest

from parsing.readers import ocr
from tests.conftest import FIXTURES

from .conftest import SIZE, make_app, run_async, settle

SCAN_PDF = FIXTURES / "pdf" / "scan.pdf"
PHOTO = FIXTURES / "scans" / "luding-2024-p2.png"


@run_async
async def test_esc_cancels_a_scan_being_recognised(store, tmp_path, monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_page(grey, number):
        started.set()
        release.wait(20)
        return ocr._Page(number, 2000, 1400, [])

    monkeypatch.setattr(ocr, "recognise_page", slow_page)
    monkeypatch.setattr(ocr, "available", lambda: True)
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(SCAN_PDF.read_bytes())
    app = make_app(store)
    messages = []
    async with app.run_test(size=SIZE) as pilot:
        app.say = lambda message, **kw: messages.append(message)
        await settle(pilot)
        await app.screen.start_import([str(scan)])
        for _ in range(200):  # the worker starts on the event loop: wait without blocking it
            if started.is_set():
                break
            await pilot.pause(0.1)
        assert started.is_set()
        await settle(pilot, 3)
        label = app.screen.query_one("#ocr-progress")
        assert label.display and "正在识别扫描件 扫描件.pdf：第 1/1 页" in str(label.render())
        await pilot.press("escape")
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert store.list_reports() == []
        assert any("已取消识别" in m for m in messages), messages
        assert not app.screen.query_one("#ocr-progress").display


@pytest.mark.slow
@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
@run_async
async def test_a_scan_imported_before_is_not_recognised_again(store, tmp_path, monkeypatch):
    calls = []
    real = ocr.recognise_page
    monkeypatch.setattr(ocr, "recognise_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    first, second = tmp_path / "p2.png", tmp_path / "same scan.png"
    first.write_bytes(PHOTO.read_bytes())
    second.write_bytes(PHOTO.read_bytes())
    app = make_app(store)
    messages = []
    async with app.run_test(size=SIZE) as pilot:
        app.say = lambda message, **kw: messages.append(message)
        await settle(pilot)
        await app.screen.start_import([str(first)])
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert len(store.list_reports()) == 1 and calls == [1]
        await app.screen.start_import([str(second)])
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert len(store.list_reports()) == 1 and calls == [1]
        assert any("导入完成" in m and "未变" in m for m in messages) or any("未重复导入" in m for m in messages), messages


def test_extract_and_check_show_pages_on_a_terminal_only():
    import io

    from tui.ocr_progress import terminal_progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert terminal_progress("scan.pdf", io.StringIO()) is None  # piped: nothing on stderr
    out = Tty()
    show = terminal_progress("/x/扫描件.pdf", out)
    for done in (0, 0, 1, 2):
        show(done, 2)
    text = out.getvalue()
    assert text.count("第 1/2 页") == 1 and "第 2/2 页" in text and "扫描件.pdf" in text
    assert text.endswith("\r\x1b[K")  # the line is cleared when done


@run_async
async def test_a_cell_read_by_ocr_shows_its_confidence(store, tmp_path):
    from parsing import parse_bytes
    from tui.screens.audit import AuditScreen

    from .conftest import sample_path

    parsed = parse_bytes(sample_path("2024-luding-county").read_bytes(), name="luding-scan.pdf")
    prov = parsed.report["provenance"]["active.enforcement.decisions"]
    prov.update(confidence=0.613, ocr_read="7b", flags=["ocr_suspect"])
    store.import_parsed(parsed, str(tmp_path / "luding-scan.pdf"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        screen.tables.move_to("active.enforcement.decisions", focus=True)
        await settle(pilot)
        info = str(screen.query_one("#cell-info").render())
        assert "OCR 置信度 61%，识别为「7b」" in info and "疑似识别错误" in info
