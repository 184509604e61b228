"""The overview sheet (issue 14): every current report of the database in one
table — organ, level, year, the key totals, error and warning counts, review
status — sortable by any column (``s`` on the cursor's column, or a click on
its header; again to reverse), filterable (``/``; ``异常`` keeps the rows with
an outlier), outliers marked (``!`` and a yellow cell; the reason under the
table), Enter opens the report, ``x`` exports the sheet (.csv or .xlsx, the
same columns). The rows and the outlier rule are ``store.overview``'s.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import lru_cache
from datetime import date
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from store import overview

from .. import keys
from ..widgets.status import StatusBar
from ..widgets.tables import VimTable
from ..safe_text import safe
from .dialogs import PromptDialog

NUMERIC = set(overview.FIGURE_KEYS) | {"year", "errors", "warnings"}
OUTLIER_STYLE = "bold black on #ffd75f"


class SheetCell:
    """One cell of the sheet: its text, a style and a justification, turned into
    segments only when it is painted (thousands of rows, a few dozen visible)."""

    __slots__ = ("plain", "style", "justify")

    def __init__(self, plain: str, style: str = "", justify: str = "left") -> None:
        self.plain, self.style, self.justify = plain, style, justify

    def __rich__(self) -> Text:
        return Text(self.plain, style=self.style, justify=self.justify, no_wrap=True, end="")

    def __eq__(self, other) -> bool:
        return isinstance(other, SheetCell) and (self.plain, self.style, self.justify) == (other.plain, other.style, other.justify)

    __hash__ = None


class SheetTable(VimTable):
    """A DataTable of single-line ``SheetCell`` cells, fast at thousands of rows:
    widths come from the characters' cell width (no console measure per cell),
    and a visible cell is painted straight into segments (no Rich layout per
    cell). Textual is pinned; this overrides ``_update_dimensions`` and
    ``_render_cell`` for rows without labels or automatic height, and falls back
    to the general way for anything else."""

    def _update_dimensions(self, new_rows) -> None:
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
                if not isinstance(cell, SheetCell) or "\n" in cell.plain:
                    return super()._update_dimensions(new_rows)
                n = _width(cell.plain)
                if n > widths[i]:
                    widths[i] = n
        for column, width in zip(columns, widths):
            column.content_width = width
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + (self.header_height if self.show_header else 0))

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key) if row_key is not None else None
        if not isinstance(cell, SheetCell) or row is None or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
               self._pseudo_class_state)
        hit = self._cell_render_cache.get(key)
        if hit is not None:
            return hit
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        outer = pre + post_style
        inner = pre + _style(cell.style) + post_style
        pad = self.cell_padding
        room = max(width - 2 * pad, 0)
        text = cell.plain
        n = _width(text)
        if n > room:  # never wider than the column (the columns fit their widest value)
            text = set_cell_size(text, room)
            n = room
        gap = room - n
        segments = [Segment(" " * pad, outer)] if pad else []
        if cell.justify == "right":
            segments.append(Segment(" " * gap + text, inner))
        else:
            segments.append(Segment(text, inner))
            if gap:
                segments.append(Segment(" " * gap, outer))
        if pad:
            segments.append(Segment(" " * pad, outer))
        lines = [segments]
        self._cell_render_cache[key] = lines
        return lines


@contextmanager
def _no_gc():
    """Tens of thousands of small objects made at once in the app's big heap: without
    the cyclic collector running over that heap again and again (it runs after)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_STYLES: dict[str, Style] = {}


def _style(name: str) -> Style:
    style = _STYLES.get(name)
    if style is None:
        style = _STYLES[name] = Style.parse(name) if name else Style()
    return style


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


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
        self.superseded = 0

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
        table.header_height = 2  # four-character headers on two lines: every column but the id fits 120 columns
        for key, header in overview.COLUMNS:
            table.add_column(Text(_two_lines(header)), key=key)
        table.add_column(Text("编号"), key="id")
        self.reload()
        table.focus()

    def reload(self) -> None:
        with _no_gc():
            self.rows = overview.overview_rows(self.store)
            self.superseded = overview.superseded_count(self.store)
            self.refresh_rows()

    def refresh_rows(self, *, reorder_only: bool = False) -> None:
        """Show the filtered, sorted rows; a new sort only reorders the rows already shown."""
        table = self.query_one("#overview-table", DataTable)
        keep = self.current_row()
        column = table.cursor_coordinate.column
        rows = self.shown if reorder_only else overview.filter_rows(self.rows, self.filter_text)
        if self.sort_key and self.sort_key != "organ":
            rows = overview.sort_rows(rows, self.sort_key, self.sort_reverse)
        else:  # organs in pinyin order, as in the library (then year, the newest last)
            rows = sorted(rows, key=lambda r: (_organ_key(r.organ), r.year or 0, r.id), reverse=self.sort_reverse)
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
        if self.superseded:  # the library lists them too: say why the counts differ
            parts.append((f"另有旧版本 {self.superseded} 份未列入", "dim", 2))
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
        t = Text(safe(f"{r.organ or '（未识别机关）'} {r.year or '-'}年  {r.source}"), style="bold")
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


@lru_cache(maxsize=20_000)
def _organ_key(organ: str | None) -> tuple:
    from .library import organ_key

    return organ_key(organ)


def _two_lines(header: str) -> str:
    """A four-character header (新收申请, 审核状态) as two lines of two; shorter ones as they are."""
    return f"{header[:2]}\n{header[2:]}" if len(header) == 4 else header


def _column_key(index: int) -> str:
    """The sheet's column at ``index`` (after the sheet's columns: the report id)."""
    return overview.COLUMNS[index][0] if 0 <= index < len(overview.COLUMNS) else "id"


_SHARED: dict[tuple, SheetCell] = {}


def _cell(plain: str, style: str = "", justify: str = "left") -> SheetCell:
    """One cell, the same object for the same look (years, counts, levels, statuses repeat
    across thousands of rows: fewer objects to make and for the collector to walk)."""
    key = (plain, style, justify)
    cell = _SHARED.get(key)
    if cell is None:
        cell = SheetCell(plain, style, justify)
        if len(_SHARED) < 50_000:
            _SHARED[key] = cell
    return cell


def _cells(r: overview.OverviewRow) -> list[SheetCell]:
    out = []
    for key, _ in overview.COLUMNS:
        v = r.value(key)
        s = "" if v is None else str(v)
        if key in r.outliers:
            out.append(_cell(f"{s}!", OUTLIER_STYLE, "right"))
        elif key == "errors":
            out.append(_cell(s, "bold #ff5f5f" if v else "green", "right"))
        elif key == "warnings":
            out.append(_cell(s, "#ffd75f" if v else "", "right"))
        elif key in NUMERIC:
            out.append(_cell(s if v is not None else "—", "" if v is not None else "dim", "right"))
        else:
            out.append(_cell(safe(s) if s else ("（未识别机关）" if key == "organ" else "—"), "" if s else "dim"))
    out.append(SheetCell(r.id, "dim"))
    return out
