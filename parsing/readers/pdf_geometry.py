"""The geometry of one PDF page: characters with their boxes, ruling lines,
the tables those lines draw, and the text of a line or a cell.

Characters and vector paths come from PDFium (``pypdfium2``: fast, and lenient
with the odd PDFs that editors export); tables are found from the ruling lines
with pdfplumber's lattice algorithm (snap and join the edges, intersect them,
find the smallest rectangles, group touching cells into tables). A table row
is the cells whose top edge lies on that row line, so a cell merged over
several rows or columns belongs to the row where it starts and nowhere else,
while an empty cell (a rectangle of its own) is kept as an empty cell.

Coordinates are PDF points with the origin at the page's top-left corner.
"""

from __future__ import annotations

import array
import bisect
import ctypes
import math
from operator import attrgetter
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c
from pdfplumber.table import merge_edges

from .pdf_bounds import MAX_CROSSINGS, MAX_PAGE_OBJECTS, MAX_RULES, rules_skipped
from .pdf_docx_common import join_lines

SNAP = 3.0  # points: ruling lines closer than this are one line
MIN_EDGE = 3.0  # points: shorter strokes are not ruling lines
AXIS_SLACK = 1.0  # points: how far from horizontal/vertical a ruling line may lean


class Char:
    """One character and its box; ``cx``/``cy`` its centre (set once: read often)."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "cx", "cy")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float):
        self.text, self.x0, self.x1, self.top, self.bottom, self.size = text, x0, x1, top, bottom, size
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.x1:.1f}, {self.top:.1f}, {self.bottom:.1f}, {self.size:.1f})"


@dataclass
class Word:
    text: str
    x0: float
    x1: float


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 0.0
    size: float = 10.0
    # The line's words (split where the PDF has a space or a visible gap), left to right.
    words: list[Word] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Table:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[str]]  # the cells each row itself has, left to right
    spans: list[list[tuple[float, float]]] = field(default_factory=list)  # each of those cells' x0, x1
    # Characters inside the table's box but in none of its cells (never dropped: shown as text).
    loose: list[Char] = field(default_factory=list)


@dataclass
class PageGeometry:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)  # visible characters, spaces as " "
    edges: list[dict] = field(default_factory=list)  # pdfplumber-style edge dicts
    images: int = 0
    texts: int = 0  # text objects drawn
    invisible: int = 0  # …of which invisible (an OCR layer over a scanned image)
    # The page's lines in the PDF's own text order (PDFium's text page): the other reading.
    order: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not read as usual on this page (bounds)


# --- reading a page -----------------------------------------------------------------


def read_page(page, number: int, max_chars: int | None = None) -> PageGeometry:
    """A PDFium page (``FPDF_PAGE``, as ``FPDF_LoadPage`` gives it) → its
    characters, ruling-line edges and image count. The page is used without
    pypdfium2's page objects (their bookkeeping costs a tenth of a page's
    load); the caller closes it.

    Raises ``TooManyChars`` past ``max_chars``, ``PageUnreadable`` when PDFium
    cannot give its rotation or text; past ``MAX_PAGE_OBJECTS`` drawing
    objects the page's ruling lines are left out (noted in ``notes``)."""
    # As displayed (a page turned by /Rotate: turned).
    width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    geom = PageGeometry(number=number, width=width, height=height)
    rotation = pdfium_c.FPDFPage_GetRotation(page)
    if rotation not in (0, 1, 2, 3):
        raise PageUnreadable(number)
    place = _placer(90 * rotation, width, height)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        raise PageUnreadable(number)
    try:
        geom.chars, geom.order = _chars(textpage, height, max_chars, place)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    get_object = _GET_OBJECT
    objs = [get_object(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    budget = [MAX_PAGE_OBJECTS]
    _walk_objects(geom, objs, _IDENTITY, 0, budget, place)
    if budget[0] < 0:
        geom.edges = []
        geom.notes.append(rules_skipped(number, "图形对象"))
    return geom


class PageUnreadable(Exception):
    """PDFium cannot give a page's rotation or its text page."""


class TooManyChars(Exception):
    """A page holding more characters than any real report page."""


def _placer(rotation: int, width: float, height: float):
    """PDF user space (origin bottom left) → the page as displayed, top-down,
    for a page turned by /Rotate (clockwise); ``width``/``height`` as displayed."""
    if rotation == 90:
        return lambda x, y: (y, x)
    if rotation == 180:
        return lambda x, y: (width - x, y)
    if rotation == 270:
        return lambda x, y: (width - y, height - x)
    return None  # upright: (x, height - y), computed inline


def _chars(textpage, height: float, max_chars: int | None = None, place=None) -> tuple[list[Char], list[Line]]:
    """The page's visible characters (spaces as " "), and its lines in the
    PDF's own text order: PDFium's text page (``FPDF_TEXTPAGE``, or a
    ``pypdfium2.PdfTextPage``), broken where PDFium puts a line break
    (``\r\n``), with the spaces it generates between words."""
    raw = getattr(textpage, "raw", textpage)
    out: list[Char] = []
    order: list[Line] = []
    cur: list[Char] = []
    text: list[str] = []

    def end_line() -> None:
        line = "".join(text).strip() if cur else ""
        if line:
            order.append(
                Line(
                    line,
                    min([c.top for c in cur]),
                    max([c.bottom for c in cur]),
                    min([c.x0 for c in cur]),
                    max([c.x1 for c in cur]),
                    max([c.size for c in cur]),
                )
            )
        cur.clear()
        text.clear()

    n = pdfium_c.FPDFText_CountChars(raw)
    if max_chars is not None and n > max_chars:
        raise TooManyChars(n)
    box = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    codes = _code_units(raw, n)
    last_reported, last_size = None, 10.0
    pending_high = 0
    # Bound once: the loop runs for every character of every page.
    loose_box, origin, font_size = _LOOSE_BOX, _ORIGIN, _FONT_SIZE
    box_ref, ox_ref, oy_ref = ctypes.byref(box), ctypes.byref(ox), ctypes.byref(oy)
    new_char, add_char, add_cur, add_text = Char, out.append, cur.append, text.append
    upright = place is None
    if codes is None:
        codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(n)]
    for i, cp in enumerate(codes):
        if (0x20 < cp < 0x7F or 0xA0 < cp < 0xD800 or 0xE000 <= cp < 0xFFFE) and cp not in _SPACES:
            # The common case (a printable character of the BMP): the checks below, at once.
            pending_high = 0
            ch = chr(cp)
            if ch.isspace():
                ch = " "
        else:
            # PDFium generates only breaks and spaces: ask only for those.
            if (cp <= 0x20 or cp in _SPACES) and pdfium_c.FPDFText_IsGenerated(raw, i):
                if cp in (0x0A, 0x0D):
                    end_line()
                elif text and text[-1] != " ":
                    add_text(" ")
                continue
            if 0xD800 <= cp < 0xDC00:  # a character outside the BMP comes in two halves
                pending_high = cp
                continue
            if 0xDC00 <= cp < 0xE000 and pending_high:
                cp = 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00)
            pending_high = 0
            ch = chr(cp)
            if cp in (0x0A, 0x0D):
                end_line()
                continue
            if cp < 0x20 or ch in "\ufffe\uffff" or 0x7F <= cp < 0xA0:
                continue
            if ch.isspace():
                ch = " "
        # The loose box spans the glyph's advance (a full-width "、" is as wide
        # as "字"); the vertical band comes from the baseline, which every
        # character of a line shares whatever its font's metrics.
        loose_box(raw, i, box_ref)
        origin(raw, i, ox_ref, oy_ref)
        reported = font_size(raw, i)
        if reported != last_reported:  # the matrix is asked for when the size changes
            pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
            last_reported, last_size = reported, _size(reported, matrix, abs(box.top - box.bottom))
        size = last_size
        if upright:
            x0, x1, baseline = box.left, box.right, height - oy.value
        else:  # a turned page
            (ax, _), (bx, _) = place(box.left, box.bottom), place(box.right, box.top)
            x0, x1 = min(ax, bx), max(ax, bx)
            baseline = place(ox.value, oy.value)[1]
        if x1 - x0 > 2.5 * size:
            # A loose box in unscaled text space (WPS's vertical labels): the ink box instead.
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            if upright:
                x0, x1 = min(left.value, ox.value), max(right.value, left.value + 0.5 * size)
            else:
                (ax, _), (bx, _) = place(left.value, bottom.value), place(right.value, top.value)
                x0, x1 = min(ax, bx), max(ax, bx, min(ax, bx) + 0.5 * size)
        char = new_char(ch, x0, x1, baseline - 0.85 * size, baseline + 0.15 * size, size)
        add_char(char)
        if ch == " ":
            if text and text[-1] != " ":
                add_text(" ")
        else:
            add_cur(char)
            add_text(ch)
    end_line()
    return out, order


