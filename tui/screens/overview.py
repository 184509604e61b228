"""The overview sheet (issue 14): every current report of the database in one
table — organ, level, year, the key totals, error and warning counts, review
status — sortable by any column (``s`` on the cursor's column, or a click on
its header; again to reverse), filterable (``/``; ``异常`` keeps the rows with
an outlier), outliers marked (``!`` and a yellow cell; the reason under the
table), Enter opens the report, ``x`` exports the sheet (.csv or .xlsx, the
same columns). The rows and the outlier rule are ``store.overview``'s.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from store import overview

from .. import keys
from ..widgets.status import StatusBar
from ..widgets.tables import VimTable
from .dialogs import PromptDialog

NUMERIC = set(overview.FIGURE_KEYS) | {"year", "errors", "warnings"}
OUTLIER_STYLE = "bold black on #ffd75f"


class SheetTable(VimTable):
    """A DataTable of single-line ``Text`` cells that measures them by their
    characters' cell width instead of a console measure per cell (thousands of
    rows open several times faster). Textual is pinned; this overrides its
    ``_update_dimensions`` for rows without labels or automatic height."""

    def _update_dimensions(self, new_rows) -> None:
        from rich.cells import cell_len
        from textual.geometry import Size

        columns = self.ordered_columns
        widths = [c.content_width for c in columns]
        for row_key in new_rows:
            row = self.rows.get(row_key)
            data = self._data.get(row_key)
            if row is None or data is None or row.label is not None or row.auto_height:
                return super()._update_dimensions(new_rows)  # not our kind of row: the general way
            for i, column in enumerate(columns):
                cell = data.get(column.key)
                if not isinstance(cell, Text) or "\n" in cell.plain:
                    return super()._update_dimensions(new_rows)
                n = cell_len(cell.plain)
                if n > widths[i]:
                    widths[i] = n
        for column, width in zip(columns, widths):
            column.content_width = width
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + (self.header_height if self.show_header else 0))


class OverviewScreen(Screen):
    BINDINGS = keys.OVERVIEW

    DEFAULT_CSS = """
    OverviewScreen #overview-table { height: 1fr; }
    OverviewScreen #overview-filter { height: 3; }
    OverviewScreen #overview-info { height: auto; max-height: 3; background: $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[overview.OverviewRow] = []
        self.shown: list[overview.OverviewRow] = []
        self.sort_key: str | None = None
        self.sort_reverse = False
        self.filter_text = ""

    @property
    def store(self):
        return self.app.store

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        box = Input(placeholder="筛选：机关、级别、年度、状态；输入“异常”只看有异常标记的（Esc 关闭）", id="overview-filter")
        box.display = False
        yield box
        yield SheetTable(cursor_type="cell", fixed_columns=1, id="overview-table")
        yield Static("", id="overview-info", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#overview-table", DataTable)
        for key, header in overview.COLUMNS:
            table.add_column(Text(header), key=key)
        table.add_column(Text("编号"), key="id")
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.rows = overview.overview_rows(self.store)
        self.refresh_rows()

    def refresh_rows(self, *, reorder_only: bool = False) -> None:
        """Show the filtered, sorted rows; a new sort only reorders the rows already shown."""
        table = self.query_one("#overview-table", DataTable)
        keep = self.current_row()
        column = table.cursor_coordinate.column
        rows = self.shown if reorder_only else overview.filter_rows(self.rows, self.filter_text)
        if self.sort_key:
            rows = overview.sort_rows(rows, self.sort_key, self.sort_reverse)
        if reorder_only and table.row_count == len(rows):
            position = {r.id: i for i, r in enumerate(rows)}
            table.sort(key=lambda row: position[row[-1].plain])  # the last column holds the report id
        else:
            table.clear()
            table.add_rows([_cells(r) for r in rows])
        self.shown = rows
        ids = [r.id for r in rows]
        row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        table.move_cursor(row=row, column=column, animate=False)
        self.show_status()
        self.show_info()

    def show_status(self) -> None:
        outliers = sum(1 for r in self.rows if r.outliers)
        parts = [("gipr-tui 总览", "bold"), (f"共 {len(self.rows)} 份", "")]
        if self.filter_text:
            parts.append((f"筛选后 {len(self.shown)} 份", "#ffd75f"))
        parts.append((f"异常 {outliers} 份", "bold #ffd75f" if outliers else "green"))
        if self.sort_key:
            parts.append((f"按{dict(overview.COLUMNS)[self.sort_key]}{'倒序' if self.sort_reverse else '排序'}", "dim", 2))
        self.query_one(StatusBar).show(parts=parts, db=self.store.path, saved="已保存")

    def current_row(self) -> overview.OverviewRow | None:
        table = self.query_one("#overview-table", DataTable)
        if not table.row_count or not self.shown:
            return None
        row = table.cursor_coordinate.row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def current_column(self) -> str:
        col = self.query_one("#overview-table", DataTable).cursor_coordinate.column
        return _column_key(col)

    def show_info(self) -> None:
        r = self.current_row()
        info = self.query_one("#overview-info", Static)
        if r is None:
            info.update("没有报告" if not self.rows else "没有符合筛选条件的报告")
            return
        t = Text(f"{r.organ or '（未识别机关）'} {r.year or '-'}年  {r.source}", style="bold")
        for key, why in r.outliers.items():
            t.append(f"\n! {dict(overview.COLUMNS)[key]}：{why}", style="#ffd75f")
        if not r.outliers:
            t.append("  无异常标记", style="dim")
        info.update(t)

    @on(DataTable.CellHighlighted, "#overview-table")
    def _highlighted(self, event) -> None:
        self.show_info()

    @on(DataTable.CellSelected, "#overview-table")
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    @on(DataTable.HeaderSelected, "#overview-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(_column_key(event.column_index))

    def sort_by(self, key: str) -> None:
        if self.sort_key == key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, key in NUMERIC - {"year"}  # the largest first
        self.refresh_rows(reorder_only=True)

    # --- actions ---------------------------------------------------------------------
    def action_open(self) -> None:
        r = self.current_row()
        if r is not None:
            self.app.open_report(r.id)

    def action_sort(self) -> None:
        self.sort_by(self.current_column())

    def action_filter(self) -> None:
        box = self.query_one("#overview-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#overview-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.refresh_rows()

    @on(Input.Submitted, "#overview-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#overview-table", DataTable).focus()

    def action_back(self) -> None:
        box = self.query_one("#overview-filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one("#overview-table", DataTable).focus()
            return
        self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_away", False):  # back from a report: its counts and values may have changed
            self._away = False
            self.reload()

    def action_export(self) -> None:
        default = str(Path.cwd() / f"gipr-总览-{date.today():%Y%m%d}.xlsx")

        def chosen(path: str | None) -> None:
            if not path:
                return
            error = export(self.shown, path)
            if error:
                self.app.notify_error(error)
            else:
                self.app.say(f"总览表已导出：{path}（{len(self.shown)} 行）")

        self.app.push_screen(PromptDialog("导出总览表（当前筛选和排序）", "文件名以 .xlsx 结尾导出 Excel 工作簿，否则导出 CSV",
                                          placeholder="文件名", required=True, initial=default), chosen)


def export(rows, path: str) -> str | None:
    """Write the sheet to ``path`` (.xlsx → workbook, else CSV); an error message or None."""
    import os

    path = os.path.expanduser(path)
    try:
        if path.lower().endswith(".xlsx"):
            overview.write_xlsx(rows, path)
        else:
            overview.write_csv(rows, path)
    except Exception as e:  # a message for the auditor, not a traceback
        return f"导出失败：{e}"
    return None


def _column_key(index: int) -> str:
    """The sheet's column at ``index`` (after the sheet's columns: the report id)."""
    return overview.COLUMNS[index][0] if 0 <= index < len(overview.COLUMNS) else "id"


def _cells(r: overview.OverviewRow) -> list[Text]:
    out = []
    for key, _ in overview.COLUMNS:
        v = r.value(key)
        s = "" if v is None else str(v)
        if key in r.outliers:
            out.append(Text(f"{s}!", style=OUTLIER_STYLE, justify="right"))
        elif key == "errors":
            out.append(Text(s, style="bold #ff5f5f" if v else "green", justify="right"))
        elif key == "warnings":
            out.append(Text(s, style="#ffd75f" if v else "", justify="right"))
        elif key in NUMERIC:
            out.append(Text(s if v is not None else "—", style="" if v is not None else "dim", justify="right"))
        else:
            out.append(Text(s or ("（未识别机关）" if key == "organ" else "—"), style="" if s else "dim"))
    out.append(Text(r.id, style="dim"))
    return out
