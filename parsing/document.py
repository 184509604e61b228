"""The intermediate form every reader produces and the table assembler reads.

Readers (``decode`` for plain text, ``html_reader``, ``pdf_reader``,
``docx_reader``) turn bytes into a ``Document``: the display text the app's
source pane shows, plus metadata hints the source carried outside its text.
Tables that a reader recovered structurally (HTML, PDF geometry, Word) are
rendered into the text one table row per line with cells separated by
``CELL_SEP`` (an empty cell shows as nothing between two separators), so the
one assembler (``assemble``) reads every kind of input, and every provenance
span indexes into ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# How readers render a structured table row: "规章 | 0 | 0 | 0".
CELL_SEP = " | "


@dataclass
class Document:
    text: str
    # "text", "html", "pdf", "docx": the source's kind, for report["source"]["format"].
    kind: str = "text"
    # Metadata carried outside the text (HTML <meta name="ArticleTitle">,
    # PubDate, ContentSource; Word core properties): keys "title", "organ",
    # "published" (YYYY-MM-DD), each optional.
    hints: dict = field(default_factory=dict)
    # True when the reader rendered tables itself with CELL_SEP (structured
    # source): the assembler can trust cell boundaries on those lines.
    structured_tables: bool = False
    # Page markers for paged sources: [(page_number, start_offset_in_text)].
    pages: list[tuple[int, int]] = field(default_factory=list)
    # A reader that assembles the tables itself (a PDF read two ways and
    # compared): ``assemble(fmt) -> Assembly`` used instead of the one assembler.
    assemble: Callable | None = None
