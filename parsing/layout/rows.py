"""Token lines of one table → its rows, and where each value belongs.

Owns the reading of a table's rows from the tokens of ``tokens``: a
recognised label opens its row and the values after it fill the row's cells
in order (``RowReader``); an empty cell between separators keeps its place;
values printed apart from a label are kept aside (``orphans``). When a row
did not get one value per column, ``certain_positions`` decides from the
layout (separators, x-positions learned from complete rows) where the values
belong, or says it cannot; a requests row read in pieces from several lines
is ordered by its row rule (``order_by_row_rule``). Nothing here guesses a
value: undecidable rows are reported as such to the assembler.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from itertools import permutations

from . import labels as L
from .tokens import EMPTY, JUNK, LABEL, VALUE, Token, display_width
from .numbers import parse_value
from ..model.schema import APPLICANT_COLUMNS

@dataclass
class RowRead:
    """The tokens read for one row, by column position (None: none read)."""

    key: str
    ncols: int
    label: Token
    cells: list = field(default_factory=list)  # Token | None per column
    pos: int = 0
    lines: set = field(default_factory=set)
    modes: set = field(default_factory=set)
    overflow: list = field(default_factory=list)
    fuzzy: bool = False
    uncertain: bool = False  # the layout contradicts itself about positions
    placed_by_layout: bool = False  # values found near, not with, the label
    paired_in_order: bool = False  # values printed apart from labels, matched by order
    cell_lines: bool = False  # one cell per line, a blank cell on a line of its own (` |`)

    def __post_init__(self) -> None:
        self.cells = [None] * self.ncols

    @property
    def full(self) -> bool:
        return self.pos >= self.ncols

    @property
    def values(self) -> list[Token]:
        return [t for t in self.cells if t is not None]

    def put(self, tok: Token) -> None:
        if self.pos >= self.ncols:
            self.overflow.append(tok)
            return
        if tok.kind != EMPTY:  # an empty cell keeps its place, and stays None
            self.cells[self.pos] = tok
            self.lines.add(tok.line)
            self.modes.add(tok.mode)
        self.pos += 1


SEPARATED = ("tab", "pipe")  # modes whose separators fix each cell's place


def _unreadable(tok: Token) -> Token:
    """A cell holding text that is not a value, keeping its column (read as
    "not a number": null, flagged)."""
    return replace(tok, kind=VALUE, glued=False)


class RowReader:
    """Walks token lines; a recognised label opens its row, values fill it."""

    def __init__(self, match, ncols_of):
        self.match = match  # (label_text, state) -> LabelMatch
        self.ncols_of = ncols_of
        self.rows: dict[str, RowRead] = {}
        self.order: list[str] = []
        self.current: RowRead | None = None
        self.group: str | None = None
        self.orphans: list[list[Token]] = []  # value lines with no open row
        self.fuzzy_labels = 0
        self.junk = 0
        self.detached = 0  # value rows kept apart from a plain-text label above them
        self.fragments = False  # the table is in fragments: |-rows of values apart from plain-text labels

    def feed(self, lines: list[list[Token]]) -> None:
        self.fragments = _fragmented(lines)
        for toks in lines:
            self._line(toks)

    def _line(self, toks: list[Token]) -> None:
        pending: list[Token] = []
        opened = False
        for tok in toks:
            if tok.kind == JUNK:
                self.junk += any(ch.isalnum() for ch in tok.text)  # not bare punctuation
                if opened and tok.mode in SEPARATED:
                    pending.append(_unreadable(tok))
                continue
            if tok.kind == LABEL:
                m = self.match(tok.text, self)
                if opened and m.row is None and m.group is None and tok.mode in SEPARATED:
                    # text where a value should be: the cell keeps its place, unread
                    pending.append(_unreadable(tok))
                    continue
                if m.row is None and m.group is None and self._breaks_row(toks):
                    # An unknown label line inside a half-read row (one cell per line):
                    # the values after it may be another row's. Stop here.
                    self.current.uncertain = True
                    self.current = None
                if m.group:
                    self.group = m.group
                if m.row is None and m.group:
                    m = L.LabelMatch(row=f"subtotal_{m.group}", group=m.group)  # a group row with values is its subtotal
                if m.row and (self.current is None or m.row != self.current.key):
                    if opened:  # several rows on one line: the values so far are the last row's
                        self._fill(pending, opened)
                    self._open(m.row, tok, m.fuzzy)
                    pending, opened = [], True
                continue
            pending.append(tok)
        self._fill(pending, opened)

    def _fill(self, pending: list[Token], opened: bool) -> None:
        """Put a line's values (after its row label, if any) into the open row."""
        if not opened and self._is_blank_cell_line(pending):
            self.current.put(pending[0])
            self.current.cell_lines = True
            return
        if not opened:
            while pending and pending[0].kind == EMPTY:
                pending.pop(0)
        if not any(t.kind == VALUE for t in pending):
            return
        row = self.current
        values = [t for t in pending if t.kind == VALUE]
        if row is not None and not opened and self._detached(row, pending):
            # a |-row of values with no label of its own under a label printed
            # as plain text above it: the labels were listed apart from their
            # value rows (PDF-to-Markdown), so nearness says nothing
            self.detached += 1
            self.orphans.append(values)
            return
        if row is None or row.full or (row.pos == 0 and not opened and len(values) > row.ncols):
            if row is not None and row.full and not opened and len(row.lines) > 1 and row.label.line not in row.lines:
                row.uncertain = True  # one cell per line, and one value too many: which is extra?
            self.orphans.append(values)
            return
        remaining = row.ncols - row.pos
        if len(values) >= remaining:
            pending = values  # every cell has a value: the empties are layout
        elif len(pending) > remaining:
            row.uncertain = True  # the empties do not fit the columns
            pending = values
        for tok in pending:
            row.put(tok)

    def _detached(self, row: RowRead, pending: list[Token]) -> bool:
        if row.pos or row.label.mode in SEPARATED:
            return False
        if len(pending) > 1 and all(t.mode == "pipe" for t in pending):
            return True
        # among such fragments, a bare number on a line of its own (a stray page
        # number, a note's figure) is no row's first cell either
        values = [t for t in pending if t.kind == VALUE]
        return self.fragments and len(values) < row.ncols and not any(t.mode in SEPARATED for t in pending)

    def _is_blank_cell_line(self, pending: list[Token]) -> bool:
        """A line that is one empty cell (` |`), inside a row whose values so
        far each stood on a line of their own: it holds that row's next cell."""
        row = self.current
        return (
            len(pending) == 1
            and pending[0].kind == EMPTY
            and row is not None
            and not row.full
            and row.label.line not in row.lines
            and pending[0].line != row.label.line
            and len(row.lines) == len(row.values)
        )

    def _breaks_row(self, toks: list[Token]) -> bool:
        row = self.current
        return (
            row is not None
            and 0 < row.pos < row.ncols
            and row.label.line != toks[0].line
            and row.label.line not in row.lines  # its values came on lines of their own,
            and len(row.lines) == len(row.values)  # one to a line (not a wrapped label's value line)
            and not any(t.kind == VALUE for t in toks)
        )

    def _open(self, key: str, tok: Token, fuzzy: bool) -> None:
        if key in self.rows:  # a repeated label: a page-crossing header, or a duplicate
            self.current = None if self.rows[key].pos else self.rows[key]
            return
        ncols = self.ncols_of(key)
        if ncols is None:
            self.current = None
            return
        self.current = RowRead(key, ncols, tok, fuzzy=fuzzy)
        self.rows[key] = self.current
        self.order.append(key)
        self.fuzzy_labels += fuzzy


