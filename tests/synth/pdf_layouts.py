"""Synthetic reports as PDFs, written by hand (no PDF library), in the ways
real producers write them.

The tables are the harness's own grids (``render``: the national format's
labels, header rows, merged cells); here they are laid out on pages with
ruling lines around every cell, wrapped labels, page footers ``- N -`` and
tables running over page breaks. The text uses the standard Chinese font
``STSong-Light`` (``UniGB-UCS2-H``: no font file needed; PDFium maps its codes
to Unicode), ASCII half width.

Layouts (registered in ``render.LAYOUTS``):

- ``pdf_ruled``: as Word or LibreOffice export: one text object per line,
  in reading order; the requests table runs over a page break with its three
  header rows repeated on the next page.
- ``pdf_ruled_28rows_8cols``: the same with subtotal rows and an 8th column.
- ``pdf_wps_glyphs``: as WPS exports: every glyph its own text object,
  positioned by a text matrix scaled by 0.05 with the font size twenty times
  too large (so the size PDFium reports is in text space), headings drawn
  twice half a point apart (fake bold), and the text objects of each page
  written out of reading order (cells and lines shuffled).
- ``pdf_landscape``: landscape pages (842 × 595), the table split over pages
  without its header repeated.
- ``pdf_rotated``: the same landscape pages as portrait pages turned by
  ``/Rotate 90``, the content drawn turned back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .render import Cell, Grid, Options, Values, _grids, narrative, placed

FONT_SIZE = 12.0
TABLE_SIZE = 9.0
LINE = 1.5  # line height, in font sizes
PAD = 2.5  # points between a cell's border and its text


def text_width(text: str, size: float) -> float:
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text) * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (character by character: Chinese has no spaces)."""
    lines, cur = [], ""
    for ch in text:
        if cur and text_width(cur + ch, size) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur] if cur else lines or [""]


def _hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


@dataclass
class Style:
    glyphs: bool = False  # every glyph its own text object, WPS matrix, shuffled order, fake bold
    width: float = 595.0
    height: float = 842.0
    repeat_header: bool = True
    # Drawn on a portrait page turned by /Rotate 90 (the content turned back with a matrix),
    # as some producers make landscape pages.
    rotate: bool = False


@dataclass
class Page:
    number: int
    lines: list[str] = field(default_factory=list)  # ruling-line operators
    texts: list[list[str]] = field(default_factory=list)  # text objects, one list per line of text


