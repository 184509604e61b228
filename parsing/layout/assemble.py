"""Display text → the three tables with provenance.

Contract: ``assemble(doc: Document, fmt: str) -> Assembly``.

- ``tables``: the ``gipr/1`` tables for ``fmt`` (schema.empty_tables shape),
  a value where the source states one, ``None`` where it does not (a blank is
  never a zero).
- ``provenance``: one entry per standard cell (and per extra cell):
  ``{"raw": "34", "span": [start, end], "flags": [...]}``; ``span`` indexes
  ``doc.text``. A cell with no value: ``raw`` "" and flag "missing", ``span``
  an empty range where the value should have been (e.g. at the end of its
  row label) or None when its row was not found at all.
- ``extra_cells``, ``notes``, ``warnings``: see ``ParsedReport``.
- ``values_found``: how many table cells got a value.

How: the three tables are located by their header vocabulary
(``find_regions``); each region is cut into lines of cell tokens
(``tokens``); a small state machine walks the tokens, opening a row at
each recognised label (``labels``) and filling its cells in order
(``RowReader``); rows whose cells could not be placed with certainty are
resolved by layout (separators, x-positions learned from complete rows) or
left null + ``missing``; glued digit runs go to ``parsing.layout.glued``; finally
cells are flagged (``ocr_suspect`` in a document showing OCR damage unless a
balance rule confirms them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import labels as L
from ..model.document import Document
from .rows import (
    Columns,
    centres,
    RowRead,
    RowReader,
    certain_positions,
    learn_columns,
    one_extra_value_per_row,
    order_by_row_rule,
    place_by_x,
    total_may_have_shifted,
)
from ..model.format import STOCK_CHAIN, confirmed_cells, format_of, layout_of_rows, request_rows, stock_chains, value_rule
from .tokens import EMPTY, JUNK, LABEL, VALUE, Token, tokenize
from .numbers import is_plain_number, parse_value, run_digits
from ..model.schema import (
    APPLICANT_COLUMNS,
    EXTRA_ROWS,
    FLAG_INFERRED,
    FLAG_MISSING,
    FLAG_OCR,
    FLAG_SPLIT,
    FORMAT_2019,
    OUTCOME_GROUPS,
    OUTCOME_ROWS,
    REQUEST_COLUMNS,
    REQUESTS,
    REVIEWS,
    cell_paths,
    empty_tables,
    get_cell,
    table_for,
    tables_for,
)


@dataclass
class Assembly:
    tables: dict
    provenance: dict
    extra_cells: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    values_found: int = 0


# --- locating the tables ------------------------------------------------------

_ACTIVE_ANCHORS = ("本年制发件数", "本年新制作数量", "本年处理决定数量", "上一年项目数量", "信息内容")
_REQUEST_ANCHORS = ("申请人情况", "本年新收政府信息公开申请数量", "本年新收")
_REVIEW_ANCHORS = ("结果维持", "尚未审结", "结果纠正", "政府信息公开行政复议", "未经复议直接起诉", "复议后起诉")
_AFTER_TABLES = re.compile(
    r"[五六]、\s*(?:存在的主要问题|其他需要报告)|存在的主要问题及改进情况|其他需要报告的事项|(?m:^\s*[五六七][、.．]\s*[\u4e00-\u9fff])"
)


_TABLE_NAMES = {"active": "主动公开政府信息情况", "requests": "收到和处理政府信息公开申请情况", "reviews": "行政复议、行政诉讼情况"}
_REVIEW_HEAD = re.compile(r"结果|维持|纠正|其他|尚未|审结|总计|结果维持|结果纠正|其他结果|尚未审结")


@dataclass
class Regions:
    """Character ranges of the three tables in the display text (None: absent)."""

    active: tuple[int, int] | None
    requests: tuple[int, int] | None
    reviews: tuple[int, int] | None


def _first(text: str, words: tuple[str, ...], start: int, end: int | None = None) -> int:
    found = [p for p in (text.find(w, start, end) for w in words) if p >= 0]
    return min(found) if found else -1


def find_regions(text: str) -> Regions:
    """Where each table sits, by header vocabulary (not by the first phrase: the
    narrative mentions the same words)."""
    n = len(text)
    active_at = _first(text, _ACTIVE_ANCHORS[:4], 0)
    if active_at < 0:
        active_at = _first(text, ("信息内容",), 0)
    if active_at >= 0:
        # The table starts at its heading (or its first 第二十条 line) before the anchor:
        # an OCR-damaged 本年制发件数 must not cost the rows above 本年处理决定数量.
        heading = text.rfind("主动公开政府信息情况", max(0, active_at - 1500), active_at)
        back = text.rfind("第二十条", max(0, active_at - 200), active_at)
        active_at = heading if heading >= 0 else (back if back >= 0 else active_at)
    req_from = max(active_at, 0)
    req_at = _first(text, ("申请人情况",), req_from)
    if req_at < 0:
        req_at = _first(text, _REQUEST_ANCHORS[1:], req_from)
    rev_from = req_at if req_at >= 0 else max(active_at, 0)
    rev_at = _first(text, _REVIEW_ANCHORS, rev_from)
    if rev_at >= 0:
        head = text.rfind("行政复议", rev_from, rev_at)
        heading = text.rfind("政府信息公开行政复议", rev_from, rev_at)
        head = heading if heading >= 0 else (head if head >= 0 else rev_at)
        line_start = text.rfind("\n", rev_from, head) + 1
        rev_at = max(line_start, rev_from) if head - line_start < 40 else head
    end_of_tables = n
    m = _AFTER_TABLES.search(text, max(rev_at, req_at, active_at, 0))
    if m:
        end_of_tables = m.start()

    def span(a: int, *ends: int) -> tuple[int, int] | None:
        if a < 0:
            return None
        b = min([e for e in ends if e > a] or [n])
        return (a, b)

    return Regions(
        active=span(active_at, req_at, rev_at, end_of_tables),
        requests=span(req_at, rev_at, end_of_tables),
        reviews=span(rev_at, end_of_tables),
    )


# --- the assembler ---------------------------------------------------------------


@dataclass(slots=True)
class _Cell:
    value: object = None
    raw: str = ""
    span: list | None = None
    flags: list = field(default_factory=lambda: [FLAG_MISSING])
    basis: list | None = None  # the rules that chose this value among a glued run's splits


# The rules the requests table's glued rows are decided with across rows: a
# value they chose cannot also be judged by them (provenance ``inferred_from``).
CROSS_ROW_RULES = ["requests.outcome_sum", "requests.column_balance"]
TEXT_RULE = "narrative.active"


@lru_cache(maxsize=4)
def _split_paths(fmt: str) -> tuple[tuple[str, tuple[str, str, str]], ...]:
    """Every standard cell path of ``fmt`` with its (table, row, column), built once."""
    return tuple((p, tuple(p.split(".", 2))) for p in cell_paths(fmt))


class _Builder:
    def __init__(self, doc: Document, fmt: str):
        self.fmt = fmt
        self.text = doc.text
        self.text_end = len(doc.text)
        self.cells: dict[str, _Cell] = {p: _Cell() for p, _ in _split_paths(fmt)}
        self.extra: dict[str, _Cell] = {}
        self.warnings: list[str] = []
        self.notes: list[dict] = []
        self.ocr_signs: list[str] = []  # what was seen that looks like OCR damage, one entry per sign
        self.active_t = tables_for(fmt)[0]

    # -- cells
    def _target(self, path: str) -> _Cell:
        if path in self.cells:
            return self.cells[path]
        return self.extra.setdefault(path, _Cell())

    def set_token(self, path: str, tok: Token) -> None:
        cell = self._target(path)
        rule = value_rule(path, self.fmt)
        v = parse_value(tok.text, money=rule.decimal, signed=rule.negative)
        cell.raw, cell.span = tok.text, [tok.start, tok.end]
        if tok.end >= self.text_end:  # the document stops inside this number: "34" may be "345"
            cell.value, cell.flags = None, [FLAG_MISSING]
            self.warnings.append("文档在表格中的一个数值处截断，该数值未采用")
            return
        if v.kind == "number":
            cell.value, cell.flags = v.value, ([FLAG_OCR] if v.ocr else [])
            if v.ocr:
                self.ocr_signs.append(self._lookalike_sign(tok))
        elif v.kind == "null":
            cell.value, cell.flags = None, [FLAG_MISSING]
        else:  # read something that is not a number for this cell
            cell.value, cell.flags = None, [FLAG_MISSING, FLAG_OCR]

    def values_of(self, path: str):
        cell = self.cells.get(path) or self.extra.get(path)
        return None if cell is None else cell.value

    def values(self) -> dict:
        """Every cell's value by path, the extra cells too."""
        out = {p: c.value for p, c in self.extra.items()}
        out.update((p, c.value) for p, c in self.cells.items())
        return out

    def _lookalike_sign(self, tok: Token) -> str:
        """``第 12 行出现 C 代替 0``: the look-alike letters read as digits in a cell."""
        from .numbers import OCR_LOOKALIKES

        line = self.text.count("\n", 0, tok.start) + 1
        seen = [f"{ch} 代替 {OCR_LOOKALIKES[ch]}" for ch in dict.fromkeys(tok.text) if ch in OCR_LOOKALIKES]
        return f"第 {line} 行出现 {'、'.join(seen) or tok.text}"

    def set_missing(self, path: str, at: int | None) -> None:
        cell = self._target(path)
        cell.value, cell.raw = None, ""
        cell.span = None if at is None else [at, at]
        cell.flags = [FLAG_MISSING]

    def set_split(self, path: str, value, raw: str, span: list, flags: list) -> None:
        cell = self._target(path)
        cell.value, cell.raw, cell.span, cell.flags = value, raw, span, flags

    # -- tables
    def read_region(self, region, match, ncols_of) -> RowReader:
        reader = RowReader(match, ncols_of)
        if region is not None:
            reader.feed(tokenize(self.text, *region))
        if reader.fuzzy_labels:
            self.ocr_signs.append(f"{reader.fuzzy_labels} 个行标签只能近似识别")
        if reader.junk >= 2:
            self.ocr_signs.append(f"表格中有 {reader.junk} 处无法识别的字符")
        return reader

    def active(self, region) -> None:
        t = self.active_t

        def match(text, _state):
            return L.match_active_label(text, self.fmt)

        def ncols_of(key):
            return len(t.columns_of(key))

        reader = self.read_region(region, match, ncols_of)
        self._commit_rows("active", reader, lambda key: [c.key for c in t.columns_of(key)])
        self._missing_rows("active", [r.key for r in t.rows], reader, region)

    def requests(self, region) -> None:
        cols = [c.key for c in REQUEST_COLUMNS]
        if region is not None:
            cols = self._request_columns(region)

        def match(text, state):
            return L.match_request_label(text, state.group, total_ok=self._total_ok(state))

        def ncols_of(key):
            return len(cols)

        reader = self.read_region(region, match, ncols_of)
        if len(cols) == len(REQUEST_COLUMNS) and one_extra_value_per_row(reader):
            # The header did not show 法人或其他组织小计, the rows do: read again with it.
            cols = cols[: len(APPLICANT_COLUMNS)] + ["legal_entity_subtotal"] + cols[len(APPLICANT_COLUMNS) :]
            reader = self.read_region(region, match, ncols_of)
        _single_other_row(reader)
        self._pair_orphans(reader, len(cols))
        self._commit_rows("requests", reader, lambda key: cols)
        self._check_paired_rows(reader, cols)
        self._missing_rows("requests", [r.key for r in REQUESTS.rows], reader, region)

    @staticmethod
    def _total_ok(state: RowReader) -> bool:
        """A bare 总计 is the total row only after the last outcome group began."""
        late = set(OUTCOME_ROWS[-3:]) | {"subtotal_other"}
        return "total" not in state.rows and any(k in late for k in state.order)

    def _request_columns(self, region) -> list[str]:
        """The requests columns as printed: 7, or 8 with 法人或其他组织小计."""
        a, b = region
        head_end = self.text.find("本年新收", a, b)
        head = self.text[a : head_end if head_end > 0 else min(b, a + 400)]
        head = "".join(head.split())
        cols = [c.key for c in REQUEST_COLUMNS]
        if "小计" not in head:
            return cols
        sub_at, first_org = head.find("小计"), head.find("商业企业")
        i = 1 if 0 <= sub_at < first_org else len(APPLICANT_COLUMNS)
        return cols[:i] + ["legal_entity_subtotal"] + cols[i:]

    def reviews(self, region) -> None:
        paths = [f"reviews.{r.key}.{c.key}" for r in REVIEWS.rows for c in REVIEWS.columns or ()]
        if region is None:
            return
        lines = tokenize(self.text, *region)
        if any(sum(t.kind == JUNK for t in toks) >= 2 for toks in lines):
            self.ocr_signs.append("行政复议、行政诉讼表中有无法识别的字符")
        slots = _review_slots(lines)
        values = [t for t in slots if t.kind == VALUE]
        if len(values) == 1 and is_plain_number(values[0].text) and len(values[0].text) > 5:
            self._reviews_glued(values, paths)
            return
        if _glued_runs_line(values, len(paths)):
            # "10 0 1 200 0 0 0 0 0 0 00": digit runs parted by stray spaces, each whole cells
            self._reviews_glued(values, paths)
            return
        many_lines = len({t.line for t in slots[: len(paths)]}) > 1  # 15 on one line: the rest is not the table
        if len(values) > len(paths) and many_lines:
            self.warnings.append(f"行政复议、行政诉讼表读到 {len(values)} 个数值（应为 15 个），无法确定哪个多余，均未采用")
            return
        if _separated_line(slots) and len(values) >= len(paths) - 5:
            # one |- or tab-separated line: separators fix each cell from the left, trailing blanks were stripped
            while len(slots) > len(paths) and slots[0].kind == EMPTY:
                slots.pop(0)  # an empty label column before the values
            slots += [None] * (len(paths) - len(slots))
        if len(slots) >= len(paths) and len(values) >= len(paths) - 5:
            for path, tok in zip(paths, slots):
                if tok is None:
                    self.set_missing(path, values[-1].end)
                    continue
                if tok.kind == VALUE:
                    self.set_token(path, tok)
                else:
                    self.set_missing(path, tok.start)
            return
        if values and self._reviews_by_x(lines, values, paths):
            return
        if values:
            self.warnings.append(f"行政复议、行政诉讼表只读到 {len(values)} 个数值（应为 15 个），无法确定其位置，均未采用")
        else:
            self.warnings.append("行政复议、行政诉讼表中没有读到数值")

    def _reviews_by_x(self, lines: list[list[Token]], values: list[Token], paths: list[str]) -> bool:
        """Space-aligned text with blank cells: place the values under the
        header's 15 column words (结果/维持/…/总计) by x-position."""
        if len({t.line for t in values}) != 1 or values[0].mode != "space":
            return False
        for toks in lines:
            heads = [t for t in toks if t.kind == LABEL and _REVIEW_HEAD.fullmatch(t.text.replace(" ", ""))]
            if len(heads) == len(paths) and len(heads) == len(toks):
                columns = Columns([centres(t)[0] for t in heads], [centres(t)[1] for t in heads])
                row = RowRead("reviews", len(paths), values[0])
                row.cells = list(values) + [None] * (len(paths) - len(values))
                if place_by_x(row, columns, at=centres):
                    for path, tok in zip(paths, row.cells):
                        if tok is not None:
                            self.set_token(path, tok)
                        else:
                            self.set_missing(path, values[0].start)
                    return True
        return False

    def _reviews_glued(self, toks: list[Token], paths: list[str]) -> None:
        from itertools import islice, product

        from .glued import RowSolution, solve_reviews_runs

        runs = [run_digits(t.text) for t in toks]
        sols = solve_reviews_runs(runs)
        size = sum(map(len, runs))
        combos = islice(product(*(s.candidates for s in sols)), 500)
        cands = [tuple(v for row in c for v in row) for c in combos]
        cands = [c for c in cands if sum(len(str(v)) for v in c) == size]
        width = len(REVIEWS.columns or ())
        flat = RowSolution(
            [v for s in sols for v in s.values],
            {r * width + i for r, s in enumerate(sols) for i in s.ambiguous},
            cands,
            all(s.consistent for s in sols),
        )
        self._store_solution(toks, paths, flat)

    # -- rows → cells
    def _commit_rows(self, table: str, reader: RowReader, cols_of) -> None:
        rows = [reader.rows[k] for k in reader.order]
        by_ncols: dict[int, list[float] | None] = {}
        glued: dict[str, RowRead] = {}
        for row in rows:
            cols = cols_of(row.key)
            vals = row.values
            if not vals and row.key.startswith("subtotal_"):
                continue  # a group heading, not a subtotal row
            if table == "active" and self.fmt == FORMAT_2019 and vals and all(t.glued for t in vals):
                if row.key == "procurement" and len(vals) == 1 and self._commit_procurement(row, cols):
                    continue
                if "change" in cols and any(t.text[:1] in "+-＋－" for t in vals) and self._commit_signed(row, cols):
                    continue
            if len(vals) == 1 and vals[0].glued and row.ncols > 1 and is_plain_number(vals[0].text):
                glued[row.key] = row
                continue
            if _annotated_runs(row):
                if table == "requests" and "legal_entity_subtotal" not in cols:
                    glued[row.key] = row  # solved with the table: each run holds whole cells
                    continue
                if self._commit_runs(table, row, cols):
                    continue
            if row.ncols not in by_ncols:
                by_ncols[row.ncols] = learn_columns(rows, row.ncols)
            if not certain_positions(row, by_ncols[row.ncols]):
                self._undecidable(table, row, cols)
                continue
            doubtful = row.placed_by_layout or (
                table == "requests" and (not order_by_row_rule(row, cols) or total_may_have_shifted(row, cols))
            )
            for i, col in enumerate(cols):
                path = self._path(table, row.key, col)
                tok = row.cells[i]
                if tok is not None:
                    self.set_token(path, tok)
                    if doubtful and FLAG_SPLIT not in self._target(path).flags:
                        self._target(path).flags.append(FLAG_SPLIT)
                else:
                    self.set_missing(path, row.label.end)
            if doubtful:
                self.warnings.append(f"{row.label.text.strip()[:20]}：数值与标签不在同一行，位置无法完全确认，已标记")
            if row.overflow and any(t.kind == VALUE for t in row.overflow):
                # more values than columns: the ones taken may be shifted
                for col in cols:
                    cell = self._target(self._path(table, row.key, col))
                    if cell.value is not None and FLAG_SPLIT not in cell.flags:
                        cell.flags.append(FLAG_SPLIT)
                self.warnings.append(f"{row.label.text.strip()[:20]}：一行中数值多于列数，多出的数值未采用，本行已标记")
        if glued:
            self._commit_glued(table, glued, rows, cols_of)

    def _path(self, table: str, row: str, col: str) -> str:
        return f"{table}.{row}.{col}"

    def _undecidable(self, table: str, row: RowRead, cols: list[str]) -> None:
        for col in cols:
            self.set_missing(self._path(table, row.key, col), row.label.end)
        label, n = row.label.text.strip()[:24], len(row.values)
        if n < row.ncols:
            why = f"读到 {n} 个数值，少于 {row.ncols} 列"
        else:
            why = "数值的排列与列不一致（空格或多余的数值）"
        self.warnings.append(f"{label}：{why}，无法确定各自所在的列，均标为缺失")

    def _commit_glued(self, table: str, glued: dict[str, RowRead], rows: list[RowRead], cols_of) -> None:
        from .glued import solve_requests, solve_subtotal_row

        runs = {k: [run_digits(t.text) for t in r.values] for k, r in glued.items()}
        if table == "requests" and all(r.ncols == len(REQUEST_COLUMNS) for r in glued.values()):
            known = {
                r.key: [self.values_of(self._path(table, r.key, c)) for c in cols_of(r.key)]
                for r in rows
                if r.key not in glued
            }
            sols = solve_requests(known, runs, self.fmt)
        else:
            sols = {}
            for k, d in runs.items():
                cols = cols_of(k)
                if table == "requests" and "legal_entity_subtotal" in cols and len(cols) == glued[k].ncols and len(d) == 1:
                    sols[k] = solve_subtotal_row(d[0], cols.index("legal_entity_subtotal"))
                    continue
                total_last = table == "requests" and cols[-1] == "total" and "legal_entity_subtotal" not in cols
                sols[k] = self._solve_hinted(table, k, d, glued[k].ncols, total_last)
        for key, sol in sols.items():
            row = glued[key]
            paths = [self._path(table, key, c) for c in cols_of(key)]
            self._store_solution(row.values, paths, sol, _inferred_flag(sol))

    def _commit_runs(self, table: str, row: RowRead, cols: list[str]) -> bool:
        """A glued row cut into runs by annotations (``3（其中修订0件）13``): a
        note ends a cell, so each run holds whole cells. Stored when exactly
        one share of the columns among the runs can be cut; False otherwise."""
        runs = [run_digits(t.text) for t in row.values]
        sol = self._solve_hinted(table, row.key, runs, len(cols), total_last=False)
        if not sol.candidates:
            return False
        self._store_solution(row.values, [self._path(table, row.key, c) for c in cols], sol, _inferred_flag(sol))
        return True

    def _commit_signed(self, row: RowRead, cols: list[str]) -> bool:
        """A glued 2019 row whose 本年增/减 carries its sign (``34-58``): the sign
        starts the change cell, so the runs before it hold the cells before it."""
        from .glued import RowSolution, solve_runs

        at = cols.index("change")
        first = next(i for i, t in enumerate(row.values) if t.text[:1] in "+-＋－")
        before, after = row.values[:first], row.values[first:]
        runs_after = [run_digits(t.text).lstrip("+-") for t in after]
        if not all(is_plain_number(t.text) for t in before) or not all(r.isdigit() for r in runs_after):
            return False
        parts = []
        if at:
            if not before:
                return False
            parts.append(solve_runs([run_digits(t.text) for t in before], at, total_last=False))
        elif before:
            return False
        parts.append(solve_runs(runs_after, len(cols) - at, total_last=False))
        if not all(p.candidates for p in parts):
            return False
        values, ambiguous, offset = [], set(), 0
        for p in parts:
            values += p.values
            ambiguous |= {offset + i for i in p.ambiguous}
            offset += len(p.values)
        if values[at] is not None and run_digits(after[0].text)[:1] in "-－":
            values[at] = -values[at]
        sol = RowSolution(values, ambiguous, [], all(p.consistent for p in parts))
        self._store_solution(row.values, [self._path("active", row.key, c) for c in cols], sol)
        return True

    def _commit_procurement(self, row: RowRead, cols: list[str]) -> bool:
        """政府集中采购 glued: the item count, then the amount with its unit
        (``4123.45万元``). Stored only where one cut gives both valid numbers."""
        tok = row.values[0]
        m = re.fullmatch(r"(\d+)((?:\.\d+)?\s*(?:万元|元)?)", run_digits(tok.text))
        if not m:
            return False
        digits, tail = m.group(1), m.group(2)
        cuts = [(digits[:i], digits[i:]) for i in range(1, len(digits))
                if (digits[:i] == "0" or digits[0] != "0") and (digits[i] != "0" or i == len(digits) - 1 or tail.startswith("."))]
        paths = [self._path("active", row.key, c) for c in cols]
        if len(cuts) != 1:
            for p in paths:
                self.set_split(p, None, tok.text, [tok.start, tok.end], [FLAG_SPLIT, FLAG_MISSING])
            return True
        items, amount = cuts[0]
        n = len(items)
        self.set_split(paths[0], int(items), items, [tok.start, tok.start + n], [])
        self.set_split(paths[1], amount + tail, tok.text[n:], [tok.start + n, tok.end], [])
        return True

    def _solve_hinted(self, table: str, key: str, runs: list[str], n: int, total_last: bool):
        """A glued row's split; where the table leaves it open, the body text
        may settle it (``制发…规范性文件9件``): such a value is flagged ``inferred``."""
        from .glued import solve_runs

        plain = solve_runs(runs, n, total_last=total_last)
        hints = self._body_hints(table, key) if plain.ambiguous else {}
        if not hints:
            return plain
        hinted = solve_runs(runs, n, total_last=total_last, hints=hints)
        hinted.inferred = set(plain.ambiguous) - set(hinted.ambiguous)
        hinted.by_text = True
        return hinted

    def _store_solution(self, toks: list[Token], paths: list, sol, inferred_flag: str = FLAG_SPLIT) -> None:
        """Store a split row's values. ``inferred_flag`` marks the cells the row
        alone left open and something else settled (other rows' rules:
        ``split_ambiguous``; the body text: ``inferred``). A cell's span is its
        digits when every candidate cut puts it in the same place, else its
        run's, else the row's."""
        places = [p for p in (_places(toks, cand) for cand in sol.candidates) if p is not None]
        row_span = [toks[0].start, toks[-1].end]
        for i, (path, v) in enumerate(zip(paths, sol.values)):
            flags = [FLAG_SPLIT] if (i in sol.ambiguous or not sol.consistent) else []
            basis = None
            if i in sol.inferred and sol.values[i] is not None:
                basis = [TEXT_RULE] if sol.by_text else list(CROSS_ROW_RULES)
                if inferred_flag not in flags:
                    flags.append(inferred_flag)
            at = {p[i] for p in places if i < len(p)}
            runs = {run for run, _, _ in at}
            if len(at) == 1:
                _, start, end = next(iter(at))
                span = [start, end]
            elif len(runs) == 1:
                tok = toks[next(iter(runs))]
                span = [tok.start, tok.end]
            else:
                span = row_span
            raw = self.text[span[0]:span[1]]
            if v is None:
                self.set_split(path, None, raw, span, [FLAG_SPLIT, FLAG_MISSING])
            else:
                self.set_split(path, v, raw, span, flags)
                self._target(path).basis = basis

    _HINTS = {
        ("active", "normative_documents"): {
            0: re.compile(r"(?:制发|印发|出台)(?:(?!现行有效)[^。；;，,]){0,12}?规范性文件(\d{1,6})件"),
            # "按程序确认失效或废止文件7件" in a sentence about 规范性文件
            1: re.compile(r"(?:废止|失效)(?:(?!现行有效|制发|印发)[^。；;，,]){0,10}?(?:规范性)?文件(?:共|计)?(\d{1,6})件"),
            2: re.compile(r"现行有效[^。；;，,]{0,12}?规范性文件(?:共|计)?(\d{1,6})件"),
        },
    }
    # The sentences a row's hints are looked for in.
    _HINT_TOPIC = {("active", "normative_documents"): "规范性文件"}

    def _body_hints(self, table: str, row: str) -> dict[int, int]:
        """Numbers the narrative states for a glued row's cells (used only to
        choose between the splits the table allows)."""
        hints = {}
        topic = self._HINT_TOPIC.get((table, row), "")
        sentences = [s for s in re.split(r"[。；;\n]", self.text) if topic in s]
        for col, pattern in self._HINTS.get((table, row), {}).items():
            found = {int(m.group(1)) for s in sentences for m in pattern.finditer(s)}
            if len(found) == 1:
                hints[col] = found.pop()
        return hints

    def _check_paired_rows(self, reader: RowReader, cols: list[str]) -> None:
        """Rows matched to value lines by order alone are trusted only if the
        table's balance rules hold for them; otherwise they are flagged."""
        paired = [k for k in reader.order if reader.rows[k].paired_in_order]
        if not paired:
            return
        confirmed = confirmed_cells(self.values(), self.fmt)
        paths = [self._path("requests", k, c) for k in paired for c in cols if self._path("requests", k, c) in self.cells]
        if all(p in confirmed for p in paths if self.cells[p].value is not None):
            return
        for p in paths:
            if self.cells[p].value is not None and FLAG_SPLIT not in self.cells[p].flags:
                self.cells[p].flags.append(FLAG_SPLIT)
        self.warnings.append("申请情况表的数值与行标签分开印刷，按顺序对应后平衡关系不成立，已全部标记")

    def _pair_orphans(self, reader: RowReader, ncols: int) -> None:
        """Rows printed apart from their labels: value lines, then the labels
        (or the reverse). Paired in order only when the counts agree exactly."""
        empty = [k for k in reader.order if not reader.rows[k].values and not k.startswith("subtotal_")]
        lines = [ln for ln in reader.orphans if len(ln) == ncols]
        if not empty or not lines:
            return
        stray = len(reader.orphans) - len(lines)
        if len(lines) == len(empty) >= 3 and (stray == 0 or reader.detached >= 3):
            if stray:
                self.warnings.append(f"申请情况表中有 {stray} 行零散数值不属于任何一行，未采用")
            # labels in the format's own order: the numbers follow it too; any other order is a guess
            standard = [r.key for r in REQUESTS.rows]
            in_order = [k for k in standard if k in empty] == empty
            for key, line in zip(empty, lines):
                for tok in line:
                    reader.rows[key].put(tok)
                reader.rows[key].paired_in_order = True
                reader.rows[key].placed_by_layout = not in_order
            return
        # One full value line printed just above an empty row's label (a PDF
        # cell centred on a wrapped label): taken, but flagged as placed by layout.
        by_label_line = {reader.rows[k].label.line: k for k in empty}
        for line in lines:
            key = by_label_line.get(line[0].line + 1)
            if key is not None and not reader.rows[key].values:
                for tok in line:
                    reader.rows[key].put(tok)
                reader.rows[key].placed_by_layout = True

    def _missing_rows(self, table: str, keys: list[str], reader: RowReader, region) -> None:
        absent = [k for k in keys if k not in reader.rows]
        if table == "requests":  # the rows of the format, with the (六)其他处理 layout printed
            layout = layout_of_rows(self.fmt, reader.rows, reader.rows)
            absent = [k for k in request_rows(layout) if k not in reader.rows and k not in format_of(self.fmt).absent]
        name = _TABLE_NAMES[table]
        if region is None:
            self.warnings.append(f"未找到{name}表")
            return
        t = table_for(table, self.fmt)
        empty = [k for k in keys if k in reader.rows and not reader.rows[k].values]
        if empty:
            shown = "、".join(t.row(k).short for k in empty[:5]) + ("等" if len(empty) > 5 else "")
            self.warnings.append(f"{name}表中 {len(empty)} 行在原文中没有数值（{shown}），均标为缺失")
        shown = "、".join(_row_short(t, k) for k in absent[:5]) + ("等" if len(absent) > 5 else "")
        if absent and region[1] >= len(self.text.rstrip()) - 2:
            self.warnings.append(f"文档在{name}表中被截断：{len(absent)} 行没有数据（{shown}）")
        elif absent:
            self.warnings.append(f"{name}表中未找到 {len(absent)} 行：{shown}")

    # -- notes
    def collect_notes(self, regions: Regions) -> None:
        for m in re.finditer(r"(?:^|\n|\s)(注[：:][^\n]{1,200})", self.text):
            pos = m.start(1)
            table = None
            for key in ("active", "requests", "reviews"):
                span = getattr(regions, key)
                if span and span[0] <= pos:
                    table = key
            if table is None:
                continue
            note = m.group(1).strip()
            self.notes.append({"table": table, "text": note, "span": [pos, pos + len(note)]})

    # -- result
    def flag_unconfirmed(self) -> None:
        """In a document showing OCR damage (two signs or more: one look-alike
        letter in a web text is that cell's doubt, not the file's), a value no
        balance rule confirms is suspect. The signs are said in the warnings."""
        if len(self.ocr_signs) == 1:
            sign = self.ocr_signs[0]
            self.warnings.append(sign + ("，该数值已标记" if "代替" in sign else "，请核对"))
        if len(self.ocr_signs) < 2:
            return
        shown = "；".join(self.ocr_signs[:3]) + ("等" if len(self.ocr_signs) > 3 else "")
        self.warnings.append(f"文档有识别（OCR）错误的迹象（{shown}），未经平衡关系印证的数值均已标记")
        confirmed = confirmed_cells(self.values(), self.fmt)
        for path, cell in self.cells.items():
            if cell.value is not None and path not in confirmed and FLAG_OCR not in cell.flags:
                cell.flags.append(FLAG_OCR)

    def result(self) -> Assembly:
        tables = empty_tables(self.fmt)
        prov = {}
        found = 0
        for path, (t, r, c) in _split_paths(self.fmt):
            cell = self.cells[path]
            tables[t][r][c] = cell.value
            found += cell.value is not None
            prov[path] = _prov(cell)
        extra = {}
        for path, cell in self.extra.items():
            extra[path] = cell.value
            prov[path] = _prov(cell)
        return Assembly(tables, prov, extra, self.notes, self.warnings, found)


