"""The help screen (F1, ?): every key, the cell legend, what each rule means."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import help_data


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "关闭帮助", id="gipr.help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Text("gipr-tui 帮助（Esc 关闭，上下键滚动）", style="bold"), classes="dialog-title")
            for title, rows in help_data.key_rows():
                yield Static(_table(title, rows))
            yield Static(_legend())
            yield Static(_source_notes())
            yield Static(_rules())

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _table(title: str, rows) -> Table:
    t = Table(title=Text(title, style="bold"), title_justify="left", show_header=False, box=None, padding=(0, 2))
    t.add_column(no_wrap=True, style="bold #5fd7ff")
    t.add_column(overflow="fold")
    for key, what in rows:
        t.add_row(Text(key), Text(what))
    return t


def _legend() -> Table:
    t = Table(title=Text("表格单元格图例", style="bold"), title_justify="left", show_header=False, box=None,
              padding=(0, 2))
    t.add_column(no_wrap=True, justify="right")
    t.add_column(overflow="fold")
    for sample, style, meaning in help_data.legend_rows():
        t.add_row(Text(sample, style=style), Text(meaning))
    return t


def _source_notes() -> Table:
    t = Table(title=Text("原文窗格", style="bold"), title_justify="left", show_header=False, box=None, padding=(0, 2))
    t.add_column(overflow="fold")
    for note in help_data.source_notes():
        t.add_row(Text(note))
    return t


def _rules() -> Table | Text:
    rows = help_data.rule_rows()
    if not rows:
        return Text("校验规则：校验模块尚未提供规则说明。", style="dim")
    t = Table(title=Text("校验规则", style="bold"), title_justify="left", show_header=False, box=None, padding=(0, 2))
    t.add_column(no_wrap=True, style="bold")
    t.add_column(overflow="fold")
    from store import rule_name

    for rule, doc in rows:
        explanation = Text(doc)
        explanation.append(f"（规则编号 {rule}，导出文件中使用）", style="dim")
        t.add_row(Text(rule_name(rule)), explanation)
    return t
