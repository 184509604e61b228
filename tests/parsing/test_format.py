"""The report format as data (``parsing.model.format``): self-consistent, evaluable
and solvable, read by the assembler for 2019 reports too, and written nowhere else."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

import parsing
from parsing import report_format as rf
from parsing import schema
from tests.conftest import ROOT

LAYOUTS = [(f, layout) for f in rf.REPORT_FORMATS.values() for layout in f.layouts]
LAYOUT_IDS = [f"{f.key}-{layout}" for f, layout in LAYOUTS]


def _format_cells(fmt: rf.ReportFormat, layout: str) -> set[str]:
    """Every cell a report in ``fmt`` and ``layout`` may have: its tables' standard
    cells, and the single (六)其他处理 row where the layout prints it."""
    cells = set(schema.cell_paths(fmt.key))
    if schema.OTHER_SINGLE.key in rf.request_rows(layout):
        cells |= {f"requests.{schema.OTHER_SINGLE.key}.{c.key}" for c in schema.REQUEST_COLUMNS}
    return cells


# --- self-consistency ----------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "layout"), LAYOUTS, ids=LAYOUT_IDS)
def test_every_equation_cell_is_a_cell_of_the_format(fmt, layout):
    cells = _format_cells(fmt, layout)
    equations = fmt.equations(layout)
    assert equations
    for eq in equations:
        assert set(eq.cells) <= cells, (eq.rule, eq.at, set(eq.cells) - cells)
        assert len(set(eq.cells)) == len(eq.cells) and eq.lhs and eq.rhs


@pytest.mark.parametrize(("fmt", "layout"), LAYOUTS, ids=LAYOUT_IDS)
def test_absent_rows_are_in_no_equation(fmt, layout):
    rows_used = {schema.split_path(p)[1] for eq in fmt.equations(layout) for p in eq.cells}
    assert not rows_used & set(fmt.absent), fmt.key
    assert not rows_used & set(fmt.absent_rows(layout))
    # and every other standard cell of tables 三 and 四 takes part in some equation
    used = {p for eq in fmt.equations(layout) for p in eq.cells}
    for path in schema.cell_paths(fmt.key):
        table, row, _ = schema.split_path(path)
        if table in ("requests", "reviews") and row not in fmt.absent_rows(layout):
            assert path in used, path


def test_the_2019_format_has_no_divided_other_rows_and_2021_has_all():
    f19, f21 = rf.format_of(schema.FORMAT_2019), rf.format_of(schema.FORMAT_2021)
    assert set(f19.absent) == {"other_no_correction", "other_unpaid_fee"}
    assert rf.DIVIDED not in f19.layouts and f21.layouts[0] == rf.DIVIDED
    assert f21.absent == ()
    # unknown and pre-2019 reports are read in the 2021 shape
    assert rf.format_of(schema.FORMAT_UNKNOWN) is f21 and rf.format_of(None) is f21
    assert f19.tables[0] is schema.ACTIVE_2019 and f21.tables[0] is schema.ACTIVE_2021


def test_rule_ids_of_the_relations_are_the_checks_rule_ids():
    import checks

    ids = {rel.rule for f, layout in LAYOUTS for rel in f.relations(layout)} | {rf.SUBTOTALS}
    assert ids <= set(checks.RULES)
    assert ids == {"requests.column_balance", "requests.row_sum", "requests.outcome_sum", "requests.subtotals",
                   "reviews.row_sum"}


@pytest.mark.parametrize("fmt", list(rf.REPORT_FORMATS.values()), ids=list(rf.REPORT_FORMATS))
def test_value_rules_name_cells_of_their_format(fmt):
    cells = set(schema.cell_paths(fmt.key))
    assert set(fmt.value_rules) <= cells
    assert all(rule in rf.VALUE_RULES for rule in fmt.value_rules.values())


def test_value_rules_per_cell_kind():
    assert rf.value_rule("active.fees.amount", "2021") is rf.MONEY
    assert rf.value_rule("active.licensing.change", "2019") is rf.SIGNED
    assert rf.value_rule("active.licensing.change", "2021") is rf.COUNT  # only the 2019 format has 增/减
    assert rf.value_rule("active.procurement.amount", "2019") is rf.AMOUNT_AS_WRITTEN
    assert rf.value_rule("requests.total.total", "2019") is rf.COUNT
    assert [rf.COUNT.problem(v) for v in (0, 3, -1, 1.5, "3", True, None)] == [
        None, None, "negative", "not_integer", "not_integer", "not_integer", None]
    assert rf.SIGNED.problem(-4) is None
    assert [rf.MONEY.problem(v) for v in ("204.92", "0", 5, "1.1234567", "-1", "abc", "NaN", 2.5)] == [
        None, None, None, "precision", "negative", "not_number", "not_number", "not_number"]
    assert rf.AMOUNT_AS_WRITTEN.problem("82059.2090万元") is None and rf.AMOUNT_AS_WRITTEN.problem("3亿元") is None


# --- evaluating and solving -------------------------------------------------------------


def balanced_values(fmt: rf.ReportFormat, layout: str, rng: random.Random) -> dict[str, int]:
    """Values for every cell of tables 三 and 四 that satisfy every equation."""
    cols = [c.key for c in schema.APPLICANT_COLUMNS]
    outcome = rf.OUTCOME_LAYOUTS[layout]
    v: dict[str, int] = {}
    for row in outcome:
        for c in cols:
            v[f"requests.{row}.{c}"] = rng.choice([0, 0, 0, 1, 2, 5, 17])
    for c in cols:
        v[f"requests.total.{c}"] = sum(v[f"requests.{r}.{c}"] for r in outcome)
        v[f"requests.carried_forward.{c}"] = rng.randint(0, 3)
        stock = v[f"requests.total.{c}"] + v[f"requests.carried_forward.{c}"]
        v[f"requests.carried_over.{c}"] = rng.randint(0, stock)
        v[f"requests.new_received.{c}"] = stock - v[f"requests.carried_over.{c}"]
    for row in rf.request_rows(layout):
        v[f"requests.{row}.total"] = sum(v[f"requests.{row}.{c}"] for c in cols)
    for r in schema.REVIEWS.rows:
        parts = [rng.randint(0, 4) for _ in range(4)]
        for c, n in zip(("upheld", "corrected", "other", "pending"), parts):
            v[f"reviews.{r.key}.{c}"] = n
        v[f"reviews.{r.key}.total"] = sum(parts)
    return v


@pytest.mark.parametrize(("fmt", "layout"), LAYOUTS, ids=LAYOUT_IDS)
def test_equations_hold_on_balanced_values_and_solve_for_one_unknown(fmt, layout):
    rng = random.Random(f"{fmt.key}{layout}")
    values = balanced_values(fmt, layout, rng)
    for eq in fmt.equations(layout):
        assert eq.holds(values) is True, (eq.rule, eq.at)
        hidden = rng.choice(eq.cells)
        partial = {**values, hidden: None}
        assert eq.holds(partial) is None
        assert eq.solve(partial) == (hidden, values[hidden])
        assert eq.solve(values) is None  # nothing unknown
        wrong = {**values, hidden: values[hidden] + 1}
        assert eq.holds(wrong) is False


# --- the 2019 format: confirmation follows its rows ----------------------------------------

LAYOUT_FIXTURES = ROOT / "tests" / "fixtures" / "layouts"


def _legacy_2019_values() -> dict:
    """A 2019 report whose single (六)其他处理 row sits in (六)3 (saved before
    it had its own key), every row's 总计 column unreadable: only the columns
    can confirm the outcome rows."""
    fmt = rf.format_of(schema.FORMAT_2019)
    values = balanced_values(fmt, rf.LEGACY, random.Random(19))
    values.update({f"requests.{r}.{c.key}": None for r in rf.ABSENT_2019 for c in schema.REQUEST_COLUMNS})
    for row in rf.request_rows(rf.LEGACY):
        values[f"requests.{row}.total"] = None
    return values


def test_2019_outcome_columns_are_confirmed_without_the_rows_the_format_lacks():
    values = _legacy_2019_values()
    assert rf.layout_of(schema.FORMAT_2019, values) == rf.LEGACY
    confirmed = parsing.confirmed_cells(values, schema.FORMAT_2019)
    for row in rf.OUTCOME_LAYOUTS[rf.LEGACY]:
        assert f"requests.{row}.natural_person" in confirmed, row
    # read as a 2021 report, (六)1 and (六)2 are blank: (七)总计 would confirm nothing
    assert "requests.granted.natural_person" not in parsing.confirmed_cells(values, schema.FORMAT_2021)


def _ocr_damaged_2019(text: str) -> str:
    """The 2019 pipes fixture with two OCR look-alikes (a document showing OCR
    damage) and the 总计 cell of row (一)予以公开 misread, so that only the
    columns can vouch for that row's other cells."""
    text = text.replace("规章 | 0 | 0 | 0", "规章 | O | 0 | 0")
    text = text.replace("2.重复申请 | 1 |", "2.重复申请 | l |")
    row = "（一）予以公开 | 12 | 3 | 0 | 0 | 0 | 0 | 15 |"
    assert row in text
    return text.replace(row, "（一）予以公开 | 12 | 3 | 0 | 0 | 0 | 0 | 16 |")


