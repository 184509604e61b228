"""The report format as data: per format, its tables, the rows it does not
have, the balance equations (勾稽关系) and what each cell may hold.

``parsing.model.schema`` names things (tables, rows, columns, Chinese labels, cell
paths); this module says what the national formats state about them. It is
the one place these facts are written: the assembler's confirmation, the
glued-digit solver, the PDF reading comparison, the checks' balance and value
rules, the store's value validation and the app's edit dialog all read them
from here (through the ``parsing`` face outside this package).

- ``REPORT_FORMATS``: one ``ReportFormat`` per format with tables of its own
  (``"2021"``, 国办公开办函〔2021〕30号; ``"2019"``, 国办公开办函〔2019〕60号).
  Reports in other formats (pre-2019, unknown) are read in the 2021 shape.
- Layouts of the (六)其他处理 group of table 三: its three sub-rows
  (``DIVIDED``), one undivided row printed in their place (``SINGLE``, the
  extra row ``requests.other_single``: the 2019 format, some 2021 reports),
  or a 2019-format report saved before that row had its own key, its value
  in (六)3 (``LEGACY``). ``layout_of`` tells which one a report's values have.
- ``Relation``: ``Σ lhs = Σ rhs`` along each column (lhs/rhs are rows) or
  each row (lhs/rhs are columns), named by the check rule id that judges it;
  ``ReportFormat.equations(layout)`` instantiates them into ``Equation``s of
  cell paths, which can be evaluated (``holds``) and solved for one unknown
  (``solve``).
- ``ValueRule``: what a cell may hold (a count ≥ 0, a signed count, 万元 to
  6 decimals, an amount written with its unit), per cell path and format.
- Across years (a report and the same organ's previous one): ``CARRY_OVERS``
  (上年结转 = last year's 结转下年度继续办理, per column; ``last_year_cell``) and
  ``stock_chains`` (上年现行有效 + 制发 − 废止 = 现行有效 for 规章 and 行政规范性文件,
  only between formats that print 现行有效), with their rule ids
  ``CARRY_OVER`` and ``STOCK_CHAIN``: the checks' history rules, the comparison
  and the assembler's settling of a glued stock row read them.

Pure data and small pure functions; imports only ``parsing.model.schema``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from . import schema
from .schema import (
    ACTIVE_2019,
    ACTIVE_2021,
    APPLICANT_COLUMNS,
    FORMAT_2019,
    FORMAT_2021,
    LEGAL_ENTITY_SUBTOTAL,
    OTHER_SINGLE,
    OUTCOME_GROUPS,
    OUTCOME_ROWS,
    REQUEST_COLUMNS,
    REQUESTS,
    REVIEWS,
    Table,
)

# --- rule ids of the balance relations (stable: stored findings and exports use them) -----------

COLUMN_BALANCE = "requests.column_balance"
ROW_SUM = "requests.row_sum"
OUTCOME_SUM = "requests.outcome_sum"
SUBTOTALS = "requests.subtotals"
REVIEWS_ROW_SUM = "reviews.row_sum"

# --- layouts of the (六)其他处理 group -------------------------------------------------------

DIVIDED = "divided"
SINGLE = "single"
LEGACY = "legacy"

OTHER_SUBROWS = OUTCOME_GROUPS["other"]  # (六)1 逾期不补正, (六)2 逾期未缴费, (六)3 其他
# Rows the 2019 format does not have: its (六)其他处理 is one undivided row.
ABSENT_2019 = ("other_no_correction", "other_unpaid_fee")


def _single_in_place(rows: tuple[str, ...]) -> tuple[str, ...]:
    """``rows`` with the single (六)其他处理 row where its three sub-rows were."""
    at = rows.index(OTHER_SUBROWS[0])
    kept = tuple(r for r in rows if r not in OTHER_SUBROWS)
    return kept[:at] + (OTHER_SINGLE.key,) + kept[at:]


# The rows (七)总计 sums, per layout.
OUTCOME_LAYOUTS: dict[str, tuple[str, ...]] = {
    DIVIDED: OUTCOME_ROWS,
    SINGLE: _single_in_place(OUTCOME_ROWS),
    LEGACY: tuple(r for r in OUTCOME_ROWS if r not in ABSENT_2019),
}

# --- relations and their instances ------------------------------------------------------------

COLUMN, ROW = "column", "row"


@dataclass(frozen=True)
class Equation:
    """One instance of a relation: ``Σ lhs = Σ rhs`` over cell paths."""

    rule: str
    at: str  # the column (or row) key this instance is of
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    @property
    def terms(self) -> tuple[tuple[str, int], ...]:
        """``(path, coefficient)``: the equation as ``Σ coef · cell = 0``."""
        return tuple((p, 1) for p in self.lhs) + tuple((p, -1) for p in self.rhs)

    def holds(self, values: Mapping[str, object]) -> bool | None:
        """True / False when every cell is a whole number, else None (not assessable)."""
        nums = [values.get(p) for p in self.cells]
        if not all(is_count(v) for v in nums):
            return None
        return sum(nums[: len(self.lhs)]) == sum(nums[len(self.lhs):])  # type: ignore[arg-type]

    def solve(self, values: Mapping[str, object]) -> tuple[str, int] | None:
        """(path, value) of the one cell that is not a whole number, from the
        others; None when there is not exactly one such cell."""
        unknown = [p for p in self.cells if not is_count(values.get(p))]
        if len(unknown) != 1:
            return None
        (path,) = unknown
        rest = sum(coef * values[p] for p, coef in self.terms if p != path)  # type: ignore[operator]
        coef = 1 if path in self.lhs else -1
        return path, -rest * coef


@dataclass(frozen=True)
class Relation:
    """``Σ lhs = Σ rhs`` in ``table``, once per member of ``over``.

    ``along == COLUMN``: ``lhs``/``rhs`` are row keys and ``over`` column keys
    (one equation per column); ``along == ROW``: the reverse."""

    rule: str
    table: str
    along: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    over: tuple[str, ...]

    def _path(self, line: str, at: str) -> str:
        row, col = (line, at) if self.along == COLUMN else (at, line)
        return f"{self.table}.{row}.{col}"

    def instances(self) -> tuple[Equation, ...]:
        return tuple(
            Equation(self.rule, at, tuple(self._path(x, at) for x in self.lhs), tuple(self._path(x, at) for x in self.rhs))
            for at in self.over
        )

    @property
    def rows(self) -> tuple[str, ...]:
        return self.lhs + self.rhs if self.along == COLUMN else self.over

    @property
    def columns(self) -> tuple[str, ...]:
        return self.over if self.along == COLUMN else self.lhs + self.rhs


_APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS)
_REQUEST_COLS = tuple(c.key for c in REQUEST_COLUMNS)
_REVIEW_COLS = tuple(c.key for c in REVIEWS.columns or ())
_REVIEW_PARTS = _REVIEW_COLS[:-1]  # 维持, 纠正, 其他, 尚未审结
_STOCK_ROWS = ("new_received", "carried_over")  # 一、本年新收, 二、上年结转
_DISPOSED_ROWS = ("total", "carried_forward")  # (七)总计, 四、结转下年度继续办理


def request_rows(layout: str) -> tuple[str, ...]:
    """The rows of table 三 in ``layout``, in the format's order."""
    return _STOCK_ROWS + OUTCOME_LAYOUTS[layout] + _DISPOSED_ROWS


