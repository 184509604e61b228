"""PDF → Document: two independent readings, compared (``pdf_compare``).

Contract: ``read_pdf(data: bytes) -> Document`` with kind "pdf", whose
``assemble(fmt)`` gives the tables read both ways and compared cell by cell.

- The **geometry reading** (``pdf_geometry``): characters placed by their
  boxes, ruled tables rendered one row per line with ``CELL_SEP`` in place of
  their text. A table that runs on over a page break is joined up: the header
  rows the continuation page repeats and the page headers/footers (``- 4 -``,
  ``第 4 页 共 9 页``) are dropped, so between its rows there is only the next
  page's marker line (which the assembler ignores). Tables without ruling
  lines come out as lines of text with the columns separated by spaces
  (values centred beside a wrapped label are put back on its line:
  ``pdf_borderless``). The lines of a wrapped paragraph are joined.
- The **text reading**: the characters in the PDF's own order (PDFium's
  text page, lines where PDFium breaks them), page numbers and running
  headers left out, read by the text assembler like copied text.

Each page is preceded by a marker line ``=== 第 N 页 ===`` (recorded in
``Document.pages`` as ``(N, offset)``); the display text is, page by page, the
reading that is not scrambled. A page that is only an image (a scanned page
inside a text PDF) says so on a line of its own.

Raises ``ParseError``: "no_text_layer" (a scan: run OCR first), "encrypted"
(a user password is needed; an empty password is tried, which opens most
"encrypted" government PDFs), "damaged" (truncated or unreadable),
"too_large" (past a bound of ``pdf_bounds``: pages, decompressed streams,
characters on a page).
"""

from __future__ import annotations

import gc
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from ..model.document import Document
from ..model.errors import ParseError
from ..meta.fields import title_parts
from .pdf_borderless import ends_with_value, regroup_rows
from .pdf_bounds import MAX_PAGE_CHARS, MAX_PAGES, check_streams, too_many_chars, too_many_pages
from ..meta.metadata import detect_format
from .pdf_compare import GEOMETRY, TEXT, Reading, compare, page_hints
from .pdf_docx_common import join_lines, make_hints, no_separator, render_row
from .pdf_geometry import Line, PageGeometry, Table, TooManyChars, find_tables, outside, read_page, text_lines

NO_TEXT_LAYER = "这是扫描版 PDF，没有文字层：请先用 OCR 工具（如 ocrmypdf）识别后再打开"
ENCRYPTED = "PDF 文件已加密，需要密码才能打开：请先用 PDF 工具解除密码后再打开"
DAMAGED = "PDF 文件已损坏或不完整（可能下载中断），无法读取：请重新下载或用 PDF 阅读器另存后再打开"
UNMAPPED_TEXT = "PDF 中的文字没有编码信息，无法正确提取：请先用 OCR 工具（如 ocrmypdf --force-ocr）识别后再打开"
IMAGE_PAGE = "（本页是图片，没有文字层）"

MARGIN = 0.1  # top and bottom tenth of a page: where running headers and footers live
TABLE_ALIGN = 6.0  # points: a continuing table has the same left and right edges

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–－─~～·•]*\s*\d{1,4}\s*[-—–－─~～·•]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)


def page_marker(number: int) -> str:
    return f"=== 第 {number} 页 ==="


@dataclass
class _Page:
    number: int
    blocks: list = field(default_factory=list)  # Line | Table, top to bottom
    no_text: bool = False


# PDFium is not thread-safe: one document at a time (the app may parse in a worker thread).
_PDFIUM = threading.Lock()


