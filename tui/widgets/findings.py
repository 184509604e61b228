"""The findings pane: a summary line (count, filter, selection), one row per
finding (selected mark, severity, review state, rule name, message) and the
highlighted finding's full message underneath.

It mirrors the list ``store.findings`` returned, sorted by severity (errors
first) and then by position in the report (table order of the first cell;
findings about the text, with no cell, after those of the same severity); a
filter by severity and review state narrows what is shown. Rows are keyed by
finding key; a set of keys can be selected to be confirmed or waived at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from checks import ERROR, INFO, SEVERITY_LABELS, WARNING, severity_label, severity_rank
from store import CONFIRMED, REVIEW_STATE_LABELS, WAIVED, decision_of, is_pending, open_counts, review_state_label

from store import rule_name, shown_value
from ..safe_text import safe
from . import cells
from .tables import VimTable

PENDING = "pending"  # review filter: not yet confirmed or waived (store.is_pending)


@dataclass(frozen=True)
class FindingFilter:
    severity: str | None = None  # error / warning / info, None = every severity
    review: str | None = None  # pending / confirmed / waived, None = every state
    rule: str | None = None  # one rule only

    def accepts(self, f: dict) -> bool:
        if self.severity and f.get("severity") != self.severity:
            return False
        if self.review == PENDING and not is_pending(f):
            return False
        if self.review not in (None, PENDING) and decision_of(f) != self.review:
            return False
        return not (self.rule and f.get("rule") != self.rule)

    def describe(self) -> str:
        parts = []
        if self.severity:
            parts.append(severity_label(self.severity))
        if self.review:
            parts.append(review_state_label(None if self.review == PENDING else self.review))
        if self.rule:
            parts.append(rule_name(self.rule))
        return "·".join(parts) or "全部"


# The filter dialog's choices: (id, label, filter); "same_rule" takes the highlighted finding's rule.
_PENDING_LABEL = REVIEW_STATE_LABELS[None]
FILTER_CHOICES: list[tuple[str, str, FindingFilter]] = [
    ("all", "全部问题", FindingFilter()),
    ("pending", f"{_PENDING_LABEL}的问题", FindingFilter(review=PENDING)),
    ("error", SEVERITY_LABELS[ERROR], FindingFilter(severity=ERROR)),
    ("error_pending", f"{_PENDING_LABEL}的{SEVERITY_LABELS[ERROR]}", FindingFilter(severity=ERROR, review=PENDING)),
    ("warning", SEVERITY_LABELS[WARNING], FindingFilter(severity=WARNING)),
    ("warning_pending", f"{_PENDING_LABEL}的{SEVERITY_LABELS[WARNING]}", FindingFilter(severity=WARNING, review=PENDING)),
    ("info", SEVERITY_LABELS[INFO], FindingFilter(severity=INFO)),
    (CONFIRMED, f"{REVIEW_STATE_LABELS[CONFIRMED]}的问题", FindingFilter(review=CONFIRMED)),
    (WAIVED, f"{REVIEW_STATE_LABELS[WAIVED]}的问题", FindingFilter(review=WAIVED)),
    ("same_rule", f"与当前问题同一规则的{_PENDING_LABEL}问题", FindingFilter(review=PENDING)),
]


def sort_key(order: dict[str, int]):
    """Severity first, then the position of the finding's first cell (``order``: path → index)."""
    def key(item: tuple[int, dict]) -> tuple:
        i, f = item
        positions = [order[p] for p in f.get("cells") or () if p in order]
        return (severity_rank(f.get("severity")), 0 if positions else 1, min(positions) if positions else 0, i)
    return key


def sorted_findings(findings: list[dict], order: dict[str, int]) -> list[dict]:
    return [f for _, f in sorted(enumerate(findings), key=sort_key(order))]


class FindingsTable(VimTable):
    """Enter jumps to the finding's cell in the tables; space selects the row."""

    BINDINGS = [
        Binding("enter", "screen.goto_finding", "转到问题单元格", show=False),
        Binding("space", "screen.toggle_selected", "选中/取消选中问题", show=False),
    ]
    NEVER_CUT = False  # the message column ends in … and is whole in the detail box


