"""The tables pane: the report's three tables as DataTables (tabs), short Chinese
labels, the label column frozen, each cell styled by its flags and the failing
rules it takes part in (``cells.cell_text``), plus the legend.

It mirrors a report dict and a findings list handed to it: ``show`` renders
them, updating only the cells whose look changed (the cursor stays put).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from parsing.schema import Table, get_cell, split_path, tables_for

from . import cells


class VimTable(DataTable):
    """A DataTable that also moves with h/j/k/l."""

    BINDINGS = [
        Binding("h", "cursor_left", "左移", show=False),
        Binding("j", "cursor_down", "下移", show=False),
        Binding("k", "cursor_up", "上移", show=False),
        Binding("l", "cursor_right", "右移", show=False),
    ]


class CellTable(VimTable):
    """One report table; Enter edits the cell (the screen's ``edit`` action)."""

    BINDINGS = [Binding("enter", "screen.edit", "编辑单元格", show=False)]

    def __init__(self, table: Table, **kwargs) -> None:
        super().__init__(cursor_type="cell", fixed_columns=1, zebra_stripes=False, **kwargs)
        self.table = table
        self._own = {r.key: {c.key for c in table.columns_of(r.key)} for r in table.rows}
        self._columns = table.all_columns
        self.add_column(Text("项目"), key="_label")
        for c in self._columns:
            self.add_column(Text(c.short), key=c.key)
        for r in self.table.rows:
            blank = [Text("") for _ in self._columns]
            self.add_row(Text(r.short), *blank, key=r.key)

    def on_mount(self) -> None:
        if self.cursor_coordinate.column == 0:
            self.cursor_coordinate = Coordinate(self.cursor_coordinate.row, 1)

    async def _on_click(self, event) -> None:
        """A click selects a cell; a double click edits it."""
        await super()._on_click(event)
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


class TablesPane(Vertical):
    """Three tabs of CellTables, a legend line, and the selected cell's details."""

    def __init__(self, fmt: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fmt = fmt
        self._tables = tables_for(fmt)
        self._shown: dict[str, tuple] = {}  # path → (value, flags, severity) last rendered

    def compose(self) -> ComposeResult:
        with TabbedContent(id="table-tabs"):
            for t in self._tables:
                with TabPane(_TAB_TITLES[t.key], id=f"tab-{t.key}"):
                    yield CellTable(t, id=f"table-{t.key}")
        yield Static(legend_text(), id="legend", markup=False)
        yield Static("", id="cell-info", markup=False)

    def table(self, key: str) -> CellTable:
        return self.query_one(f"#table-{key}", CellTable)

    @property
    def active_table(self) -> CellTable:
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
        for t in self._tables:
            widget = self.table(t.key)
            for path in widget.paths():
                look = (get_cell(report, path), tuple((prov.get(path) or {}).get("flags") or ()), severities.get(path))
                if self._shown.get(path) == look:
                    continue
                self._shown[path] = look
                _, row, col = split_path(path)
                widget.update_cell(row, col, cells.cell_text(*look), update_width=True)
                changed.append(path)
        return changed

    def has_cell(self, path: str) -> bool:
        """Whether ``path`` is one of the standard cells shown here."""
        table_key = path.split(".", 1)[0]
        return any(t.key == table_key for t in self._tables) and path in set(self.table(table_key).paths())

    def move_to(self, path: str, focus: bool = False) -> bool:
        """Show the tab holding ``path`` and put the cursor on it."""
        table_key = split_path(path)[0]
        try:
            widget = self.table(table_key)
        except Exception:
            return False
        coord = widget.coordinate_of(path)
        if coord is None:
            return False
        self.query_one(TabbedContent).active = f"tab-{table_key}"
        widget.cursor_coordinate = coord
        if focus:
            widget.focus()
        return True

    def set_info(self, text: str) -> None:
        self.query_one("#cell-info", Static).update(Text(text))


_TAB_TITLES = {"active": "主动公开", "requests": "依申请公开", "reviews": "复议诉讼"}


def legend_text() -> Text:
    """One line: what each cell look means (the same styles the cells use)."""
    t = Text("图例 ")
    t.append(" 错误 ", style=cells.SEVERITY_STYLES[cells.ERROR])
    t.append(" ")
    t.append(" 警告 ", style=cells.SEVERITY_STYLES[cells.WARNING])
    for flag, marker in cells.MARKERS.items():
        t.append(" ")
        t.append(f"{marker}{cells.FLAG_NAMES[flag]}", style=cells.FLAG_STYLES[flag])
    t.append(f"  {cells.EMPTY}空值")
    return t