@pytest.mark.parametrize("label", ["（六）其他处理", "（六）其他处理 3.其他"])
def test_ocr_damaged_2019_report_has_no_doubt_on_cells_the_balance_confirms(label):
    text = (LAYOUT_FIXTURES / "format-2019-pipes.txt").read_text(encoding="utf-8")
    text = _ocr_damaged_2019(text.replace("（六）其他处理 |", f"{label} |"))
    r = parsing.parse_bytes(text.encode("utf-8"), name="2019-ocr.txt").report
    assert r["meta"]["format"] == "2019"
    assert any("OCR" in w for w in r["warnings"])
    flags = {p: v["flags"] for p, v in r["provenance"].items()}
    # the row's own sum fails (总计 16): its 商业企业 cell is confirmed by the
    # 商业企业 column's (七)总计 alone, which sums the 2019 format's outcome rows
    assert r["tables"]["requests"]["granted"]["commercial"] == 3
    assert "ocr_suspect" not in flags["requests.granted.commercial"]
    assert "ocr_suspect" not in flags["requests.total.commercial"]
    assert "ocr_suspect" in flags["requests.granted.total"]  # its row and its column both fail
    assert "ocr_suspect" in flags["active.rules.made"]  # no balance rule vouches for table 二
    # no warning names rows the 2019 format does not have
    assert not any("逾期不补正" in w or "逾期未缴费" in w for w in r["warnings"])


