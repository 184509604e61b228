"""The whole audit loop through the app, on the real parser, checks and store:
open a report, jump to a finding, correct a cell, watch the findings re-run,
and find the correction in the database, the export and a reopened app."""

from __future__ import annotations

import pytest

from parsing.model.schema import get_cell, split_path
from tui.screens.audit import AuditScreen
from tui.screens.dialogs import PromptDialog
from tui.screens.edit import EditDialog

from .conftest import (
    BROKEN_CELL, SAMPLE_NAMES, SIZE, export_rows, has_values, import_one, make_app, open_editor, reopen, run_async,
    sample_path, settle,
    write_broken_luding,
)


def shown(screen: AuditScreen, path: str) -> str:
    """What the tables pane displays for a cell."""
    table_key, row, col = split_path(path)
    return screen.tables.table(table_key).get_cell(row, col).plain


async def edit_cell(pilot, screen: AuditScreen, path: str, text: str, reason: str = "") -> EditDialog:
    assert pilot.app.screen is screen
    dialog = await open_editor(pilot, path)
    dialog.query_one("#edit-value").value = text  # pilot.press drops CJK; set values directly
    dialog.query_one("#edit-reason").value = reason
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return dialog


def first_int_cell(screen: AuditScreen) -> str:
    """The cell under the cursor if it holds a count, else the first requests count."""
    path = screen.tables.current_path()
    if path and isinstance(get_cell(screen.report, path), int):
        return path
    return next(p for p in screen.tables.table("requests").paths() if isinstance(get_cell(screen.report, p), int))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@run_async
async def test_correct_undo_redo_on_each_sample(name, store, db_path):
    path = sample_path(name)
    assert has_values(path), f"the parser reads no value from {name}"
    report_id = import_one(store, path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.report_id == report_id
        findings = store.findings(report_id)
        with_cells = [f for f in findings if any(screen.tables.has_cell(c) for c in f.get("cells") or ())]
        if with_cells:
            await pilot.press("right_square_bracket")
            await settle(pilot)
            current = screen.findings_pane.current()
            assert screen.tables.current_path() in current["cells"] or not any(
                screen.tables.has_cell(c) for c in current["cells"])
        cell = first_int_cell(screen)
        before = get_cell(screen.report, cell)
        await edit_cell(pilot, screen, cell, str(before + 1), reason="核对原文")
        assert isinstance(app.screen, AuditScreen)
        assert store.value(report_id, cell) == before + 1
        assert shown(screen, cell).startswith(f"{before + 1}*")  # then any doubt marker the cell keeps
        assert screen.tables.current_path() == cell  # the cursor stayed put
        assert any(r["kind"] == "correction" and r["cell"] == cell and r["after"] == str(before + 1)
                   for r in export_rows(store))

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert store.value(report_id, cell) == before
        assert shown(screen, cell).rstrip("*~?|^") == str(before) and "*" not in shown(screen, cell)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert store.value(report_id, cell) == before + 1
        assert shown(screen, cell).startswith(f"{before + 1}*")  # then any doubt marker the cell keeps


@run_async
async def test_broken_report_finding_fixed_and_kept(store, db_path, tmp_path):
    broken = write_broken_luding(tmp_path)
    report_id = import_one(store, broken)
    errors_before = [f for f in store.findings(report_id) if f["severity"] == "error"]
    assert errors_before, "changing one number must break a balance rule"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        assert f"错误 {len(errors_before)}" in str(screen.query_one("#status").render())
        await pilot.press("right_square_bracket")
        await settle(pilot)
        finding = screen.findings_pane.current()
        assert finding["severity"] == "error"
        assert screen.tables.current_path() in finding["cells"]
        assert BROKEN_CELL in finding["cells"]
        assert shown(screen, BROKEN_CELL) == "32"
        # the source pane highlights the cell's token
        start, end = screen.source.selected_offsets
        assert screen.stored.text[start:end] == "32"

        notes = []
        app.say = lambda message, **kw: notes.append(message)
        await edit_cell(pilot, screen, BROKEN_CELL, "31", reason="原文笔误，按合计更正")
        assert [f for f in screen.findings if f["severity"] == "error"] == []
        assert screen.findings_pane.findings == screen.findings
        assert "错误 0" in str(screen.query_one("#status").render())
        assert "已保存 " in str(screen.query_one("#status").render())
        assert shown(screen, BROKEN_CELL) == "31*"
        assert any("32 → 31" in n and f"{len(errors_before)} 项问题已解决" in n for n in notes), notes

    with reopen(db_path) as again:
        assert again.value(report_id, BROKEN_CELL) == 31
        rows = [r for r in export_rows(again) if r["kind"] == "correction"]
        assert [(r["cell"], r["before"], r["after"]) for r in rows] == [(BROKEN_CELL, "32", "31")]
        assert "原文笔误" in rows[0]["text"]
        app = make_app(again)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AuditScreen)
            assert shown(screen, BROKEN_CELL) == "31*"
            assert "错误 0" in str(screen.query_one("#status").render())


