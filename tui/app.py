"""The Textual audit app (skeleton until issue 6 lands)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class GiprApp(App):
    TITLE = "gipr-tui"
    BINDINGS = [("q", "quit", "退出")]

    def __init__(self, db_path: Path, paths: list[str] | None = None, auditor: str | None = None):
        super().__init__()
        self.db_path = db_path
        self.paths = paths or []
        self.auditor = auditor

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"审核数据库：{self.db_path}\n（审核界面尚在开发中）", markup=False)
        yield Footer()
