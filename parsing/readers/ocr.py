"""Scanned reports (image-only PDFs, PDF pages that are pictures, .png/.jpg) → Document, offline.

Contract: ``read_scanned_pdf(data, hints) -> Document`` (every page recognised),
``fill_image_pages(doc, data) -> Document`` (a text PDF whose pages that are
only a picture say ``pdf.IMAGE_PAGE``: those pages recognised in
place), ``read_image(data) -> Document`` (one picture), and
``annotate(assembly, doc, fmt)`` after the assembler has read the tables.

The engine is ``rapidocr_onnxruntime`` (the optional extra ``gipr-tui[ocr]``):
its wheel carries the PP-OCRv4 Chinese models, so nothing is downloaded, and
onnxruntime's telemetry is switched off before it is imported: no network
request is ever made. Without the extra, a scan is refused with a message
saying which extra to install (``MISSING_EXTRA``).

How a page is read (``parsing.readers.ocr_grid`` does the image work):
the page is rendered at most ``MAX_SIDE`` pixels on its long side, grey,
straightened (deskew), its ruled tables found from their ruling lines; each
table cell is recognised from a tight crop of its own ink (line by line, a
vertical label character by character); the text outside the tables is
recognised line by line. The result is rendered like the PDF reader renders a
text PDF (``readers.pdf`` module docstring): a marker line ``=== 第 N 页 ===``
per page, paragraphs as lines, each table row on one line with ``CELL_SEP``
between its cells (a merged cell in its first row), a table continued on the
next page joined up without the repeated header rows, so the one assembler
reads it and every provenance span indexes the recognised text.

Doubt is never hidden: inside a cell that reads as a number, look-alike
letters are mapped to digits (``O``/``D`` → 0, ``l``/``I`` → 1 …; never in
labels or prose), and ``annotate`` gives every value read by OCR the flag
``ocr_suspect`` unless a balance rule (勾稽关系) confirms it, with the
recogniser's confidence for its cell (``confidence``) and, where a look-alike
was mapped, what was read (``ocr_read``) in its provenance entry.

Progress: ``with reporting(callback): parse_bytes(...)`` calls
``callback(done, total)`` with pages done; a callback may raise ``Cancelled``
(a ``ParseError``) to stop between pages or batches of cells.
"""

from __future__ import annotations

import bisect
import contextvars
import difflib
import functools
import importlib.util
import io
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Callable

from ..model.document import CELL_SEP, Document
from ..model.errors import ParseError
from .pdf_docx_common import clean_cell, join_lines, no_separator
from ..model.schema import FLAG_OCR

EXTRA = "gipr-tui[ocr]"
MISSING_EXTRA = (
    f"这是扫描件（图片），没有文字层：识别需要安装 OCR 组件 {EXTRA}"
    f"（pip install \"{EXTRA}\"），或先用 OCR 工具（如 ocrmypdf）识别后再打开"
)
BAD_IMAGE = "图片文件已损坏或格式不支持，无法识别：请用看图软件另存为 PNG 或 JPG 后再打开"
CANCELLED = "已取消识别"
OCR_PAGE = "（本页是图片，以下文字由 OCR 识别）"
MAX_SIDE = 2000  # pixels: the engine shrinks larger images anyway (and reads them worse)
MAX_PAGES = 60  # a report is never this long; a scan of a book is not recognised page by page
REC_CHUNK = 48  # crops per recogniser call, between two looks at the cancel switch
MARGIN = 0.08  # top and bottom share of a page where page numbers live

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–－─~～·•]*\s*\d{1,4}\s*[-—–－─~～·•]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
# Inside a number cell only: letters the recogniser confuses with digits.
_LOOKALIKE = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "○": "0", "°": "0", "l": "1", "I": "1", "|": "1",
     "i": "1", "丨": "1", "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9",
     "，": ",", "。": ".", "．": ".", "·": "."}
)
_NUMBER_RE = re.compile(r"-?\d+(?:[.,]\d+)*")