@run_async
async def test_invalid_values_are_refused_as_you_type(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for text, cell in (("-1", BROKEN_CELL),):  # the other refusals: tests/tui/test_cells.py
            dialog = await edit_cell(pilot, screen, cell, text)
            assert app.screen is dialog, f"{text!r} was accepted"
            assert dialog.query_one("#edit-value").has_class("-invalid")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AuditScreen)
        assert store.corrections(report_id) == []
        # full-width digits and a money value with 4 decimals are fine
        await edit_cell(pilot, screen, BROKEN_CELL, "３１")
        await edit_cell(pilot, screen, "active.fees.amount", "204.9200")
        assert store.value(report_id, BROKEN_CELL) == 31
        assert str(store.value(report_id, "active.fees.amount")) in ("204.9200", "204.92")


@run_async
async def test_revert_goes_back_to_the_parsed_value(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await edit_cell(pilot, screen, BROKEN_CELL, "31")
        await pilot.press("r")
        await settle(pilot)
        assert store.value(report_id, BROKEN_CELL) == 32
        assert shown(screen, BROKEN_CELL) == "32"
        assert any(f["severity"] == "error" for f in screen.findings)


@run_async
async def test_waive_needs_a_justification(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        errors = sum(1 for f in screen.findings if f["severity"] == "error")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        finding = screen.findings_pane.current()
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        await pilot.press("enter")  # empty: refused, the dialog stays
        await settle(pilot)
        assert app.screen is dialog
        assert store.reviews(report_id) == {}
        dialog.query_one("#prompt-input").value = "原文附注说明该数含上年结转"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        review = store.reviews(report_id)[finding["key"]]
        assert review["decision"] == "waived" and review["justification"] == "原文附注说明该数含上年结转"
        assert f"错误 {errors - 1}" in str(screen.query_one("#status").render())
        assert screen.findings_pane.table.get_cell(finding["key"], "review").plain == "已豁免"

        await pilot.press("c")  # confirm another way round: the same finding, now confirmed
        await settle(pilot)
        assert store.reviews(report_id)[finding["key"]]["decision"] == "confirmed"


@run_async
async def test_note_on_a_cell(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.tables.move_to(BROKEN_CELL, focus=True)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one("#prompt-input").value = "需向县政府办核实"
        await pilot.press("enter")
        await settle(pilot)
        notes = store.notes(report_id)
        assert [(n["target"], n["text"]) for n in notes] == [(BROKEN_CELL, "需向县政府办核实")]
        assert "需向县政府办核实" in str(screen.query_one("#cell-info").render())
    assert any(r["kind"] == "note" and r["text"] == "需向县政府办核实" for r in export_rows(store))


@run_async
async def test_set_review_status(store, tmp_path):
    report_id = import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert store.get(report_id).status == "审核中"
        assert "审核中" in str(app.screen.query_one("#status").render())


@run_async
async def test_search_and_finding_selection_move_the_highlight(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        text = screen.stored.text
        here = screen.source.selected_offsets[0]  # the search starts at the highlighted cell
        expected = text.find("行政复议", here)
        expected = expected if expected >= 0 else text.index("行政复议")
        await pilot.press("slash")
        await settle(pilot)
        screen.query_one("#search").value = "行政复议"
        await pilot.press("enter")
        await settle(pilot)
        first = screen.source.selected_offsets
        assert text[first[0]:first[1]] == "行政复议" and first[0] == expected
        await pilot.press("n")
        await settle(pilot)
        second = screen.source.selected_offsets
        following = text.find("行政复议", first[1])
        assert second[0] == (following if following >= 0 else text.index("行政复议"))
        await pilot.press("N")
        await settle(pilot)
        assert screen.source.selected_offsets == first

        # moving through the findings list moves the cell cursor and the source highlight
        screen.findings_pane.table.focus()
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        finding = screen.findings_pane.current()
        path = screen.tables.current_path()
        assert path in finding["cells"]
        start, end = screen.source.selected_offsets
        span = screen.report["provenance"][path]["span"]
        assert [start, end] == list(span)


@run_async
async def test_saving_a_doubtful_value_unchanged_confirms_it(store):
    report_id = import_one(store, sample_path("2021-zhanbeilu-street"))
    doubtful = [f for f in store.findings(report_id) if f["rule"] == "cells.uncertain"]
    assert doubtful, "the parser no longer flags the doubtful cell of this sample"
    cell = doubtful[0]["cells"][0]
    value = store.value(report_id, cell)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await edit_cell(pilot, screen, cell, "" if value is None else str(value), reason="核对原文无误")
        assert isinstance(app.screen, AuditScreen)
        assert [c["path"] for c in store.corrections(report_id)] == [cell]
        assert not any(f["rule"] == "cells.uncertain" and cell in f["cells"] for f in screen.findings)
        assert shown(screen, cell).startswith(f"{cells_value(value)}*")
        # saving the same value again changes nothing
        await edit_cell(pilot, screen, cell, "" if value is None else str(value))
        assert len(store.corrections(report_id)) == 1


def cells_value(value) -> str:
    return "-" if value is None else str(value)


@run_async
async def test_double_click_edits_a_cell(store, tmp_path):
    import_one(store, write_broken_luding(tmp_path))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.tables.move_to("requests.new_received.total")  # elsewhere in the first row, nothing scrolled
        await settle(pilot)
        await pilot.click("#table-requests", offset=(25, 1))  # one click: the cell is selected, nothing opens
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert screen.tables.current_path() == BROKEN_CELL
        await pilot.double_click("#table-requests", offset=(25, 1))
        await settle(pilot)
        assert isinstance(app.screen, EditDialog) and app.screen.info.path == BROKEN_CELL
