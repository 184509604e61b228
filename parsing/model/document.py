"""The intermediate form every reader produces and the table assembler reads.

Readers (``readers.decode`` for plain text, ``readers.html``, ``readers.pdf``,
``readers.docx``) turn bytes into a ``Document``: the display text the app's
source pane shows, plus metadata hints the source carried outside its text.
Tables that a reader recovered structurally (HTML, PDF geometry, Word) are
rendered into the text one table row per line with cells separated by
``CELL_SEP`` (an empty cell shows as nothing between two separators), so the
one assembler (``assemble``) reads every kind of input, and every provenance
span indexes into ``Document.text``.
"""

from __future__ import annotations

import re
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


# --- terminal safety of the display text -------------------------------------------
#
# A report from the open web may carry terminal escape sequences (``ESC ] 52``
# writes the clipboard, ``ESC ] 2`` the window title, ``ESC [ 2J`` clears the
# screen), literally or as HTML character references (``&#27;``). They are not
# text anyone printed: every reader's text is cleaned once, before the tables
# are assembled, so every provenance span indexes the cleaned text. Whole
# escape sequences are dropped (not just their ESC, which would leave
# ``[31m`` glued to a number), other C0/C1 controls are dropped, separator
# controls (vertical tab, the information separators, NEL) become a space and
# a carriage return a line break. Tab, newline and form feed (a pdftotext page
# break the layout reader uses) stay. Bidirectional overrides are text; the app
# and the CLI show them as visible marks.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS/SOS/PM/APC strings
    r"|\x1b[ -/]*[0-~]"  # the other escape sequences (charsets, keypad modes, …)
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")
_SPACE_LIKE = frozenset("\x0b\x1c\x1d\x1e\x1f\x85")
_UNSAFE = re.compile(_ESCAPE_SEQUENCE.pattern + r"|" + _CONTROL.pattern)


def clean_controls(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` without escape sequences and control characters (see above),
    and the edits made as ``[(old_end, shift)]``: an offset ``o`` of the old
    text is ``o - shift`` in the new one, for the last edit with ``old_end <= o``."""
    if _CONTROL.search(text) is None:
        return text, []
    out: list[str] = []
    edits: list[tuple[int, int]] = []
    pos = shift = 0
    for m in _UNSAFE.finditer(text):
        out.append(text[pos:m.start()])
        found = m.group()
        if found in _SPACE_LIKE:
            new = " "
        elif found == "\r":
            new = "" if text.startswith("\n", m.end()) else "\n"
        else:
            new = ""
        out.append(new)
        shift += len(found) - len(new)
        pos = m.end()
        edits.append((pos, shift))
    out.append(text[pos:])
    return "".join(out), edits


def shift_offset(offset: int, edits: list[tuple[int, int]]) -> int:
    import bisect

    i = bisect.bisect_right(edits, (offset, float("inf"))) - 1
    return offset if i < 0 else offset - edits[i][1]


def _blank_controls(text: str) -> str:
    """Like ``clean_controls`` but one for one (each character of an escape
    sequence or control becomes a space, a lone carriage return a line break):
    for a reader whose own assembler has fixed its offsets already."""
    if _CONTROL.search(text) is None:
        return text

    def blank(m: re.Match) -> str:
        found = m.group()
        if found == "\r" and not text.startswith("\n", m.end()):
            return "\n"
        return " " * len(found)

    return _UNSAFE.sub(blank, text)


def clean_document(doc: Document) -> Document:
    """``doc`` with its text and hints cleaned (page offsets moved to match).
    A reader that assembles its tables itself (``doc.assemble``: offsets into
    its text already taken) gets the one-for-one cleaning instead."""
    hints = {k: clean_controls(v)[0] if isinstance(v, str) else v for k, v in doc.hints.items()}
    if doc.assemble is not None:
        doc.text, doc.hints = _blank_controls(doc.text), hints
        return doc
    text, edits = clean_controls(doc.text)
    if not edits and hints == doc.hints:
        return doc
    doc.text = text
    doc.hints = hints
    doc.pages = [(page, shift_offset(start, edits)) for page, start in doc.pages]
    return doc
