"""Whole reports, in the layouts real ones arrive in, around given tables.

Every table is first built as a ``Grid``: rows of cells with HTML's
``rowspan``/``colspan`` meaning (a row lists only the cells that start in it),
the national format's real labels and header rows. The layouts then write that
grid as text: ``|``-separated rows, tabs, one cell per line, Markdown, glued
crawler text or an HTML page. ``pdftotext -layout`` output is drawn apart, by
display columns, since it has wrapped labels and vertical margin labels.

``render(layout, tables, rng)`` returns a ``Rendered``: the bytes, the tables
the bytes state (the truth to score against) and the cells the rendering made
genuinely undecidable (glued runs the arithmetic cannot split): those may come
back null or flagged without counting as failures.
"""

from __future__ import annotations

import copy
import html
import random
import unicodedata
from dataclasses import dataclass, field

from parsing.model.schema import ACTIVE_2021, APPLICANT_COLUMNS, OUTCOME_GROUPS, REQUESTS, REVIEWS

from .tables import APPLICANTS, legal_entity_subtotal, subtotals

# --- options and cells ---------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """Variants of the national format some reports print."""

    subtotals: bool = False  # 小计 rows for (三)(四)(五)(六): 28 rows instead of 25
    col8: bool = False  # an 8th column 法人或其他组织小计
    annotate: bool = False  # `22（其中修订16件）` in the normative documents row
    fullwidth: bool = False  # some cells in full-width digits
    thousands: bool = False  # `1,234`
    numbering: bool = False  # `4 .无正当理由…`, `3、其他`
    halfwidth_parens: bool = False  # `(一)予以公开` as luding prints them
    blanks: float = 0.0  # share of count cells left blank or written `—`, `/`, `无` (truth: null)
    ocr: float = 0.0  # share of count cells with OCR look-alikes (`O` for 0, `l` for 1)
    page_break: bool = False  # a page footer and the header repeated inside the requests table
    stray_spaces: bool = False  # `社会公 益组织`, `本年度办 理结果` in text layouts
    shuffle: bool = False  # outcome rows out of order within their group (as OCR'd reports come)
    layout_table: bool = False  # HTML: the article inside a page-layout <table>
    split_table: bool = False  # HTML: the requests table cut in two <table>s, its header repeated


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Cell]]


@dataclass
class Rendered:
    data: bytes
    name: str
    tables: dict
    undecidable: set[str] = field(default_factory=set)


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


_BLANKS = ("", "", "—", "-", "/", "无")
_LOOKALIKES = str.maketrans("01", "Ol")


class Values:
    """Writes a table's numbers as the chosen variants print them.

    ``blanked`` collects the standard cells written blank (their truth is null).
    """

    def __init__(self, rng: random.Random, opts: Options):
        self.rng, self.opts = rng, opts
        self.blanked: set[str] = set()

    def __call__(self, v, path: str = "") -> str:
        if isinstance(v, str):  # fees: a decimal string, as written
            return v
        if self.opts.blanks and path.count(".") == 2 and self.rng.random() < self.opts.blanks:
            self.blanked.add(path)
            return self.rng.choice(_BLANKS)
        if self.opts.ocr and self.rng.random() < self.opts.ocr:
            return str(v).translate(_LOOKALIKES)
        text = f"{v:,}" if self.opts.thousands and v >= 1000 else str(v)
        if self.opts.annotate and path == "active.normative_documents.issued" and v:
            text += f"（其中修订{self.rng.randint(0, v)}件）"
        if self.opts.annotate and path == "active.normative_documents.in_force" and v:
            text += f"（含自然失效{self.rng.randint(0, v)}件）"
        if self.opts.fullwidth and self.rng.random() < 0.25:
            text = text.translate(_FULLWIDTH)
        return text


def _parens(label: str, opts: Options) -> str:
    return label.replace("（", "(").replace("）", ")") if opts.halfwidth_parens else label


# --- the three grids -------------------------------------------------------------

_FEE_HEADER = "本年收费金额（单位：万元）"


