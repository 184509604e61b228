"""The comparison screen (issue 14): two reports of one organ side by side.

Top: both source texts (A, the earlier year, left; B right), every sentence of
B that repeats A highlighted in both panes (verbatim: one colour, nearly the
same: another). Bottom, in tabs: 表格差异 (every changed cell: A, B, difference,
relative change, ⚠ on a jump), 衔接 (carry-over per column, the 规范性文件 stock
chain), 文字重复 (per section the share of repeated text, then each repeated
sentence), 问题 (the cross-year findings, reviewable: c confirm, w waive; the
reviews are B's, so they land in the audit log like any other). Moving the
cursor in any table shows the row's two source spans.

The comparison itself is ``checks.compare.compare_reports`` over the stored
current reports; this screen only shows it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from checks import ERROR, SEVERITY_LABELS, WARNING
from store import CONFIRMED, WAIVED, StoreError, open_counts

from .. import keys
from ..widgets import cells
from ..widgets.findings import FindingsPane, detail_text
from ..widgets.source import SourceView
from ..widgets.status import StatusBar
from ..widgets.tables import VimTable
from ..safe_text import safe, safe_block
from .review import review_one

VERBATIM, NEAR = "gipr.reuse.verbatim", "gipr.reuse.near"
MARK_STYLES = {VERBATIM: "on #5f3f00", NEAR: "on #3f3f5f"}
JUMP = "⚠"
STATUS_TEXT = {"ok": ("一致", "green"), "mismatch": ("不一致", "bold #ff5f5f"), "unknown": ("无法核对", "#ffd75f"),
               "not_checked": ("不核对", "dim")}


class MarkedSource(SourceView):
    """A source pane that also paints many ranges (the repeated sentences), not only the selection.

    It fills TextArea's highlight map (the one tree-sitter fills for code) with
    its own ranges and adds their styles to its private copy of the theme."""

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        self._marks: list[tuple[int, int, str]] = []

    def set_marks(self, marks: list[tuple[int, int, str]]) -> None:
        self._marks = list(marks)
        self._build_highlight_map()
        self.refresh()

    def _set_theme(self, theme: str) -> None:
        super()._set_theme(theme)
        from rich.style import Style

        self._theme.syntax_styles = {**self._theme.syntax_styles,
                                     **{name: Style.parse(style) for name, style in MARK_STYLES.items()}}

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        marks = getattr(self, "_marks", None)
        if not marks:
            return
        for start, end, name in marks:
            (r1, c1), (r2, c2) = self.location(start), self.location(end)
            for row in range(r1, r2 + 1):
                line = self.document.get_line(row)
                a = len(line[:c1].encode("utf-8")) if row == r1 else 0
                b = len(line[:c2].encode("utf-8")) if row == r2 else None
                self._highlights[row].append((a, b, name))

    def marked(self) -> list[tuple[int, int, str]]:
        return list(self._marks)


class CompareScreen(Screen):
    BINDINGS = keys.COMPARE

    DEFAULT_CSS = """
    CompareScreen #compare-sources { height: 45%; }
    CompareScreen .compare-side { width: 1fr; }
    CompareScreen .compare-side-title { height: 1; background: $panel; padding: 0 1; }
    CompareScreen #compare-source-a { border-right: vkey $panel-lighten-2; }
    CompareScreen #compare-tabs { height: 1fr; }
    CompareScreen TabPane { padding: 0; }
    CompareScreen #compare-tabs DataTable { height: 1fr; }
    CompareScreen #reuse-sections { height: auto; max-height: 9; }
    CompareScreen #compare-info { height: auto; max-height: 3; background: $panel; padding: 0 1; }
    CompareScreen FindingsPane { height: 1fr; }
    CompareScreen FindingsPane FindingsTable { height: 1fr; }
    """

    def __init__(self, a_id: str, b_id: str, *, continuity: bool | None = None) -> None:
        super().__init__()
        self.a_id, self.b_id = a_id, b_id
        self._continuity = continuity
        self.comparison: dict = {}
        self.show_all = False
        self.a_text = self.store.get(a_id).text
        self.b_text = self.store.get(b_id).text

    @property
    def store(self):
        return self.app.store

    # --- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="compare-sources"):
            with Vertical(classes="compare-side"):
                yield Static("", id="title-a", classes="compare-side-title", markup=False)
                yield MarkedSource(self.a_text, id="compare-source-a")
            with Vertical(classes="compare-side"):
                yield Static("", id="title-b", classes="compare-side-title", markup=False)
                yield MarkedSource(self.b_text, id="compare-source-b")
        with TabbedContent(id="compare-tabs", initial="diff"):
            with TabPane("表格差异", id="diff"):
                yield VimTable(cursor_type="row", id="diff-table")
            with TabPane("衔接", id="continuity"):
                yield VimTable(cursor_type="row", id="continuity-table")
            with TabPane("文字重复", id="reuse"):
                yield VimTable(cursor_type="row", id="reuse-sections")
                yield VimTable(cursor_type="row", id="reuse-pairs")
            with TabPane("问题", id="findings"):
                yield FindingsPane(id="compare-findings")
        yield Static("", id="compare-info", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._columns()
        self.compute()
        self.query_one("#diff-table", DataTable).focus()
        self.call_after_refresh(lambda: self.show_difference(self.query_one("#diff-table", DataTable).cursor_row))

    def _columns(self) -> None:
        for table_id, headers in (
            ("#diff-table", ("单元格", "A", "B", "差值", "相对变化", "")),
            ("#continuity-table", ("项目", "A", "B", "应为", "结果")),
            ("#reuse-sections", ("部分", "句子", "逐字相同", "基本相同", "重复占比", "逐字占比")),
            ("#reuse-pairs", ("部分", "相似度", "本年（B）句子")),
        ):
            table = self.query_one(table_id, DataTable)
            for h in headers:
                table.add_column(Text(h))

    # --- the comparison ------------------------------------------------------------------
    def compute(self) -> None:
        from checks import finding_key
        from checks.compare import compare_reports, consecutive

        a = self.store.current_report(self.a_id)
        b = self.store.current_report(self.b_id)
        continuity = self._continuity
        if continuity is None:
            from store.organs import same_organ

            organs = [(r.get("meta") or {}).get("organ") for r in (a, b)]
            continuity = bool(same_organ(self.store, *organs)) and consecutive(a, b)
        self.comparison = compare_reports((a, self.a_text), (b, self.b_text), continuity=continuity)
        reviews = self.store.reviews(self.b_id)
        for f in self.comparison["findings"]:
            f["key"] = finding_key(f)
            f["review"] = reviews.get(f["key"])
        self._show()

    def _show(self) -> None:
        c = self.comparison
        self.query_one("#title-a", Static).update(_side_title("A", c["a"]))
        self.query_one("#title-b", Static).update(_side_title("B", c["b"]))
        self._fill_diff()
        self._fill_continuity()
        self._fill_reuse()
        self.query_one(FindingsPane).show(c["findings"])
        self._marks()
        self.show_status()

    def show_status(self) -> None:
        c = self.comparison
        errors, warnings = open_counts(c["findings"])
        overall = c["reuse"]["overall"]
        parts = [
            # the organ first: on a narrow terminal its name is shortened, never the years or counts after it
            (f"对比 {c['a'].get('organ') or '（未识别机关）'}", "bold"),
            (f"{c['a'].get('year') or '-'} → {c['b'].get('year') or '-'}", "bold"),
            (f"变化 {c['changed']} 格", "", 1),  # the table lists them: may go on a narrow terminal
            (f"大幅变化 {c['jumps']}", "bold #ffd75f" if c["jumps"] else "green"),
            (f"文字重复 {overall['share'] or '-'}", "", 1),
            (f"{SEVERITY_LABELS[ERROR]} {errors}", cells.SEVERITY_TEXT_STYLES[ERROR] if errors else "green"),
            (f"{SEVERITY_LABELS[WARNING]} {warnings}", cells.SEVERITY_TEXT_STYLES[WARNING] if warnings else "green"),
            ("" if c["continuity"] else "未核对跨年衔接", "dim", 2),
        ]
        self.query_one(StatusBar).show(parts=[p for p in parts if p[0]], db=self.store.path, saved="已保存")

    def _fill_diff(self) -> None:
        table = self.query_one("#diff-table", DataTable)
        table.clear()
        rows = [x for x in self.comparison["cells"] if self.show_all or x["changed"]]
        self._diff_rows = rows
        for x in rows:
            style = "bold #ffd75f" if x["jump"] else ("" if x["changed"] else "dim")
            table.add_row(
                Text(x["label"], style=style),
                Text(_value(x["a"]), justify="right"),
                Text(_value(x["b"]), justify="right"),
                Text(_signed(x["diff"]), justify="right", style=style),
                Text(x["relative"] or "", justify="right", style=style),
                Text(f"{JUMP} 变化超过五倍" if x["jump"] else _one_side(x), style="bold #ffd75f" if x["jump"] else "dim"),
                key=x["path"],
            )
        if not rows:
            table.add_row(Text("两份报告的表格数值完全相同", style="green"), *[Text("")] * 5)

    def _fill_continuity(self) -> None:
        table = self.query_one("#continuity-table", DataTable)
        table.clear()
        self._continuity_rows = []
        for x in self.comparison["carry_over"]:
            text, style = STATUS_TEXT[x["status"]]
            table.add_row(Text(f"上年结转·{x['label']}"), Text(_value(x["a_carried_forward"]), justify="right"),
                          Text(_value(x["b_carried_over"]), justify="right"), Text(_value(x["a_carried_forward"]), justify="right"),
                          Text(text, style=style))
            self._continuity_rows.append(x.get("spans") or {})
        for x in self.comparison["stock"]:
            text, style = STATUS_TEXT[x["status"]]
            expected = "" if x.get("expected") is None else (
                f"{x['expected']}（{x['a_in_force']}+{x['b_issued']}−{x['b_repealed']}）")
            table.add_row(Text(f"现行有效·{x['label']}"), Text(_value(x.get("a_in_force")), justify="right"),
                          Text(_value(x.get("b_in_force")), justify="right"), Text(expected, justify="right"),
                          Text(text if not x.get("note") else x["note"], style=style))
            self._continuity_rows.append(x.get("spans") or {})

    def _fill_reuse(self) -> None:
        reuse = self.comparison["reuse"]
        sections = self.query_one("#reuse-sections", DataTable)
        sections.clear()
        for x in reuse["sections"] + [{"title": "全文", **reuse["overall"]}]:
            share = x["share"] or ""
            high = share and float(share.rstrip("%")) >= 50
            sections.add_row(Text(safe(x["title"]), style="bold" if x["title"] == "全文" else ""),
                             Text(str(x["sentences"]), justify="right"), Text(str(x["verbatim"]), justify="right"),
                             Text(str(x["near"]), justify="right"),
                             Text(share, justify="right", style="bold #ffd75f" if high else ""),
                             Text(x["verbatim_share"] or "", justify="right"))
        pairs = self.query_one("#reuse-pairs", DataTable)
        pairs.clear()
        from checks.compare import SECTION_NAMES

        for p in reuse["pairs"]:
            pairs.add_row(Text(SECTION_NAMES.get(p["section"], p["section"])),
                          Text("逐字相同" if p["verbatim"] else f"基本相同 {p['similarity']}",
                               style=MARK_STYLES[VERBATIM if p["verbatim"] else NEAR]),
                          Text(safe(" ".join(p["text"].split())[:60])))

    def _marks(self) -> None:
        pairs = self.comparison["reuse"]["pairs"]
        a_marks = [(p["a_span"][0], p["a_span"][1], VERBATIM if p["verbatim"] else NEAR) for p in pairs]
        b_marks = [(p["b_span"][0], p["b_span"][1], VERBATIM if p["verbatim"] else NEAR) for p in pairs]
        self.query_one("#compare-source-a", MarkedSource).set_marks(a_marks)
        self.query_one("#compare-source-b", MarkedSource).set_marks(b_marks)

    # --- spans ----------------------------------------------------------------------------
    def show_spans(self, a_span, b_span, info: str = "") -> None:
        for pane_id, span in (("#compare-source-a", a_span), ("#compare-source-b", b_span)):
            pane = self.query_one(pane_id, MarkedSource)
            if span and len(span) == 2:
                pane.show_span(*span)
            else:
                pane.clear_span()
        self.query_one("#compare-info", Static).update(safe_block(info) if isinstance(info, str) else info)

    @on(DataTable.RowHighlighted, "#diff-table")
    def _diff_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_difference(event.cursor_row)

    def show_difference(self, row: int) -> None:
        """The table difference at ``row``: both source spans selected, the numbers in words."""
        rows = getattr(self, "_diff_rows", [])
        if 0 <= row < len(rows):
            x = rows[row]
            where = "；".join(f"{side} 原文" + (f"第 {x['spans'][k][0]}-{x['spans'][k][1]} 字" if x["spans"][k] else "无此数")
                             for side, k in (("A", "a"), ("B", "b")))
            info = f"{x['label']}：A {_value(x['a'])} → B {_value(x['b'])}，差值 {_signed(x['diff']) or '—'}" + \
                   (f"（{_one_side(x)}）" if _one_side(x) else "") + \
                   (f"（{x['relative']}）" if x["relative"] else "") + (" ⚠ 变化超过五倍，请核对原文" if x["jump"] else "") + \
                   f"｜{where}"
            self.show_spans(x["spans"]["a"], x["spans"]["b"], info)

    @on(DataTable.RowHighlighted, "#continuity-table")
    def _continuity_highlighted(self, event: DataTable.RowHighlighted) -> None:
        rows = getattr(self, "_continuity_rows", [])
        if 0 <= event.cursor_row < len(rows):
            spans = rows[event.cursor_row]
            self.show_spans(spans.get("a"), spans.get("b"))

    @on(DataTable.RowHighlighted, "#reuse-pairs")
    def _pair_highlighted(self, event: DataTable.RowHighlighted) -> None:
        pairs = self.comparison["reuse"]["pairs"]
        if 0 <= event.cursor_row < len(pairs):
            p = pairs[event.cursor_row]
            kind = "逐字相同" if p["verbatim"] else f"基本相同（相似度 {p['similarity']}）"
            self.show_spans(p["a_span"], p["b_span"], f"{kind}：{' '.join(p['text'].split())}")

    @on(DataTable.RowHighlighted, "#findings-table")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        pane = self.query_one(FindingsPane)
        f = pane.current()
        if f is None or not event.data_table.has_focus:  # moved by the auditor, not by a refresh
            return
        pane.set_detail(detail_text(f))
        links = f.get("links") or []
        if links:
            link = links[0]
            self.show_spans(link.get("a_span"), link.get("b_span"),
                            f"A {_cell_name(link.get('a'))} ↔ B {_cell_name(link.get('b'))}（两侧原文已选中）")
        elif f["rule"] == "history.reuse":  # the repeated sentences are marked in both panes
            self.query_one("#compare-info", Static).update("重复的句子已在两侧原文中标出（按 3 到“文字重复”页逐句查看）")

    def action_goto_finding(self) -> None:
        """Enter in the findings list: show the finding's cells in both sources."""
        f = self.query_one(FindingsPane).current()
        links = (f or {}).get("links") or []
        if links:
            self.show_spans(links[0].get("a_span"), links[0].get("b_span"), " ".join(f.get("message", "").split()))

    @on(TabbedContent.TabActivated, "#compare-tabs")
    def _tab_activated(self, event) -> None:
        self.query_one("#compare-info", Static).update("")

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    # --- actions -----------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        self.query_one("#compare-tabs", TabbedContent).active = tab
        target = {"diff": "#diff-table", "continuity": "#continuity-table", "reuse": "#reuse-pairs",
                  "findings": "#findings-table"}[tab]
        table = self.query_one(target, DataTable)
        table.focus()
        if table.row_count:  # show where the row under the cursor is, in both sources
            table.post_message(DataTable.RowHighlighted(table, table.cursor_row, table.coordinate_to_cell_key(
                table.cursor_coordinate).row_key))

    def _active_table(self) -> DataTable:
        tab = self.query_one("#compare-tabs", TabbedContent).active
        return self.query_one({"diff": "#diff-table", "continuity": "#continuity-table", "reuse": "#reuse-pairs",
                               "findings": "#findings-table"}.get(tab, "#diff-table"), DataTable)

    def _step(self, delta: int) -> None:
        table = self._active_table()
        if not table.row_count:
            return
        table.move_cursor(row=(table.cursor_row + delta) % table.row_count, animate=False)
        table.focus()

    def action_next_difference(self) -> None:
        self._step(1)

    def action_previous_difference(self) -> None:
        self._step(-1)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._fill_diff()
        self.app.say("表格差异：显示全部单元格" if self.show_all else "表格差异：只显示有变化的单元格")

    def _finding(self) -> dict | None:
        if self.query_one("#compare-tabs", TabbedContent).active != "findings":
            self.action_tab("findings")
        f = self.query_one(FindingsPane).current()
        if f is None:
            self.app.say("没有可审核的跨年度问题")
        return f

    def _guard(self) -> bool:
        if self.store.read_only:
            self.app.notify_error("数据库只读（另一个 gipr-tui 正在使用），无法保存更改")
            return False
        return True

    def _write(self, call, *args, **kwargs) -> bool:
        """A store write, then the comparison computed again; a refusal is shown (then False)."""
        try:
            call(*args, **kwargs)
        except (StoreError, ValueError) as e:
            self.app.notify_error(str(e))
            return False
        self.compute()
        return True

    def _review_finding(self, decision: str, example: str) -> None:
        f = self._finding()
        if f is None or not self._guard():
            return
        review_one(self.app, self.store, self.b_id, f, decision, self._write,
                   require_reason=bool(getattr(self.app, "require_reason", False)), example=example)

    def action_confirm(self) -> None:
        self._review_finding(CONFIRMED, "例如：已对照两年原文，报告确有此误")

    def action_waive(self) -> None:
        self._review_finding(WAIVED, "例如：上年结转已在附注中说明")

    def action_back(self) -> None:
        self.app.pop_screen()