_SPACES = frozenset((0xA0, 0x2002, 0x2003, 0x2009, 0x200B, 0x3000, 0xFEFF))


def _bare(func, restype=ctypes.c_int):
    """``func`` of the PDFium library without ctypes' per-call argument
    conversion (its handles and ``byref`` pointers are passed as they are):
    the per-character calls cost a third less."""
    bare = type(func)(ctypes.cast(func, ctypes.c_void_p).value)
    bare.restype = restype
    return bare


_LOOSE_BOX = _bare(pdfium_c.FPDFText_GetLooseCharBox)
_ORIGIN = _bare(pdfium_c.FPDFText_GetCharOrigin)
_FONT_SIZE = _bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_GET_OBJECT = _bare(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPage_GetObject.restype)
_OBJ_TYPE = _bare(pdfium_c.FPDFPageObj_GetType)
_TEXT_RENDER_MODE = _bare(pdfium_c.FPDFTextObj_GetTextRenderMode)
_SEGMENT = _bare(pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPath_GetPathSegment.restype)
_SEGMENT_POINT = _bare(pdfium_c.FPDFPathSegment_GetPoint)
_SEGMENT_TYPE = _bare(pdfium_c.FPDFPathSegment_GetType)
_SEGMENT_CLOSE = _bare(pdfium_c.FPDFPathSegment_GetClose)