@cache
def relations(layout: str = DIVIDED) -> tuple[Relation, ...]:
    """The balance relations the format states or implies (REPORT_SCHEMA.md), in
    table 三's ``layout``: the (七)总计 sum, each row's 总计 column, the column
    balance, and table 四's rows. The same in both formats (table 四 and 三
    are shared); only the layout of (六) differs."""
    return (
        Relation(OUTCOME_SUM, "requests", COLUMN, OUTCOME_LAYOUTS[layout], ("total",), _REQUEST_COLS),
        Relation(COLUMN_BALANCE, "requests", COLUMN, _STOCK_ROWS, _DISPOSED_ROWS, _REQUEST_COLS),
        Relation(ROW_SUM, "requests", ROW, _APPLICANTS, ("total",), request_rows(layout)),
        Relation(REVIEWS_ROW_SUM, "reviews", ROW, _REVIEW_PARTS, ("total",), tuple(r.key for r in REVIEWS.rows)),
    )


# Printed subtotals (extra cells, where a report prints them): a group's 小计
# row is the sum of its rows, column by column; the 8th column 法人或其他组织小计
# the sum of the five organisation columns, row by row.
SUBTOTAL_PARTS: dict[str, tuple[str, ...]] = {f"subtotal_{g}": rows for g, rows in OUTCOME_GROUPS.items()}
LEGAL_ENTITY_PARTS = _APPLICANTS[1:]