class FindingsPane(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.all: list[dict] = []  # every finding, sorted
        self.findings: list[dict] = []  # the ones shown (filtered)
        self.filter = FindingFilter()
        self.selected: set[str] = set()
        self.order: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="findings-summary", markup=False)
        yield FindingsTable(cursor_type="row", id="findings-table")
        with VerticalScroll(id="finding-detail-box", can_focus=False):
            yield Static("", id="finding-detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(FindingsTable)
        for label, key in (("选", "selected"), ("级别", "severity"), ("审核", "review"), ("规则", "rule"), ("说明", "message")):
            table.add_column(Text(label), key=key)

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    def on_resize(self, event) -> None:
        self._render_rows(keep=self.current())

    def show(self, findings: list[dict]) -> None:
        """Replace the rows, keeping the cursor on the same finding (or row) where possible."""
        self.all = sorted_findings(list(findings), self.order)
        keys = {f["key"] for f in self.all}
        self.selected &= keys
        self._render_rows(keep=self.current())

    def set_filter(self, flt: FindingFilter) -> None:
        keep = self.current()
        self.filter = flt
        self._render_rows(keep=keep)

    def _message_width(self) -> int:
        """Room left for the message column (so it never runs past the pane: it ends in … instead)."""
        table = self.table
        used = sum(c.get_render_width(table) for c in table.ordered_columns[:-1]) if table.ordered_columns else 0
        width = (table.size.width or self.size.width or 80) - used - 2 * table.cell_padding - 1
        return max(width, 8)

    def _render_rows(self, keep: dict | None) -> None:
        table = self.table
        old_row = table.cursor_row
        self.findings = [f for f in self.all if self.filter.accepts(f)]
        table.clear()
        width = self._message_width()
        for f in self.findings:
            table.add_row(*_row(f, f["key"] in self.selected, width), key=f["key"])
        self._summary()
        if not self.findings:
            self.set_detail(Text("没有发现问题。" if not self.all else "筛选后没有问题（按 f 更改筛选）。",
                                 style="green" if not self.all else "dim"))
            return
        keys = [f["key"] for f in self.findings]
        row = keys.index(keep["key"]) if keep and keep["key"] in keys else min(max(old_row, 0), len(keys) - 1)
        table.move_cursor(row=row, animate=False)
        self.set_detail(detail_text(self.findings[row]))

    def _summary(self) -> None:
        errors, warnings = open_counts(self.all)
        pending_errors = sum(1 for f in self.all if f.get("severity") == ERROR and is_pending(f))
        t = Text()
        t.append(f"问题 {len(self.all)} 项", style="bold")
        t.append(f"（错误 {errors}，其中待审 {pending_errors}；警告 {warnings}）", style="dim")
        t.append(f"  筛选：{self.filter.describe()}")
        if self.filter != FindingFilter():
            t.append(f" {len(self.findings)} 项")
        if self.selected:
            t.append(f"  已选 {len(self.selected)} 项（c 确认 / w 豁免）", style="bold #5fd7ff")
        self.query_one("#findings-summary", Static).update(t)

    def current(self) -> dict | None:
        row = self.table.cursor_row
        if 0 <= row < len(self.findings) and self.table.row_count:
            return self.findings[row]
        return None

    def move_to_key(self, key: str) -> dict | None:
        keys = [f["key"] for f in self.findings]
        if key not in keys:
            return None
        row = keys.index(key)
        self.table.move_cursor(row=row, animate=False)
        self.set_detail(detail_text(self.findings[row]))
        return self.findings[row]

    def step(self, delta: int) -> dict | None:
        """Move to the next (delta=1) or previous (-1) finding, wrapping around."""
        if not self.findings:
            return None
        row = self.table.cursor_row if self.table.row_count else -1
        row = (row + delta) % len(self.findings)
        self.table.move_cursor(row=row, animate=False)
        return self.findings[row]

    def next_unreviewed_error(self) -> dict | None:
        """The next error nobody has confirmed or waived, after the highlighted one (wrapping);
        the filter is cleared when it hides that error."""
        pending = [f for f in self.all if f.get("severity") == ERROR and is_pending(f)]
        if not pending:
            return None
        current = self.current()
        keys = [f["key"] for f in self.all]
        start = keys.index(current["key"]) if current and current["key"] in keys else -1
        after = [f for f in pending if keys.index(f["key"]) > start]
        target = (after or pending)[0]
        if not self.filter.accepts(target):
            self.set_filter(FindingFilter())
        return self.move_to_key(target["key"])

    # --- selection ------------------------------------------------------------------
    def toggle_selected(self) -> dict | None:
        f = self.current()
        if f is None:
            return None
        self.selected ^= {f["key"]}
        self._render_rows(keep=f)
        if self.table.cursor_row < len(self.findings) - 1:  # on to the next row, like a file manager
            self.table.move_cursor(row=self.table.cursor_row + 1, animate=False)
        return f

    def select_shown(self) -> int:
        """Select every finding the filter shows (or clear the selection when they all are)."""
        keys = {f["key"] for f in self.findings}
        self.selected = set() if keys and keys <= self.selected else self.selected | keys
        self._render_rows(keep=self.current())
        return len(self.selected)

    def selected_findings(self) -> list[dict]:
        return [f for f in self.all if f["key"] in self.selected]

    def clear_selection(self) -> None:
        self.selected = set()
        self._render_rows(keep=self.current())

    def set_detail(self, text: Text) -> None:
        self.query_one("#finding-detail", Static).update(text)


def _row(f: dict, selected: bool, message_width: int) -> list[Text]:
    sev = f.get("severity", "")
    review = decision_of(f)
    dim = "dim" if review == WAIVED else ""
    message = Text(_one_line(f.get("message", "")), style=dim, no_wrap=True, overflow="ellipsis")
    message.truncate(message_width, overflow="ellipsis")
    return [
        Text("✓" if selected else " ", style="bold #5fd7ff"),
        Text(severity_label(sev), style=dim or cells.SEVERITY_TEXT_STYLES.get(sev, "")),
        Text(review_state_label(review), style=dim),
        Text(safe(rule_name(f.get("rule"))), style=dim),
        message,
    ]


def _one_line(s: str) -> str:
    return safe(" ".join(str(s).split()))


def detail_text(f: dict) -> Text:
    """The highlighted finding in full: rule name, message, expected/actual, review justification."""
    t = Text(safe(f"{rule_name(f.get('rule'))}："), style="bold")
    t.append(_one_line(f.get("message", "")))
    expected, actual = shown_value(f.get("expected")), shown_value(f.get("actual"))
    if expected is not None and actual is not None and not isinstance(f.get("expected"), (list, tuple)):
        t.append(safe(f"（应为 {expected}，实为 {actual}）"), style="dim")
    review = f.get("review") or {}
    if review.get("decision"):
        t.append(f"  {review_state_label(review['decision'])}", style="bold")
        if review.get("justification"):
            t.append(safe(f"：{review['justification']}"))
    return t