def test_2019_report_missing_its_other_row_names_that_row():
    text = (LAYOUT_FIXTURES / "format-2019-pipes.txt").read_text(encoding="utf-8")
    text = text.replace("（六）其他处理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n", "")
    r = parsing.parse_bytes(text.encode("utf-8"), name="2019-no-other.txt").report
    missing = [w for w in r["warnings"] if "未找到" in w]
    assert missing == ["收到和处理政府信息公开申请情况表中未找到 1 行：(六)其他处理"]


# --- hygiene: the equations are written once ----------------------------------------------

# The modules that evaluate or solve the balance equations: they read them from
# parsing.model.format and never spell the rows or columns an equation relates.
CONSUMERS = ["checks/balance.py", "parsing/layout/assemble.py", "parsing/layout/glued.py", "parsing/readers/pdf_compare.py",
             "parsing/readers/ocr.py"]


def _equation_keys() -> set[str]:
    """Row and column keys the format's relations relate, but for ``total``
    and ``other`` (also the names of an outcome group and of a column every
    label reader needs) and the single (六) row (which the reader names when it
    finds it)."""
    keys = set()
    for f, layout in LAYOUTS:
        for rel in f.relations(layout):
            keys |= set(rel.lhs + rel.rhs)
    for parts in rf.SUBTOTAL_PARTS.values():
        keys |= set(parts)
    return keys - {"total", "other", schema.OTHER_SINGLE.key}