class Cancelled(ParseError):
    """Recognition stopped because the user cancelled it."""

    def __init__(self) -> None:
        super().__init__(CANCELLED, kind="cancelled")


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when the ``ocr`` extra is installed (and OpenCV loads: it needs the system's libGL)."""
    if not all(importlib.util.find_spec(m) is not None for m in ("rapidocr_onnxruntime", "cv2", "numpy")):
        return False
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


# --- progress --------------------------------------------------------------------------

_progress: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar("ocr_progress", default=None)


@contextmanager
def reporting(callback: Callable[[int, int], None] | None):
    """Within the block (in this thread), recognition reports ``callback(done, total)``."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def current_reporting() -> Callable[[int, int], None] | None:
    """The progress callback in force in this thread (to chain another to it)."""
    return _progress.get()


def _report(done: int, total: int) -> None:
    cb = _progress.get()
    if cb is not None:
        cb(done, total)


# --- the engine ------------------------------------------------------------------------

_ENGINE = None
_ENGINE_LOCK = threading.Lock()  # one recognition at a time: memory, and 2 cores are enough for one


def _engine():
    global _ENGINE
    if _ENGINE is None:
        # onnxruntime reports usage to a telemetry host unless told not to: never
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR(use_cls=False, print_verbose=False)
    return _ENGINE


def _recognise(crops: list) -> list[tuple[str, float]]:
    """Text and confidence of each crop (a grey image of one line of text)."""
    import cv2

    out: list[tuple[str, float]] = []
    rec = _engine().text_rec
    for i in range(0, len(crops), REC_CHUNK):
        _report_cancel_check()
        chunk = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops[i : i + REC_CHUNK]]
        res, _elapse = rec(chunk)
        out.extend((str(t), float(s)) for t, s in res)
    return out


_current: contextvars.ContextVar[tuple[int, int]] = contextvars.ContextVar("ocr_current", default=(0, 0))


def _report_cancel_check() -> None:
    """Between batches: report the same progress again (the callback may cancel)."""
    done, total = _current.get()
    if total:
        _report(done, total)


# --- one page --------------------------------------------------------------------------


@dataclass
class _Cell:
    text: str  # as rendered (a number cell: digits only)
    confidence: float
    read: str  # as the recogniser read it
    number: bool = False
    mapped: bool = False  # a look-alike letter was read as a digit


@dataclass
class _Line:
    text: str
    top: int
    bottom: int
    x0: int
    x1: int
    confidence: float


@dataclass
class _Table:
    top: int
    bottom: int
    x0: int
    x1: int
    rows: list[list[_Cell]]


@dataclass
class _Page:
    number: int
    height: int
    width: int
    blocks: list = field(default_factory=list)  # _Line | _Table, top to bottom


def number_text(read: str) -> tuple[str, bool] | None:
    """A cell's reading as a number: (digits as printed, whether look-alikes
    or dust were mapped away), or None when the cell is not a number."""
    t = re.sub(r"\s+", "", read)
    if not t:
        return None
    if _NUMBER_RE.fullmatch(t):
        return t, False
    bare = t.strip(".,'`_\":;：；~、‘’“”·•").rstrip("-—")  # dust beside the digits
    core = bare.translate(_LOOKALIKE).strip(".,")
    if core and _NUMBER_RE.fullmatch(core) and sum(ch.isdigit() for ch in bare) >= len(bare) / 2 - 0.5:
        return core, True
    return None


def _page_image(grey):
    """Grey page image no larger than ``MAX_SIDE`` on its long side."""
    import cv2

    h, w = grey.shape[:2]
    f = MAX_SIDE / max(h, w)
    if f < 1:
        grey = cv2.resize(grey, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    return grey


def recognise_page(grey, number: int) -> _Page:
    """One grey page image (numpy uint8) → its lines and tables, top to bottom."""
    import numpy as np

    from . import ocr_grid as G

    grey = _page_image(grey)
    ink = G.binarize(grey)
    angle = G.estimate_skew(ink)
    if abs(angle) >= 0.05:
        grey = G.rotate(grey, -angle)
        ink = G.binarize(grey)
    h, w = grey.shape
    min_stroke = max(6, h // 200)
    grids = [g for g in G.find_grids(ink) if len(g.cells) >= 2]

    crops: list = []
    owners: list[tuple[str, int, int]] = []  # ("cell", grid index, cell index) or ("line", box index, 0)
    for gi, grid in enumerate(grids):
        for ci, cell in enumerate(grid.cells):
            mask, origin = G.clean_ink(ink, cell.box, min_stroke=min_stroke)
            for box in G.ink_lines(mask):
                crops.append(G.ink_crop(grey, mask, origin, box))
                owners.append(("cell", gi, ci))
    prose = ink.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.box
        prose[max(0, y0 - 4) : y1 + 5, max(0, x0 - 4) : x1 + 5] = 0
    pboxes = G.prose_boxes(prose, min_stroke)
    for bi, (x0, y0, x1, y1) in enumerate(pboxes):
        box = (max(0, x0 - 3), max(0, y0 - 3), min(w, x1 + 3), min(h, y1 + 3))
        mask, origin = G.clean_ink(prose, box, inset=0, min_stroke=min_stroke)
        ys, xs = np.nonzero(mask)
        if ys.size == 0:
            continue
        crops.append(G.ink_crop(grey, mask, origin, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)))
        owners.append(("line", bi, 0))
    results = _recognise(crops) if crops else []

    cell_reads: dict[tuple[int, int], list[tuple[str, float]]] = {}
    blocks: list = []
    for (kind, a, b), (text, conf) in zip(owners, results):
        if kind == "cell":
            cell_reads.setdefault((a, b), []).append((text, conf))
        else:
            x0, y0, x1, y1 = pboxes[a]
            text = text.strip()
            num = number_text(text) if len(text) <= 16 else None
            if num is not None:  # a lone number between wide gaps: a cell of a table without ruling lines
                text = num[0]
            if text:
                blocks.append(_Line(text, y0, y1, x0, x1, conf))
    for gi, grid in enumerate(grids):
        rows = []
        for row in grid.rows():
            cells = []
            for cell in row:
                ci = grid.cells.index(cell)
                reads = cell_reads.get((gi, ci), [])
                cells.append(_make_cell(reads))
            rows.append(cells)
        x0, y0, x1, y1 = grid.box
        blocks.append(_Table(y0, y1, x0, x1, [r for r in rows if r]))
    blocks.sort(key=lambda b: b.top)
    page = _Page(number, h, w, _merge_line_pieces(blocks))
    page.blocks = _drop_page_numbers(page)
    return page


def _make_cell(reads: list[tuple[str, float]]) -> _Cell:
    texts = [t.strip() for t, _ in reads if t.strip()]
    read = join_lines(texts)
    conf = min((c for t, c in reads if t.strip()), default=1.0)
    num = number_text(read)
    if num is not None:
        return _Cell(num[0], conf, read, number=True, mapped=num[1])
    return _Cell(read, conf, read)


def _merge_line_pieces(blocks: list) -> list:
    """Pieces of one printed line (far apart on the page, e.g. a signature and
    a date) side by side: one line, left to right."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(b, _Line)
            and isinstance(prev, _Line)
            and min(b.bottom, prev.bottom) - max(b.top, prev.top) > 0.5 * min(b.bottom - b.top, prev.bottom - prev.top)
        ):
            left, right = (prev, b) if prev.x0 <= b.x0 else (b, prev)
            out[-1] = _Line(
                f"{left.text} {right.text}", min(b.top, prev.top), max(b.bottom, prev.bottom),
                left.x0, max(b.x1, prev.x1), min(b.confidence, prev.confidence),
            )
        else:
            out.append(b)
    return out


