"""What changed between two versions of one report (an edited copy re-imported):
the cells whose values differ, and the findings that appeared or went away."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from checks import severity_label
from store import changed_cells, rule_name
from ..widgets import cell_labels, cells
from ..safe_text import safe


def version_chain(store, report_id: str) -> list:
    """Every version of the report (the same file, or the same organ and year), oldest first."""
    reports = store.list_reports()
    this = next((s for s in reports if s.id == report_id), None)
    if this is None:
        return []

    def same(s) -> bool:
        if s.source_path == this.source_path:
            return True
        return bool(this.organ) and this.year is not None and s.organ == this.organ and s.year == this.year

    return sorted((s for s in reports if same(s)), key=lambda s: (s.version or 1, s.imported_at, s.id))


def version_changes(old: dict, new: dict) -> list[tuple[str, object, object]]:
    """(path, old value, new value) of every cell whose value differs between two
    versions, in the table order of the newer one's format (the store's ``changed_cells``)."""
    fmt = (new.get("meta") or {}).get("format") or (old.get("meta") or {}).get("format")
    return changed_cells(old, new, fmt, fmt)


def finding_changes(old: list[dict], new: list[dict]) -> tuple[list[dict], list[dict]]:
    """(findings only the new version has, findings only the old version has), by rule and cells."""
    def key(f):
        return (f.get("rule"), tuple(f.get("cells") or ()), f.get("message") if not f.get("cells") else None)

    old_keys, new_keys = {key(f) for f in old}, {key(f) for f in new}
    return [f for f in new if key(f) not in old_keys], [f for f in old if key(f) not in new_keys]


class VersionsDialog(ModalScreen):
    BINDINGS = [Binding("escape", "close", "关闭", id="gipr.versions.close")]

    def __init__(self, store, chain: list, report_id: str) -> None:
        super().__init__()
        ids = [s.id for s in chain]
        i = ids.index(report_id)
        self.old, self.new = (chain[i - 1], chain[i]) if i > 0 else (chain[0], chain[1])
        self.store = store

    def compose(self) -> ComposeResult:
        old_report = self.store.current_report(self.old.id)
        new_report = self.store.current_report(self.new.id)
        fmt = (new_report.get("meta") or {}).get("format")
        changes = version_changes(old_report, new_report)
        added, gone = finding_changes(self.store.findings(self.old.id), self.store.findings(self.new.id))
        title = Text(safe(f"{self.new.organ or '（未识别机关）'} {self.new.year or '-'}年："), style="bold")
        title.append(safe(f"第 {self.old.version} 版（{Path(self.old.source_path).name}）→ "
                          f"第 {self.new.version} 版（{Path(self.new.source_path).name}）"))
        with Vertical(classes="dialog", id="versions"):
            yield Static(title, classes="dialog-title")
            summary = Text(f"数值不同的单元格 {len(changes)} 个；新增问题 {len(added)} 项，消失的问题 {len(gone)} 项",
                           style="bold")
            yield Static(summary)
            table = DataTable(id="version-cells", cursor_type="row", zebra_stripes=True)
            table.add_column(Text("单元格"), key="cell")
            table.add_column(Text(f"第 {self.old.version} 版"), key="old")
            table.add_column(Text(f"第 {self.new.version} 版"), key="new")
            for path, a, b in changes:
                table.add_row(Text(cell_labels.label(path, fmt)), Text(cells.format_value(a), justify="right"),
                              Text(cells.format_value(b), justify="right", style="bold #5fd7ff"))
            if not changes:
                table.display = False
            yield table
            with VerticalScroll(id="version-findings"):
                yield Static(_findings_text(added, gone), markup=False)
            yield Static(Text("上下键滚动  Esc 关闭", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        if table.display:
            table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _findings_text(added: list[dict], gone: list[dict]) -> Text:
    t = Text()
    for title, items, style in (("新增的问题", added, "#ff5f5f"), ("消失的问题", gone, "green")):
        if not items:
            continue
        t.append(f"{title}：\n", style=f"bold {style}")
        for f in items:
            sev = severity_label(f.get("severity"))
            t.append(safe(f"  {sev} {rule_name(f.get('rule'))}：{' '.join(str(f.get('message', '')).split())}") + "\n")
    if not t.plain:
        t.append("两个版本的问题相同。", style="dim")
    t.rstrip()
    return t