def active_grid(active: dict, fmt: Values, opts: Options) -> Grid:
    """二、主动公开政府信息情况: four columns, a heading row per 第二十条 item."""
    grid: Grid = []
    groups = (("第二十条第（一）项", ("rules", "normative_documents")),
              ("第二十条第（五）项", ("licensing",)),
              ("第二十条第（六）项", ("punishment", "enforcement")),
              ("第二十条第（八）项", ("fees",)))
    for heading, rows in groups:
        grid.append([Cell(_parens(heading, opts), colspan=4)])
        cols = ACTIVE_2021.columns_of(rows[0])
        if len(cols) == 3:
            grid.append([Cell("信息内容")] + [Cell(c.label) for c in cols])
        else:
            grid.append([Cell("信息内容"), Cell(_FEE_HEADER if rows[0] == "fees" else cols[0].label, colspan=3)])
        for row in rows:
            label = ACTIVE_2021.row(row).short
            values = [fmt(active[row][c.key], f"active.{row}.{c.key}") for c in cols]
            if len(values) == 3:
                grid.append([Cell(label)] + [Cell(v) for v in values])
            else:
                grid.append([Cell(label), Cell(values[0], colspan=3)])
    return grid


_FOOTERS = ("- 4 -", "— 5 —", "第 6 页", "-7-")
INSTRUCTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_GROUP_LABELS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "rejected": "（五）不予处理", "other": "（六）其他处理"}
_RESULTS = "三、本年度办理结果"


def request_label(row: str, opts: Options) -> str:
    """The row's own label (without its group), numbering variants applied."""
    label = REQUESTS.row(row).label
    label = label.split(" ", 1)[1] if " " in label else label.replace(_RESULTS, "")
    if opts.numbering:
        label = label.replace("4.无正当理由", "4 .无正当理由").replace("3.其他", "3、其他")
    return _parens(label, opts)


def request_columns(opts: Options) -> list[str]:
    cols = list(APPLICANTS)
    if opts.col8:
        cols.append("legal_entity_subtotal")
    return cols + ["total"]


def _request_values(requests: dict, row: str, fmt: Values, opts: Options, source: dict | None = None) -> list[Cell]:
    values = (source or requests)[row]
    out = []
    for c in request_columns(opts):
        v = legal_entity_subtotal(values) if c == "legal_entity_subtotal" else values[c]
        out.append(Cell(fmt(v, f"requests.{row}.{c}")))
    return out


def _row_order(rng: random.Random, opts: Options) -> list[str]:
    """The requests rows in printing order: the format's, or shuffled within each group."""
    rows = [r.key for r in REQUESTS.rows]
    if not opts.shuffle:
        return rows
    blocks = [["new_received"], ["carried_over"], ["granted", "partially_granted"],
              *[list(g) for g in OUTCOME_GROUPS.values()], ["total"], ["carried_forward"]]
    for block in blocks:
        rng.shuffle(block)
    return [r for block in blocks for r in block]


def requests_header(opts: Options) -> Grid:
    org = len(APPLICANTS) - 1 + opts.col8
    return [
        [Cell(INSTRUCTION, rowspan=3, colspan=3), Cell("申请人情况", colspan=org + 2)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=org), Cell("总计", rowspan=2)],
        [Cell(c.label) for c in APPLICANT_COLUMNS[1:]] + ([Cell("小计")] if opts.col8 else []),
    ]


def requests_grid(requests: dict, fmt: Values, opts: Options) -> Grid:
    grid = _requests_rows(requests, fmt, opts)
    if opts.page_break:  # text layouts only: the spans of a repeated header mean nothing here
        at = fmt.rng.randint(6, len(grid) - 4)
        grid[at:at] = [[Cell(fmt.rng.choice(_FOOTERS))]] + requests_header(opts)
    return grid


def _requests_rows(requests: dict, fmt: Values, opts: Options) -> Grid:
    """三、收到和处理…: three label columns (result / group / item), then the values."""
    grid = requests_header(opts)
    sub = subtotals(requests)
    group_of = {r: g for g, rows in OUTCOME_GROUPS.items() for r in rows}
    n_results = 21 + 4 * opts.subtotals + 1  # the outcome rows, subtotals and (七)总计
    seen_groups: set[str] = set()
    results_started = False
    for row in _row_order(fmt.rng, opts):
        cells: list[Cell] = []
        if row in ("new_received", "carried_over", "carried_forward"):
            cells.append(Cell(request_label(row, opts), colspan=3))
        else:
            if not results_started:
                results_started = True
                cells.append(Cell(_parens(_RESULTS, opts), rowspan=n_results))
            group = group_of.get(row)
            if group is None:
                cells.append(Cell(request_label(row, opts), colspan=2))
            else:
                if group not in seen_groups:
                    seen_groups.add(group)
                    span = len(OUTCOME_GROUPS[group]) + opts.subtotals
                    cells.append(Cell(_parens(_GROUP_LABELS[group], opts), rowspan=span))
                    if opts.subtotals:
                        grid.append(cells + [Cell("小计")] + _request_values(sub, f"subtotal_{group}", fmt, opts))
                        cells = []
                cells.append(Cell(request_label(row, opts)))
        grid.append(cells + _request_values(requests, row, fmt, opts))
    return grid


