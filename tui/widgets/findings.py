"""The findings pane: one row per finding (severity, rule, review state,
message) and the highlighted finding's full message underneath.

It mirrors the list ``store.findings`` returned; rows are keyed by finding key.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..safe_text import safe
from . import cells
from .tables import VimTable


class FindingsTable(VimTable):
    """Enter jumps to the finding's cell in the tables."""

    BINDINGS = [Binding("enter", "screen.goto_finding", "转到问题单元格", show=False)]


class FindingsPane(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.findings: list[dict] = []

    def compose(self) -> ComposeResult:
        yield FindingsTable(cursor_type="row", id="findings-table")
        with VerticalScroll(id="finding-detail-box", can_focus=False):
            yield Static("", id="finding-detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(FindingsTable)
        for label, key in (("级别", "severity"), ("审核", "review"), ("规则", "rule"), ("说明", "message")):
            table.add_column(Text(label), key=key)

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    def show(self, findings: list[dict]) -> None:
        """Replace the rows, keeping the cursor on the same finding (or row) where possible."""
        table = self.table
        keep = self.current()
        old_row = table.cursor_row
        self.findings = list(findings)
        table.clear()
        for f in self.findings:
            table.add_row(*_row(f), key=f["key"])
        if not self.findings:
            self.set_detail(Text("没有发现问题。", style="green"))
            return
        keys = [f["key"] for f in self.findings]
        row = keys.index(keep["key"]) if keep and keep["key"] in keys else min(old_row, len(keys) - 1)
        table.move_cursor(row=max(row, 0), animate=False)
        self.set_detail(detail_text(self.findings[max(row, 0)]))

    def current(self) -> dict | None:
        row = self.table.cursor_row
        if 0 <= row < len(self.findings) and self.table.row_count:
            return self.findings[row]
        return None

    def step(self, delta: int) -> dict | None:
        """Move to the next (delta=1) or previous (-1) finding, wrapping around."""
        if not self.findings:
            return None
        row = self.table.cursor_row if self.table.row_count else -1
        row = (row + delta) % len(self.findings)
        self.table.move_cursor(row=row, animate=False)
        return self.findings[row]

    def set_detail(self, text: Text) -> None:
        self.query_one("#finding-detail", Static).update(text)


def _row(f: dict) -> list[Text]:
    sev = f.get("severity", "")
    review = (f.get("review") or {}).get("decision")
    dim = "dim" if review == "waived" else ""
    return [
        Text(cells.SEVERITY_NAMES.get(sev, sev), style=dim or cells.SEVERITY_TEXT_STYLES.get(sev, "")),
        Text(cells.REVIEW_NAMES.get(review, review or ""), style=dim),
        Text(safe(f.get("rule", "")), style=dim),
        Text(_one_line(f.get("message", "")), style=dim),
    ]


def _one_line(s: str) -> str:
    return safe(" ".join(str(s).split()))


def _scalar(v) -> bool:
    return isinstance(v, (int, str)) and not isinstance(v, bool)


def detail_text(f: dict) -> Text:
    """The highlighted finding in full: message, expected/actual, review justification."""
    t = Text(_one_line(f.get("message", "")))
    if _scalar(f.get("expected")) and _scalar(f.get("actual")):
        t.append(safe(f"（应为 {f.get('expected')}，实为 {f.get('actual')}）"), style="dim")
    review = f.get("review") or {}
    if review.get("decision"):
        t.append(f"  {cells.REVIEW_NAMES.get(review['decision'], review['decision'])}", style="bold")
        if review.get("justification"):
            t.append(safe(f"：{review['justification']}"))
    return t