def _drop_page_numbers(page: _Page) -> list:
    def page_number(b) -> bool:
        in_margin = b.bottom <= page.height * MARGIN or b.top >= page.height * (1 - MARGIN)
        return isinstance(b, _Line) and in_margin and bool(_PAGE_NUMBER_RE.match(b.text))

    return [b for b in page.blocks if not page_number(b)]


# --- paragraphs -----------------------------------------------------------------------

_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def _paragraphs(lines: list[_Line], left: int, right: int) -> list[_Line]:
    """Lines of a wrapped paragraph joined: a line that runs to the right edge
    of the text continues on the next line unless that one is indented or
    starts a heading."""
    out: list[_Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        size = max(8, ln.bottom - ln.top)
        if (
            prev is not None
            and prev.x1 >= right - 1.5 * size
            and ln.x0 <= left + 0.7 * size
            and ln.top - prev.bottom < 1.2 * size
            and not _HEADING_RE.match(ln.text)
        ):
            out[-1] = _Line(join_lines([prev.text, ln.text]), prev.top, ln.bottom, min(prev.x0, ln.x0), ln.x1,
                            min(prev.confidence, ln.confidence))
        else:
            out.append(ln)
    return out


# --- rendering ---------------------------------------------------------------------------


@dataclass
class OcrCell:
    """Where a recognised table cell is in the display text, and how sure the recogniser was."""

    start: int
    end: int
    confidence: float
    read: str
    mapped: bool


@dataclass
class OcrDocument(Document):
    """A Document whose text (all or some pages) was recognised by OCR."""

    # [start, end) ranges of ``text`` that OCR produced (whole pages)
    ocr_ranges: list[tuple[int, int]] = field(default_factory=list)
    # the table cells in those ranges, by start offset
    ocr_cells: list[OcrCell] = field(default_factory=list)


class _Writer:
    def __init__(self, pos: int = 0) -> None:
        self.lines: list[str] = []
        self.pos = pos
        self.cells: list[OcrCell] = []

    def line(self, text: str) -> None:
        self.lines.append(text)
        self.pos += len(text) + 1

    def row(self, cells: list[_Cell]) -> None:
        parts = []
        at = self.pos
        for i, c in enumerate(cells):
            if i:
                at += len(CELL_SEP)
            t = clean_cell(c.text)
            if t:
                self.cells.append(OcrCell(at, at + len(t), round(c.confidence, 3), c.read, c.mapped))
            parts.append(t)
            at += len(t)
        self.line(CELL_SEP.join(parts))


def _same_rows(a: list[_Cell], b: list[_Cell]) -> bool:
    ta, tb = "|".join(c.text for c in a), "|".join(c.text for c in b)
    return len(a) == len(b) and difflib.SequenceMatcher(None, ta, tb).ratio() >= 0.8


def _render_page(page: _Page, out: _Writer, head: list[list[_Cell]], last: _Table | None) -> tuple[list, _Table | None]:
    """Append one page's lines to ``out``; returns the header rows and the
    table the page ends with (a table continued on the next page)."""
    lines = [b for b in page.blocks if isinstance(b, _Line)]
    left = min((ln.x0 for ln in lines), default=0)
    right = max((ln.x1 for ln in lines), default=page.width)
    blocks: list = []
    run: list[_Line] = []
    for b in page.blocks + [None]:
        if isinstance(b, _Line):
            run.append(b)
            continue
        blocks.extend(_paragraphs(run, left, right))
        run = []
        if b is not None:
            blocks.append(b)
    for i, b in enumerate(blocks):
        if isinstance(b, _Line):
            out.line(no_separator(b.text))
            continue
        rows = [[c for c in r] for r in b.rows]
        tol = 0.02 * page.width
        if i == 0 and last is not None and abs(last.x0 - b.x0) <= tol and abs(last.x1 - b.x1) <= tol:
            n = 0
            while n < len(rows) - 1 and n < len(head) and _same_rows(rows[n], head[n]):
                n += 1
            rows = rows[n:]
        else:
            head = b.rows[:3]
        for r in rows:
            # cells a page break cut from a merged label come first and empty
            while len(r) > 1 and not r[0].text:
                r = r[1:]
            out.row(r)
    tail = blocks[-1] if blocks else None
    return head, tail if isinstance(tail, _Table) else None


def _page_marker(number: int) -> str:
    return f"=== 第 {number} 页 ==="


def _render(pages: list[_Page]) -> tuple[str, list[tuple[int, int]], list[OcrCell]]:
    out = _Writer()
    offsets = []
    head: list = []
    last = None
    for page in pages:
        offsets.append((page.number, out.pos))
        out.line(_page_marker(page.number))
        head, last = _render_page(page, out, head, last)
    return "\n".join(out.lines) + "\n", offsets, out.cells


# --- entry points ----------------------------------------------------------------------------


def _require_engine(message: str = MISSING_EXTRA) -> None:
    if not available():
        raise ParseError(message, kind="no_text_layer")


def _pdf_pages(data: bytes, numbers: list[int]):
    """Grey images of the PDF's pages ``numbers`` (1-based), one at a time."""
    import numpy as np
    import pypdfium2 as pdfium

    lock = _pdfium_lock()
    for n in numbers:
        with lock:
            pdf = pdfium.PdfDocument(data)
            try:
                page = pdf[n - 1]
                try:
                    pw, ph = page.get_size()
                    scale = MAX_SIDE / max(pw, ph, 1)
                    bitmap = page.render(scale=scale, grayscale=True)
                    img = np.array(bitmap.to_pil().convert("L"))
                finally:
                    page.close()
            finally:
                pdf.close()
        yield n, img


def _pdfium_lock():
    try:
        from .pdf import _PDFIUM

        return _PDFIUM
    except ImportError:  # pragma: no cover - the PDF reader keeps its lock elsewhere
        return threading.Lock()


def _recognise_all(images) -> list[_Page]:
    """(number, grey image) pairs → pages, reporting progress."""
    images = list(images) if not hasattr(images, "__len__") else images
    total = len(images)
    pages = []
    with _ENGINE_LOCK:
        _report(0, total)
        for done, (n, img) in enumerate(images, 1):
            token = _current.set((done - 1, total))
            try:
                pages.append(recognise_page(img, n))
            finally:
                _current.reset(token)
            _report(done, total)
    return pages


class _Lazy:
    """Page images made only when recognised (one page in memory at a time)."""

    def __init__(self, data: bytes, numbers: list[int]) -> None:
        self.data, self.numbers = data, numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self):
        return _pdf_pages(self.data, self.numbers)


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    with _pdfium_lock():
        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()


