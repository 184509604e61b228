"""A one-line working indicator (spinner and what is being done) docked at the
bottom of a screen while a worker runs; the app removes it when the worker reports."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import LoadingIndicator, Static

from ..safe_text import safe


class Working(Horizontal):
    DEFAULT_CSS = """
    Working { dock: bottom; height: 1; background: $panel; margin-bottom: 1; }
    Working LoadingIndicator { width: 8; height: 1; background: $panel; }
    Working Static { width: 1fr; height: 1; }
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = text

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(Text(safe(f"{self._text}（请稍候）")), markup=False)