def _code_units(raw, n: int):
    """The text page's UTF-16 code units, one per character index (one call
    instead of one per character); None when PDFium does not give one each."""
    if n == 0:
        return None
    buf = ctypes.create_string_buffer(2 * (n + 1))
    written = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    if written != n + 1:
        return None
    return array.array("H", buf.raw[: 2 * n])


def _size(reported: float, matrix, box_height: float) -> float:
    """The character's font size in points on the page. PDFium reports the
    size in text space: a producer that draws 16 pt text as size 319 scaled by
    0.05 (WPS) needs the character's matrix; the loose box's height (ascent to
    descent, about 1.0–1.2 em) is the fallback."""
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    size = reported * scale
    if 1.0 <= size <= 300.0:
        return size
    if box_height > 0:
        return box_height / 1.1
    return reported if reported > 0 else 10.0


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8


def _walk_objects(geom: PageGeometry, objs, parent: tuple, depth: int, budget: list[int], place=None) -> None:
    """Ruling-line edges and images of the page objects, looking into Form
    XObjects (whose contents are placed by the form's matrix). ``budget``:
    how many objects may still be looked at (below zero: stop)."""
    get_type, render_mode = _OBJ_TYPE, _TEXT_RENDER_MODE
    # Text objects are the most (WPS draws every glyph as one): counted first.
    for obj in objs:
        budget[0] -= 1
        if budget[0] < 0:
            return
        kind = get_type(obj)
        if kind == _TEXT:
            geom.texts += 1
            geom.invisible += render_mode(obj) == _INVISIBLE
        elif kind == _PATH:
            geom.edges.extend(_path_edges(obj, _compose(parent, _matrix(obj)), geom.height, place))
        elif kind == _IMAGE:
            geom.images += 1
        elif kind == _FORM and depth < MAX_FORM_DEPTH:
            children = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
            _walk_objects(geom, children, _compose(parent, _matrix(obj)), depth + 1, budget, place)


_TEXT, _PATH, _IMAGE, _FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
    pdfium_c.FPDF_PAGEOBJ_FORM,
)
_INVISIBLE = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(outer: tuple, inner: tuple) -> tuple:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _path_edges(obj, m: tuple, height: float, place=None) -> list[dict]:
    """The horizontal and vertical straight segments of a visible path object,
    in page coordinates (``m`` maps the path's space to the page)."""
    if not _visible(obj):
        return []
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    get_segment, get_point, get_kind, get_close = _SEGMENT, _SEGMENT_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSE
    edges: list[dict] = []
    start = prev = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = get_segment(obj, i)
        if not get_point(seg, x_ref, y_ref):
            continue
        ux, uy = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        pt = place(ux, uy) if place is not None else (ux, height - uy)
        kind = get_kind(seg)
        if kind == _MOVETO or prev is None:
            start = pt
        elif kind == _LINETO:
            _add_edge(edges, prev, pt)
        prev = pt
        if get_close(seg) and start is not None:
            _add_edge(edges, prev, start)
            prev = start
    return edges


