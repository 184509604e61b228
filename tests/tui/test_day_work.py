"""Issue 16: the app for a day's work. Never a misleading screen (no number cut,
the cursor visible on every cell style, out-of-scale values and 已完成 with
pending errors asked about, reasons mandatory when set), findings one can work
through (sorted, filtered, the next pending error, a group confirmed or waived
at once), Chinese throughout, and the library (versions, pinyin order, imports)."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from textual.widgets import Footer

from checks import severity_rank
from store import AuditStore
from tui.screens.audit import AuditScreen
from tui.screens.dialogs import ChoiceDialog, PromptDialog, typed_paths
from tui.screens.library import LibraryScreen
from tui.widgets.findings import FindingFilter, detail_text

from .conftest import SIZE, import_one, make_app, open_editor, run_async, sample_path, settle, write_broken_luding

WIDE = {"requests.new_received.natural_person": 1234512, "requests.new_received.total": 310150,
        "requests.carried_over.total": 1362, "requests.carried_over.natural_person": 454}


def screen_text(app) -> str:
    """What the terminal shows, as plain text (the screen and any dialog over it)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False,
                      color_system=None, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def wide_report(store, tmp_path) -> str:
    """The broken luding sample with some requests cells corrected to wide numbers."""
    report_id = import_one(store, write_broken_luding(tmp_path))
    for path, value in WIDE.items():
        store.correct(report_id, path, value)
    return report_id


def _row_numbers(table, y: int) -> list[str]:
    return re.findall(r"\d+", table.render_line(y).text)


