"""The audit screen: one report's source text beside its three tables, the
findings underneath; correct cells, review findings, take notes.

The store is the truth: after every write this screen re-reads
``store.current_report`` and ``store.findings`` and the widgets update in place
(only cells whose look changed; cursors stay put). Writes happen here, in
handlers, never in workers.
"""

from __future__ import annotations

import time
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, TabbedContent

from parsing.model.schema import DOUBT_FLAGS, FLAG_CORRECTED, cell_paths, get_cell
from checks import ERROR, SEVERITY_LABELS, WARNING
from store import CONFIRMED, STATUS_DONE, STATUSES, WAIVED, StoreError, is_pending, open_counts

from .. import keys
from ..widgets import cell_labels, cells
from store import rule_name
from ..widgets.findings import FILTER_CHOICES, FindingFilter, FindingsPane, detail_text
from ..widgets.source import SourceView
from ..widgets.status import ReadOnlyBanner, StatusBar
from ..widgets.tables import TablesPane
from .dialogs import ChoiceDialog, PromptDialog
from .edit import CellInfo, EditDialog
from .review import review_one

NARROW_WIDTH, NARROW_HEIGHT = 110, 32


class AuditScreen(Screen):
    BINDINGS = keys.AUDIT

    def __init__(self, report_id: str) -> None:
        super().__init__()
        self.report_id = report_id
        self.stored = self.store.get(report_id)
        meta = self.stored.parsed_report.get("meta") or {}
        self.fmt = meta.get("format")
        self.report: dict = {}
        self.findings: list[dict] = []
        self.notes: list[dict] = []
        self.saved_at: str | None = None
        self.checks_error: str | None = None
        self.timings: list[float] = []  # seconds from an edit submitted to the findings pane updated

    @property
    def store(self):
        return self.app.store

    # --- layout ----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        if self.store.read_only:
            yield ReadOnlyBanner(self.store.lock_holder)
        with Horizontal(id="panes"):
            with Vertical(id="source-pane"):
                yield SourceView(self.stored.text, self.stored.pages, id="source")
                yield Input(placeholder="搜索原文（Enter 查找，n/N 下一处/上一处，Esc 关闭）", id="search")
            with Vertical(id="right"):
                yield TablesPane(self.fmt, cell_labels.extra_paths(self.stored.parsed_report), id="tables")
                yield FindingsPane(id="findings")
        yield Footer()

    @property
    def tables(self) -> TablesPane:
        return self.query_one(TablesPane)

    @property
    def findings_pane(self) -> FindingsPane:
        return self.query_one(FindingsPane)

    @property
    def source(self) -> SourceView:
        return self.query_one(SourceView)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        order = list(cell_paths(self.fmt)) + cell_labels.extra_paths(self.stored.parsed_report)
        self.findings_pane.order = {p: i for i, p in enumerate(order)}
        self.reload()
        first = self.findings_pane.current()
        if first:
            self.goto_finding(first)
        self.tables.active_table.focus()
        self._fit(self.app.size.width, self.app.size.height)

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Below 110×32 the panes stack and the source shrinks; the findings list grows with
        the terminal's height (the tables keep what they need to show the requests table)."""
        narrow = width < NARROW_WIDTH or height < NARROW_HEIGHT
        self.set_class(narrow, "narrow")
        self.set_class(height < 28, "short")  # 80×24: the source strip and the finding's detail give rows to the tables
        rows = max(3 if narrow else 5, height - (36 if narrow else 38))
        self.findings_pane.table.styles.height = rows + 1  # + the header line

    # --- mirroring the store -------------------------------------------------------
    def reload(self) -> None:
        """Re-read the report, its findings and notes; update every widget in place."""
        self.report = self.store.current_report(self.report_id)
        self.findings = self._findings()
        self.notes = self.store.notes(self.report_id)
        self.tables.show(self.report, self.findings)
        self.findings_pane.show(self.findings)
        self.show_status()
        self.show_cell(self.tables.current_path())

    def _findings(self) -> list[dict]:
        """The store's findings; if the checks themselves fail, say so loudly instead of showing 0 errors."""
        try:
            findings = self.store.findings(self.report_id)
        except (StoreError, ValueError):
            raise
        except Exception as e:  # a bug in a rule must not end the auditor's session
            self.checks_error = f"校验未能运行（{type(e).__name__}: {e}），问题列表不完整，请报告此问题"
            self.app.notify_error(self.checks_error)
            return []
        self.checks_error = None
        return findings

    def show_status(self) -> None:
        meta = self.report.get("meta") or {}
        errors, warnings = open_counts(self.findings)
        status = self.store.get(self.report_id).status
        parts = [
            (meta.get("organ") or "（未识别机关）", "bold"),
            (f"{meta.get('year') or '-'}年度", "", 1),
            (f"{meta.get('format') or '-'}格式", "dim", 2),
            *([("校验未能运行", "bold reverse #ff5f5f")] if self.checks_error else [
                (f"{SEVERITY_LABELS[ERROR]} {errors}", cells.SEVERITY_TEXT_STYLES[ERROR] if errors else "green"),
                (f"{SEVERITY_LABELS[WARNING]} {warnings}", cells.SEVERITY_TEXT_STYLES[WARNING] if warnings else "green"),
            ]),
            (status or "", "#5fd7ff", 2),
        ]
        if self.store.read_only:
            saved = "只读，不保存"
        else:
            saved = f"已保存 {self.saved_at}" if self.saved_at else "已保存"
        self.query_one(StatusBar).show(parts=parts, db=self.store.path, saved=saved)

    def provenance(self, path: str) -> dict:
        return (self.report.get("provenance") or {}).get(path) or {}

    def show_cell(self, path: str | None) -> None:
        """The cell's details under the tables and its span in the source."""
        if path is None:
            self.tables.set_info("")
            return
        prov = self.provenance(path)
        flags = prov.get("flags") or ()
        raw = prov.get("raw")
        info = [cell_labels.label(path, self.fmt), f"值 {cells.format_value(get_cell(self.report, path))}",
                f"原文「{raw}」" if raw else "原文 无", f"标记 {cells.flag_names(flags)}"]
        if FLAG_CORRECTED in flags:
            info.append(f"解析值 {cells.format_value(prov.get('parsed'))}")
        if prov.get("note"):  # the reader's own word on the cell (e.g. what the other PDF reading saw)
            info.append(f"读取说明：{_one_line(str(prov['note']))}")
        if isinstance(prov.get("confidence"), (int, float)):  # a scan read by OCR
            read = f"，识别为「{prov['ocr_read']}」" if prov.get("ocr_read") else ""
            info.append(f"OCR 置信度 {prov['confidence']:.0%}{read}")
        notes = [n for n in self.notes if n.get("target") == path]
        if notes:
            info.append(f"备注 {len(notes)} 条：{notes[-1]['text']}")
        self.tables.set_info(" ｜ ".join(info))
        span = prov.get("span")
        if span and len(span) == 2:
            self.source.show_span(*span)
        else:  # no token in the source: highlight nothing rather than the previous cell's
            self.source.clear_span()

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table is self.tables.active_table:
            self.show_cell(event.data_table.path_at(event.coordinate))

    @on(DataTable.RowHighlighted, "#table-extra")
    def _extra_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.tables.active_table:
            self.show_cell(event.data_table.path_at(event.data_table.cursor_coordinate))

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_cell(self.tables.current_path())

    @on(DataTable.CellSelected)
    @on(DataTable.RowSelected, "#table-extra")
    def _cell_selected(self, event) -> None:
        event.stop()  # a click selects; Enter and `e` edit

    @on(DataTable.RowHighlighted, "#findings-table")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        finding = self.findings_pane.current()
        if finding is None:
            return
        self.findings_pane.set_detail(detail_text(finding))
        if event.data_table.has_focus:  # moved by the auditor, not by a refresh
            self.goto_finding(finding)

    @on(DataTable.RowSelected, "#findings-table")
    def _finding_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_goto_finding()

    def focus_cell(self, path: str) -> None:
        if self.tables.move_to(path):
            self.show_cell(path)

    def best_cell(self, finding: dict) -> str | None:
        """The cell of a finding to look at first: a doubtful one, else the first shown."""
        shown = [p for p in finding.get("cells") or () if self.tables.has_cell(p)]
        doubtful = [p for p in shown if set(self.provenance(p).get("flags") or ()) & set(DOUBT_FLAGS)]
        return (doubtful or shown or [None])[0]

    def goto_finding(self, finding: dict) -> None:
        path = self.best_cell(finding)
        if path:
            self.focus_cell(path)

    # --- writes ------------------------------------------------------------------
    def _apply(self, call, *args, **kwargs):
        """Run a store write, then re-read everything: (result, problems resolved, problems added).

        Raises what the store raises (ValueError for a bad value, StoreError)."""
        before = cells.open_problem_keys(self.findings)
        result = call(*args, **kwargs)
        self.saved_at = datetime.now().strftime("%H:%M:%S")
        self.reload()
        after = cells.open_problem_keys(self.findings)
        return result, len(before - after), len(after - before)

    def _write(self, call, *args, **kwargs):
        """``_apply``, with a refusal shown as an error notification (then None)."""
        try:
            return self._apply(call, *args, **kwargs)
        except (StoreError, ValueError) as e:
            self.app.notify_error(str(e))
            return None

    def _guard(self) -> bool:
        if self.store.read_only:
            self.app.notify_error("数据库只读（另一个 gipr-tui 正在使用），无法保存更改")
            return False
        return True

    def cell_info(self, path: str) -> CellInfo:
        prov = self.provenance(path)
        flags = tuple(prov.get("flags") or ())
        value = get_cell(self.report, path)
        parsed = prov.get("parsed", value) if FLAG_CORRECTED in flags else value
        return CellInfo(path=path, fmt=self.fmt, value=value, parsed=parsed, raw=prov.get("raw"), flags=flags)

    def action_edit(self) -> None:
        path = self.tables.current_path()
        if path is None:
            self.app.say("请先在表格中选中一个数值单元格")
            return
        if not self._guard():
            return
        self.app.push_screen(EditDialog(self.cell_info(path), lambda value, reason: self.save_correction(path, value, reason),
                                        require_reason=self.require_reason))

    def save_correction(self, path: str, value, reason: str = "") -> str | None:
        """Write a correction; None when done (or nothing to do), else the store's message."""
        started = time.perf_counter()
        before = get_cell(self.report, path)
        if _same(before, value) and not self.cell_info(path).confirmable:
            self.app.say("数值未改变，未保存")
            return None
        try:
            _, resolved, added = self._apply(self.store.correct, self.report_id, path, value, reason=reason)
        except (StoreError, ValueError) as e:
            return str(e)
        self.timings.append(time.perf_counter() - started)
        label = cell_labels.label(path, self.fmt)
        self.app.say(cells.change_message(label, before, value, resolved, added))
        return None

    def action_revert(self) -> None:
        path = self.tables.current_path()
        if path is None or not self._guard():
            return
        if FLAG_CORRECTED not in (self.provenance(path).get("flags") or ()):
            self.app.say("该单元格没有更正，无需还原")
            return
        label = cell_labels.label(path, self.fmt)

        def revert(reason: str = "") -> None:
            before = get_cell(self.report, path)
            done = self._write(self.store.revert, self.report_id, path, reason=reason)
            if done:
                _, resolved, added = done
                after = get_cell(self.report, path)
                self.app.say("已还原为解析值：" + cells.change_message(label, before, after, resolved, added))

        if self.require_reason:  # a revert is a change of value like a correction: its reason is asked too
            parsed = self.cell_info(path).parsed
            self.app.push_screen(
                PromptDialog("还原为解析值：请写明理由（必填，已设置为必须填写理由）",
                             f"{label}：{cells.format_value(get_cell(self.report, path))} → 解析值 {cells.format_value(parsed)}",
                             placeholder="例如：更正有误，原文即为解析值", required=True),
                lambda reason: revert(reason) if reason else None,
            )
            return
        revert()

    def _undo_redo(self, call, verb: str) -> None:
        if not self._guard():
            return
        done = self._write(call, self.report_id)
        if not done:
            return
        entry, resolved, added = done
        if entry is None:
            self.app.say(f"没有可{verb}的更正")
            return
        path = entry["path"]
        self.focus_cell(path)
        label = cell_labels.label(path, self.fmt)
        self.app.say(f"已{verb}：" + cells.change_message(label, entry.get("before"), entry.get("after"), resolved, added))

    def action_undo(self) -> None:
        self._undo_redo(self.store.undo, "撤销")

    def action_redo(self) -> None:
        self._undo_redo(self.store.redo, "重做")

    # --- findings ------------------------------------------------------------------
    def _step_finding(self, delta: int) -> None:
        finding = self.findings_pane.step(delta)
        if finding is None:
            self.app.say("没有问题")
            return
        self.findings_pane.set_detail(detail_text(finding))
        self.goto_finding(finding)
        self.tables.active_table.focus()

    def action_next_finding(self) -> None:
        self._step_finding(1)

    def action_previous_finding(self) -> None:
        self._step_finding(-1)

    def action_goto_finding(self) -> None:
        finding = self.findings_pane.current()
        if finding:
            self.goto_finding(finding)
            self.tables.active_table.focus()

    def _current_finding(self) -> dict | None:
        finding = self.findings_pane.current()
        if finding is None:
            self.app.say("没有可审核的问题")
        return finding

    @property
    def require_reason(self) -> bool:
        return bool(getattr(self.app, "require_reason", False))

    def action_confirm(self) -> None:
        if self.findings_pane.selected:
            self._review_group(CONFIRMED)
            return
        finding = self._current_finding()
        if finding is None or not self._guard():
            return
        review_one(self.app, self.store, self.report_id, finding, CONFIRMED, self._write,
                   require_reason=self.require_reason, example="例如：已对照原文，报告确有此误")

    def action_waive(self) -> None:
        if self.findings_pane.selected:
            self._review_group(WAIVED)
            return
        finding = self._current_finding()
        if finding is None or not self._guard():
            return
        review_one(self.app, self.store, self.report_id, finding, WAIVED, self._write,
                   require_reason=self.require_reason, example="例如：原文附注说明该差异来自跨年度结转")

    def _review_group(self, decision: str) -> None:
        """Confirm or waive every selected finding at once, with one justification."""
        if not self._guard():
            return
        group = self.findings_pane.selected_findings()
        verb = "确认" if decision == CONFIRMED else "豁免"
        required = decision == WAIVED or self.require_reason
        rules = "、".join(dict.fromkeys(rule_name(f.get("rule")) for f in group))

        def apply(justification: str | None) -> None:
            if justification is None or (required and not justification):
                return

            def write_all() -> None:
                with self.store.batch():
                    for f in group:
                        self.store.review_finding(self.report_id, f["key"], decision, justification=justification)

            if self._write(write_all) is not None:
                self.findings_pane.clear_selection()
                self.app.say(f"已一并{verb} {len(group)} 项问题（{rules}）")

        self.app.push_screen(
            PromptDialog(f"一并{verb}已选的 {len(group)} 项问题：" + ("请写明理由（必填）" if required else "理由（可不填）"),
                         f"规则：{rules}", placeholder="例如：已逐一对照原文核实本表的零值", required=required),
            apply,
        )

    def action_toggle_selected(self) -> None:
        if self.findings_pane.toggle_selected() is None:
            self.app.say("没有可选中的问题")

    def action_select_shown(self) -> None:
        n = self.findings_pane.select_shown()
        self.app.say(f"已选中 {n} 项问题（c 一并确认，w 一并豁免）" if n else "已取消选中")

    def action_next_unreviewed_error(self) -> None:
        finding = self.findings_pane.next_unreviewed_error()
        if finding is None:
            self.app.say("没有待审的错误")
            return
        self.goto_finding(finding)
        self.tables.active_table.focus()

    def action_filter_findings(self) -> None:
        current = self.findings_pane.current()

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            flt = dict((c, f) for c, _, f in FILTER_CHOICES)[choice]
            if choice == "same_rule":
                if current is None:
                    self.app.say("请先在问题列表中选中一个问题")
                    return
                flt = FindingFilter(review=flt.review, rule=current.get("rule"))
            self.findings_pane.set_filter(flt)
            shown = self.findings_pane.findings
            self.app.say(f"问题筛选：{flt.describe()}，共 {len(shown)} 项")

        current_id = next((c for c, _, f in FILTER_CHOICES if f == self.findings_pane.filter), None)
        self.app.push_screen(ChoiceDialog("筛选问题", [(c, label) for c, label, _ in FILTER_CHOICES], current_id), chosen)

    # --- notes and status -------------------------------------------------------------
    def note_target(self) -> tuple[str | None, str]:
        """The findings pane's finding when it has focus, else the table cell, else the report."""
        if self.findings_pane.table.has_focus and self.findings_pane.current():
            f = self.findings_pane.current()
            return f["key"], f"问题 {rule_name(f.get('rule'))}"
        path = self.tables.current_path()
        if path:
            return path, f"单元格 {cell_labels.label(path, self.fmt)}"
        return None, "整份报告"

    def action_note(self) -> None:
        if not self._guard():
            return
        target, what = self.note_target()
        earlier = [n["text"] for n in self.notes if n.get("target") == target]
        context = f"对象：{what}" + (f"\n已有备注：{'；'.join(earlier[-3:])}" if earlier else "")

        def add(text: str | None) -> None:
            if text and self._write(self.store.add_note, self.report_id, text, target=target):
                self.app.say(f"备注已保存（{what}）")

        self.app.push_screen(PromptDialog("添加备注", context, placeholder="备注内容", required=True), add)

    def action_set_status(self) -> None:
        if not self._guard():
            return

        def write(status: str) -> None:
            if self._write(self.store.set_status, self.report_id, status):
                self.app.say(f"审核状态：{status}")

        def chosen(status: str | None) -> None:
            if not status:
                return
            pending = [f for f in self.findings if f.get("severity") == ERROR and is_pending(f)]
            if status != STATUS_DONE or not pending:
                write(status)
                return
            names = "、".join(dict.fromkeys(rule_name(f.get("rule")) for f in pending))
            self.app.push_screen(
                ChoiceDialog(f"还有 {len(pending)} 项错误尚未审核（{names}）：仍然标记为{STATUS_DONE}？",
                             [("no", "否，先去审核这些错误（u 转到下一个待审错误）"), ("yes", f"是，标记为{STATUS_DONE}")], "no"),
                lambda answer: write(status) if answer == "yes" else None,
            )

        current = self.store.get(self.report_id).status
        self.app.push_screen(ChoiceDialog("报告审核状态", [(s, s) for s in STATUSES], current), chosen)

    def action_export(self) -> None:
        self.app.action_export(self.report_id)  # this report only

    # --- search and navigation ---------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value
        if not query:
            return
        if self.source.find(query):
            self.app.say(f"「{query}」共 {self.source.match_count()} 处（n/N 下一处/上一处）")
            self.query_one("#search").display = False
            self.source.focus()
        else:
            self.app.say(f"原文中没有「{query}」")

    def action_search_next(self) -> None:
        if not self.source.find(None):
            self.app.say("请先按 / 输入要搜索的文字")

    def action_search_previous(self) -> None:
        if not self.source.find(None, backwards=True):
            self.app.say("请先按 / 输入要搜索的文字")

    def action_go_to_page(self) -> None:
        pages = sorted(self.source.pages)
        if not pages:
            if self.stored.pages is None and (self.stored.parsed_report.get("source") or {}).get("format") == "pdf":
                self.app.say("这份报告导入时未记录分页位置：在报告列表中按 R 重新读取后即可按页转到")
            else:
                self.app.say("原文没有分页（只有 PDF 报告分页）")
            return

        def go(answer: str | None) -> None:
            if answer is None:
                return
            try:
                page = int(unicodedata.normalize("NFKC", answer).strip())
            except ValueError:
                self.app.notify_error(f"页码须为整数：{answer}")
                return
            if self.source.go_to_page(page):
                self.app.say(f"原文第 {page} 页")
            else:
                self.app.notify_error(f"没有第 {page} 页（原文为第 {pages[0]} 至 {pages[-1]} 页）")

        self.app.push_screen(PromptDialog("原文转到页", f"第 {pages[0]} 至 {pages[-1]} 页", placeholder="页码", required=True), go)

    def action_tab(self, number: int) -> None:
        """Keys 1–4: the table tabs in order (4 = the extra cells, when the report has any)."""
        if not self.tables.show_tab(number):
            self.app.say("这份报告没有附加单元格" if number == 4 else f"没有第 {number} 个表格")
            return
        self.tables.active_table.focus()
        self.show_cell(self.tables.current_path())

    def action_back(self) -> None:
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
            self.source.focus()
            return
        self.app.pop_screen()


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


def _one_line(s: str) -> str:
    return " ".join(str(s).split())
