"""The source pane: the report's display text with line numbers, the selected
cell's span highlighted and scrolled into view, and text search (``/``, n/N).

Offsets are character offsets into ``StoredReport.text`` (what provenance spans
index). The text is shown as-is, never as markup.
"""

from __future__ import annotations

import bisect
import re

from textual.widgets import TextArea
from textual.widgets.text_area import Selection

# Characters str.splitlines() breaks on besides "\n": TextArea would start a new
# line there and every later offset would land on the wrong line, so each is
# shown as one space (same length: offsets stay exact).
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def display_text(text: str) -> str:
    return _OTHER_LINE_BREAKS.sub(" ", text)


class SourceView(TextArea):
    """Read-only text with line numbers; ``show_span`` highlights an offset range."""

    DEFAULT_CSS = """
    SourceView { border: none; padding: 0; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(
            display_text(text),
            read_only=True,
            show_line_numbers=True,
            soft_wrap=True,
            highlight_cursor_line=False,
            **kwargs,
        )
        self.cursor_blink = False
        self._raw = display_text(text)
        self._line_starts = _line_starts(self._raw)
        self.query_text = ""

    def set_source(self, text: str) -> None:
        self._raw = display_text(text)
        self._line_starts = _line_starts(self._raw)
        self.load_text(self._raw)

    def location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self._raw)))
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def show_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll it into view (centred when it was off screen)."""
        self.selection = Selection(self.location(start), self.location(end))
        self.scroll_cursor_visible(center=True, animate=False)

    def clear_span(self) -> None:
        self.selection = Selection.cursor(self.selection.end)

    @property
    def selected_offsets(self) -> tuple[int, int]:
        (r1, c1), (r2, c2) = sorted(self.selection)
        return self._line_starts[r1] + c1, self._line_starts[r2] + c2

    def find(self, query: str | None = None, backwards: bool = False) -> bool:
        """Select the next (previous) match of ``query`` after (before) the current selection."""
        if query is not None:
            self.query_text = query
        q = self.query_text
        if not q:
            return False
        start, end = self.selected_offsets
        if backwards:
            pos = self._raw.rfind(q, 0, start)
            if pos < 0:
                pos = self._raw.rfind(q)
        else:
            pos = self._raw.find(q, end if query is None else start)
            if pos < 0:
                pos = self._raw.find(q)
        if pos < 0:
            return False
        self.show_span(pos, pos + len(q))
        return True

    def match_count(self) -> int:
        return self._raw.count(self.query_text) if self.query_text else 0


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts
