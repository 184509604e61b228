"""Export from the app: the audit screen exports its own report only, the
library every report; the proposed file is in the user's documents (or data)
folder, never the current directory, and the message shows where it went."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from textual.widgets import OptionList, Static

from store.export import export_folder
from tests.store.helpers import parsed
from tui.screens.audit import AuditScreen
from tui.screens.dialogs import ExportDialog
from tui.screens.library import LibraryScreen

from .conftest import SIZE, make_app, run_async, settle


def _home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    docs = tmp_path / "home" / "文档"
    docs.mkdir(parents=True)
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(docs))
    assert export_folder() == docs / "gipr-tui 导出"
    return docs / "gipr-tui 导出"


@run_async
async def test_audit_screen_exports_the_current_report_into_the_documents_folder(store, tmp_path, monkeypatch):
    folder = _home(tmp_path, monkeypatch)
    a = store.import_parsed(parsed(), "/r/luding.txt").report_id
    b = store.import_parsed(parsed(organ="另一机关", year=2023), "/r/other.txt").report_id
    store.add_note(a, "本报告的备注")
    store.add_note(b, "别的报告的备注")
    app = make_app(store)
    messages = []
    async with app.run_test(size=SIZE) as pilot:
        app.say = lambda message, **kw: messages.append(message)
        await settle(pilot)
        app.open_report(a)
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        title = str(dialog.query_one(".dialog-title", Static).render())
        assert "本报告（泸定县人民政府 2024年）" in title
        path_box = dialog.query_one("#export-path")
        proposed = path_box.value
        assert proposed.startswith(str(folder)) and "泸定县人民政府" in proposed and proposed.endswith(".csv")
        assert not proposed.startswith(str(tmp_path / "gipr"))  # not the current directory
        dialog.query_one(OptionList).highlighted = 1  # Excel
        await settle(pilot)
        assert path_box.value.endswith(".xlsx")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, 2)
    [written] = list(folder.iterdir())
    assert str(written) == path_box.value
    assert any(str(written) in m and "已导出" in m for m in messages), messages
    wb = load_workbook(io.BytesIO(written.read_bytes()))
    assert [row[0] for row in wb["概要"].iter_rows(min_row=2, values_only=True)] == [a]
    assert [row[6] for row in wb["备注"].iter_rows(min_row=2, values_only=True)] == ["本报告的备注"]
    assert list(tmp_path.glob("gipr-*")) == []


@run_async
async def test_library_exports_every_report(store, tmp_path, monkeypatch):
    _home(tmp_path, monkeypatch)
    store.import_parsed(parsed(), "/r/luding.txt")
    store.import_parsed(parsed(organ="另一机关", year=2023), "/r/other.txt")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "全部报告" in str(app.screen.query_one(".dialog-title", Static).render())
        assert "泸定" not in app.screen.query_one("#export-path").value
