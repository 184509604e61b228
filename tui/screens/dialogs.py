"""Small modal dialogs: a text prompt (notes, waiver justifications), a choice
(review status), the export dialog and the import dialog (path completion).

Each dismisses with the answer, or None when cancelled (Escape).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

_CANCEL = [Binding("escape", "cancel", "取消", id="gipr.dialog.cancel")]


class _Dialog(ModalScreen):
    BINDINGS = _CANCEL

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptDialog(_Dialog):
    """Ask for one line of text; ``required`` refuses an empty answer."""

    def __init__(self, title: str, context: str = "", *, placeholder: str = "", required: bool = False,
                 initial: str = "") -> None:
        super().__init__()
        self._prompt = (title, context, placeholder, initial)
        self._required = required

    def compose(self) -> ComposeResult:
        title, context, placeholder, initial = self._prompt
        with Vertical(classes="dialog"):
            yield Static(Text(title, style="bold"), classes="dialog-title")
            if context:
                yield Static(Text(context), classes="dialog-context")
            yield Input(initial, placeholder=placeholder, id="prompt-input")
            yield Static("", id="prompt-error")
            yield Static(Text("Enter 确定  Esc 取消", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self._required and not text:
            self.query_one("#prompt-error", Static).update(Text("此项必填", style="bold red"))
            return
        self.dismiss(text)


class ChoiceDialog(_Dialog):
    """Pick one of ``choices`` (value, label); Enter or a click picks."""

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__()
        self._choice_title, self._choices, self._current = title, choices, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._choice_title, style="bold"), classes="dialog-title")
            yield OptionList(*[Option(Text(label), id=value) for value, label in self._choices], id="choices")
            yield Static(Text("Enter 选择  Esc 取消", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [v for v, _ in self._choices]
        options.highlighted = values.index(self._current) if self._current in values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


EXPORT_FORMATS = [("csv", "CSV（Excel 可直接打开）"), ("json", "JSON"), ("md", "Markdown")]


def default_export_path(fmt: str, folder: Path | None = None) -> str:
    return str((folder or Path.cwd()) / f"gipr-审核记录-{date.today():%Y%m%d}.{fmt}")


class ExportDialog(_Dialog):
    """Choose a format and a file; dismisses with ``(fmt, path)``."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("导出审核记录（全部报告的问题、更正和备注）", style="bold"), classes="dialog-title")
            yield OptionList(*[Option(Text(label), id=fmt) for fmt, label in EXPORT_FORMATS], id="export-format")
            yield Input(default_export_path("csv"), id="export-path", suggester=PathSuggester())
            yield Static("", id="export-error")
            yield Static(Text("上下键选格式  Tab 到文件名  Enter 导出  Esc 取消", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        path_input = self.query_one("#export-path", Input)
        stem, _, ext = path_input.value.rpartition(".")
        if stem and ext in {f for f, _ in EXPORT_FORMATS}:
            path_input.value = f"{stem}.{event.option.id}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        options = self.query_one(OptionList)
        fmt = EXPORT_FORMATS[options.highlighted or 0][0]
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.query_one("#export-error", Static).update(Text("请输入文件名", style="bold red"))
            return
        self.dismiss((fmt, os.path.expanduser(path)))


class ImportDialog(_Dialog):
    """Ask for a report file or folder; Tab or → accepts the completion."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("导入报告：文件或文件夹（文件夹会逐级查找报告）", style="bold"), classes="dialog-title")
            yield Input(str(Path.cwd()) + os.sep, id="import-path", suggester=PathSuggester())
            yield Static("", id="import-error")
            yield Static(Text("→ 补全路径  Enter 导入  Esc 取消", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        paths = typed_paths(event.value)
        missing = [p for p in paths if not os.path.exists(p)]
        if not paths or missing:
            what = "、".join(missing) if missing else "请输入文件或文件夹"
            self.query_one("#import-error", Static).update(Text(f"路径不存在：{what}" if missing else what, style="bold red"))
            return
        self.dismiss(paths)


def typed_paths(value: str) -> list[str]:
    """The paths in what was typed or dropped: quoted ('…' "…") or with escaped spaces as a
    terminal pastes a dragged file, several at once, ``~`` expanded. A plain path with spaces
    that exists as typed is taken whole."""
    import shlex

    text = value.strip()
    if not text:
        return []
    whole = os.path.expanduser(text)
    if os.path.exists(whole):
        return [whole]
    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote: strip the quotes at the ends
        parts = [text.strip("'\"")]
    return [os.path.expanduser(p) for p in parts if p]


class PathSuggester(Suggester):
    """Completes the last path component from the file system (folders get a trailing /)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        names = sorted(n for n in os.listdir(folder or ".") if n.startswith(prefix) and not n.startswith("."))
    except OSError:
        return None
    if not names or (not prefix and len(names) != 1):
        return None
    name = names[0]
    full = os.path.join(folder, name)
    if os.path.isdir(full):
        name += os.sep
    return value + name[len(prefix):]
