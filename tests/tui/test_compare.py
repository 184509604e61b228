"""The comparison screen and the overview sheet in the app (issue 14), on one
organ's reports over three years (tests/fixtures/compare: 2022 published as
泸定县人民政府办公室, 2023 and 2024 as 泸定县人民政府; a carry-over break and a
tenfold 行政许可 jump from 2023 to 2024)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import organs
from tui.screens.audit import AuditScreen
from tui.screens.compare import CompareScreen, MarkedSource, NEAR, VERBATIM
from tui.screens.dialogs import ChoiceDialog, PromptDialog
from tui.screens.library import LibraryScreen
from tui.screens.overview import OverviewScreen, export

from .conftest import SIZE, export_rows, make_app, run_async, settle

SERIES = Path(__file__).resolve().parents[1] / "fixtures" / "compare"


@pytest.fixture
def series(store):
    return {y: store.import_file(SERIES / f"luding-{y}.txt").report_id for y in (2022, 2023, 2024)}


async def on_library_row(pilot, report_id: str) -> LibraryScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    ids = [s.id for s in screen.summaries(screen.store.list_reports())]
    screen.query_one("#reports").move_cursor(row=ids.index(report_id))
    await settle(pilot)
    return screen


def rows_of(table) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


@run_async
async def test_compare_last_year_from_the_library(store, series):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_library_row(pilot, series[2024])
        await pilot.press("c")
        await settle(pilot, 2)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.a_id, screen.b_id) == (series[2023], series[2024])  # same name: no question asked
        # the table differences: changed cells only, the jump marked
        diff = screen.query_one("#diff-table")
        rows = {r[0]: r for r in rows_of(diff)}
        assert rows["行政许可·处理决定"][1:5] == ["1500", "15889", "+14389", "+959.3%"]
        assert "⚠" in rows["行政许可·处理决定"][5]
        assert "⚠" not in rows["一、本年新收·总计"][5]
        assert "行政处罚·处理决定" not in rows  # unchanged
        # a difference shows its two source spans
        diff.focus()
        diff.move_cursor(row=list(rows).index("行政许可·处理决定"))
        await settle(pilot)
        a_pane, b_pane = screen.query_one("#compare-source-a", MarkedSource), screen.query_one("#compare-source-b", MarkedSource)
        assert (a_pane.selected_text, b_pane.selected_text) == ("1500", "15889")
        # all cells on `a`
        await pilot.press("a")
        await settle(pilot)
        assert diff.row_count > len(rows)
        # carry-over continuity per column and the stock chain
        await pilot.press("2")
        await settle(pilot)
        cont = {r[0]: r for r in rows_of(screen.query_one("#continuity-table"))}
        assert cont["上年结转·自然人"][1:3] == ["2", "0"] and cont["上年结转·自然人"][4] == "不一致"
        assert cont["上年结转·商业企业"][4] == "一致"
        assert cont["现行有效·行政规范性文件"][3].startswith("14（14+0−0）")
        # repeated sentences: highlighted in both source panes, listed per section
        await pilot.press("3")
        await settle(pilot)
        sections = {r[0]: r for r in rows_of(screen.query_one("#reuse-sections"))}
        assert sections["五、存在的主要问题及改进情况"][4] == "100.0%"
        a_marks, b_marks = a_pane.marked(), b_pane.marked()
        assert len(a_marks) == len(b_marks) == len(screen.comparison["reuse"]["pairs"]) > 10
        assert {m[2] for m in b_marks} == {VERBATIM, NEAR}
        assert any(screen.a_text[a:b] == screen.b_text[c:d] for (a, b, _), (c, d, _) in zip(a_marks, b_marks))
        highlighted_rows = {row for row, spans in b_pane._highlights.items() if any(n == NEAR for *_, n in spans)}
        assert highlighted_rows  # painted, not only listed
        pairs = screen.query_one("#reuse-pairs")
        pairs.move_cursor(row=1)
        await settle(pilot)
        p = screen.comparison["reuse"]["pairs"][1]
        assert b_pane.selected_text == p["text"] and a_pane.selected_text == screen.a_text[slice(*p["a_span"])]


@run_async
async def test_comparison_findings_are_reviewed_and_logged(store, series, db_path):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen(series[2023], series[2024]))
        await settle(pilot, 2)
        screen = app.screen
        await pilot.press("4")
        await settle(pilot)
        findings = screen.comparison["findings"]
        assert [f["rule"] for f in findings if f["severity"] == "error"] == ["history.carry_over"] * 2
        # the highlighted finding shows last year's 结转下年度 and this year's 上年结转
        a_pane, b_pane = screen.query_one("#compare-source-a"), screen.query_one("#compare-source-b")
        assert (a_pane.selected_text, b_pane.selected_text) == ("2", "0")
        await pilot.press("c")  # confirm the first
        await settle(pilot)
        await pilot.press("down")
        await pilot.press("w")  # waive the second, with a reason
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one("#prompt-input").value = "附注说明两件申请已撤回"
        await pilot.press("enter")
        await settle(pilot, 2)
        decisions = [(e["key"], e["decision"]) for e in store.review_log(series[2024])]
        assert decisions == [("history.carry_over|requests.carried_over.natural_person", "confirmed"),
                             ("history.carry_over|requests.carried_over.total", "waived")]
        assert [(f.get("review") or {}).get("decision") for f in screen.comparison["findings"][:2]] == ["confirmed", "waived"]
    # the same findings in the report's own list and in the audit log
    own = {f["key"]: f for f in store.findings(series[2024])}
    assert own["history.carry_over|requests.carried_over.total"]["review"]["decision"] == "waived"
    assert store.list_reports()[[s.id for s in store.list_reports()].index(series[2024])].errors == 1
    log = [r for r in export_rows(store) if r["report"] == series[2024] and r["kind"] == "review"]
    assert any("附注说明两件申请已撤回" in r["text"] for r in log)


@run_async
async def test_a_renamed_organ_is_asked_about_once(store, series):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_library_row(pilot, series[2023])
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and "泸定县人民政府办公室" in dialog._choice_title
        await pilot.press("enter")  # the first choice: the same organ
        await settle(pilot, 2)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and (screen.a_id, screen.b_id) == (series[2022], series[2023])
        assert screen.comparison["continuity"] is True
        assert organs.same_organ(store, "泸定县人民政府", "泸定县人民政府办公室") is True
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")  # asked once: now it opens at once
        await settle(pilot, 2)
        assert isinstance(app.screen, CompareScreen)


@run_async
async def test_overview_sorts_filters_marks_and_opens(store, series, tmp_path):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot, 2)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one("#overview-table")
        rows = rows_of(table)
        assert len(rows) == 3
        headers = [str(c.label).replace("\n", "") for c in table.columns.values()]  # 4-character headers on 2 lines
        lic = headers.index("行政许可")
        by_year = {r[2]: r for r in rows}
        assert by_year["2024"][lic] == "15889!" and by_year["2023"][lic] == "1500"  # the outlier marked
        assert by_year["2024"][headers.index("错误")] == "2" and by_year["2024"][headers.index("级别")] == "县级"
        # sort by the cursor's column (the largest first), again to reverse
        table.move_cursor(column=lic)
        await pilot.press("s")
        await settle(pilot)
        assert [r[lic] for r in rows_of(table)] == ["15889!", "1500", "1400"]
        await pilot.press("s")
        await settle(pilot)
        assert [r[lic] for r in rows_of(table)] == ["1400", "1500", "15889!"]
        assert "不同" not in screen.query_one("#overview-info").render().plain
        # filter
        await pilot.press("slash")
        await settle(pilot)
        screen.query_one("#overview-filter").value = "异常"
        await settle(pilot)
        assert [r[2] for r in rows_of(table)] == ["2024"]
        assert "相差五倍以上" in screen.query_one("#overview-info").render().plain
        # export in the same shape
        out = tmp_path / "总览.xlsx"
        assert export(screen.shown, str(out)) is None and out.stat().st_size > 0
        await pilot.press("enter")  # leaves the filter box
        await settle(pilot)
        await pilot.press("enter")  # opens the report
        await settle(pilot, 2)
        assert isinstance(app.screen, AuditScreen) and app.screen.report_id == series[2024]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


@run_async
async def test_on_a_narrow_terminal_the_status_line_shortens_the_organ_never_the_years_or_counts(store, series):
    from tui.widgets.status import StatusBar

    app = make_app(store)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen(series[2023], series[2024]))
        await settle(pilot, 3)
        line = str(app.screen.query_one(StatusBar).render())
        assert "2023 → 2024" in line and "错误 " in line and "警告 " in line and "已保存" in line, line
        assert line.rstrip().endswith("已保存")  # nothing cut off at the end


@run_async
async def test_with_reasons_required_a_confirmation_in_the_comparison_asks_for_one(store, series):
    """The comparison reviews findings the way the audit screen does: with
    --require-reason a confirmation needs a justification, and the message
    names the rule in Chinese."""
    app = make_app(store, require_reason=True)
    said: list[str] = []
    app.say = lambda message, **kw: said.append(str(message))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen(series[2023], series[2024]))
        await settle(pilot, 2)
        screen = app.screen
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog), "a confirmation without a reason was saved"
        assert store.review_log(series[2024]) == []
        dialog.query_one("#prompt-input").value = "两年原文核对无误"
        await pilot.press("enter")
        await settle(pilot, 2)
        [entry] = store.review_log(series[2024])
        assert entry["decision"] == "confirmed" and entry["justification"] == "两年原文核对无误"
        assert app.screen is screen and "已确认问题（报告有误）：上年结转不符" in said
