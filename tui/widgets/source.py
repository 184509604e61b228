"""The source pane: the report's display text with line numbers, the selected
cell's span highlighted and scrolled into view, text search (``/``, n/N) and
go to page (``p``): to where the reader recorded each page of a PDF starts
(``ParsedReport.pages``, kept by the store as ``StoredReport.pages``), never to
text that merely looks like a page marker line.

Offsets are character offsets into ``StoredReport.text`` (what provenance spans
index). The text is shown as-is, never as markup, with one exception made for
the terminal: East-Asian *ambiguous-width* characters (“ ” — … · ① ※ …), which
Rich counts as one cell and many CJK terminals draw as two, are shown as a
full-width or unambiguous look-alike, one character for one (offsets stay
exact; the stored text, searches and exports keep the original).
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from ..safe_text import safe_block

# Characters str.splitlines() breaks on besides "\n": TextArea would start a new
# line there and every later offset would land on the wrong line, so each is
# shown as one space (same length: offsets stay exact).
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def display_text(text: str) -> str:
    """One line per "\\n" and nothing a terminal would obey: control characters
    and bidi overrides shown as visible marks (``safe_text``), one for one."""
    return safe_block(_OTHER_LINE_BREAKS.sub(" ", text))


# Ambiguous-width characters → a look-alike of unambiguous width (W/F, or N/Na).
_LOOKALIKES = {
    "“": "＂", "”": "＂", "‘": "＇", "’": "＇", "—": "－", "―": "－", "–": "－", "─": "－",
    "…": "⋯", "‥": "⋯", "·": "・", "※": "＊", "○": "〇", "◯": "〇", "×": "✕", "≤": "⩽", "≥": "⩾",
    "●": "⬤", "■": "▪", "□": "▫", "◆": "⬥", "◇": "⬦", "★": "✱", "☆": "✩", "▲": "▴", "△": "▵",
    "→": "⭢", "←": "⭠", "↑": "⭡", "↓": "⭣",
    **{chr(0x2460 + i): chr(0x3280 + i) for i in range(10)},  # ①…⑩ → ㊀…㊉
    **{chr(0x2474 + i): chr(0x3220 + i) for i in range(10)},  # ⑴…⑽ → ㈠…㈩
    **{chr(0x2488 + i): chr(0xFF11 + i) for i in range(9)},  # ⒈…⒐ → １…９
    **{chr(0x2160 + i): c for i, c in enumerate("一二三四五六七八九十")},  # Ⅰ…Ⅹ → 一…十
}
UNKNOWN_WIDE = "〓"  # any other ambiguous-width symbol (letters fall back to their base letter)


class _Narrowing(dict):
    """``str.translate`` table: each ambiguous-width character → its look-alike (computed once)."""

    def __missing__(self, code: int) -> int:
        self[code] = ord(_lookalike(chr(code)))
        return self[code]


def _lookalike(c: str) -> str:
    if unicodedata.east_asian_width(c) != "A" or unicodedata.combining(c):
        return c
    if c in _LOOKALIKES:
        return _LOOKALIKES[c]
    if unicodedata.category(c).startswith("L"):  # é → e; a letter with no plain base stays as it is
        base = unicodedata.normalize("NFKD", c)[:1]
        return base if base and unicodedata.east_asian_width(base) != "A" else c
    return UNKNOWN_WIDE


_NARROWING = _Narrowing()


def screen_text(text: str) -> str:
    """``text`` as the source pane draws it: same length, ambiguous-width characters replaced."""
    return text.translate(_NARROWING)


class SourceView(TextArea):
    """Read-only text with line numbers; ``show_span`` highlights an offset range."""

    DEFAULT_CSS = """
    SourceView { border: none; padding: 0; }
    """

    def __init__(self, text: str = "", pages=(), **kwargs) -> None:
        """``pages``: (page number, offset in ``text``) of each page, as the reader recorded them."""
        super().__init__(
            screen_text(display_text(text)),
            read_only=True,
            show_line_numbers=True,
            soft_wrap=True,
            highlight_cursor_line=False,
            **kwargs,
        )
        self.cursor_blink = False
        self._raw = display_text(text)  # what searches and offsets use; drawn through screen_text
        self._line_starts = _line_starts(self._raw)
        self.pages: dict[int, int] = dict(pages or ())  # page number → offset of its first line
        self.query_text = ""

    def go_to_page(self, page: int) -> bool:
        """Put page ``page``'s first line at the top of the pane; False if there is no such page."""
        offset = self.pages.get(page)
        if offset is None:
            return False
        row, _ = self.location(offset)
        self.selection = Selection.cursor((row, 0))
        self.scroll_to(y=self.wrapped_document.location_to_offset((row, 0)).y, animate=False)
        return True

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