def subtotal_parts(path: str) -> tuple[str, ...] | None:
    """The cells a printed subtotal cell sums; None when ``path`` is not one."""
    try:
        table, row, col = schema.split_path(path)
    except ValueError:
        return None
    if table != "requests":
        return None
    if row in SUBTOTAL_PARTS:
        return tuple(f"requests.{r}.{col}" for r in SUBTOTAL_PARTS[row])
    if col == LEGAL_ENTITY_SUBTOTAL.key:
        return tuple(f"requests.{row}.{c}" for c in LEGAL_ENTITY_PARTS)
    return None


# --- what a cell may hold -------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRule:
    """What a cell may hold. ``None`` (no value in the source) always may."""

    kind: str
    decimal: bool = False  # kept as the decimal string printed (万元), never a float
    negative: bool = False  # may be below 0
    places: int = 0  # most decimal places
    units: tuple[str, ...] = ()  # units that may follow the number, kept as written
    checked: bool = True  # judged by the value checks (an amount with its unit is not)
    hint: str = ""  # what to type, for the edit dialog
    refusal: str = ""  # a short refusal, for the edit dialog

    def problem(self, value) -> str | None:
        """Why a stored value breaks the rule: ``"not_integer"``, ``"not_number"``,
        ``"negative"``, ``"precision"``; None when it keeps it (None always does).

        A decimal is written in ASCII digits with an optional fraction (``"204.92"``,
        thousands separators aside), then its unit where the rule allows one;
        a count is an ``int``."""
        if value is None:
            return None
        if not self.decimal:
            if not is_count(value):
                return "not_integer"
            return "negative" if value < 0 and not self.negative else None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return "not_number"
        m = _DECIMAL.fullmatch(str(value).strip().replace(",", ""))
        if m is None or (m.group("unit") and m.group("unit") not in self.units):
            return "not_number"
        if m.group("sign") == "-" and not self.negative:
            return "negative"
        if m.group("sign") == "+":
            return "not_number"
        return "precision" if len(m.group("fraction") or "") > self.places else None


_DECIMAL = re.compile(r"(?P<sign>[+-]?)[0-9]+(?:\.(?P<fraction>[0-9]+))?(?P<unit>[^\d.+-]*)", re.ASCII)


COUNT = ValueRule("count", hint="不小于 0 的整数；留空表示无法确定", refusal="须为不小于 0 的整数")
SIGNED = ValueRule("signed", negative=True, hint="整数，可为负数；留空表示无法确定", refusal="须为整数（可为负数）")
# 万元 to the fen: 0.000001 万元 = 0.01 元 (real reports print 5949.088667; the
# format's 保留4位小数 is a convention, not a rule).
MONEY = ValueRule("money", decimal=True, places=6, hint="金额（万元），至多 6 位小数；留空表示无法确定",
                  refusal="金额须为不小于 0、至多 6 位小数的数，如 204.92")