def _row_short(t, key: str) -> str:
    extra = EXTRA_ROWS.get(key) if t is REQUESTS else None
    return extra.short if extra is not None else t.row(key).short


def _prov(cell: _Cell) -> dict:
    out = {"raw": cell.raw, "span": cell.span, "flags": list(cell.flags)}
    if cell.basis:
        out["inferred_from"] = list(cell.basis)
    return out


def _single_other_row(reader: RowReader) -> None:
    """A （六）其他处理 row with values and none of its three sub-rows is the
    single undivided row (2019 format, some 2021 reports): its own extra row,
    never （六）3 nor a subtotal."""
    row = reader.rows.get("subtotal_other")
    if row is None or not row.values or any(k in reader.rows for k in OUTCOME_GROUPS["other"]):
        return
    row.key = "other_single"
    reader.rows = {("other_single" if k == "subtotal_other" else k): v for k, v in reader.rows.items()}
    reader.order = ["other_single" if k == "subtotal_other" else k for k in reader.order]


def _glued_runs_line(values: list[Token], ncells: int) -> bool:
    """Digit runs on one line, fewer than the cells but enough digits for them
    (crawler text with stray spaces): each run holds whole cells."""
    return (
        1 < len(values) < ncells
        and len({t.line for t in values}) == 1
        and all(t.glued and is_plain_number(t.text) for t in values)  # crawler runs, not separated cells
        and sum(len(run_digits(t.text)) for t in values) >= ncells
    )


