"""The app around the audit loop: the library, importing from inside the app,
markup safety, small terminals, help, the command palette, a locked database,
and the command line's database errors."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import DataTable

from store import AuditStore
from tui.cli import main as cli_main
from tui.commands import BindingCommands
from tui.screens.audit import AuditScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen

from .conftest import (
    BROKEN_CELL, SAMPLE_NAMES, SIZE, import_one, make_app, run_async, sample_path, settle, write_broken_luding,
)


def rendered(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def library_rows(app) -> list[str]:
    table = app.screen.query_one("#reports", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


@run_async
async def test_library_sort_filter_open_and_back(store):
    store.import_samples()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        organs = library_rows(app)
        from tui.screens.library import organ_key

        assert len(organs) == len(SAMPLE_NAMES) and organs == sorted(organs, key=organ_key)  # pinyin order
        await pilot.press("2")  # by year
        await settle(pilot)
        years = [app.screen.query_one("#reports", DataTable).get_row_at(i)[1].plain for i in range(len(organs))]
        assert years == sorted(years)
        await pilot.press("2")  # again: reversed
        await settle(pilot)
        years = [app.screen.query_one("#reports", DataTable).get_row_at(i)[1].plain for i in range(len(organs))]
        assert years == sorted(years, reverse=True)

        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("#filter").value = "泸定"
        await settle(pilot)
        assert library_rows(app) == ["泸定县人民政府"]
        await pilot.press("enter", "enter")  # leave the filter box, open the report
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert app.screen.report["meta"]["organ"] == "泸定县人民政府"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


@run_async
async def test_import_folder_from_the_app_reports_bad_files(store, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    write_broken_luding(folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.json").write_text("{}")  # not a report suffix: skipped in folders
    app = make_app(store)
    messages = []
    async with app.run_test(size=SIZE) as pilot:
        app.say = lambda message, **kw: messages.append(message)
        await settle(pilot)
        await app.screen.start_import([str(folder)])
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert isinstance(app.screen, (LibraryScreen, AuditScreen))
        assert [s.organ for s in store.list_reports()] == ["泸定县人民政府"]
        assert any("empty.txt" in m and "文件为空" in m for m in messages), messages
        assert any("导入完成" in m and "新增 1" in m and "失败 1" in m for m in messages), messages
        library = next(s for s in app.screen_stack if isinstance(s, LibraryScreen))
        assert "empty.txt" in str(library.query_one("#import-failures").render())


@run_async
async def test_command_line_paths_are_imported_and_opened(store, tmp_path):
    broken = write_broken_luding(tmp_path)
    app = make_app(store, import_paths=[str(broken), str(tmp_path / "missing.txt")])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert isinstance(app.screen, AuditScreen)  # one report: straight to it
        assert len(store.list_reports()) == 1


@run_async
async def test_document_text_is_never_markup(store, tmp_path):
    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    odd = "注：[/附注] 本表 [bold]不是加粗[/bold] [red]x"
    path = tmp_path / "markup.txt"
    path.write_text(text.replace("以下所列数据统计期限", odd + "以下所列数据统计期限"), encoding="utf-8")
    report_id = import_one(store, path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        assert odd in screen.source.text
        # a search for markup-looking text, shown in a notification
        await pilot.press("slash")
        await settle(pilot)
        screen.query_one("#search").value = "[/附注]"
        await pilot.press("enter")
        await settle(pilot)
        start, end = screen.source.selected_offsets
        assert screen.stored.text[start:end] == "[/附注]"
        # a note and a reason that look like markup, shown in the cell details
        screen.tables.move_to(BROKEN_CELL, focus=True)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "[/附注] [bold]核实[/bold]"
        await pilot.press("enter")
        await settle(pilot)
        assert "[/附注] [bold]核实[/bold]" in str(screen.query_one("#cell-info").render())
        # the real notify (markup off) rendered the toasts above without raising
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
    assert store.notes(report_id)[0]["text"] == "[/附注] [bold]核实[/bold]"


@run_async
async def test_small_terminal_stacks_the_panes(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.has_class("narrow")
        for selector in ("#source", "#table-requests", "#findings-table", "#status"):
            region = screen.query_one(selector).region
            assert region.width > 0 and region.height > 0, selector
            assert region.right <= 80 and region.bottom <= 24, selector
        assert screen.query_one("#table-requests").region.height >= 5
        await pilot.press("right_square_bracket", "e")
        await settle(pilot)
        await pilot.press("escape", "tab", "tab", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


@run_async
async def test_help_lists_keys_legend_and_rules(store, tmp_path):
    import checks

    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(rendered(w.content) for w in help_screen.query("Static"))
        for words in ("Ctrl+Z", "撤销", "豁免", "已更正", "疑似识别错误", "拆分不确定", "推算得出", "原文缺失"):
            assert words in text, words
        rules = checks.rule_docs() if hasattr(checks, "rule_docs") else {}
        for rule in list(rules)[:5]:
            assert rule in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


@run_async
async def test_command_palette_offers_every_action_by_name(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        provider = BindingCommands(screen)
        names = [name for name, _, _ in provider._commands()]
        for name in ("编辑单元格（更正数值）", "撤销上一次更正", "转到下一个问题", "导出审核记录（CSV、Excel、JSON 或 Markdown）", "帮助", "退出"):
            assert name in names
        hits = [hit async for hit in provider.search("撤销")]
        assert hits and "撤销" in str(hits[0].match_display)
        # running a command runs the action: set the status through the palette
        callback = next(cb for name, _, cb in provider._commands() if name.startswith("设置报告审核状态"))
        await callback()
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert store.get(report_id).status == "未审核"  # errors still pending: asked first
        await pilot.press("down", "enter")  # 是，标记为已完成
        await settle(pilot)
        assert store.get(report_id).status == "已完成"


@run_async
async def test_locked_database_is_read_only_with_a_banner(db_path, tmp_path):
    with AuditStore.open(db_path) as first:
        report_id = import_one(first, write_broken_luding(tmp_path))
        second = AuditStore.open(db_path)
        try:
            assert second.read_only
            app = make_app(second)
            messages = []
            async with app.run_test(size=SIZE) as pilot:
                app.notify_error = messages.append
                await settle(pilot)
                assert app.screen.query("ReadOnlyBanner")
                await pilot.press("e")
                await settle(pilot)
                assert isinstance(app.screen, AuditScreen)
                assert messages and "只读" in messages[0]
        finally:
            second.close()
        assert first.corrections(report_id) == []


def test_unusable_database_is_one_line_and_exit_3(tmp_path, capsys):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert cli_main(["--db", str(folder)]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and str(folder) in err


def test_quit_never_asks(store, tmp_path):
    @run_async
    async def go():
        import_one(store, write_broken_luding(tmp_path))
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            assert not app.is_running

    go()


@run_async
async def test_export_runs_in_a_worker_and_writes_the_file(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    store.add_note(report_id, "导出测试")
    out = tmp_path / "out" / "审核记录.csv"
    out.parent.mkdir()
    app = make_app(store)
    messages = []
    async with app.run_test(size=SIZE) as pilot:
        app.say = lambda message, **kw: messages.append(message)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, 2)
        assert isinstance(app.screen, AuditScreen)
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and "导出测试".encode() in data
    assert any("审核记录已导出" in m for m in messages), messages


@run_async
async def test_a_failing_rule_is_shown_not_a_crash(store, tmp_path, monkeypatch):
    import_one(store, write_broken_luding(tmp_path))

    def broken_findings(report_id):
        raise RuntimeError("rule exploded")

    app = make_app(store)
    errors = []
    monkeypatch.setattr(store, "findings", broken_findings)
    app.notify_error = errors.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        status = str(screen.query_one("#status").render())
        assert "校验未能运行" in status and "错误 0" not in status
        assert errors and "rule exploded" in errors[0]


@run_async
async def test_import_dialog_completes_paths_and_imports(store, tmp_path):
    store.import_samples()
    folder = tmp_path / "new-reports"
    folder.mkdir()
    write_broken_luding(folder)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("o")
        await settle(pilot)
        box = app.screen.query_one("#import-path")
        box.value = str(tmp_path / "new-")
        await settle(pilot, 3)
        await pilot.press("end", "right")  # → at the end accepts the suggestion
        await settle(pilot)
        assert box.value == str(folder) + "/"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, 3)
        assert isinstance(app.screen, LibraryScreen)
        assert len(store.list_reports()) == len(SAMPLE_NAMES) + 1
        assert len(library_rows(app)) == len(SAMPLE_NAMES) + 1