# The 2019 format's 采购总金额: printed with its unit, kept as written.
AMOUNT_AS_WRITTEN = ValueRule("amount_as_written", decimal=True, places=6, units=("万元", "元", "亿元"), checked=False,
                              hint=MONEY.hint, refusal=MONEY.refusal)
VALUE_RULES = (COUNT, SIGNED, MONEY, AMOUNT_AS_WRITTEN)


def is_count(value) -> bool:
    """A whole number as the tables hold one (never a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


# --- the formats --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFormat:
    key: str
    name: str  # the document that set the format
    active: Table
    # Layouts of (六)其他处理 a report in this format may have; the first is the default.
    layouts: tuple[str, ...]
    # Standard rows of table 三 the format does not have at all.
    absent: tuple[str, ...] = ()
    # Cells that are not plain counts (every other cell is a ``COUNT``).
    value_rules: dict[str, ValueRule] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        return self.active, REQUESTS, REVIEWS

    def absent_rows(self, layout: str) -> tuple[str, ...]:
        """Standard rows of table 三 a report in ``layout`` has no values for."""
        return tuple(r for r in OUTCOME_ROWS if r not in OUTCOME_LAYOUTS[layout])

    def relations(self, layout: str) -> tuple[Relation, ...]:
        return relations(layout)

    def equations(self, layout: str) -> tuple[Equation, ...]:
        return _equations(layout)


@cache
def _equations(layout: str) -> tuple[Equation, ...]:
    return tuple(eq for rel in relations(layout) for eq in rel.instances())


FORMAT_2021_DATA = ReportFormat(
    key=FORMAT_2021,
    name="国办公开办函〔2021〕30号",
    active=ACTIVE_2021,
    layouts=(DIVIDED, SINGLE),
    value_rules={"active.fees.amount": MONEY},
)
FORMAT_2019_DATA = ReportFormat(
    key=FORMAT_2019,
    name="国办公开办函〔2019〕60号",
    active=ACTIVE_2019,
    layouts=(SINGLE, LEGACY),
    absent=ABSENT_2019,
    value_rules={
        **{f"active.{r.key}.change": SIGNED for r in ACTIVE_2019.rows
           if any(c.key == "change" for c in ACTIVE_2019.columns_of(r.key))},
        "active.procurement.amount": AMOUNT_AS_WRITTEN,
    },
)
REPORT_FORMATS: dict[str, ReportFormat] = {f.key: f for f in (FORMAT_2021_DATA, FORMAT_2019_DATA)}


def format_of(fmt: str | None) -> ReportFormat:
    """The format's data; reports in other formats (pre-2019, unknown) are read in the 2021 shape."""
    return REPORT_FORMATS.get(fmt or "", FORMAT_2021_DATA)


def value_rule(path: str, fmt: str | None = None) -> ValueRule:
    """What the cell ``path`` may hold in a report in format ``fmt``. A money
    cell is money whatever format a report says it is in (the path says it);
    a signed cell only in the format that has it."""
    rule = format_of(fmt).value_rules.get(path)
    if rule is not None:
        return rule
    for other in REPORT_FORMATS.values():
        rule = other.value_rules.get(path)
        if rule is not None and rule.decimal:
            return rule
    return COUNT


def is_money(path: str, fmt: str | None = None) -> bool:
    """Cells kept as decimal strings (万元) rather than integer counts."""
    return value_rule(path, fmt).decimal


def is_signed(path: str, fmt: str | None = None) -> bool:
    """Cells that may legitimately be negative (2019 format 本年增/减)."""
    return value_rule(path, fmt).negative


# --- a report's layout, and the cells its equations confirm ----------------------------------