REVIEW_COLUMN_LABELS = tuple(c.label for c in REVIEWS.columns)


def reviews_grid(reviews: dict, fmt: Values, opts: Options) -> Grid:
    """四、…行政复议、行政诉讼情况: a two-level header, then one row of 15 numbers."""
    values = [Cell(fmt(reviews[r.key][c.key], f"reviews.{r.key}.{c.key}")) for r in REVIEWS.rows for c in REVIEWS.columns]
    return [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(label, rowspan=2) for label in REVIEW_COLUMN_LABELS] + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(label) for label in REVIEW_COLUMN_LABELS * 2],
        values,
    ]


# --- the narrative around the tables ----------------------------------------------

ORGANS = ("某某市某某区人民政府某某街道办事处", "某某县人民政府", "某某市生态环境局", "某某县自然资源局", "某某镇人民政府")


@dataclass
class Narrative:
    """The prose of a report: title, intro and the statutory sections' headings and text."""

    organ: str
    year: int
    new_total: int

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def intro(self) -> str:
        return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号文件要求编制。"
                f"本报告中所列数据的统计期限自{self.year}年1月1日起至{self.year}年12月31日止。")

    def sections(self) -> list[tuple[str, str]]:
        """(heading, prose) for 一 … 六; the tables go after 二, 三 and 四."""
        return [
            ("一、总体情况", f"{self.year}年，{self.organ}认真贯彻落实《条例》，全面推进政务公开工作。"
                            f"全年共收到政府信息公开申请{self.new_total}件，均已依法答复。"),
            ("二、主动公开政府信息情况", ""),
            ("三、收到和处理政府信息公开申请情况", ""),
            ("四、政府信息公开行政复议、行政诉讼情况", ""),
            ("五、存在的主要问题及改进情况", "一是公开内容不够全面；二是解读形式较为单一。下一步将加强培训，提升公开质量。"),
            ("六、其他需要报告的事项", "本年度未收取信息处理费。"),
        ]


def narrative(tables: dict, rng: random.Random) -> Narrative:
    return Narrative(rng.choice(ORGANS), rng.randint(2021, 2025), tables["requests"]["new_received"]["total"])


def _grids(tables: dict, fmt: Values, opts: Options) -> dict[str, Grid]:
    return {
        "二、主动公开政府信息情况": active_grid(tables["active"], fmt, opts),
        "三、收到和处理政府信息公开申请情况": requests_grid(tables["requests"], fmt, opts),
        "四、政府信息公开行政复议、行政诉讼情况": reviews_grid(tables["reviews"], fmt, opts),
    }


def text_report(tables: dict, rng: random.Random, opts: Options, write_grid, fmt: Values | None = None) -> str:
    """A plain-text report whose tables ``write_grid(grid) -> str`` lays out."""
    story = narrative(tables, rng)
    grids = _grids(tables, fmt or Values(rng, opts), opts)
    if opts.stray_spaces:
        grids = {k: [[_stray(c, rng) for c in row] for row in g] for k, g in grids.items()}
    parts = [story.title, story.intro()]
    for heading, prose in story.sections():
        parts.append(heading)
        if prose:
            parts.append(prose)
        if heading in grids:
            parts.append(write_grid(grids[heading]))
    return "\n".join(parts) + "\n"


# --- grid writers for text layouts ----------------------------------------------


def write_pipes(grid: Grid) -> str:
    return "\n".join(" | ".join(c.text for c in row) + " |" for row in grid)


def write_tabs(grid: Grid) -> str:
    return "\n".join("\t".join(c.text for c in row) for row in grid)


def write_cells_per_line(grid: Grid, row_marks: bool = True) -> str:
    """One cell per line, ``text |``; ``row_marks``: a ``|||`` line ends each row (as 2024-linzi)."""
    lines = []
    for row in grid:
        if len(row) == 1 and row[0].text in _FOOTERS:  # a page footer is no cell of the table
            lines.append(row[0].text)
            continue
        lines += [f"{c.text} |" for c in row]
        if row_marks:
            lines.append("|||")
    return "\n".join(lines)


