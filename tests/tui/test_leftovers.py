"""Issue 16 leftovers: a revert asks for its reason when reasons are mandatory;
PageUp/PageDown/Home/End never rest on a cell the row lacks; a PDF cell's
reading note reaches the auditor (audit screen's detail line, `extract`); the
`check` output names rules in Chinese (the id stays beside it)."""

from __future__ import annotations

import copy
import io

from rich.console import Console

from parsing import ParsedReport, parse_file
from tui.check_output import findings_table, summary_table
from tui.render import print_extracted_report
from tui.screens.dialogs import PromptDialog

from .conftest import BROKEN_CELL, SIZE, import_one, make_app, run_async, settle, write_broken_luding

NOTE = "文字层读作 1362，图像读作 1302（本页显示另一读法）"


def _plain(renderable, width=160) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


@run_async
async def test_revert_asks_for_a_reason_when_reasons_are_mandatory(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    store.correct(report_id, BROKEN_CELL, 31, "按原文")
    app = make_app(store, require_reason=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.focus_cell(BROKEN_CELL)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        await pilot.press("enter")  # an empty reason is refused
        await settle(pilot)
        assert app.screen is dialog and store.value(report_id, BROKEN_CELL) == 31
        dialog.query_one("#prompt-input").value = "更正有误，原文即为 32"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert store.value(report_id, BROKEN_CELL) == 32
        assert store.corrections(report_id)[-1]["reason"] == "更正有误，原文即为 32"


@run_async
async def test_revert_asks_nothing_when_reasons_are_optional(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    store.correct(report_id, BROKEN_CELL, 31, "按原文")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.focus_cell(BROKEN_CELL)
        await pilot.press("r")
        await settle(pilot)
        assert store.value(report_id, BROKEN_CELL) == 32


@run_async
async def test_page_and_home_end_keys_never_rest_on_a_cell_the_row_lacks(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            await settle(pilot)
            table = screen.tables.active_table
            for start in list(table.paths())[::7]:
                for key in ("pagedown", "pageup", "home", "end", "ctrl+home", "ctrl+end"):
                    table.cursor_coordinate = table.coordinate_of(start)
                    await pilot.press(key)
                    assert screen.tables.current_path() is not None, (tab, start, key, table.cursor_coordinate)
        # Home/End reach the row's first and last cells
        await pilot.press("1")
        table = screen.tables.active_table
        table.cursor_coordinate = table.coordinate_of("active.rules.issued")
        await pilot.press("end")
        last = screen.tables.current_path()
        await pilot.press("home")
        assert screen.tables.current_path() == "active.rules.issued" and last != "active.rules.issued"


def _noted_report(tmp_path):
    parsed = parse_file(write_broken_luding(tmp_path))
    report = copy.deepcopy(parsed.report)
    prov = report.setdefault("provenance", {}).setdefault(BROKEN_CELL, {})
    prov["note"] = NOTE
    prov["flags"] = sorted(set(prov.get("flags") or []) | {"uncertain"})
    return ParsedReport(report, parsed.text)


@run_async
async def test_the_cell_detail_line_shows_the_readers_note(store, tmp_path):
    store.import_parsed(_noted_report(tmp_path), str(tmp_path / "noted.txt"))
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.focus_cell(BROKEN_CELL)
        await settle(pilot)
        shown = str(screen.tables.query_one("#cell-info").render())
        assert "读取说明" in shown and "图像读作 1302" in shown


def test_extract_shows_the_readers_notes(tmp_path):
    from checks import run_checks

    parsed = _noted_report(tmp_path)
    report = dict(parsed.report, findings=run_checks(parsed.report, parsed.text))
    buf = io.StringIO()
    print_extracted_report(report, Console(file=buf, width=200, color_system=None))
    out = buf.getvalue()
    assert "读取说明 1 项" in out and NOTE in out and "自然人" in out.split("读取说明 1 项")[1]


def test_check_output_names_rules_in_chinese_with_the_id_beside():
    findings = [{"rule": "requests.row_sum", "severity": "error", "cells": [BROKEN_CELL], "message": "合计不符"},
                {"rule": "some.new_rule", "severity": "warning", "cells": [], "message": "新规则"}]
    table = _plain(findings_table(findings, lambda p: p))
    assert "requests.row_sum" in table and "some.new_rule" in table
    from store import rule_name

    assert rule_name("requests.row_sum") != "requests.row_sum" and rule_name("requests.row_sum") in table
    summary = _plain(summary_table([{"findings": findings}], 0))
    assert rule_name("requests.row_sum") in summary and "requests.row_sum" in summary


def test_a_cell_only_one_report_has_says_so_in_the_comparison():
    from tui.screens.compare import _one_side

    assert _one_side({"a": 4, "b": None}) == "B 无数值，无法比较"
    assert _one_side({"a": None, "b": 0}) == "A 无数值，无法比较"
    assert _one_side({"a": 4, "b": 5}) == ""


@run_async
async def test_overview_fits_120_columns_in_pinyin_order_and_counts_old_versions(store, tmp_path):
    from tui.screens.overview import OverviewScreen

    path = write_broken_luding(tmp_path)
    store.import_file(path)
    store.import_samples()
    path.write_text(path.read_text(encoding="utf-8") + "\n附：更正稿。\n", encoding="utf-8")
    store.import_file(path)  # the same report edited: a second version
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot, 2)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one("#overview-table")
        shown = "\n".join(_plain_line(table, y) for y in range(3))
        for header in ("错误", "警告", "审核"):  # no horizontal scrolling to see them
            assert header in shown, shown
        organs = [r.organ or "" for r in screen.shown]
        from tui.screens.library import organ_key

        assert organs == sorted(organs, key=organ_key)
        status = str(screen.query_one("#status").render())
        old = sum(1 for s in store.list_reports() if s.superseded)
        assert old >= 1 and f"旧版本 {old} 份" in status and f"共 {len(store.list_reports()) - old} 份" in status


def _plain_line(table, y: int) -> str:
    return "".join(seg.text for seg in table.render_line(y))