def _fragmented(lines: list[list[Token]]) -> bool:
    """A table a PDF-to-Markdown converter broke up: several |-rows of values
    with no label and several plain-text label lines with no values."""
    value_rows = sum(
        1 for toks in lines
        if all(t.mode == "pipe" and t.kind in (VALUE, EMPTY) for t in toks) and sum(t.kind == VALUE for t in toks) > 1
    )
    label_lines = sum(1 for toks in lines if all(t.kind == LABEL and t.mode not in SEPARATED for t in toks))
    return value_rows >= 2 and label_lines >= 2


# --- placing the cells of incomplete rows ----------------------------------------


@dataclass(frozen=True)
class Columns:
    """Right edges of a table's value columns, learned from its complete rows, in
    each metric a space-aligned text may use: display columns (wide characters
    count 2) or character index (``pdftotext -layout``). A metric is None when
    the complete rows disagree about it."""

    display: list[float] | None
    chars: list[float] | None


def _right_edges(t: Token) -> tuple[int, int]:
    """A value's right edge in display columns and in characters: numbers
    are right-aligned in space-aligned text."""
    return t.x + display_width(t.text), t.col + len(t.text)


def centres(t: Token) -> tuple[float, float]:
    """A token's centre in display columns and in characters (centred header words)."""
    return t.x + display_width(t.text) / 2, t.col + len(t.text) / 2


def _agreed_edges(samples: list[list[int]]) -> list[float] | None:
    """Median right edge per column, if every complete row stays close to it."""
    edges = [statistics.median(c) for c in samples]
    tol = _tolerance(edges)
    if tol is None or any(abs(e - m) > tol / 2 for c, m in zip(samples, edges) for e in c):
        return None
    return edges


def _tolerance(edges: list[float]) -> float | None:
    gaps = [b - a for a, b in zip(edges, edges[1:])]
    if not gaps or min(gaps) <= 0:
        return None
    return min(gaps) / 2


def learn_columns(rows: list[RowRead], ncols: int) -> Columns | None:
    """Column right edges from complete single-line space-aligned rows."""
    display: list[list[int]] = [[] for _ in range(ncols)]
    chars: list[list[int]] = [[] for _ in range(ncols)]
    for r in rows:
        vals = r.values
        if r.ncols == ncols and len(vals) == ncols and r.modes == {"space"} and len(r.lines) == 1:
            for i, t in enumerate(vals):
                d, c = _right_edges(t)
                display[i].append(d)
                chars[i].append(c)
    if not all(display):
        return None
    return Columns(_agreed_edges(display), _agreed_edges(chars))


