"""The audit screen's layout and reach after the first version: source and
tables side by side at 120×40, the whole finding message, the cells outside
the standard tables (附加), the header at 80×24, go to page, export progress,
and ambiguous-width characters in the source pane."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from checks import SEVERITY_LABELS
from tui.screens.audit import AuditScreen
from tui.screens.edit import EditDialog
from tui.widgets import cells
from tui.widgets.source import SourceView, display_text, screen_text
from tui.widgets.status import fit_line
from tui.widgets.tables import ExtraTable

from .conftest import SIZE, import_one, make_app, run_async, sample_path, settle, write_broken_luding

LAYOUT_FIXTURE = Path(__file__).parents[1] / "fixtures" / "layouts" / "markdown-28rows-8cols.md"
SUBTOTAL_ROW = "| （三）不予公开 | 小计 | 4 | 0 | 0 | 0 | 0 | 0 | 0 | 4 |"
SUBTOTAL_TOTAL = "requests.subtotal_denied.total"


def cell_style_name(text) -> str:
    """Which failing-rule look a rendered cell has ("错误", "警告" or "")."""
    style = str(text.style)
    return next((SEVERITY_LABELS[s] for s, look in cells.SEVERITY_BACKGROUNDS.items() if look in style), "")


def write_bad_subtotal(folder: Path) -> Path:
    """The 8-column layout fixture with its (三) subtotal row's 总计 changed 4 → 5:
    the only cells the failing rule names are extra cells."""
    text = LAYOUT_FIXTURE.read_text(encoding="utf-8")
    assert SUBTOTAL_ROW in text
    out = folder / "subtotal-broken.md"
    out.write_text(text.replace(SUBTOTAL_ROW, SUBTOTAL_ROW[:-4] + "| 5 |"), encoding="utf-8")
    return out


@run_async
async def test_source_and_whole_requests_table_side_by_side(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        source_width = screen.query_one("#source-pane").size.width
        assert 0.40 * SIZE[0] <= source_width <= 0.50 * SIZE[0]
        table = screen.tables.table("requests")
        screen.tables.move_to("requests.total.total")
        await settle(pilot)
        # every column, 总计 included, fits: nothing to scroll sideways
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.scroll_x == 0


@run_async
async def test_finding_detail_shows_the_whole_message(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        finding = max(screen.findings, key=lambda f: len(f["message"]))
        row = screen.findings.index(finding)
        screen.findings_pane.table.move_cursor(row=row)
        await settle(pilot)
        detail = screen.query_one("#finding-detail")
        assert " ".join(finding["message"].split()) in str(detail.render())
        box = screen.query_one("#finding-detail-box")
        # wrapped over as many lines as it needs (up to the box's limit), not cut at one line
        needed = detail.size.height
        assert needed >= 2 and box.size.height >= min(needed, 6)


@run_async
async def test_extra_cells_are_shown_reached_and_edited(store, tmp_path, db_path):
    report_id = import_one(store, write_bad_subtotal(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        extra = screen.tables.table("extra")
        assert isinstance(extra, ExtraTable) and extra.row_count == len(screen.report["extra_cells"])
        finding = next(f for f in screen.findings if SUBTOTAL_TOTAL in f["cells"])
        # a finding naming only extra cells moves the cursor to the 附加 tab
        screen.goto_finding({"cells": [SUBTOTAL_TOTAL]})
        await settle(pilot)
        assert screen.tables.active_table is extra
        assert screen.tables.current_path() == SUBTOTAL_TOTAL
        assert "(三)小计·总计" in str(extra.get_row(SUBTOTAL_TOTAL)[0])
        assert "错误" in cell_style_name(extra.get_cell(SUBTOTAL_TOTAL, "value"))
        screen.tables.move_to(SUBTOTAL_TOTAL, focus=True)
        await settle(pilot)
        assert "(三)小计·总计" in screen.query_one("#cell-info").render().plain
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EditDialog)
        assert dialog.info.labels == ("（三）不予公开·小计", "总计")
        dialog.query_one("#edit-value").value = "4"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert finding["key"] not in {f["key"] for f in screen.findings}
        assert extra.get_cell(SUBTOTAL_TOTAL, "value").plain.startswith("4")  # shown as corrected: 4*
        assert cell_style_name(extra.get_cell(SUBTOTAL_TOTAL, "value")) == ""
        assert store.value(report_id, SUBTOTAL_TOTAL) == 4


def test_header_degrades_keeping_counts_and_saved_state():
    parts = [("平潭综合实验区管理委员会办公室", "bold"), ("2023年度", "", 1), ("2021格式", "dim", 2),
             ("错误 2", "red"), ("警告 1", "yellow"), ("审核中", "cyan", 2)]
    db = "/home/auditor/很长的文件夹名/审核数据库/audit.json"
    wide = fit_line(parts, db, "已保存 21:40:00", 200).plain
    assert db in wide and "2021格式" in wide
    for width in (100, 78, 60, 40):
        line = fit_line(parts, db, "已保存 21:40:00", width)
        assert line.cell_len <= width
        assert "错误 2" in line.plain and "警告 1" in line.plain and line.plain.endswith("已保存 21:40:00")
    assert db not in fit_line(parts, db, "已保存", 78).plain  # the path goes first
    assert "2021格式" in fit_line(parts, db, "已保存", 100).plain  # then the format and review status
    assert "2023年度" in fit_line(parts, db, "已保存", 78).plain  # then the year
    assert fit_line(parts, db, "已保存", 40).plain.startswith("平潭")  # the organ is shortened last


@run_async
async def test_header_at_80x24_shows_saved_state(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#status")
        line = bar.render().plain if hasattr(bar.render(), "plain") else str(bar.render())
        assert "已保存" in line and "错误" in line
        assert Text(line).cell_len <= bar.content_size.width


def write_paged_luding(folder: Path, pages: int = 4) -> Path:
    """The luding sample cut into pages with PDF-style marker lines ``=== 第 N 页 ===``."""
    lines = sample_path("2024-luding-county").read_text(encoding="utf-8").split("\n")
    step = len(lines) // pages + 1
    out = []
    for n in range(pages):
        out.append(f"=== 第 {n + 1} 页 ===")
        out.extend(lines[n * step:(n + 1) * step])
    path = folder / "luding-paged.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


@run_async
async def test_go_to_page_scrolls_the_source(store, tmp_path):
    import_one(store, write_paged_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        source = screen.source
        assert sorted(source.pages) == [1, 2, 3, 4]
        for page in (4, 1, 3):
            await pilot.press("p")
            await settle(pilot)
            app.screen.query_one("#prompt-input").value = str(page)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            row, _ = source.location(source.pages[page])
            top = source.scroll_offset.y
            # the marker line is at the top of the pane (or the pane is scrolled to its end)
            assert source.wrapped_document.location_to_offset((row, 0)).y == top or top == source.max_scroll_y
            assert source.cursor_location[0] == row
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "9"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # a page that does not exist: a message, nothing moves
        assert source.cursor_location[0] == source.location(source.pages[3])[0]


def test_ambiguous_width_characters_are_drawn_one_for_one():
    text = "他说“好”——共…件①※Ⅱ·○ é [/附注]"
    shown = screen_text(text)
    assert len(shown) == len(text)
    assert not [c for c in shown if unicodedata.east_asian_width(c) == "A"]
    assert shown.startswith("他说＂好＂－－共⋯件") and shown.endswith(" e [/附注]")
    view = SourceView(text)
    assert view.text == shown
    # offsets and searches still use the original text
    assert view.find("“好”") and view.selected_offsets == (2, 5)


@run_async
async def test_source_pane_keeps_the_stored_text(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.source.text == screen_text(display_text(screen.stored.text))
        assert len(screen.source.text) == len(screen.stored.text)


def test_help_explains_the_source_pane_in_unambiguous_characters():
    from tui import help_data

    notes = help_data.source_notes()
    assert any("显示" in n and "不变" in n for n in notes) and any("p" in n and "页" in n for n in notes)
    assert not [c for n in notes for c in n if unicodedata.east_asian_width(c) == "A"]


@run_async
async def test_export_shows_a_working_indicator_until_done(store, tmp_path, monkeypatch):
    import threading

    import_one(store, write_broken_luding(tmp_path))
    release = threading.Event()
    real_export = store.export_to

    def slow_export(*args, **kwargs):
        release.wait(10)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(store, "export_to", slow_export)
    out = tmp_path / "log.csv"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(out)
        await pilot.press("enter")
        await settle(pilot, 2)
        working = app.screen.query("#working")
        assert len(working) == 1 and "正在导出" in str(working.first().query_one(Static).render())
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot, 2)
        assert not app.screen.query("#working")
    assert out.exists()


def test_readme_screenshot_is_current():
    from .screenshot import OUTPUT, render

    svg = render()
    assert svg == render()  # deterministic
    assert OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == svg, (
        "docs/audit-screen.svg is out of date: .venv/bin/python -m tests.tui.screenshot")


@run_async
async def test_go_to_page_on_a_real_pdf(store):
    from tui import keys

    assert any(b.action == "go_to_page" for b in keys.described(keys.AUDIT))  # so also in the palette
    import_one(store, Path(__file__).parents[1] / "fixtures" / "pdf" / "luding-2024-long.pdf")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.screen.source
        last = max(source.pages)
        assert last >= 2
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(last)
        await pilot.press("enter")
        await settle(pilot)
        row = source.location(source.pages[last])[0]
        assert source.cursor_location[0] == row
        assert source.document.get_line(row).startswith(f"=== 第 {last} 页")