# --- never misleading ------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
@run_async
async def test_no_number_is_ever_shown_cut(store, tmp_path, size):
    """At any scroll position, every number shown in a row is one of that row's whole values."""
    wide_report(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        table = screen.tables.active_table
        table.focus()
        values = {}
        for r_index, row in enumerate(table.table.rows):
            values[r_index] = {str(v) for v in (screen.report["tables"]["requests"].get(row.key) or {}).values()
                               if v is not None}
        label_digits = {r: set(re.findall(r"\d+", table.get_row_at(r)[0].plain)) for r in values}
        checked = 0
        for x in range(0, int(table.max_scroll_x) + 1):
            table.scroll_to(x=x, animate=False, immediate=True)
            await settle(pilot)
            top = int(table.scroll_y)
            for y in range(1, min(table.size.height, len(values) + 1)):
                r = top + y - 1
                if r not in values:
                    continue
                for token in _row_numbers(table, y):
                    assert token in values[r] or token in label_digits[r], (x, r, token, table.render_line(y).text)
                    checked += 1
        assert checked


@run_async
async def test_hidden_columns_are_marked_and_the_cursor_shows_them(store, tmp_path):
    wide_report(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        table = screen.tables.active_table
        assert table.hidden_sides() == (False, True)
        assert "▸" in table.render_line(0).text
        screen.tables.move_to("requests.new_received.total")
        await settle(pilot, 2)
        assert table.hidden_sides()[0] and "◂" in table.render_line(0).text
        assert "310150" in table.render_line(1).text
        assert "310150" in str(screen.query_one("#cell-info").render())


@run_async
async def test_the_cursor_shows_on_error_and_corrected_cells(store, tmp_path):
    report_id = wide_report(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        errors = [f for f in store.findings(report_id) if f["severity"] == "error"]
        for path in [errors[0]["cells"][0], "requests.new_received.natural_person"]:
            assert screen.tables.move_to(path, focus=True)
            await settle(pilot)
            table = screen.tables.active_table
            region = table._get_cell_region(table.cursor_coordinate)
            y = region.y - int(table.scroll_y) + (0 if region.y < table.header_height else 0)
            strip = table.render_line(y)
            x = region.x - int(table.scroll_x)
            cursor_bg = table.get_component_rich_style("datatable--cursor").bgcolor
            styles = [seg.style for seg in strip.crop(x + 1, x + region.width - 1) if seg.text.strip()]
            assert styles and all(s.bgcolor == cursor_bg for s in styles), path


@run_async
async def test_out_of_scale_value_asks_before_saving(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    path = "requests.new_received.natural_person"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_editor(pilot, path)
        dialog.query_one("#edit-value").value = "1" * 26
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and store.value(report_id, path) == 32
        assert "远超" in str(dialog.query_one("#edit-error").render())
        await pilot.press("enter")  # seen the reason: saved
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen) and store.value(report_id, path) == int("1" * 26)


@run_async
async def test_completed_with_pending_errors_asks_first(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("OptionList").highlighted = 2  # 已完成
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog) and "尚未审核" in screen_text(app)
        await pilot.press("enter")  # the default answer: no
        await settle(pilot)
        assert store.get(report_id).status == "未审核"


@run_async
async def test_require_reason_refuses_a_correction_without_one(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store, require_reason=True)
    path = "requests.new_received.natural_person"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_editor(pilot, path)
        dialog.query_one("#edit-value").value = "31"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and store.value(report_id, path) == 32
        dialog.query_one("#edit-reason").value = "核对原文"
        await pilot.press("enter")
        await settle(pilot)
        assert store.value(report_id, path) == 31
        assert store.corrections(report_id)[-1]["reason"] == "核对原文"


def test_require_reason_setting_is_kept_in_the_database(db_path):
    store = AuditStore.open(db_path)
    app = make_app(store)
    assert app.require_reason is False
    said = []
    app.say = lambda m, **kw: said.append(m)
    app.action_toggle_require_reason()  # the palette's setting
    assert app.require_reason is True and "必须填写理由" in said[-1]
    store.close()
    again = AuditStore.open(db_path)
    try:
        assert make_app(again).require_reason is True
    finally:
        again.close()


# --- findings you can work through -----------------------------------------------------
@run_async
async def test_findings_sorted_filtered_and_next_pending_error(store, tmp_path):
    report_id = import_one(store, sample_path("2021-zhanbeilu-street"))
    store.import_file(write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_report(report_id)
        await settle(pilot, 2)
        pane = app.screen.findings_pane
        ranks = [severity_rank(f["severity"]) for f in pane.findings]
        assert ranks == sorted(ranks) and len(pane.findings) == len(store.findings(report_id))
        positions = [pane.order.get((f.get("cells") or [None])[0], 10**6) for f in pane.findings
                     if f["severity"] == "warning"]
        assert positions == sorted(positions)
        assert pane.table.size.height > 8  # grows with the terminal (50 rows)
        pane.set_filter(FindingFilter(severity="warning", review="pending"))
        assert pane.findings and all(f["severity"] == "warning" for f in pane.findings)


@run_async
async def test_next_pending_error_key(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.findings_pane.set_filter(FindingFilter(severity="warning"))
        await pilot.press("u")
        await settle(pilot)
        current = screen.findings_pane.current()
        assert current["severity"] == "error" and not current.get("review")
        assert screen.tables.current_path() in current["cells"]
        for f in store.findings(report_id):
            if f["severity"] == "error":
                store.review_finding(report_id, f["key"], "confirmed")
        screen.reload()
        messages = []
        app.say = lambda m, **kw: messages.append(m)
        await pilot.press("u")
        await settle(pilot)
        assert messages == ["没有待审的错误"]


@run_async
async def test_waive_a_selected_group_with_one_justification(store):
    report_id = import_one(store, sample_path("2021-zhanbeilu-street"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        pane = screen.findings_pane
        pane.set_filter(FindingFilter(review="pending", rule=pane.findings[0]["rule"]))
        group = [f["key"] for f in pane.findings]
        assert len(group) >= 2
        pane.table.focus()
        await pilot.press("a")
        await settle(pilot)
        assert pane.selected == set(group)
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one("#prompt-input").value = "已逐一对照原文"
        await pilot.press("enter")
        await settle(pilot)
        reviews = store.reviews(report_id)
        assert all(reviews[k]["decision"] == "waived" and reviews[k]["justification"] == "已逐一对照原文" for k in group)
        assert not pane.selected


@run_async
async def test_number_keys_switch_tables_and_the_cursor_skips_cells_a_row_lacks(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for key, table in (("3", "reviews"), ("1", "active"), ("2", "requests")):
            await pilot.press(key)
            await settle(pilot)
            assert screen.tables.active_table.id == f"table-{table}"
        await pilot.press("1")
        table = screen.tables.active_table
        table.cursor_coordinate = table.coordinate_of("active.rules.issued")
        for key in ["down"] * 8 + ["right"] * 5 + ["up"] * 8 + ["left"] * 5:
            await pilot.press(key)
            assert screen.tables.current_path() is not None, key


@run_async
async def test_footer_keeps_export_help_and_quit_at_80_columns(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 2)
        footer_line = screen_text(app).splitlines()[-1]
        for word in ("导出", "帮助", "退出"):
            assert word in footer_line, footer_line
        assert isinstance(app.screen.query_one(Footer), Footer)


# --- Chinese throughout -----------------------------------------------------------------
# Words allowed on screen: proper names, file formats, key names.
ALLOWED = {"gipr", "tui", "pdf", "csv", "json", "md", "markdown", "excel", "word", "html", "txt", "ctrl", "tab", "enter",
           "esc", "shift", "f1", "audit", "luding", "broken", "ocr", "wps", "docx", "xlsx", "gipr-tui"}


def english_words(text: str) -> set[str]:
    """Latin words on screen, leaving out proper names: file names (whole or ending in …) and ALLOWED."""
    text = re.sub(r"[\w.-]+\.(txt|html?|pdf|docx|md|json)\b|[\w.-]+…", "", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z-]+", text) if w.lower() not in ALLOWED}


@run_async
async def test_no_english_on_the_main_screens(here_store):
    store, folder = here_store
    import_one(store, write_broken_luding(folder))
    store.import_samples()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = {"library": screen_text(app)}
        app.screen.query_one("LibraryTable").move_cursor(row=3)
        app.open_report(store.list_reports()[3].id)
        await settle(pilot, 2)
        seen["audit"] = screen_text(app)
        await pilot.press("ctrl+p")
        await settle(pilot, 3)
        seen["palette"] = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot, 3)
        seen["ctrl+c"] = screen_text(app) + " ".join(f"{n.title} {n.message}" for n in app._notifications)
        await pilot.press("f")
        await settle(pilot)
        seen["filter"] = screen_text(app)
        await pilot.press("escape", "e")
        await settle(pilot)
        seen["edit"] = screen_text(app)
        await pilot.press("escape", "f1")
        await settle(pilot)
        seen["help"] = screen_text(app)
    for name, text in seen.items():
        if name == "help":  # rule ids are named once there, next to their Chinese names, for the exports
            text = re.sub(r"规则编号 [a-z_.]+", "", text)
        assert not english_words(text), (name, english_words(text))
    assert "要退出吗" in seen["ctrl+c"] and "搜索命令" in seen["palette"]
    assert "LockHolder" not in "".join(seen.values())


@pytest.fixture
def here_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = AuditStore.open("audit.json", auditor="tester")
    yield s, tmp_path
    s.close()


@run_async
async def test_palette_offers_textuals_commands_in_chinese(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert names and not any(english_words(n) for n in names)
        assert any("主题" in n for n in names) and "退出" in names


def test_argparse_speaks_chinese(capsys):
    from tui.cli import main

    assert main(["--bogus"]) == 2
    err = capsys.readouterr().err
    assert "用法：" in err and "错误：无法识别的参数：--bogus" in err
    assert main(["check"]) == 2
    assert "缺少必需的参数：PATH" in capsys.readouterr().err
    assert main(["check", "-j", "x", "a"]) == 2
    assert "无效的值 'x'（应为 整数）" in capsys.readouterr().err
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "选项" in out and "显示本帮助并退出" in out and "show this help" not in out


def test_os_errors_in_chinese():
    from tui.os_errors import describe, localise

    try:
        open("/nonexistent-folder/x.csv", "w")
    except OSError as e:
        assert describe(e) == "/nonexistent-folder/x.csv：文件或文件夹不存在"
        assert "No such file" not in localise(f"导出失败：{e}")


def test_finding_details_show_no_python_reprs():
    uncertain = {"rule": "cells.uncertain", "severity": "warning", "message": "读作 1：请确认", "expected": None, "actual": 1}
    missing = {"rule": "sections.missing", "severity": "warning", "message": "缺少五、存在的主要问题及改进情况",
               "expected": ["一、总体情况", "二、主动公开"], "actual": ["一、总体情况"]}
    for f in (uncertain, missing):
        text = detail_text(f).plain
        assert "应为 ，" not in text and "['" not in text and "None" not in text
        assert text.startswith(("数值存疑", "缺少部分"))


@run_async
async def test_read_only_session_says_so_in_words(db_path, tmp_path):
    first = AuditStore.open(db_path)
    import_one(first, write_broken_luding(tmp_path))
    second = AuditStore.open(db_path)
    try:
        assert second.read_only
        app = make_app(second)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "LockHolder" not in text and "pid" in text
            assert "只读，不保存" in text and "已保存" not in text
    finally:
        second.close()
        first.close()


# --- library -------------------------------------------------------------------------------
@run_async
async def test_library_versions_pinyin_and_import(store, tmp_path):
    store.import_samples()
    edited = tmp_path / "泸定 修改稿.txt"
    edited.write_text(write_broken_luding(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        organs = [s.organ for s in library.summaries(store.list_reports()) if not s.superseded]
        assert organs.index("林西县林西镇党群服务中心") < organs.index("临淄区人民政府稷下街道办事处") < organs.index("泸定县人民政府")
        await library.start_import(typed_paths(f"'{edited}' '{bad}'"))
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        versions = [s for s in store.list_reports() if s.organ == "泸定县人民政府"]
        assert sorted((s.version, s.superseded) for s in versions) == [(1, True), (2, False)]
        new = next(s for s in versions if s.version == 2)
        assert library.current_id() == new.id  # the cursor on the report just imported
        failures = str(library.query_one("#import-failures").render())
        assert str(bad) in failures and "无法读取：" in failures
        await pilot.press("v")
        await settle(pilot, 2)
        text = screen_text(app)
        assert "第 1 版" in text and "第 2 版" in text and "一、本年新收·自然人" in text


def test_import_dialog_understands_dropped_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    spaced = tmp_path / "年度 报告.txt"
    spaced.write_text("x", encoding="utf-8")
    assert typed_paths(f"'{spaced}'") == [str(spaced)]
    assert typed_paths(str(spaced)) == [str(spaced)]
    assert typed_paths(str(spaced).replace(" ", "\\ ")) == [str(spaced)]
    assert typed_paths("~/年度\\ 报告.txt") == [str(spaced)]
    assert typed_paths(f'"{spaced}" "{spaced}"') == [str(spaced), str(spaced)]