def _inferred_flag(sol) -> str:
    """How a cell the row alone left open was settled: by the body text
    (``inferred``) or by the other rows' rules (``split_ambiguous``)."""
    return FLAG_INFERRED if sol.by_text else FLAG_SPLIT


def _places(toks: list[Token], cut: tuple[int, ...]) -> list[tuple[int, int, int]] | None:
    """Where each value of a cut of the tokens' digit runs stands: (run index,
    start, end) in the display text (the whole token where its text is not its
    digits one to one, e.g. thousands separators); None if the cut does not fit."""
    out: list[tuple[int, int, int]] = []
    ti, off = 0, 0
    digits = [run_digits(t.text) for t in toks]
    for v in cut:
        n = len(str(v))
        while ti < len(toks) and off >= len(digits[ti]):
            ti, off = ti + 1, 0
        if ti >= len(toks) or off + n > len(digits[ti]):
            return None
        tok = toks[ti]
        if len(digits[ti]) == len(tok.text):
            out.append((ti, tok.start + off, tok.start + off + n))
        else:
            out.append((ti, tok.start, tok.end))
        off += n
    return out


def _annotated_runs(row: RowRead) -> bool:
    """Several glued digit runs on one line, fewer than the row's columns."""
    vals = row.values
    return (
        1 < len(vals) < row.ncols
        and len(row.lines) == 1
        and all(t.glued and is_plain_number(t.text) for t in vals)
    )