def layout_of_rows(fmt: str | None, printed: Iterable[str], filled: Iterable[str]) -> str:
    """The layout of (六)其他处理, from the requests rows a report printed
    (``printed``) and those holding at least one whole number (``filled``)."""
    printed, filled = set(printed), set(filled)
    single = OTHER_SINGLE.key
    if format_of(fmt).key == FORMAT_2019:
        # saved before the single row had its own key: it sits in (六)3
        return LEGACY if single not in printed and "other_other" in filled else SINGLE
    return SINGLE if single in filled and not filled & set(OTHER_SUBROWS) else DIVIDED


def layout_of(fmt: str | None, values: Mapping[str, object]) -> str:
    """The layout of (六)其他处理 in a report's values (``{path: value}``,
    standard and extra cells)."""
    printed, filled = set(), set()
    for path, value in values.items():
        if not path.startswith("requests."):
            continue
        row = path.split(".", 2)[1]
        printed.add(row)
        if is_count(value):
            filled.add(row)
    return layout_of_rows(fmt, printed, filled)


def confirmed_cells(values: Mapping[str, object], fmt: str | None) -> set[str]:
    """Cells that take part in at least one balance equation of the report's
    format and layout that holds with every one of its cells read."""
    ok: set[str] = set()
    for eq in format_of(fmt).equations(layout_of(fmt, values)):
        if eq.holds(values):
            ok.update(eq.cells)
    return ok


# --- across years: what a report owes the same organ's previous one ---------------------
CARRY_OVER = "history.carry_over"
STOCK_CHAIN = "history.normative_documents"
STOCK_ROWS = ("rules", "normative_documents")  # 表一 rows with a stock: 规章, 行政规范性文件


@dataclass(frozen=True)
class CarryOver:
    """二、上年结转 of this year's report equals 四、结转下年度继续办理 of last year's, per applicant column."""

    column: str
    this: str  # the cell in this year's report
    last: str  # the cell in last year's report


CARRY_OVERS = tuple(CarryOver(c, f"requests.carried_over.{c}", f"requests.carried_forward.{c}") for c in _REQUEST_COLS)


def last_year_cell(path: str) -> str:
    """The cell of last year's report a cell of this year's is read against
    (上年结转 ↔ 结转下年度; every other cell against itself)."""
    return next((c.last for c in CARRY_OVERS if c.this == path), path)


@dataclass(frozen=True)
class StockChain:
    """上年现行有效 + 本年制发 − 本年废止 = 本年现行有效, for one row of 表一."""

    row: str

    @property
    def last(self) -> str:  # last year's 现行有效, in last year's report
        return f"active.{self.row}.in_force"

    @property
    def issued(self) -> str:
        return f"active.{self.row}.issued"

    @property
    def repealed(self) -> str:
        return f"active.{self.row}.repealed"

    @property
    def in_force(self) -> str:
        return f"active.{self.row}.in_force"

    @property
    def paths(self) -> tuple[str, str, str]:
        """This year's cells, in the equation's order: 制发, 废止, 现行有效."""
        return self.issued, self.repealed, self.in_force

    @staticmethod
    def expected(last: int, issued: int, repealed: int) -> int:
        return last + issued - repealed

    def holds(self, last: int, issued: int, repealed: int, in_force: int) -> bool:
        return self.expected(last, issued, repealed) == in_force


def has_stock(fmt: str | None) -> bool:
    """Whether a format's 表一 carries 现行有效件数 (the 2019 format does not)."""
    return any(c.key == "in_force" for c in format_of(fmt).active.columns_of(STOCK_ROWS[0]))


def stock_chains(fmt: str | None, last_fmt: str | None) -> tuple[StockChain, ...]:
    """The stock chains between a report (``fmt``) and last year's (``last_fmt``):
    none unless both formats carry 现行有效."""
    if not (has_stock(fmt) and has_stock(last_fmt)):
        return ()
    return tuple(StockChain(row) for row in STOCK_ROWS)