_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO


def _visible(obj) -> bool:
    """False for a path that draws nothing on white paper: neither filled nor
    stroked, or only white (the white boxes some editors put behind a cell's
    text would otherwise split the cell)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return True
    painted = []
    if fill.value:
        painted.append(pdfium_c.FPDFPageObj_GetFillColor)
    if stroke.value:
        painted.append(pdfium_c.FPDFPageObj_GetStrokeColor)
    return any(not _white(obj, get) for get in painted)


def _white(obj, get_color) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not get_color(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 250


def _add_edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= AXIS_SLACK and abs(x1 - x0) >= MIN_EDGE:
        y = (y0 + y1) / 2
        a, b = sorted((x0, x1))
        edges.append({"orientation": "h", "x0": a, "x1": b, "top": y, "bottom": y, "doctop": y, "width": b - a, "height": 0})
    elif abs(x1 - x0) <= AXIS_SLACK and abs(y1 - y0) >= MIN_EDGE:
        x = (x0 + x1) / 2
        a, b = sorted((y0, y1))
        edges.append({"orientation": "v", "x0": x, "x1": x, "top": a, "bottom": b, "doctop": a, "width": 0, "height": b - a})


# --- tables ----------------------------------------------------------------------------


def find_tables(geom: PageGeometry) -> list[Table]:
    """The ruled tables of the page, top to bottom, with each cell's text."""
    if len(geom.edges) < 4:
        return []
    # Collinear pieces joined first (Chromium draws a row's rule cell by cell):
    # a rule "starts" only where its whole line starts.
    joined = merge_edges(geom.edges, SNAP, SNAP, SNAP, SNAP)
    n_h = sum(1 for e in joined if e["orientation"] == "h")
    n_v = len(joined) - n_h
    if max(n_h, n_v) > MAX_RULES or n_h * n_v > MAX_CROSSINGS:
        # The table finder's time grows with the fourth power of the lines: a
        # grid this dense is no report table; the page is read as text.
        geom.notes.append(rules_skipped(geom.number, f"表格线（{n_h} 条横线、{n_v} 条竖线）"))
        return []
    edges = merge_edges(joined + _closing_sides(joined) + _closing_rules(joined), SNAP, SNAP, SNAP, SNAP)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= MIN_EDGE]
    cells = _cells(_intersections(edges, SNAP))
    by_cy = sorted(geom.chars, key=lambda c: c.cy)
    keys = [c.cy for c in by_cy]
    tables = []
    for group in _cells_to_tables(cells):
        table = _table(group, by_cy, keys)
        if table is not None:
            tables.append(table)
    return tables