def read_scanned_pdf(data: bytes, hints: dict | None = None) -> OcrDocument:
    """A PDF without a text layer: every page recognised."""
    _require_engine()
    n = _page_count(data)
    if n > MAX_PAGES:
        raise ParseError(f"这份扫描件有 {n} 页，不像是一份年度报告（识别上限 {MAX_PAGES} 页）", kind="too_large")
    pages = _recognise_all(_Lazy(data, list(range(1, n + 1))))
    text, offsets, cells = _render(pages)
    return OcrDocument(
        text=text, kind="pdf", hints=dict(hints or {}), pages=offsets,
        ocr_ranges=[(0, len(text))], ocr_cells=cells,
    )


def read_image(data: bytes) -> OcrDocument:
    """A picture of a page (.png, .jpg …): recognised as page 1."""
    _require_engine(MISSING_EXTRA)
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im = ImageOps.exif_transpose(im)  # a phone photo is stored sideways with a note to turn it
            frames = getattr(im, "n_frames", 1)
            grey = np.array(im.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ParseError(BAD_IMAGE, kind="damaged") from None
    if frames > 1 or min(grey.shape) < 100:
        raise ParseError("这张图片太小或是动图，不像是一页报告的扫描件", kind="binary")
    pages = _recognise_all([(1, grey)])
    text, offsets, cells = _render(pages)
    return OcrDocument(
        text=text, kind="image", pages=offsets,
        ocr_ranges=[(0, len(text))], ocr_cells=cells,
    )


def fill_image_pages(doc: Document, data: bytes) -> Document:
    """A text PDF some of whose pages are only a picture (their text is the
    line ``pdf.IMAGE_PAGE``): those pages recognised in place. Without
    the ``ocr`` extra the document is returned as it is."""
    from .pdf import IMAGE_PAGE

    lines = doc.text.split("\n")
    # the page marker lines, by line index: where the reader says each page starts
    # (text of the PDF that merely looks like a marker line is not one)
    line_at, pos = {}, 0
    for i, ln in enumerate(lines):
        line_at[pos] = i
        pos += len(ln) + 1
    marker_lines = {line_at[at]: number for number, at in doc.pages if at in line_at}
    wanted: list[tuple[int, int]] = []  # (line index, page number)
    page = 0
    for i, ln in enumerate(lines):
        if i in marker_lines:
            page = marker_lines[i]
        elif ln == IMAGE_PAGE and page:
            wanted.append((i, page))
    if not wanted or not available():
        return doc
    pages = {p.number: p for p in _recognise_all(_Lazy(data, [p for _, p in wanted]))}
    by_line = dict(wanted)
    out = _Writer()
    ranges: list[tuple[int, int]] = []
    offsets: list[tuple[int, int]] = []
    head: list = []
    for i, ln in enumerate(lines[:-1] if lines and lines[-1] == "" else lines):
        if i in marker_lines:
            offsets.append((marker_lines[i], out.pos))
        if i in by_line:
            start = out.pos
            out.line(OCR_PAGE)
            head, _last = _render_page(pages[by_line[i]], out, head, None)
            ranges.append((start, out.pos))
        else:
            out.line(ln)
    text = "\n".join(out.lines) + "\n"
    return OcrDocument(
        text=text, kind=doc.kind, hints=doc.hints,
        pages=offsets, ocr_ranges=ranges, ocr_cells=out.cells,
    )


# --- after the assembler ---------------------------------------------------------------------

SUSPECT_WARNING = "本报告是扫描件，文字和数值由 OCR 识别：{n} 个数值没有平衡关系（勾稽关系）确认，已标记为可能识别错误，请对照原件核对"


def annotate(assembly, doc: Document, fmt: str | None = None) -> None:
    """Flag what OCR read: every value in recognised text is ``ocr_suspect``
    unless a balance rule confirms it; a table cell's provenance gets its
    recognition ``confidence`` and, where look-alikes were mapped to digits,
    what was read (``ocr_read``)."""
    ranges = getattr(doc, "ocr_ranges", None)
    if not ranges:
        return
    from ..model.format import confirmed_cells

    cells: list[OcrCell] = sorted(getattr(doc, "ocr_cells", []), key=lambda c: c.start)
    starts = [c.start for c in cells]
    values = {}
    for t, rows in assembly.tables.items():
        for r, cols in rows.items():
            for c, v in cols.items():
                values[f"{t}.{r}.{c}"] = v
    values.update(assembly.extra_cells or {})
    confirmed = confirmed_cells(values, fmt)
    suspect = 0
    for path, prov in assembly.provenance.items():
        span = prov.get("span")
        if not span or not any(a <= span[0] < b for a, b in ranges):
            continue
        i = bisect.bisect_right(starts, span[0]) - 1
        in_cell = i >= 0 and cells[i].start <= span[0] < cells[i].end
        if in_cell:
            prov["confidence"] = cells[i].confidence
            if cells[i].mapped:
                prov["ocr_read"] = cells[i].read
        # a value read from a line of text (a table without ruling lines) was placed by
        # the assembler, not by a ruled cell: a balance rule cannot vouch for its place
        doubtful = path not in confirmed or not in_cell
        if values.get(path) is not None and doubtful and FLAG_OCR not in prov["flags"]:
            prov["flags"].append(FLAG_OCR)
            suspect += 1
    if suspect:
        assembly.warnings.append(SUSPECT_WARNING.format(n=suspect))