def placed(grid: Grid) -> list[tuple[int, int, Cell]]:
    """Every cell with the row and column where it starts, spans taken into account."""
    taken: set[tuple[int, int]] = set()
    out = []
    for y, row in enumerate(grid):
        x = 0
        for cell in row:
            while (y, x) in taken:
                x += 1
            out.append((y, x, cell))
            taken.update((y + dy, x + dx) for dy in range(cell.rowspan) for dx in range(cell.colspan))
            x += cell.colspan
    return out


def expand(grid: Grid) -> list[list[str]]:
    """The grid as a full matrix: a spanned cell's text in its top-left position, "" elsewhere."""
    width = sum(c.colspan for c in grid[0])
    out = [[""] * width for _ in grid]
    for y, x, cell in placed(grid):
        out[y][x] = cell.text
    return out


def write_markdown(grid: Grid) -> str:
    rows = expand(grid)
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n" + "\n".join(lines) + "\n"


def write_glued(grid: Grid) -> str:
    return "".join(c.text for row in grid for c in row)


# --- glued text: which runs of digits the arithmetic cannot split ------------------


def _splits(digits: str, parts: int):
    """Every way to cut ``digits`` into ``parts`` numbers without leading zeros."""
    if parts == 1:
        if digits and (digits == "0" or not digits.startswith("0")):
            yield (int(digits),)
        return
    for i in range(1, len(digits)):
        head = digits[:i]
        if head != "0" and head.startswith("0"):
            break
        for rest in _splits(digits[i:], parts - 1):
            yield (int(head),) + rest


def _count_balanced_groups(digits: str, groups: int, limit: int = 2) -> int:
    """How many ways (up to ``limit``) ``digits`` reads as ``groups`` runs of four numbers and their sum."""
    if groups == 0:
        return 1 if not digits else 0
    found = 0
    for i in range(1, len(digits)):
        for four in _splits(digits[:i], 4):
            total = str(sum(four))
            if digits.startswith(total, i):
                found += _count_balanced_groups(digits[i + len(total):], groups - 1, limit - found)
                if found >= limit:
                    return found
    return found


def _row_splits(vals: dict, col8: bool) -> int:
    """How many splits of a glued requests row satisfy its row sums (the 8th column's too)."""
    if col8:
        run = "".join(str(v) for v in [vals[c] for c in APPLICANTS] + [legal_entity_subtotal(vals), vals["total"]])
        return sum(1 for s in _splits(run, 8) if s[7] == sum(s[:6]) and s[6] == sum(s[1:6]))
    run = "".join(str(vals[c]) for c in APPLICANTS + ("total",))
    return sum(1 for s in _splits(run, 7) if s[-1] == sum(s[:-1]))


def glued_undecidable(tables: dict, col8: bool = False) -> set[str]:
    """Cells of glued rows with more than one split the format's arithmetic allows."""
    out: set[str] = set()
    req = tables["requests"]
    for row, vals in req.items():
        if _row_splits(vals, col8) > 1:
            out.update(f"requests.{row}.{c}" for c in vals)
    for row in ("rules", "normative_documents"):
        vals = tables["active"][row]
        if sum(1 for _ in _splits("".join(str(v) for v in vals.values()), 3)) > 1:
            out.update(f"active.{row}.{c}" for c in vals)
    run = "".join(str(tables["reviews"][r.key][c.key]) for r in REVIEWS.rows for c in REVIEWS.columns)
    if _count_balanced_groups(run, 3) > 1:
        out.update(f"reviews.{r.key}.{c.key}" for r in REVIEWS.rows for c in REVIEWS.columns)
    return out


def glued_report(tables: dict, rng: random.Random, opts: Options) -> str:
    """Crawler text: a header block, then the whole article on one line (as pingtan-2023)."""
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    body = [story.intro()]
    for heading, prose in story.sections():
        body.append(heading + (write_glued(grids[heading]) if heading in grids else prose))
    head = f"标题: {story.title}\n发布机构: {story.organ}\n==================== 正文 ====================\n"
    return head + " ".join(body) + "\n"


# --- HTML -----------------------------------------------------------------------

_STRAY = {"社会公益组织": "社会公 益组织", "三、本年度办理结果": "三、本年度办 理结果", "尚未审结": "尚未 审结"}


def _stray(cell: Cell, rng: random.Random) -> Cell:
    """The cell with a stray space inside its label, half the time (as word processors leave them)."""
    if cell.text in _STRAY and rng.random() < 0.5:
        return Cell(_STRAY[cell.text], cell.rowspan, cell.colspan)
    return cell