def _cell_name(path: str | None) -> str:
    from parsing.model.schema import cell_label

    return cell_label(path, short=True) if path else "-"


def _one_side(x: dict) -> str:
    """Why a changed cell has no difference: one report has no value there (not read, or
    left blank) — a gap to check in the source, not a change to 0."""
    if x["a"] is None and x["b"] is not None:
        return "A 无数值，无法比较"
    if x["b"] is None and x["a"] is not None:
        return "B 无数值，无法比较"
    return ""


def _value(v) -> str:
    return "—" if v is None else str(v)


def _signed(d) -> str:
    if d is None:
        return ""
    s = str(d)
    return s if s.startswith("-") or s.strip("0.") == "" else f"+{s}"


def _side_title(name: str, side: dict) -> Text:
    t = Text()
    t.append(f"{name} ", style="bold reverse")
    t.append(f" {side.get('year') or '年度未知'}年 ", style="bold")
    t.append(safe(side.get("organ") or "（未识别机关）"))
    return t


# --- opening a comparison from the library ----------------------------------------------
def partners(store, report_id: str) -> list[tuple[str, bool | None]]:
    """Reports to compare ``report_id`` with, best first: (id, same organ? — None: ask).

    The same organ's previous year first, then earlier years (nearest first), then
    later years (nearest first); names the auditor said are another organ never."""
    from store.organs import decisions, normalise_organ, related

    reports = [s for s in store.list_reports() if not s.superseded]
    me = next((s for s in reports if s.id == report_id), None)
    if me is None or not me.organ or not me.year:
        return []
    answers = decisions(store)
    mine = normalise_organ(me.organ)
    out = []
    for s in reports:
        if s.id == me.id or not s.organ or not s.year or s.year == me.year:
            continue
        theirs = normalise_organ(s.organ)
        if theirs == mine:
            same = True
        else:
            same = answers.get(tuple(sorted((mine, theirs))))
            if same is None and not related(mine, theirs):
                continue
            if same is False:
                continue
        rank = (0, me.year - s.year) if s.year < me.year else (1, s.year - me.year)
        out.append((rank, s.id, same))
    return [(rid, same) for _, rid, same in sorted(out)]