def read_pdf(data: bytes) -> Document:
    """The PDF read twice (see ``pdf_compare``): the display text is, page by
    page, the reading that is not scrambled; ``Document.assemble`` reads the
    tables from both readings and compares them cell by cell."""
    with _no_cycle_collection():
        return _read_pdf(data)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a PDF is read: the reader makes
    tens of thousands of small objects (characters, words, lines) that hold
    no reference cycles, and the collector would walk them again and again
    while they are made (5–10 % of the time). Freed as usual by reference
    counting; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_pdf(data: bytes) -> Document:
    with _PDFIUM:
        geoms, hints = _read_geometry(data)
    if not any(ch.text != " " for g in geoms for ch in g.chars):  # a scan: recognised offline (parsing.readers.ocr)
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(data, hints)
    _check_text_layer(geoms)
    pages = [_layout(g) for g in geoms]
    _drop_running_lines(pages, geoms)
    geometry = Reading(GEOMETRY, *_render(pages))
    ordered = Reading(TEXT, *_render_order(geoms))
    readings = [geometry, ordered]
    ocr_layer = sum(g.invisible for g in geoms) > 0.5 * max(1, sum(g.texts for g in geoms))
    readable = max(readings, key=Reading.readability)
    fmt = detect_format(readable.text)
    notes = [n for g in geoms for n in g.notes]
    asm, display = compare(readings, fmt, ocr_layer=ocr_layer, notes=notes)
    hints = {**hints, **page_hints(display.text)}
    doc = Document(text=display.text, kind="pdf", hints=hints, structured_tables=True, pages=display.pages)

    def assemble(f: str):
        # The display text is fixed now; another format is assembled against it.
        return asm if f == fmt else compare(readings, f, ocr_layer=ocr_layer, display=display, notes=notes)[0]

    doc.assemble = assemble
    if any(p.no_text for p in pages):  # pages that are only a picture: recognised in place (parsing.readers.ocr)
        from .ocr import fill_image_pages

        doc = fill_image_pages(doc, data)  # the one assembler then reads the display text with those pages
    return doc


def read_geometry_only(data: bytes) -> Document:
    """The geometry reading alone (tests, benchmarks)."""
    with _PDFIUM:
        geoms, hints = _read_geometry(data)
    _check_text_layer(geoms)
    pages = [_layout(g) for g in geoms]
    _drop_running_lines(pages, geoms)
    text, offsets = _render(pages)
    return Document(text=text, kind="pdf", hints=hints, structured_tables=True, pages=offsets)


def _render_order(geoms: list[PageGeometry]) -> tuple[str, list[tuple[int, int]]]:
    """The text reading: each page's lines in the PDF's own order (PDFium's
    text page), without page numbers and running headers or footers."""
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    running = _running_keys([[ln for ln in g.order if _in_margin(ln, g)] for g in geoms])
    for geom in geoms:
        offsets.append((geom.number, pos))
        lines = [page_marker(geom.number)]
        if not geom.order and geom.images:
            lines.append(IMAGE_PAGE)
        last = len(geom.order) - 1
        for i, ln in enumerate(geom.order):
            if _in_margin(ln, geom) and (_running_key(ln) in running or _is_folio(ln.text, i in (0, last))):
                continue
            lines.append(no_separator(ln.text))
        for line in lines:
            out.append(line)
            pos += len(line) + 1
    return "\n".join(out) + "\n", offsets


_FOLIO_RE = re.compile(r"^\s*(?:[-—–－─~～·•]+\s*\d{1,4}\s*[-—–－─~～·•]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")


def _is_folio(text: str, at_edge: bool) -> bool:
    """A page number: "- 3 -", "第 3 页 共 9 页", "3/9" in the margin; a bare
    number only as the first or last line of the page (a lone number among a
    table's rows is a value)."""
    return bool(_FOLIO_RE.match(text)) or (at_edge and bool(_PAGE_NUMBER_RE.match(text)))


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def _running_keys(margins: list[list[Line]]) -> set[str]:
    """Margin lines that recur (digits aside) on at least half of the pages."""
    if len(margins) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in margins:
        for k in {_running_key(ln) for ln in lines}:
            counts[k] = counts.get(k, 0) + 1
    return {k for k, n in counts.items() if n >= max(2, len(margins) / 2)}


def _check_text_layer(geoms: list[PageGeometry]) -> None:
    """A scan has no characters; a PDF whose fonts carry no character codes
    gives replacement or private-use characters instead of text."""
    visible = [ch.text for g in geoms for ch in g.chars if ch.text != " "]
    if not visible:
        raise ParseError(NO_TEXT_LAYER, kind="no_text_layer")
    unmapped = len([t for t in visible if t == "\ufffd" or "\ue000" <= t <= "\uf8ff"])
    if unmapped > 0.3 * len(visible):
        raise ParseError(UNMAPPED_TEXT, kind="no_text_layer")


