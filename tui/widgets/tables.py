"""The tables pane: the report's three tables as DataTables (tabs), short Chinese
labels, the label column frozen, each cell styled by its flags and the failing
rules it takes part in (``cells.cell_text``), plus the legend.

It mirrors a report dict and a findings list handed to it: ``show`` renders
them, updating only the cells whose look changed (the cursor stays put).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from checks import SEVERITY_LABELS
from parsing.model.schema import Table, get_cell, split_path, tables_for

from ..safe_text import safe
from . import cell_labels, cells


MORE_LEFT, MORE_RIGHT = "◂", "▸"  # columns hidden on that side (not East-Asian ambiguous width)


class VimTable(DataTable):
    """A DataTable that also moves with h/j/k/l, whose cursor shows on every cell
    style (the cursor's colours win over a cell's own), and that never shows a
    column cut by the edge of the pane: a column only partly in view is blanked
    and the header marks the side where columns are hidden (◂ ▸); the cursor
    always scrolls its cell fully into view."""

    BINDINGS = [
        Binding("h", "cursor_left", "左移", show=False),
        Binding("j", "cursor_down", "下移", show=False),
        Binding("k", "cursor_up", "上移", show=False),
        Binding("l", "cursor_right", "右移", show=False),
    ]

    NEVER_CUT = True

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("cursor_foreground_priority", "css")
        kwargs.setdefault("cursor_background_priority", "css")
        super().__init__(*args, **kwargs)

    def _column_spans(self) -> tuple[int, list[tuple[int, int]]]:
        """(width of the fixed columns, [(start, end)] of each scrolling column in content x)."""
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        fixed = sum(widths[: self.fixed_columns])
        spans, x = [], fixed
        for w in widths[self.fixed_columns:]:
            spans.append((x, x + w))
            x += w
        return fixed, spans

    def hidden_sides(self) -> tuple[bool, bool]:
        """Whether columns are (partly) out of view on the left, on the right."""
        fixed, spans = self._column_spans()
        x1 = int(self.scroll_x) + fixed
        x2 = int(self.scroll_x) + min(self.scrollable_content_region.width or self.size.width, self.size.width)
        return any(s < x1 for s, _ in spans), any(e > x2 for _, e in spans)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        strip = super()._render_line(y, x1, x2, base_style)
        if not self.NEVER_CUT:
            return strip
        width = min(self.scrollable_content_region.width or self.size.width, self.size.width)  # not under the scrollbar
        fixed, spans = self._column_spans()
        if not spans or fixed >= width:
            return strip
        view1, view2 = x1 + fixed, x1 + width  # content x shown after the fixed columns
        cuts = []  # (screen start, screen end, side) of each column only partly in view
        for start, end in spans:
            if start < view1 < end:
                cuts.append((fixed, fixed + min(end, view2) - view1, "left"))
            if start < view2 < end and start >= view1:
                cuts.append((fixed + start - view1, width, "right"))
        left_hidden, right_hidden = spans[0][0] < view1, spans[-1][1] > view2
        if not cuts and not (y == 0 and self.show_header and (left_hidden or right_hidden)):
            return strip
        header = y == 0 and self.show_header
        blank_style = base_style + self.get_component_rich_style("datatable--header" if header else "datatable--even-row", partial=True)
        full = strip.cell_length
        for a, b, side in cuts:
            if side == "right":
                b = full  # blank to the end of the line, under the scrollbar too
            if b <= a:
                continue
            fill = [" "] * (b - a)
            if header:
                mark_at = 0 if side == "left" else min(width - 1, b - 1) - a
                fill[max(mark_at, 0)] = MORE_LEFT if side == "left" else MORE_RIGHT
            strip = Strip.join([strip.crop(0, a), Strip([Segment("".join(fill), blank_style)], b - a), strip.crop(b)])
        if header and not cuts:
            # Columns hidden exactly at a column boundary: mark the side on the header's padding.
            if left_hidden:
                strip = Strip.join([strip.crop(0, fixed), Strip([Segment(MORE_LEFT, blank_style)], 1), strip.crop(fixed + 1)])
            if right_hidden:
                strip = Strip.join([strip.crop(0, width - 1), Strip([Segment(MORE_RIGHT, blank_style)], 1), strip.crop(width)])
        return strip

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self.refresh()  # the header's ◂ ▸ markers depend on the scroll position


class CellTable(VimTable):
    """One report table; Enter edits the cell (the screen's ``edit`` action)."""

    # Priority: e/Enter open the dialog when pressed, not after the keys typed behind them were delivered
    # to this table (where 1-4 switch tables and the digits were lost): tests/tui/test_typeahead.py
    BINDINGS = [Binding("enter", "screen.edit", "编辑单元格", show=False, priority=True),
                Binding("e", "screen.edit", "编辑", tooltip="编辑单元格（更正数值）", priority=True, id="gipr.audit.edit")]

    def __init__(self, table: Table, **kwargs) -> None:
        super().__init__(cursor_type="cell", fixed_columns=1, zebra_stripes=False, **kwargs)
        self.table = table
        self._own = {r.key: {c.key for c in table.columns_of(r.key)} for r in table.rows}
        self._columns = table.all_columns
        self.add_column(Text("项目"), key="_label")
        for c in self._columns:
            self.add_column(Text(cell_labels.compact_column(table.key, c)), key=c.key)
        for r in self.table.rows:
            blank = [Text("") for _ in self._columns]
            self.add_row(Text(cell_labels.compact_row(table.key, r)), *blank, key=r.key)

    def on_mount(self) -> None:
        if self.path_at(self.cursor_coordinate) is None:
            first = self._valid_columns(0)
            if first:
                self.cursor_coordinate = Coordinate(0, first[0])

    # --- the cursor only rests on cells the row has (not on 不适用 cells nor the labels) ---
    def _valid_columns(self, row: int) -> list[int]:
        return [col for col in range(1, len(self._columns) + 1) if self.path_at(Coordinate(row, col))]

    def action_cursor_right(self) -> None:
        self._step_column(1)

    def action_cursor_left(self) -> None:
        self._step_column(-1)

    def action_cursor_down(self) -> None:
        self._step_row(1)

    def action_cursor_up(self) -> None:
        self._step_row(-1)

    def _step_column(self, delta: int) -> None:
        row, col = self.cursor_coordinate
        valid = [c for c in self._valid_columns(row) if (c - col) * delta > 0]
        if valid:
            self.cursor_coordinate = Coordinate(row, min(valid, key=lambda c: abs(c - col)))
            self._scroll_cursor_into_view()

    def _step_row(self, delta: int) -> None:
        row, col = self.cursor_coordinate
        target = row + delta
        while 0 <= target < len(self.table.rows):
            valid = self._valid_columns(target)
            if valid:
                self.cursor_coordinate = Coordinate(target, min(valid, key=lambda c: (abs(c - col), c)))
                self._scroll_cursor_into_view()
                return
            target += delta

    # PageUp/PageDown/Home/End (and ctrl+Home/End) move as the DataTable does, then the
    # cursor settles on the nearest cell the row has (not on a 不适用 cell)
    def action_page_down(self) -> None:
        super().action_page_down()
        self._settle(1)

    def action_page_up(self) -> None:
        super().action_page_up()
        self._settle(-1)

    def action_scroll_top(self) -> None:
        super().action_scroll_top()
        self._settle(1)

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._settle(-1)

    def action_scroll_home(self) -> None:
        super().action_scroll_home()
        self._settle(1, prefer="first")

    def action_scroll_end(self) -> None:
        super().action_scroll_end()
        self._settle(-1, prefer="last")

    def _settle(self, delta: int, prefer: str = "") -> None:
        """Move the cursor to a cell the row has: in its row (the first or last one for
        Home/End), else the nearest row in the direction ``delta``, else the other way."""
        row, col = self.cursor_coordinate
        n = len(self.table.rows)
        row = min(max(row, 0), n - 1) if n else 0
        for target in [row, *range(row + delta, n if delta > 0 else -1, delta),
                       *range(row - delta, -1 if delta > 0 else n, -delta)]:
            valid = self._valid_columns(target)
            if not valid:
                continue
            if prefer == "first":
                best = valid[0]
            elif prefer == "last":
                best = valid[-1]
            else:
                best = min(valid, key=lambda c: (abs(c - col), c))
            if (target, best) != tuple(self.cursor_coordinate):
                self.cursor_coordinate = Coordinate(target, best)
            self._scroll_cursor_into_view()
            return

    async def _on_click(self, event) -> None:
        """A click selects a cell (on a cell the row lacks, or a label: its nearest cell); a double click edits it."""
        await super()._on_click(event)
        row, col = self.cursor_coordinate
        if self.path_at(self.cursor_coordinate) is None and self._valid_columns(row):
            self.cursor_coordinate = Coordinate(row, min(self._valid_columns(row), key=lambda c: (abs(c - col), c)))
        if event.chain == 2 and self.path_at(self.cursor_coordinate):
            await self.run_action("screen.edit")

    def path_at(self, coordinate: Coordinate) -> str | None:
        """The cell path under ``coordinate``; None on the label column or a cell the row lacks."""
        row, col = coordinate
        if not (0 <= row < len(self.table.rows)) or not (1 <= col <= len(self._columns)):
            return None
        r, c = self.table.rows[row].key, self._columns[col - 1].key
        return f"{self.table.key}.{r}.{c}" if c in self._own[r] else None

    def coordinate_of(self, path: str) -> Coordinate | None:
        _, row, col = split_path(path)
        try:
            return Coordinate(self.get_row_index(row), self.get_column_index(col))
        except Exception:  # a path outside this table's standard cells (extra cells)
            return None

    def paths(self):
        for r in self.table.rows:
            for c in self.table.columns_of(r.key):
                yield f"{self.table.key}.{r.key}.{c.key}"


class ExtraTable(VimTable):
    """The cells outside the standard tables (subtotal rows, 法人小计 column), one per row:
    label, value, flags. Enter edits the row's cell like any other."""

    # Priority: e/Enter open the dialog when pressed, not after the keys typed behind them were delivered
    # to this table (where 1-4 switch tables and the digits were lost): tests/tui/test_typeahead.py
    BINDINGS = [Binding("enter", "screen.edit", "编辑单元格", show=False, priority=True),
                Binding("e", "screen.edit", "编辑", tooltip="编辑单元格（更正数值）", priority=True, id="gipr.audit.edit")]

    def __init__(self, fmt: str | None, cell_paths: list[str], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._paths = list(cell_paths)
        self.add_column(Text("附加单元格（标准表格之外）"), key="label")
        self.add_column(Text("值"), key="value")
        self.add_column(Text("标记"), key="flags")
        for path in self._paths:
            self.add_row(Text(safe(cell_labels.label(path, fmt))), Text(""), Text(""), key=path)

    async def _on_click(self, event) -> None:
        await super()._on_click(event)
        if event.chain == 2 and self.path_at(self.cursor_coordinate):
            await self.run_action("screen.edit")

    def path_at(self, coordinate: Coordinate) -> str | None:
        row = coordinate.row
        return self._paths[row] if 0 <= row < len(self._paths) else None

    def coordinate_of(self, path: str) -> Coordinate | None:
        return Coordinate(self._paths.index(path), 0) if path in self._paths else None

    def paths(self):
        yield from self._paths

    def render_cell(self, path: str, value, flags: tuple, severity: str | None) -> None:
        self.update_cell(path, "value", cells.cell_text(value, flags, severity), update_width=True)
        self.update_cell(path, "flags", Text(cells.flag_names(f for f in flags) if flags else ""), update_width=True)


class TablesPane(Vertical):
    """Three tabs of CellTables (a fourth, 附加, when the report has extra cells),
    a legend line, and the selected cell's details."""

    def __init__(self, fmt: str | None, extra_paths: list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fmt = fmt
        self._tables = tables_for(fmt)
        self._extra = list(extra_paths or [])
        self._standard = {f"{t.key}.{r.key}.{c.key}" for t in self._tables for r in t.rows for c in t.columns_of(r.key)}
        self._shown: dict[str, tuple] = {}  # path → (value, flags, severity) last rendered

    def compose(self) -> ComposeResult:
        with TabbedContent(id="table-tabs"):
            for t in self._tables:
                with TabPane(_TAB_TITLES[t.key], id=f"tab-{t.key}"):
                    yield CellTable(t, id=f"table-{t.key}")
            if self._extra:
                with TabPane(f"附加 {len(self._extra)}", id=f"tab-{EXTRA}"):
                    yield ExtraTable(self.fmt, self._extra, id=f"table-{EXTRA}")
        yield Static(legend_text(), id="legend", markup=False)
        yield Static("", id="cell-info", markup=False)

    def table(self, key: str) -> CellTable | ExtraTable:
        return self.query_one(f"#table-{key}", VimTable)

    def _widgets(self):
        """(table key, widget) for every tab."""
        keys = [t.key for t in self._tables] + ([EXTRA] if self._extra else [])
        return [(k, self.table(k)) for k in keys]

    @property
    def active_table(self) -> CellTable | ExtraTable:
        tabs = self.query_one(TabbedContent)
        key = (tabs.active or "tab-requests").removeprefix("tab-")
        return self.table(key)

    def current_path(self) -> str | None:
        t = self.active_table
        return t.path_at(t.cursor_coordinate)

    def show(self, report: dict, findings: list[dict]) -> list[str]:
        """Render current values and looks; only changed cells are touched. Returns those paths."""
        severities = cells.cell_severities(findings)
        prov = report.get("provenance") or {}
        changed = []
        for _, widget in self._widgets():
            for path in widget.paths():
                look = (get_cell(report, path), tuple((prov.get(path) or {}).get("flags") or ()), severities.get(path))
                if self._shown.get(path) == look:
                    continue
                self._shown[path] = look
                if isinstance(widget, ExtraTable):
                    widget.render_cell(path, *look)
                else:
                    _, row, col = split_path(path)
                    widget.update_cell(row, col, cells.cell_text(*look), update_width=True)
                changed.append(path)
        return changed

    def _holder(self, path: str) -> tuple[str, CellTable | ExtraTable] | None:
        """The tab showing ``path``: its standard table, else the extra cells' tab."""
        if path in self._extra:
            return EXTRA, self.table(EXTRA)
        table_key = path.split(".", 1)[0]
        if path in self._standard:
            return table_key, self.table(table_key)
        return None

    def has_cell(self, path: str) -> bool:
        """Whether ``path`` is one of the cells shown here (standard or extra)."""
        return self._holder(path) is not None

    def move_to(self, path: str, focus: bool = False) -> bool:
        """Show the tab holding ``path`` and put the cursor on it."""
        holder = self._holder(path)
        if holder is None:
            return False
        table_key, widget = holder
        coord = widget.coordinate_of(path)
        self.query_one(TabbedContent).active = f"tab-{table_key}"
        widget.cursor_coordinate = coord
        if focus:
            widget.focus()
        return True

    def show_tab(self, number: int) -> bool:
        """Show the ``number``-th tab (1-based); False when there is none."""
        tabs = self._widgets()
        if not 1 <= number <= len(tabs):
            return False
        self.query_one(TabbedContent).active = f"tab-{tabs[number - 1][0]}"
        return True

    def set_info(self, text: str) -> None:
        self.query_one("#cell-info", Static).update(Text(safe(text)))


EXTRA = "extra"  # the tab of cells outside the standard tables
_TAB_TITLES = {"active": "主动公开", "requests": "依申请公开", "reviews": "复议诉讼"}


# Shorter than cells.FLAG_NAMES so the legend fits one line beside the source (the help screen has the full names).
_LEGEND_NAMES = cells.FLAG_SHORT_NAMES


def legend_text() -> Text:
    """One line: what each cell look means (the same styles the cells use)."""
    t = Text("图例 ")
    t.append(f" {SEVERITY_LABELS[cells.ERROR]} ", style=cells.SEVERITY_BACKGROUNDS[cells.ERROR])
    t.append(" ")
    t.append(f" {SEVERITY_LABELS[cells.WARNING]} ", style=cells.SEVERITY_BACKGROUNDS[cells.WARNING])
    for flag, marker in cells.MARKERS.items():
        t.append(" ")
        t.append(f"{marker}{_LEGEND_NAMES[flag]}", style=cells.FLAG_STYLES[flag])
    t.append(f"  {cells.EMPTY}空值")
    return t