def _review_slots(lines: list[list[Token]]) -> list[Token]:
    """The reviews table's cells in reading order: values, and the empty cells
    whose place is known (between separators after the first value of their
    line, a blank first cell of a separated values line, or a blank cell on a
    line of its own among one-value lines)."""
    slots: list[Token] = []
    for n, toks in enumerate(lines):
        cells = [t for t in toks if t.kind in (VALUE, EMPTY)]
        if _lone_blank(toks) and _next_to_cell_lines(lines, n):
            slots.extend(cells)
            continue
        if not any(t.kind == LABEL for t in toks) and any(t.kind == VALUE for t in toks):
            slots.extend(cells)  # a values line: its leading empty cells are cells
            continue
        while cells and cells[0].kind == EMPTY:
            cells.pop(0)
        slots.extend(cells)
    return slots


def _lone_blank(toks: list[Token]) -> bool:
    return len(toks) == 1 and toks[0].kind == EMPTY


def _lone_value(toks: list[Token]) -> bool:
    return len(toks) == 1 and toks[0].kind == VALUE


def _next_to_cell_lines(lines: list[list[Token]], n: int) -> bool:
    """Line ``n`` sits among one-cell lines, at least one of them a value."""
    before = lines[n - 1] if n > 0 else []
    after = lines[n + 1] if n + 1 < len(lines) else []
    return _lone_value(before) or _lone_value(after) or (_lone_blank(before) and _lone_value(lines[n - 2] if n > 1 else []))