def _html_cell(cell: Cell, rng: random.Random) -> str:
    attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
    text = _stray(cell, rng).text
    inner = html.escape(text) if text else "&nbsp;"
    if len(text) > 10 and not text[0].isdigit() and rng.random() < 0.3:  # a label broken by <br>
        cut = rng.randint(4, len(text) - 3)
        inner = html.escape(text[:cut]) + "<br/>" + html.escape(text[cut:])
    if len(text) > 1 and text.isdigit() and rng.random() < 0.3:  # Word's HTML parts a number's digits
        inner = f"<span>{text[:1]}</span><span>{text[1:]}</span>"
    if rng.random() < 0.7:
        inner = f'<p style="text-align:center"><span style="font-size:14px">{inner}</span></p>'
    return f"<td{attrs}>{inner}</td>"


def write_html_table(grid: Grid, rng: random.Random) -> str:
    rows = "\n".join("<tr>" + "".join(_html_cell(c, rng) for c in row) + "</tr>" for row in grid)
    return f'<table border="1" cellspacing="0" width="600">\n<tbody>\n{rows}\n</tbody>\n</table>'


def _html_tables(grid: Grid, rng: random.Random, opts: Options) -> str:
    """One table, or (``split_table``, the requests table) two, the second repeating the header."""
    if not (opts.split_table and grid[0][0].text == INSTRUCTION):
        return write_html_table(grid, rng)
    at = rng.randint(8, len(grid) - 4)
    head = requests_header(opts)
    first = [[Cell(c.text, min(c.rowspan, at - y), c.colspan) for c in row] for y, row in enumerate(grid[:at])]
    rest = _reopen_spans(grid, at)
    return write_html_table(first, rng) + "\n<p>&nbsp;</p>\n" + write_html_table(head + rest, rng)


def _reopen_spans(grid: Grid, at: int) -> Grid:
    """Rows ``at``… of a grid; labels spanning down across the cut start again in its first row."""
    out: Grid = [[] for _ in grid[at:]]
    for y, _, cell in sorted(placed(grid), key=lambda p: (p[0] >= at, p[0], p[1])):
        if y >= at:
            out[y - at].append(cell)
        elif y + cell.rowspan > at:
            out[0].append(Cell(cell.text, y + cell.rowspan - at, cell.colspan))
    return out


def html_report(tables: dict, rng: random.Random, opts: Options, charset: str, fmt: Values | None = None) -> str:
    """A government page: navigation, scripts and a footer around the article."""
    story = narrative(tables, rng)
    grids = _grids(tables, fmt or Values(rng, opts), opts)
    body = [f"<p>{html.escape(story.intro())}</p>"]
    for heading, prose in story.sections():
        body.append(f"<p><strong>{heading}</strong></p>")
        if prose:
            body.append(f"<p>&nbsp;&nbsp;{html.escape(prose)}</p>")
        if heading in grids:
            body.append(_html_tables(grids[heading], rng, opts))
    article = "\n".join(body)
    if opts.layout_table:
        article = f'<table width="100%" class="layout"><tr><td class="content">\n{article}\n</td></tr></table>'

    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{story.title}">