def _read_geometry(data: bytes) -> tuple[list[PageGeometry], dict]:
    pdf = _open(data)
    try:
        if len(pdf) > MAX_PAGES:
            raise too_many_pages(len(pdf))
        geoms = []
        for i in range(len(pdf)):
            page = pdfium.raw.FPDF_LoadPage(pdf.raw, i)
            if not page:
                raise ParseError(DAMAGED, kind="damaged")
            try:
                geoms.append(read_page(page, i + 1, max_chars=MAX_PAGE_CHARS))
            except TooManyChars as e:
                raise too_many_chars(i + 1, e.args[0]) from None
            finally:
                pdfium.raw.FPDF_ClosePage(page)
        hints = _hints(pdf)
    except ParseError:
        raise
    except Exception:  # PDFium failing on a page: the file is damaged
        raise ParseError(DAMAGED, kind="damaged") from None
    finally:
        pdf.close()
    return geoms, hints


def _open(data: bytes):
    # A PDF ends with "%%EOF"; one cut short by an interrupted download does
    # not, and PDFium would silently "repair" it into fewer pages.
    if b"%%EOF" not in data[-2048:]:
        raise ParseError(DAMAGED, kind="damaged")
    check_streams(data)  # before PDFium inflates anything
    try:
        pdf = pdfium.PdfDocument(data, password=None)
    except pdfium.PdfiumError as e:
        if e.err_code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            raise ParseError(ENCRYPTED, kind="encrypted") from None
        raise ParseError(DAMAGED, kind="damaged") from None
    if len(pdf) == 0:
        pdf.close()
        raise ParseError(DAMAGED, kind="damaged")
    return pdf


def _hints(pdf) -> dict:
    meta = pdf.get_metadata_dict(skip_empty=True)
    return make_hints(_report_title(meta.get("Title")), meta.get("Author"), meta.get("CreationDate"))


_TITLE_SEP_RE = re.compile(r"\s*(?:_|\s[-—|｜]\s)\s*")


def _report_title(title: str | None) -> str | None:
    """The PDF's stored title when it names this report: a browser's print
    keeps the page title ("…年度报告_政府信息公开年报_某某网站": the part naming
    the report); a generic title naming neither organ nor year
    ("政府信息公开工作年度报告") gives way to the title printed on the page."""
    if not title:
        return None
    parts = [p for p in _TITLE_SEP_RE.split(title.strip()) if p]
    named = [p for p in parts if re.search(r"(?:年度?报告|年报)", p)]
    title = named[0] if named else title
    organ, year = title_parts(title)
    if organ is None and year is None:
        return None
    return title


def _layout(geom: PageGeometry) -> _Page:
    """One page's tables and lines of text, top to bottom."""
    page = _Page(number=geom.number)
    if not any(ch.text != " " for ch in geom.chars):
        page.no_text = geom.images > 0
        return page
    tables = find_tables(geom)
    boxes = [t.bbox for t in tables]
    free = outside(geom.chars, boxes)
    free += [ch for t in tables for ch in t.loose]  # text in a table but in no cell: kept as text
    lines = _drop_page_numbers(text_lines(free), tables, geom)
    lines = _join_wrapped(regroup_rows(lines))
    page.blocks = sorted(lines + tables, key=lambda b: b.top if isinstance(b, Line) else b.bbox[1])
    return page