def _string_fragments(source: str) -> list[str]:
    """Every string literal of a module and the literal parts of its f-strings,
    docstrings aside (prose, not code)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _named_keys(fragment: str, keys: set[str]) -> set[str]:
    """The keys a literal spells: as a path segment or the whole literal."""
    import re

    return {w for w in re.split(r"[^a-z_]+", fragment) if w in keys}


@pytest.mark.parametrize("module", CONSUMERS)
def test_balance_equations_are_not_written_outside_the_format(module):
    source = (ROOT / module).read_text(encoding="utf-8")
    keys = _equation_keys()
    spelled = {k for frag in _string_fragments(source) for k in _named_keys(frag, keys)}
    assert not spelled, f"{module} spells rows/columns of the balance equations: {sorted(spelled)}"


def test_the_hygiene_check_would_catch_a_copy():
    copy = 'EQ = ([f"requests.new_received.{c}", f"requests.carried_over.{c}"], ["upheld", "corrected"])'
    keys = _equation_keys()
    spelled = {k for frag in _string_fragments(copy) for k in _named_keys(frag, keys)}
    assert spelled == {"new_received", "carried_over", "upheld", "corrected"}


def test_the_format_module_is_where_they_are():
    source = Path(rf.__file__).read_text(encoding="utf-8")
    spelled = {k for frag in _string_fragments(source) for k in _named_keys(frag, _equation_keys())}
    assert {"new_received", "carried_over", "carried_forward"} <= spelled


# --- across years: the carry-over and the stock chain, written once too --------------------

def test_the_carry_over_links_every_column_of_table_3_to_last_year_s_carried_forward():
    cols = [c.key for c in schema.REQUEST_COLUMNS]
    assert [c.column for c in rf.CARRY_OVERS] == cols
    for link in rf.CARRY_OVERS:
        for path in (link.this, link.last):
            table, row, col = schema.split_path(path)
            assert col in [c.key for c in schema.table_for(table, "2021").columns_of(row)]
        assert rf.last_year_cell(link.this) == link.last
    assert rf.last_year_cell("active.rules.issued") == "active.rules.issued"  # every other cell: itself


def test_the_stock_chain_exists_only_between_formats_that_print_in_force():
    assert rf.has_stock("2021") and not rf.has_stock("2019")
    assert [c.row for c in rf.stock_chains("2021", "2021")] == list(rf.STOCK_ROWS)
    assert rf.stock_chains("2021", "2019") == rf.stock_chains("2019", "2021") == ()
    for chain in rf.stock_chains("2021", "2021"):
        for path in (*chain.paths, chain.last):
            table, row, col = schema.split_path(path)
            assert col in [c.key for c in schema.ACTIVE_2021.columns_of(row)]
        assert chain.holds(last=14, issued=3, repealed=2, in_force=15) and not chain.holds(14, 3, 2, 14)


CROSS_YEAR_CONSUMERS = ["checks/history.py", "checks/compare.py", "parsing/layout/assemble.py"]


def _cross_year_keys() -> set[str]:
    """The carry-over's rows and the stock chain's columns (the stock rows 规章 and
    行政规范性文件 are also named for other reasons, e.g. the body-text hints)."""
    keys = {schema.split_path(p)[1] for link in rf.CARRY_OVERS for p in (link.this, link.last)}
    for chain in rf.stock_chains("2021", "2021"):
        keys |= {schema.split_path(p)[2] for p in chain.paths}
    return keys


@pytest.mark.parametrize("module", CROSS_YEAR_CONSUMERS)
def test_the_cross_year_relations_are_not_written_outside_the_format(module):
    source = (ROOT / module).read_text(encoding="utf-8")
    keys = _cross_year_keys()
    spelled = {k for frag in _string_fragments(source) for k in _named_keys(frag, keys)}
    assert not spelled, f"{module} spells the carry-over / stock-chain cells: {sorted(spelled)}"
    assert keys == {"carried_over", "carried_forward", "in_force", "issued", "repealed"}