def _assign(row: RowRead, placed: list[int]) -> None:
    by_col = dict(zip(placed, row.values))
    row.cells = [by_col.get(i) for i in range(row.ncols)]


def _nearest(positions: list[float], columns: list[float]) -> list[int] | None:
    tol = _tolerance(columns)
    if tol is None:
        return None
    out: list[int] = []
    for p in positions:
        i = min(range(len(columns)), key=lambda k: abs(columns[k] - p))
        if abs(columns[i] - p) >= tol or i in out:
            return None
        out.append(i)
    return out


def place_by_x(row: RowRead, columns: Columns, at=_right_edges) -> bool:
    """Re-place a row's values under the columns (by right edge, or by what
    ``at`` measures); False if unsure: no metric places them, or the two
    metrics place them differently (a row whose label is wider on screen than
    in characters)."""
    edges = [at(t) for t in row.values]
    found = []
    for metric, learned in enumerate((columns.display, columns.chars)):
        if learned is not None:
            found.append(_nearest([e[metric] for e in edges], learned))
    found = [f for f in found if f is not None]
    if not found or any(f != found[0] for f in found):
        return False
    _assign(row, found[0])
    return True


def certain_positions(row: RowRead, columns: Columns | None) -> bool:
    """Decide where an incomplete row's values belong; False: undecidable."""
    vals = row.values
    if row.uncertain:
        return False
    if len(vals) == row.ncols or not vals:
        return True
    if row.ncols == 1:
        return True
    if row.cell_lines and row.pos == row.ncols:
        return True  # every cell had its own line, the blank ones too
    single_line = len(row.lines) == 1
    if single_line and row.modes <= {"tab", "pipe"}:
        return True  # separators kept the empty cells' places
    if single_line and row.modes == {"space"} and columns is not None:
        return place_by_x(row, columns)
    return False


def one_extra_value_per_row(reader: RowReader) -> bool:
    """Most single-line rows carry exactly one value more than the 7 columns,
    and it is the sum of the five organisation columns: an 8th column."""
    rows = [reader.rows[k] for k in reader.order]
    single = [r for r in rows if len(r.lines) == 1 and r.full]
    extra = [r for r in single if len([t for t in r.overflow if t.kind == VALUE]) == 1]
    if len(single) < 3 or len(extra) * 2 <= len(single):
        return False
    for r in extra:
        vals = [parse_value(t.text).value for t in r.values + [t for t in r.overflow if t.kind == VALUE]]
        if all(isinstance(v, int) for v in vals) and vals[6] != sum(vals[1:6]):
            return False
    return True


def _line_groups(row: RowRead) -> list[list[Token]]:
    groups: dict[int, list[Token]] = {}
    for t in row.values:
        groups.setdefault(t.line, []).append(t)
    return list(groups.values())


def row_rule_holds(cells: list, cols: list[str]) -> bool:
    """总计 = the six applicant columns (and 小计 = the five organisations)."""
    vals = {c: parse_value(t.text).value if t is not None else None for c, t in zip(cols, cells)}
    if any(not isinstance(v, int) for v in vals.values()):
        return True  # nothing to check against
    applicants = [vals[c.key] for c in APPLICANT_COLUMNS]
    ok = vals["total"] == sum(applicants)
    if "legal_entity_subtotal" in vals:
        ok = ok and vals["legal_entity_subtotal"] == sum(applicants[1:])
    return ok


def order_by_row_rule(row: RowRead, cols: list[str]) -> bool:
    """A complete requests row whose values came in pieces from several lines
    (PDF text of a vertically centred cell: ``… 6`` / ``6 0 0 0 0 0``): keep
    the order read if the row rule holds, else take the one order of the
    pieces that satisfies it. False when the order stays doubtful."""
    groups = _line_groups(row)
    if len(row.values) != row.ncols or len(groups) < 2 or len(groups) > 3 or all(len(g) == 1 for g in groups):
        return True
    if row_rule_holds(row.cells, cols):
        return True
    fits = [order for order in permutations(groups) if row_rule_holds([t for g in order for t in g], cols)]
    if len(fits) == 1:
        row.cells = [t for g in fits[0] for t in g]
        return True
    return False


def total_may_have_shifted(row: RowRead, cols: list[str]) -> bool:
    """A requests row short of its 总计 whose last value is the sum of the
    others: the source may have dropped an empty cell, and that last value
    is the total, not the column it landed in."""
    if "total" not in cols or row.cells[cols.index("total")] is not None or len(row.values) < 2:
        return False
    vals = [parse_value(t.text).value for t in row.values]
    if not all(isinstance(v, int) for v in vals):
        return False
    return vals[-1] > 0 and vals[-1] == sum(vals[:-1])
