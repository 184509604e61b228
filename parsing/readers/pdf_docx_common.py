"""What the PDF and Word readers share: how a table cell's text is cleaned,
how a table row is rendered into the display text, and which document
properties (title, author, dates) are worth passing on as ``Document.hints``.

Both readers recover tables structurally and render each row on one line with
``CELL_SEP`` between cells, so the one assembler reads them like HTML tables.
"""

from __future__ import annotations

import re

from ..model.document import CELL_SEP

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RE = re.compile(f"[{_CJK}]")
_WS_RE = re.compile(r"\s+")


def join_lines(lines: list[str]) -> str:
    """Join the lines of one table cell without the line breaks.

    A cell's label wrapped by the layout ("商业" / "企业") is one word in
    Chinese: no space between two CJK characters; a space elsewhere
    ("Page" / "2") so Latin words and numbers are not glued together.
    """
    out = ""
    for line in lines:
        line = _WS_RE.sub(" ", line).strip()
        if not line:
            continue
        if out and not (_CJK_RE.match(out[-1]) or _CJK_RE.match(line[0])):
            out += " "
        out += line
    return out


def no_separator(text: str) -> str:
    """Text with "|" made full-width "｜": only rendered table rows carry
    ``CELL_SEP``, so a "|" in a paragraph or inside a cell is never read as a
    cell boundary (digits are never touched)."""
    return text.replace("|", "｜")


def clean_cell(text: str) -> str:
    """One cell's text for a rendered row: one line, no stray separators."""
    return no_separator(join_lines(text.splitlines()))


def render_row(cells: list[str]) -> str:
    """A table row as one line: cells joined by ``CELL_SEP``; an empty cell is
    nothing between two separators."""
    return CELL_SEP.join(clean_cell(c) for c in cells)


# Titles that editors leave behind, not a report's title.
_JUNK_TITLE_RE = re.compile(
    r"^(microsoft\s+word\s*-|wps|untitled|无标题|文档\s*\d*|新建|document\d*|"
    r"模板|标题|title|\d+$|[\w.-]+\.(docx?|wps|pdf|txt)$)",
    re.IGNORECASE,
)
# An author that names an organ rather than a person or a machine.
_ORGAN_RE = re.compile(r"(人民政府|办公室|委员会|局|厅|署|院|街道办事处|街道|镇|乡|中心|管委会|公司|部)$")
_DATE_RE = re.compile(r"(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")


def meaningful_title(title: str | None) -> str | None:
    """The document's stored title, or None when it is editor junk
    ("Microsoft Word - 文档1", "WPS", a file name) or carries no Chinese."""
    if not title:
        return None
    title = _WS_RE.sub(" ", title).strip()
    if len(title) < 6 or not _CJK_RE.search(title) or _JUNK_TITLE_RE.match(title):
        return None
    if "格式模板" in title:
        return None
    return title


def meaningful_organ(author: str | None) -> str | None:
    """The document's author when it names an organ (…人民政府, …局), else None:
    most authors are a person's name or "Administrator"."""
    if not author:
        return None
    author = _WS_RE.sub("", author)
    if len(author) >= 4 and _ORGAN_RE.search(author) and _CJK_RE.match(author[0]):
        return author
    return None


def iso_date(raw: str | None) -> str | None:
    """"D:20250120093000+08'00'" or "2025-01-20T09:30:00Z" → "2025-01-20";
    None for anything that is not a plausible date."""
    if not raw:
        return None
    m = _DATE_RE.match(raw.strip())
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def make_hints(title: str | None, author: str | None, created: str | None) -> dict:
    """``Document.hints`` from a document's stored properties, keeping only
    values that mean something.

    The file's creation date goes under "created", never "published": a PDF
    or Word file is often made (or re-exported) on another day than the report
    was published, and the publication date drives the deadline check.
    """
    hints = {"title": meaningful_title(title), "organ": meaningful_organ(author), "created": iso_date(created)}
    return {k: v for k, v in hints.items() if v}