_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Lines of a paragraph wrapped by the layout → one line: a line that runs
    to the right edge of the text continues on the next, unless the next is
    indented, further away than a line gap, or starts a heading, or the line
    is a table row ending in a value."""
    if not lines:
        return lines
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out = [lines[0]]
    for ln in lines[1:]:
        prev = out[-1]
        if (
            prev.x1 >= right - 1.5 * prev.size
            and not ends_with_value(prev)
            and ln.x0 <= left + 0.5 * ln.size
            and ln.top - prev.bottom < ln.size
            and not _HEADING_RE.match(ln.text)
        ):
            out[-1] = Line(
                join_lines([prev.text, ln.text]),
                prev.top,
                ln.bottom,
                min(prev.x0, ln.x0),
                ln.x1,
                prev.size,
                prev.words + ln.words,
            )
        else:
            out.append(ln)
    return out


def _in_margin(line: Line, geom: PageGeometry) -> bool:
    return line.bottom <= geom.height * MARGIN or line.top >= geom.height * (1 - MARGIN)


def _is_page_number(line: Line, geom: PageGeometry) -> bool:
    return _in_margin(line, geom) and bool(_PAGE_NUMBER_RE.match(line.text))


def _drop_page_numbers(lines: list[Line], tables: list[Table], geom: PageGeometry) -> list[Line]:
    """Lines without the page's number: a page-number-like line among the two
    first or two last lines of the page, in the margin, and above or below
    every table (a lone number between a table's rows is a value)."""
    top = min((t.bbox[1] for t in tables), default=geom.height)
    bottom = max((t.bbox[3] for t in tables), default=0.0)
    edge = set(range(2)) | set(range(len(lines) - 2, len(lines)))

    def page_number(i: int, line: Line) -> bool:
        return i in edge and (line.bottom <= top or line.top >= bottom) and _is_page_number(line, geom)

    return [line for i, line in enumerate(lines) if not page_number(i, line)]


def _drop_running_lines(pages: list[_Page], geoms: list[PageGeometry]) -> None:
    """Drop running headers/footers: a margin line that recurs (digits aside)
    on at least half of the pages, when there are two pages or more."""
    running = _running_keys(
        [[b for b in page.blocks if isinstance(b, Line) and _in_margin(b, geom)] for page, geom in zip(pages, geoms)]
    )
    if not running:
        return
    for page, geom in zip(pages, geoms):
        page.blocks = [
            b for b in page.blocks if not (isinstance(b, Line) and _in_margin(b, geom) and _running_key(b) in running)
        ]


def _continues(prev: Table, table: Table) -> bool:
    return abs(prev.bbox[0] - table.bbox[0]) <= TABLE_ALIGN and abs(prev.bbox[2] - table.bbox[2]) <= TABLE_ALIGN


def _render(pages: list[_Page]) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    head: list[str] = []  # the header rows of the table the previous page ended with
    last: Table | None = None

    def emit(line: str) -> None:
        nonlocal pos
        out.append(line)
        pos += len(line) + 1

    for page in pages:
        offsets.append((page.number, pos))
        emit(page_marker(page.number))
        if page.no_text:
            emit(IMAGE_PAGE)
        for i, block in enumerate(page.blocks):
            if isinstance(block, Line):
                emit(no_separator(block.text))
                continue
            if i == 0 and last is not None and _continues(last, block):
                rows = _continuation_rows(block, last, head)
            else:
                rows = [render_row(r) for r in block.rows]
                head = rows
            for row in rows:
                emit(row)
        tail = page.blocks[-1] if page.blocks else None
        last = tail if isinstance(tail, Table) else None
    return "\n".join(out) + "\n", offsets


def _continuation_rows(table: Table, previous: Table, head: list[str]) -> list[str]:
    """The rendered rows of a table continuing ``previous`` (the part on the
    page before): without the copy of the table's header rows ``head``, and
    without the empty cells the page break cut off a merged cell (a label
    spanning rows on both pages is redrawn as a cell on the new page)."""
    cells, spans = list(table.rows), list(table.spans)
    n = 0
    while n < len(cells) - 1 and n < len(head) and render_row(cells[n]) == head[n]:
        n += 1
    cells, spans = cells[n:], spans[n:]
    if spans and previous.spans:
        cells[0] = _without_cut_merges(cells[0], spans[0], previous.spans[-1])
    return [render_row(r) for r in cells]


def _without_cut_merges(row: list[str], spans: list[tuple[float, float]], above: list[tuple[float, float]]) -> list[str]:
    """``row`` without its leading empty cells in columns where the row above
    (the last row on the page before) has no cell of its own: those columns
    were covered there by a cell merged from further up."""
    starts = [x0 for x0, _ in above]
    keep = 0
    for text, (x0, _) in zip(row, spans):
        if text or any(abs(x0 - s) <= TABLE_ALIGN for s in starts):
            break
        keep += 1
    return row[keep:] if keep < len(row) else row