def open_from_library(app, report_id: str | None) -> None:
    """Pair the highlighted report with its organ's nearest year (asking once about a
    differently named organ) and open the comparison; the earlier year is A."""
    from store import organs

    from .dialogs import ChoiceDialog

    if report_id is None:
        return
    store = app.store
    candidates = partners(store, report_id)
    if not candidates:
        app.say("数据库中没有同一机关其他年度的报告，无法对比（可用 gipr-tui compare 比较任意两份报告）")
        return

    def open_pair(other: str) -> None:
        a, b = other, report_id
        if (store.get(a).year or 0) > (store.get(b).year or 0):
            a, b = b, a
        app.push_screen(CompareScreen(a, b))

    def ask(remaining: list[tuple[str, bool | None]]) -> None:
        if not remaining:
            app.say("没有可对比的报告")
            return
        other, same = remaining[0]
        if same:
            open_pair(other)
            return
        mine, theirs = store.get(report_id), store.get(other)

        def answered(choice: str | None) -> None:
            if choice is None:
                return
            if not store.read_only:
                organs.remember(store, mine.organ, theirs.organ, choice == "yes")
            if choice == "yes":
                open_pair(other)
            else:
                ask(remaining[1:])

        app.push_screen(ChoiceDialog(
            f"「{theirs.organ}」（{theirs.year}年）与「{mine.organ}」（{mine.year}年）是同一机关吗？（只问一次，答案保存在审核数据库）",
            [("yes", "是，同一机关：按年度对比并核对跨年衔接"), ("no", "不是：另找")]), answered)

    ask(candidates)
