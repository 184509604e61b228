"""The edit dialog: one cell's labels, raw source token, flags and values; an
input validated as you type; an optional reason. Enter saves, Escape cancels.

Saving goes through the ``save`` callback the audit screen passes in (it calls
the store); if the store refuses the value, its message is shown here and the
dialog stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..safe_text import safe

from parsing import value_rule
from parsing.model.schema import DOUBT_FLAGS, FLAG_CORRECTED

from ..widgets import cell_labels, cells


@dataclass
class CellInfo:
    path: str
    fmt: str | None
    value: object  # current value
    parsed: object  # the parser's value
    raw: str | None
    flags: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, str]:
        """(row label, column label) as the national format prints them."""
        return cell_labels.labels(self.path, self.fmt)

    @property
    def confirmable(self) -> bool:
        """A doubtful value an auditor may confirm by saving it unchanged (recorded as corrected)."""
        return bool(set(self.flags) & set(DOUBT_FLAGS)) and FLAG_CORRECTED not in self.flags

    @property
    def hint(self) -> str:
        """What the cell may hold, as the format says (``parsing.value_rule``)."""
        return value_rule(self.path, self.fmt).hint


SaveCallback = Callable[[object, str], "str | None"]
_UNSET = object()


class EditDialog(ModalScreen[bool]):
    """Dismisses with True when a correction was saved, False when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "取消", id="gipr.edit.cancel")]

    def __init__(self, info: CellInfo, save: SaveCallback, *, require_reason: bool = False) -> None:
        super().__init__()
        self.info = info
        self._save = save
        self.require_reason = require_reason
        self._confirmed_scale: object = _UNSET  # the out-of-scale value the auditor has seen the warning for

    def compose(self) -> ComposeResult:
        info = self.info
        row_label, col_label = info.labels
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text("更正单元格", style="bold"), classes="dialog-title")
            yield Static(_details(info, row_label, col_label), id="edit-details")
            yield Input(_initial(info.value), placeholder=info.hint, id="edit-value", select_on_focus=True)
            yield Static(Text(info.hint, style="dim"), id="edit-error")
            yield Input("", placeholder="更正理由（必填）" if self.require_reason else "更正理由（可选）", id="edit-reason")
            keys = "Enter 保存  Esc 取消  Tab 切换输入框"
            if info.confirmable:
                keys += "\n数值无误时直接按 Enter：记为已核对（消除存疑标记）"
            yield Static(Text(keys, style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#edit-value", Input).focus()

    def _check(self) -> tuple[object, str | None]:
        text = self.query_one("#edit-value", Input).value
        return cells.parse_input(text, self.info.path, self.info.fmt)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "edit-value":
            return
        _, error = self._check()
        self._show_error(error)

    def _show_error(self, error: str | None) -> None:
        box = self.query_one("#edit-error", Static)
        value_input = self.query_one("#edit-value", Input)
        value_input.set_class(bool(error), "-invalid")
        box.set_class(bool(error), "error")
        box.update(Text(error, style="bold red") if error else Text(self.info.hint, style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        value, error = self._check()
        if error:
            self._show_error(error)
            return
        reason = self.query_one("#edit-reason", Input).value.strip()
        if self.require_reason and not reason:
            self._show_error("请填写更正理由（已设置为必须填写理由）")
            self.query_one("#edit-reason", Input).focus()
            return
        warning = cells.scale_warning(self.info.path, value, self.info.parsed)
        if warning and self._confirmed_scale != value:
            self._confirmed_scale = value
            self._show_error(f"{warning}\n确实如此请再按 Enter 保存，否则请修改。")
            return
        error = self._save(value, reason)
        if error:
            self._show_error(error)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def _initial(value) -> str:
    return "" if value is None else str(value)


def _details(info: CellInfo, row_label: str, col_label: str) -> Text:
    t = Text()
    for name, value in (
        ("行", row_label),
        ("列", col_label),
        ("原文", "（无）" if info.raw in (None, "") else info.raw),
        ("标记", cells.flag_names(info.flags)),
        ("当前值", cells.format_value(info.value)),
        ("解析值", cells.format_value(info.parsed)),
    ):
        t.append(f"{name}：", style="dim")
        t.append(safe(value))
        t.append("\n")
    t.rstrip()
    return t