<meta name="PubDate" content="{story.year + 1}-01-20 09:00">
<meta name="ContentSource" content="{story.organ}">
<title>{story.title}_{story.organ}</title>
<script>var _hmt = _hmt || []; document.write("<div>统计代码</div>");</script>
</head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article"><h1>{story.title}</h1>
<div class="info">发布时间：{story.year + 1}-01-20 来源：{story.organ}</div>
<div class="TRS_Editor">
{article}
</div></div>
<div class="footer">主办：{story.organ} 网站标识码：1234567890 ICP备案号：某ICP备12345678号</div>
</body></html>
"""


# --- pdftotext -layout --------------------------------------------------------------


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def width(s: str) -> int:
    return display_width(s) if Canvas.display else len(s)


class Canvas:
    """Lines of text where strings are placed at columns.

    Real ``pdftotext -layout`` output places text by character index (a CJK
    character takes one column, see tests/fixtures/layouts/
    pdftotext-layout-real-no-borders.txt); ``display=True`` aligns by display
    width instead, as text laid out by hand in an editor is.
    """

    display = False

    def __init__(self):
        self.lines: list[str] = []

    def new(self) -> int:
        self.lines.append("")
        return len(self.lines) - 1

    def put(self, y: int, x: int, s: str, right: bool = False) -> None:
        if right:
            x -= width(s)
        line = self.lines[y]
        line += " " * max(1 if line else 0, x - width(line))
        self.lines[y] = line + s


_MARGIN, _GROUP_X, _ITEM_X, _VAL_X, _VAL_W = 4, 8, 20, 50, 8


def _wrap(s: str, chars: int) -> list[str]:
    return [s[i:i + chars] for i in range(0, len(s), chars)] or [""]


def _spread(label: str, lines: list[int]) -> list[tuple[int, str]]:
    """A label written down the margin over ``lines``: one char a line, or chunks if too few lines."""
    per = -(-len(label) // len(lines))
    return [(y, label[i * per:(i + 1) * per]) for i, y in enumerate(lines) if label[i * per:(i + 1) * per]]


def _pdf_request_header(c: Canvas, opts: Options) -> None:
    cols = request_columns(opts)
    top = ("自然人", "商业", "科研", "社会公", "法律服", "其他") + (("小计",) if opts.col8 else ()) + ("总计",)
    bottom = ("", "企业", "机构", "益组织", "务机构", "") + (("",) if opts.col8 else ()) + ("",)
    y = c.new()
    c.put(y, _VAL_X + _VAL_W * 3, "申请人情况")
    y = c.new()
    c.put(y, _MARGIN, INSTRUCTION[:17])
    c.put(y, _VAL_X + _VAL_W * 2, "法人或其他组织")
    y = c.new()
    c.put(y, _MARGIN, INSTRUCTION[17:])
    for i, t in enumerate(top[:len(cols)]):
        c.put(y, _VAL_X + _VAL_W * (i + 1), t, right=True)
    y = c.new()
    for i, t in enumerate(bottom[:len(cols)]):
        if t:
            c.put(y, _VAL_X + _VAL_W * (i + 1), t, right=True)


def _pdf_requests(requests: dict, fmt: Values, opts: Options, rng: random.Random) -> str:
    c = Canvas()
    _pdf_request_header(c, opts)
    item_chars = rng.choice((9, 11, 13))
    where = rng.choice(("first", "middle", "last"))
    sub = subtotals(requests)
    group_of = {r: g for g, rows in OUTCOME_GROUPS.items() for r in rows}
    rows: list[tuple[str, str, dict]] = []  # (row key or subtotal key, label, values)
    for r in (x.key for x in REQUESTS.rows):
        g = group_of.get(r)
        if opts.subtotals and g and r == OUTCOME_GROUPS[g][0]:
            rows.append((f"subtotal_{g}", "小计", sub[f"subtotal_{g}"]))
        rows.append((r, request_label(r, opts), requests[r]))
    break_after = rng.choice([k for k, _, _ in rows[4:20]])
    result_lines: list[int] = []
    group_lines: dict[str, list[int]] = {}
    for key, label, values in rows:
        row = key if not key.startswith("subtotal_") else OUTCOME_GROUPS[key[9:]][0]
        g = group_of.get(row)
        wide = row in ("new_received", "carried_over", "carried_forward", "total")
        x = _MARGIN if row in ("new_received", "carried_over", "carried_forward") else (_GROUP_X if wide else _ITEM_X)
        chunks = [label] if wide else _wrap(label, item_chars)
        ys = [c.new() for _ in chunks]
        for y, chunk in zip(ys, chunks):
            c.put(y, x, chunk)
        vy = {"first": ys[0], "middle": ys[len(ys) // 2], "last": ys[-1]}[where]
        for i, col in enumerate(request_columns(opts)):
            v = legal_entity_subtotal(values) if col == "legal_entity_subtotal" else values[col]
            c.put(vy, _VAL_X + _VAL_W * (i + 1), fmt(v, f"requests.{key}.{col}"), right=True)
        if row not in ("new_received", "carried_over", "carried_forward"):
            result_lines += ys
        if g:
            group_lines.setdefault(g, []).extend(ys)
        if key == break_after:
            _pdf_page_break(c, rng)
            _pdf_request_header(c, opts)
    for y, s in _spread(_RESULTS, result_lines):
        c.lines[y] = _overlay(c.lines[y], 0, s)
    for g, ys in group_lines.items():
        for y, s in _spread(_parens(_GROUP_LABELS[g], opts), ys):
            c.lines[y] = _overlay(c.lines[y], _GROUP_X, s)
    return "\n".join(c.lines)


def _overlay(line: str, x: int, s: str) -> str:
    """Write ``s`` at display column ``x`` of a line whose columns ``x``… are blank."""
    pos = 0
    for i, ch in enumerate(line):
        if pos >= x:
            head, tail = line[:i], line[i:]
            break
        pos += width(ch)
    else:
        head, tail = line + " " * (x - pos), ""
    need = width(s)
    blank = len(tail) - len(tail.lstrip(" "))
    return head + s + " " * max(1, blank - need) + tail.lstrip(" ")


def _pdf_page_break(c: Canvas, rng: random.Random) -> None:
    c.new()
    y = c.new()
    c.put(y, 38, rng.choice(("- 4 -", "— 5 —", "-6-")))
    c.lines.append("\f")


def _pdf_active(active: dict, fmt: Values) -> str:
    c = Canvas()
    xs = (44, 62, 80)
    for heading, rows in (("第二十条第（一）项", ("rules", "normative_documents")), ("第二十条第（五）项", ("licensing",)),
                          ("第二十条第（六）项", ("punishment", "enforcement")), ("第二十条第（八）项", ("fees",))):
        c.put(c.new(), 8, heading)
        cols = ACTIVE_2021.columns_of(rows[0])
        y = c.new()
        c.put(y, 8, "信息内容")
        if len(cols) == 3:
            for x, col in zip(xs, cols):
                c.put(y, x, col.label, right=True)
        else:
            c.put(y, xs[1], _FEE_HEADER if rows[0] == "fees" else cols[0].label, right=True)
        for row in rows:
            y = c.new()
            c.put(y, 8, ACTIVE_2021.row(row).short)
            vals = [fmt(active[row][col.key], f"active.{row}.{col.key}") for col in cols]
            for x, v in zip(xs if len(vals) == 3 else xs[1:2], vals):
                c.put(y, x, v, right=True)
    return "\n".join(c.lines)


def _pdf_reviews(reviews: dict, fmt: Values) -> str:
    c = Canvas()
    x0, w = 4, 7
    y = c.new()
    c.put(y, x0 + 12, "行政复议")
    c.put(y, x0 + 5 * w + 28, "行政诉讼")
    y = c.new()
    c.put(y, x0 + 5 * w + 4, "未经复议直接起诉")
    c.put(y, x0 + 10 * w + 8, "复议后起诉")
    for part in (0, 1):
        y = c.new()
        for i in range(15):
            label = REVIEW_COLUMN_LABELS[i % 5]
            c.put(y, x0 + w * i, label[:2] if part == 0 else label[2:])
    y = c.new()
    for i, (r, col) in enumerate((r.key, col.key) for r in REVIEWS.rows for col in REVIEWS.columns):
        c.put(y, x0 + w * i + 2, fmt(reviews[r][col], f"reviews.{r}.{col}"))
    return "\n".join(c.lines)


def pdftotext_report(tables: dict, rng: random.Random, opts: Options, fmt: Values | None = None) -> str:
    story = narrative(tables, rng)
    fmt = fmt or Values(rng, opts)
    drawn = {"二、主动公开政府信息情况": _pdf_active(tables["active"], fmt),
             "三、收到和处理政府信息公开申请情况": _pdf_requests(tables["requests"], fmt, opts, rng),
             "四、政府信息公开行政复议、行政诉讼情况": _pdf_reviews(tables["reviews"], fmt)}
    parts = [" " * 20 + story.title, "", "    " + story.intro()]
    for heading, prose in story.sections():
        parts.append("    " + heading)
        if prose:
            parts.append("    " + prose)
        if heading in drawn:
            parts.append(drawn[heading])
    return "\n".join(parts) + "\n"


# --- the layouts ------------------------------------------------------------------


def _text(write_grid, opts: Options = Options(), encoding: str = "utf-8"):
    def make(tables, rng, fmt):
        return text_report(tables, rng, opts, write_grid, fmt).encode(encoding), set()

    return make, opts


def _cells_per_line(opts: Options = Options()):
    def make(tables, rng, fmt):
        marks = rng.random() < 0.5
        return text_report(tables, rng, opts, lambda g: write_cells_per_line(g, marks), fmt).encode("utf-8"), set()

    return make, opts


def _glued(opts: Options = Options()):
    def make(tables, rng, fmt):
        return glued_report(tables, rng, opts).encode("utf-8"), glued_undecidable(tables, opts.col8)

    return make, opts


def _html(charset: str, opts: Options = Options(), declared: bool = True):
    def make(tables, rng, fmt):
        page = html_report(tables, rng, opts, charset, fmt)
        if not declared:
            page = page.replace(f"; charset={charset}", "")
        return page.encode(charset), set()

    return make, opts


def _pdftotext(opts: Options = Options(), display: bool = False):
    def make(tables, rng, fmt):
        Canvas.display = display
        try:
            return pdftotext_report(tables, rng, opts, fmt).encode("utf-8"), set()
        finally:
            Canvas.display = False

    return make, opts


_VARIANTS = Options(subtotals=True, col8=True)
_DECORATED = Options(annotate=True, fullwidth=True, thousands=True, numbering=True)
_BLANKED = Options(blanks=0.04)

LAYOUTS = {
    "cells_per_line": (_cells_per_line(), "txt"),
    "pipes": (_text(write_pipes, Options(halfwidth_parens=True)), "txt"),
    "tabs": (_text(write_tabs), "txt"),
    "markdown": (_text(write_markdown), "md"),
    "pdftotext": (_pdftotext(), "txt"),
    "glued": (_glued(), "txt"),
    "glued_28rows_8cols": (_glued(_VARIANTS), "txt"),
    "html_utf8": (_html("utf-8"), "html"),
    "html_gbk": (_html("gbk"), "html"),
    "pipes_28rows_8cols": (_text(write_pipes, _VARIANTS), "txt"),
    "markdown_28rows_8cols": (_text(write_markdown, _VARIANTS), "md"),
    "html_28rows_8cols": (_html("utf-8", _VARIANTS), "html"),
    "pdftotext_28rows_8cols": (_pdftotext(_VARIANTS), "txt"),
    "pipes_decorated": (_text(write_pipes, _DECORATED), "txt"),
    "tabs_decorated": (_text(write_tabs, _DECORATED), "txt"),
    "pdftotext_decorated": (_pdftotext(_DECORATED), "txt"),
    "cells_per_line_blanks": (_cells_per_line(_BLANKED), "txt"),
    "pipes_blanks": (_text(write_pipes, _BLANKED), "txt"),
    "tabs_blanks": (_text(write_tabs, _BLANKED), "txt"),
    "html_blanks": (_html("utf-8", _BLANKED), "html"),
    "pdftotext_blanks": (_pdftotext(_BLANKED), "txt"),
    "spaces_display_aligned": (_pdftotext(Options(), display=True), "txt"),
    "spaces_display_aligned_blanks": (_pdftotext(_BLANKED, display=True), "txt"),
    "tabs_ocr": (_text(write_tabs, Options(ocr=0.05)), "txt"),
    "pdftotext_ocr": (_pdftotext(Options(ocr=0.05)), "txt"),
    "html_in_layout_table_split": (_html("utf-8", Options(layout_table=True, split_table=True)), "html"),
    "tabs_shuffled": (_text(write_tabs, Options(shuffle=True)), "txt"),
    "html_shuffled": (_html("utf-8", Options(shuffle=True)), "html"),
    "glued_decorated": (_glued(Options(thousands=True, annotate=True)), "txt"),
    "html_gbk_undeclared": (_html("gbk", declared=False), "html"),
    "tabs_gb18030": (_text(write_tabs, encoding="gb18030"), "txt"),
    "pipes_utf16": (_text(write_pipes, encoding="utf-16"), "txt"),
    "cells_per_line_utf8_bom": (_text(write_cells_per_line, encoding="utf-8-sig"), "txt"),
    "pipes_page_break": (_text(write_pipes, Options(page_break=True, stray_spaces=True)), "txt"),
    "tabs_page_break": (_text(write_tabs, Options(page_break=True, stray_spaces=True)), "txt"),
    "cells_per_line_page_break": (_cells_per_line(Options(page_break=True, stray_spaces=True)), "txt"),
}


def render(layout: str, tables: dict, rng: random.Random) -> Rendered:
    """``tables`` as a whole report in ``layout`` (a key of ``LAYOUTS``).

    Cells the layout wrote blank are null in the returned ``tables`` (a copy).
    """
    (make, opts), ext = LAYOUTS[layout]
    fmt = Values(rng, opts)
    data, undecidable = make(tables, rng, fmt)
    truth = copy.deepcopy(tables)
    for path in fmt.blanked:
        table, row, col = path.split(".")
        if row in truth[table] and col in truth[table][row]:
            truth[table][row][col] = None
    return Rendered(data=data, name=f"synthetic-{layout}.{ext}", tables=truth, undecidable=undecidable)

from .text_layouts import LAYOUTS as _TEXT_LAYOUTS  # noqa: E402  (issue 17's real text layouts)

LAYOUTS.update(_TEXT_LAYOUTS)