def _separated_line(slots: list[Token]) -> bool:
    """All the cells on one line cut by | or tabs."""
    return bool(slots) and len({t.line for t in slots}) == 1 and all(t.mode in ("pipe", "tab") for t in slots)


def assemble(doc: Document, fmt: str) -> Assembly:
    b = _Builder(doc, fmt)
    regions = find_regions(doc.text)
    b.active(regions.active)
    b.requests(regions.requests)
    b.reviews(regions.reviews)
    if regions.reviews is None and regions.requests is not None:
        b.warnings.append(f"未找到{_TABLE_NAMES['reviews']}表")
    b.collect_notes(regions)
    b.flag_unconfirmed()
    return b.result()


# --- the stock chain: a glued 规章/行政规范性文件 row settled by last year's report ---------

def settle_by_previous_year(report: dict, previous: dict) -> list[str]:
    """Settle the glued 规章 / 行政规范性文件 rows the table alone left open,
    with the same organ's previous-year report: of the row's candidate splits
    keep those where last year's 现行有效 + 本年制发 − 本年废止 = 本年现行有效.

    Pure apart from updating ``report`` in place (its tables and provenance);
    returns the paths it settled. A settled cell is flagged ``inferred`` and
    its provenance says ``inferred_from`` the stock-chain rule, which the
    checks then do not use to judge it. Only 2021-format reports, only rows
    whose cells are null and flagged ``split_ambiguous`` (never a printed value).

    The store calls it when a report is imported (or re-checked) and the audit
    database holds the same organ's previous year: ``settle_by_previous_year(
    report, previous_report)``, before saving and checking.
    """
    from .glued import _Budget, _run_cuts

    meta, prev_meta = report.get("meta") or {}, (previous or {}).get("meta") or {}
    settled: list[str] = []
    active = (report.get("tables") or {}).get("active") or {}
    prov = report.setdefault("provenance", {})
    for chain in stock_chains(meta.get("format"), prev_meta.get("format")):  # none when a format has no 现行有效
        last = get_cell(previous or {}, chain.last)
        values = active.get(chain.row)
        if not isinstance(last, int) or isinstance(last, bool) or not isinstance(values, dict):
            continue
        paths = list(chain.paths)
        cols = [p.rsplit(".", 1)[1] for p in paths]
        open_cells = [p for p, c in zip(paths, cols) if values.get(c) is None
                      and FLAG_SPLIT in ((prov.get(p) or {}).get("flags") or [])]
        if not open_cells:
            continue
        raws = {(prov.get(p) or {}).get("raw") or "" for p in open_cells}
        if len(raws) != 1:
            continue
        runs = [run_digits(r) for r in raws.pop().split()]
        cuts = _run_cuts(runs, 3, _Budget()) or []
        known = {i: values.get(c) for i, c in enumerate(cols) if values.get(c) is not None}
        fits = [c for c in cuts if all(c[i] == v for i, v in known.items()) and chain.holds(last, *c)]
        for i, (path, col) in enumerate(zip(paths, cols)):
            if path not in open_cells or not fits or len({c[i] for c in fits}) != 1:
                continue
            values[col] = fits[0][i]
            entry = prov.setdefault(path, {"raw": "", "span": None, "flags": []})
            entry["flags"] = [FLAG_INFERRED]
            entry["inferred_from"] = [STOCK_CHAIN]
            settled.append(path)
    return settled