class Writer:
    """Lays out text and tables top to bottom over as many pages as needed."""

    def __init__(self, style: Style, rng: random.Random):
        self.style, self.rng = style, rng
        self.left, self.right = 56.0, style.width - 56.0
        self.top, self.bottom = 64.0, style.height - 72.0
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    # -- pages
    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages) + 1))
        self.y = self.top

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def room(self) -> float:
        return self.bottom - self.y

    # -- text
    def text(self, x: float, top: float, text: str, size: float, bold: bool = False) -> None:
        """One line of text whose box starts at (x, top) in top-down coordinates."""
        baseline = self.style.height - (top + 0.88 * size)
        objs = []
        if not self.style.glyphs:
            objs.append(f"BT /F1 {size:g} Tf 1 0 0 1 {x:.2f} {baseline:.2f} Tm {_hex(text)} Tj ET")
        else:
            at = x
            for ch in text:
                for dx in ((0.0, 0.5) if bold else (0.0,)):
                    # WPS: the font size twenty times too large, the matrix scaling it back.
                    objs.append(f"BT /F1 {size * 20:g} Tf 0.05 0 0 0.05 {at + dx:.2f} {baseline:.2f} Tm {_hex(ch)} Tj ET")
                at += text_width(ch, size)
        self.page.texts.append(objs)

    def paragraph(self, text: str, size: float = FONT_SIZE, indent: bool = True, bold: bool = False) -> None:
        first = ("\u3000\u3000" if indent else "") + text
        for line in wrap(first, self.right - self.left, size):
            if self.room() < LINE * size:
                self.new_page()
            self.text(self.left, self.y, line, size, bold)
            self.y += LINE * size

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        h = self.style.height
        self.page.lines.append(f"{x0:.2f} {h - y0:.2f} m {x1:.2f} {h - y1:.2f} l S")

    # -- tables
    def table(self, grid: Grid, widths: list[float], header_rows: int = 0) -> None:
        """``grid`` with ruling lines around every cell; rows that do not fit
        go to the next page (header rows repeated there when the style says so)."""
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w)
        cells = placed(grid)
        lines = {id(c): wrap(c.text, xs[x + c.colspan] - xs[x] - 2 * PAD, TABLE_SIZE) for _, x, c in cells}
        lh = LINE * TABLE_SIZE * 0.85
        heights = [lh + 2 * PAD] * len(grid)
        for y, _, c in cells:
            if c.rowspan == 1:
                heights[y] = max(heights[y], len(lines[id(c)]) * lh + 2 * PAD)
        for y, _, c in cells:
            need = len(lines[id(c)]) * lh + 2 * PAD
            have = sum(heights[y : y + c.rowspan])
            if need > have:
                heights[y + c.rowspan - 1] += need - have
        starts = {}
        for y, x, c in cells:
            starts.setdefault(y, []).append((x, c))
        # Where each row is drawn: (page index, top).
        where: list[tuple[int, float]] = []
        y = 0
        while y < len(grid):
            # A merged cell's text goes where the cell starts: it must fit on that page.
            need = max([heights[y]] + [len(lines[id(c)]) * lh + 2 * PAD for _, c in starts.get(y, [])])
            if self.room() < need and y > 0 and y >= header_rows:
                self._footer()
                self.new_page()
                if self.style.repeat_header and header_rows:
                    for hy in range(header_rows):
                        self._draw_row(grid, starts, hy, xs, lines, lh, heights, {hy: (len(self.pages) - 1, self.y)}, full=True)
                        self.y += heights[hy]
            where.append((len(self.pages) - 1, self.y))
            self.y += heights[y]
            y += 1
        # Cells: text where they start, borders on every page they cover.
        for y, x, c in cells:
            page_i, top = where[y]
            self._cell_text(self.pages[page_i], xs, x, c, top, lines[id(c)], lh)
            rows = range(y, y + c.rowspan)
            by_page: dict[int, list[int]] = {}
            for r in rows:
                by_page.setdefault(where[r][0], []).append(r)
            for p, rs in by_page.items():
                t, b = where[rs[0]][1], where[rs[-1]][1] + heights[rs[-1]]
                x0, x1 = xs[x], xs[x + c.colspan]
                self._box(self.pages[p], x0, t, x1, b)
        self.y += 8

    def _draw_row(self, grid, starts, hy, xs, lines, lh, heights, where, full: bool) -> None:
        page_i, top = where[hy]
        for x, c in starts.get(hy, []):
            b = top + sum(heights[hy : hy + c.rowspan])
            self._cell_text(self.pages[page_i], xs, x, c, top, lines[id(c)], lh)
            self._box(self.pages[page_i], xs[x], top, xs[x + c.colspan], b)

    def _cell_text(self, page: Page, xs, x: int, c: Cell, top: float, lines: list[str], lh: float) -> None:
        saved = self.pages[-1]
        self.pages[-1] = page  # draw on the page where the cell starts
        try:
            width = xs[x + c.colspan] - xs[x]
            for i, line in enumerate(lines):
                w = text_width(line, TABLE_SIZE)
                left = xs[x] + (width - w) / 2 if len(lines) == 1 else xs[x] + PAD
                self.text(left, top + PAD + i * lh, line, TABLE_SIZE)
        finally:
            self.pages[-1] = saved

    def _box(self, page: Page, x0: float, t: float, x1: float, b: float) -> None:
        h = self.style.height
        page.lines.append(f"{x0:.2f} {h - t:.2f} {x1 - x0:.2f} {t - b:.2f} re S")

    def _footer(self) -> None:
        label = f"- {self.page.number} -"
        self.text((self.style.width - text_width(label, 10)) / 2, self.style.height - 48, label, 10)

    # -- the file
    def pdf(self) -> bytes:
        self._footer()
        font = (
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
            "[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 /W [1 95 500] "
            "/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
            "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> >>] >>"
        )
        objs: list[str] = ["<< /Type /Catalog /Pages 2 0 R >>", "", font]
        kids = []
        for page in self.pages:
            texts = list(page.texts)
            if self.style.glyphs:
                self.rng.shuffle(texts)  # out of reading order, as WPS writes them
            ops = ["0.5 w"] + page.lines + [op for objs_ in texts for op in objs_]
            box = f"/MediaBox [0 0 {self.style.width:g} {self.style.height:g}]"
            if self.style.rotate:
                ops = [f"q 0 1 -1 0 {self.style.height:g} 0 cm"] + ops + ["Q"]
                box = f"/MediaBox [0 0 {self.style.height:g} {self.style.width:g}] /Rotate 90"
            content = "\n".join(ops)
            objs.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
            objs.append(
                f"<< /Type /Page /Parent 2 0 R {box} "
                f"/Contents {len(objs)} 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
            )
            kids.append(f"{len(objs)} 0 R")
        objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
        out = "%PDF-1.4\n"
        offsets = []
        for i, body in enumerate(objs, 1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n{body}\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
        out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        return out.encode("ascii")


def _widths(grid: Grid, total: float, labels: list[float]) -> list[float]:
    """Column widths: the label columns as given (shares of ``total``), the value columns sharing the rest."""
    ncols = sum(c.colspan for c in grid[0])
    label_w = [total * share for share in labels]
    rest = (total - sum(label_w)) / (ncols - len(labels))
    return label_w + [rest] * (ncols - len(labels))


def pdf_report(tables: dict, rng: random.Random, opts: Options, style: Style, fmt: Values | None = None) -> bytes:
    story = narrative(tables, rng)
    grids = _grids(tables, fmt or Values(rng, opts), opts)
    w = Writer(style, rng)
    title = story.title
    split = title.index(str(story.year))
    w.paragraph(title[:split], size=16, indent=False, bold=True)
    w.paragraph(title[split:], size=16, indent=False, bold=True)
    w.paragraph(story.intro())
    total = w.right - w.left
    for heading, prose in story.sections():
        w.paragraph(heading, indent=False, bold=True)
        if prose:
            w.paragraph(prose)
        grid = grids.get(heading)
        if grid is None:
            continue
        if heading.startswith("二"):
            w.table(grid, _widths(grid, total, [0.34]))
        elif heading.startswith("三"):
            w.table(grid, _widths(grid, total, [0.06, 0.12, 0.30]), header_rows=3)
        else:
            w.table(grid, [total / 15] * 15)
    w.paragraph(story.organ, indent=False)
    w.paragraph(f"{story.year + 1}年1月20日", indent=False)
    return w.pdf()


def _pdf(opts: Options | None = None, style: Style | None = None):
    opts, style = opts or Options(), style or Style()

    def make(tables, rng, fmt):
        return pdf_report(tables, rng, opts, style, fmt), set()

    return make, opts


PDF_LAYOUTS = {
    "pdf_ruled": (_pdf(), "pdf"),
    "pdf_ruled_28rows_8cols": (_pdf(Options(subtotals=True, col8=True)), "pdf"),
    "pdf_wps_glyphs": (_pdf(style=Style(glyphs=True)), "pdf"),
    "pdf_landscape": (_pdf(style=Style(width=842.0, height=595.0, repeat_header=False)), "pdf"),
    "pdf_rotated": (_pdf(style=Style(width=842.0, height=595.0, rotate=True)), "pdf"),
}