def _intersections(edges: list[dict], tol: float) -> dict:
    """pdfplumber's ``edges_to_intersections`` (the same points, the same
    edges at each), with the edges sorted once instead of once per line."""
    out: dict = {}
    vs = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: (e["x0"], e["top"]))
    hs = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: (e["top"], e["x0"]))
    for v in vs:
        x, vt, vb = v["x0"], v["top"], v["bottom"]
        for h in hs:
            y = h["top"]
            if vt <= y + tol and vb >= y - tol and h["x0"] - tol <= x <= h["x1"] + tol:
                point = out.setdefault((x, y), {"v": [], "h": []})
                point["v"].append(v)
                point["h"].append(h)
    return out


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells`` (the same cells): each point's
    smallest cell whose four corners are points joined by the same ruling
    lines; the points below and to the right are looked up by column and row
    instead of by scanning every point after it."""

    def box(e: dict) -> tuple:
        return (e["x0"], e["top"], e["x1"], e["bottom"])

    vset = {p: {box(e) for e in d["v"]} for p, d in intersections.items()}
    hset = {p: {box(e) for e in d["h"]} for p, d in intersections.items()}
    points = sorted(intersections)
    col: dict[float, list] = {}
    row: dict[float, list] = {}
    for p in points:
        col.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)

    def connects(p: tuple, q: tuple) -> bool:
        return (p[0] == q[0] and not vset[p].isdisjoint(vset[q])) or (p[1] == q[1] and not hset[p].isdisjoint(hset[q]))

    at_col = {p: i for line in col.values() for i, p in enumerate(line)}
    at_row = {p: i for line in row.values() for i, p in enumerate(line)}
    cells = []
    for pt in points:
        below = col[pt[0]][at_col[pt] + 1 :]
        right = row[pt[1]][at_row[pt] + 1 :]
        found = None
        for b in below:
            if not connects(pt, b):
                continue
            for r in right:
                if not connects(pt, r):
                    continue
                corner = (r[0], b[1])
                if corner in intersections and connects(corner, r) and connects(corner, b):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's ``cells_to_tables`` (the same tables, top to bottom): the
    cells that touch at a corner, directly or through other cells, are one
    table; found in one pass (union–find over the corners) instead of pass
    after pass over the cells left."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[a] = b
    groups: dict[int, list[tuple]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _closing_sides(edges: list[dict]) -> list[dict]:
    """Vertical edges where three or more horizontal rules start or end.

    Many tables leave out their outer left and right borders; their first and
    last columns would then not be cells at all, and a row's label would come
    out apart from its values. Rules starting (or ending) together mark the
    side of a table, so a vertical edge is drawn there, unless some vertical
    line is drawn there already (then the side is not open, or it is an inner
    column border that a merged cell interrupts on purpose).
    """
    rules = [e for e in edges if e["orientation"] == "h"]
    verticals = [e for e in edges if e["orientation"] == "v"]
    out = []
    for side in ("x0", "x1"):
        for group in _aligned(rules, side):
            x = sum(g[side] for g in group) / len(group)
            top, bottom = min(g["top"] for g in group), max(g["top"] for g in group)
            if not any(abs(v["x0"] - x) <= SNAP and v["top"] < bottom and v["bottom"] > top for v in verticals):
                out.append({"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0, "height": bottom - top})
    return out


def _closing_rules(edges: list[dict]) -> list[dict]:
    """Horizontal rules where three or more vertical lines start or end together.

    A table cut by a page break often has no rule under its last row on the
    page, and no rule (or only part of one) over its first row on the next:
    that row's cells would not be cells, and their text would be lost. Column
    lines stopping together mark the table's edge there.
    """
    verticals = [e for e in edges if e["orientation"] == "v"]
    rules = [e for e in edges if e["orientation"] == "h"]
    out = []
    for side in ("top", "bottom"):
        for group in _aligned(verticals, side):
            y = sum(g[side] for g in group) / len(group)
            x0, x1 = min(g["x0"] for g in group), max(g["x0"] for g in group)
            covered = sum(
                max(0.0, min(r["x1"], x1) - max(r["x0"], x0)) for r in rules if abs(r["top"] - y) <= SNAP
            )
            if covered < 0.9 * (x1 - x0):
                out.append({"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0, "height": 0})
    return out


def _aligned(rules: list[dict], side: str) -> list[list[dict]]:
    """Groups of three or more rules whose ``side`` end lies within SNAP."""
    groups: list[list[dict]] = []
    for e in sorted(rules, key=lambda r: r[side]):
        if groups and e[side] - groups[-1][0][side] <= SNAP:
            groups[-1].append(e)
        else:
            groups.append([e])
    return [g for g in groups if len(g) >= 3]


def _table(cells: list[tuple], by_cy: list[Char], keys: list[float]) -> Table | None:
    rows: dict[float, list[tuple]] = {}
    for cell in cells:
        rows.setdefault(cell[1], []).append(cell)
    ordered = [sorted(rows[top]) for top in sorted(rows)]
    used: set[int] = set()
    rendered = [[_cell_text(cell, by_cy, keys, used) for cell in row] for row in ordered]
    if max(len(r) for r in rendered) < 2:
        return None  # a framed paragraph, not a table
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    lo, hi = bisect.bisect_left(keys, bbox[1]), bisect.bisect_right(keys, bbox[3])
    loose = [c for c in by_cy[lo:hi] if id(c) not in used and bbox[0] <= c.cx <= bbox[2] and c.text != " "]
    return Table(bbox=bbox, rows=rendered, spans=[[(c[0], c[2]) for c in row] for row in ordered], loose=loose)


def _cell_text(cell: tuple, by_cy: list[Char], keys: list[float], used: set[int]) -> str:
    x0, top, x1, bottom = cell
    lo, hi = bisect.bisect_left(keys, top), bisect.bisect_right(keys, bottom)
    inside = [c for c in by_cy[lo:hi] if x0 <= c.cx <= x1]
    if not inside:
        return ""
    used.update(id(c) for c in inside)
    return join_lines(_line_texts(inside))


def inside_any(char: Char, boxes: list[tuple[float, float, float, float]]) -> bool:
    return any(b[0] <= char.cx <= b[2] and b[1] <= char.cy <= b[3] for b in boxes)


def outside(chars: list[Char], boxes: list[tuple[float, float, float, float]]) -> list[Char]:
    """``chars`` whose centre lies in none of ``boxes`` (in their order)."""
    for x0, top, x1, bottom in boxes:
        chars = [c for c in chars if not (x0 <= c.cx <= x1 and top <= c.cy <= bottom)]
    return chars


# --- lines of text ------------------------------------------------------------------------


def text_lines(chars: list[Char]) -> list[Line]:
    """Characters → lines, top to bottom; a line's characters left to right.

    A character joins a line when its vertical centre lies within the line's
    band. Duplicates drawn on top of each other (fake bold) are dropped; a
    space is kept where the PDF has one or where a gap wider than half a
    character separates two characters (positioned columns).
    """
    lines = []
    for band in _bands(chars):
        groups = _groups(band)
        if groups:
            words = [Word("".join([c.text for c in g]), g[0].x0, g[-1].x1) for g in groups]
            lines.append(
                Line(
                    text=" ".join([w.text for w in words]),
                    top=min([c.top for c in band]),
                    bottom=max([c.bottom for c in band]),
                    x0=band[0].x0,
                    x1=max([c.x1 for c in band]),
                    size=max([c.size for c in band]),
                    words=words,
                )
            )
    return lines


def _line_texts(chars: list[Char]) -> list[str]:
    """The texts of ``text_lines(chars)`` (without building the lines: a cell's text)."""
    out = []
    for band in _bands(chars):
        groups = _groups(band)
        if groups:
            out.append(" ".join(["".join([c.text for c in g]) for g in groups]))
    return out


def _bands(chars: list[Char]) -> list[list[Char]]:
    """The characters in lines (see ``text_lines``), top to bottom, each left to right."""
    ordered = sorted(chars, key=_BY_CY_X0)
    if not ordered:
        return []
    first = ordered[0]
    band = [first]
    bands = [band]
    add = band.append
    ref_cy, ref_size = first.cy, first.size
    for ch in ordered[1:]:
        size = ch.size
        near = (ref_size if ref_size > size else size) * 0.45
        if -near <= ch.cy - ref_cy <= near:
            add(ch)
            continue
        band = [ch]
        bands.append(band)
        add = band.append
        ref_cy, ref_size = ch.cy, size
    for band in bands:
        if len(band) > 1:
            band.sort(key=_BY_X0)
    return bands


_BY_CY_X0 = attrgetter("cy", "x0")
_BY_X0 = attrgetter("x0")


def _drawn_over(ch: Char, prev: Char) -> bool:
    """The same glyph drawn again over itself: same character, same line, and
    offset by a fraction of its width (fake bold). Repeated digits side by
    side ("550", "7730.28") are a full advance apart and are both kept."""
    if ch.text != prev.text:
        return False
    width = max(prev.x1 - prev.x0, ch.x1 - ch.x0, 0.1)
    return abs(ch.x0 - prev.x0) < 0.3 * width and abs(ch.cy - prev.cy) < 0.3 * max(ch.size, prev.size)


def _words(chars: list[Char]) -> list[Word]:
    return [Word("".join([c.text for c in g]), g[0].x0, g[-1].x1) for g in _groups(chars)]


def _groups(chars: list[Char]) -> list[list[Char]]:
    """A line's characters (left to right) → its words' characters: split at
    a space and at a gap wider than half a character; fake bold dropped."""
    groups: list[list[Char]] = []
    cur: list[Char] = []
    for ch in chars:
        if ch.text == " ":
            if cur:
                groups.append(cur)
                cur = []
            continue
        if cur:
            prev = cur[-1]
            if ch.text == prev.text and _drawn_over(ch, prev):
                continue  # the same glyph drawn twice (fake bold)
            if ch.x0 - prev.x1 > ch.size * 0.5:
                groups.append(cur)
                cur = []
        cur.append(ch)
    if cur:
        groups.append(cur)
    return groups
