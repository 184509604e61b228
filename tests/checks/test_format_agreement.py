"""The checks and the assembler read one set of balance equations
(``parsing.model.format``): a report that satisfies its format's equations gets no
balance finding and has every cell of them confirmed; one cell off, both notice."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import parsing
from checks import run_checks
from parsing import report_format as rf
from parsing import schema
from tests.parsing.test_format import LAYOUTS, balanced_values

BALANCE_RULES = {rel.rule for f, layout in LAYOUTS for rel in f.relations(layout)}


def _report(fmt: rf.ReportFormat, layout: str, values: dict) -> dict:
    """A gipr/1 report holding ``values`` (tables 三 and 四) in format ``fmt``."""
    tables = schema.empty_tables(fmt.key)
    extra = {}
    for path, value in values.items():
        table, row, col = schema.split_path(path)
        if row in tables[table]:
            tables[table][row][col] = value
        else:
            extra[path] = value
    provenance = {p: {"raw": "" if v is None else str(v), "span": None, "flags": [] if v is not None else ["missing"]}
                  for p, v in [*((p, schema.get_cell({"tables": tables}, p)) for p in schema.cell_paths(fmt.key)),
                               *extra.items()]}
    meta = {"title": None, "organ": None, "year": 2020 if fmt.key == "2019" else 2024, "published": None,
            "format": fmt.key}
    return {"schema": schema.SCHEMA, "source": {"path": "synthetic", "sha256": "", "format": "text"}, "meta": meta,
            "tables": tables, "provenance": provenance, "extra_cells": extra, "notes": [], "sections": [],
            "warnings": []}


def _legacy(values: dict) -> dict:
    """LEGACY: the 2019 single row's values in (六)3, the two rows the format lacks blank."""
    return {**values, **{f"requests.{r}.{c.key}": None for r in rf.ABSENT_2019 for c in schema.REQUEST_COLUMNS}}


def _balance_findings(report: dict) -> list[dict]:
    return [f for f in run_checks(report, "") if f["rule"] in BALANCE_RULES]


@settings(max_examples=30, deadline=None)
@given(case=st.sampled_from(LAYOUTS), seed=st.integers(0, 10**6), pick=st.integers(0, 10**6),
       delta=st.sampled_from([-3, -1, 1, 2, 10]))
def test_checks_and_confirmation_agree(case, seed, pick, delta):
    fmt, layout = case
    values = balanced_values(fmt, layout, random.Random(seed))
    if layout == rf.LEGACY:
        values = _legacy(values)
    report = _report(fmt, layout, values)
    cells = {p: v for p, v in values.items() if v is not None}
    assert rf.layout_of(fmt.key, {**cells, **{p: None for p in schema.cell_paths(fmt.key) if p not in cells}}) == layout
    equations = fmt.equations(layout)
    in_equations = {p for eq in equations for p in eq.cells}

    # balanced: no balance finding (not even "cannot assess"), every equation cell confirmed
    assert _balance_findings(report) == []
    confirmed = parsing.confirmed_cells(values, fmt.key)
    assert in_equations <= confirmed

    # the 总计 column unreadable (as OCR damage leaves it): the rows cannot vouch for their cells,
    # the columns still do, and the checks find nothing wrong with what is left
    blanked = {p: (None if p.startswith("requests.") and p.endswith(".total") else v) for p, v in values.items()}
    known = [eq for eq in equations if eq.holds(blanked) is not None]
    assert {p for eq in known for p in eq.cells} <= parsing.confirmed_cells(blanked, fmt.key)
    assert not [f for f in _balance_findings(_report(fmt, layout, blanked)) if f["severity"] == "error"]

    # one cell off: the checks report an error naming it, and the assembler no longer confirms it
    path = sorted(in_equations)[pick % len(in_equations)]
    if values[path] + delta < 0:
        delta = -delta
    broken = {**values, path: values[path] + delta}
    found = _balance_findings(_report(fmt, layout, broken))
    assert found and all(f["severity"] == "error" for f in found)
    assert any(path in f["cells"] for f in found)
    assert {f["rule"] for f in found} == {eq.rule for eq in equations if path in eq.cells}
    assert path not in parsing.confirmed_cells(broken, fmt.key)


# --- what a cell may hold: the store accepts what the checks pass, and the reverse ---------------

VALUE_CELLS = [("active.fees.amount", "2021"), ("active.licensing.change", "2019"), ("requests.total.total", "2021"),
               ("active.procurement.amount", "2019"), ("reviews.review.pending", "2019")]


def _value_findings(path: str, fmt: str, value) -> list[dict]:
    from checks.base import Context
    from checks.values import check

    ctx = Context.of({"meta": {"format": fmt}, "tables": {}, "extra_cells": {path: value}}, "")
    return check(ctx)


@settings(max_examples=200, deadline=None)
@given(cell=st.sampled_from(VALUE_CELLS),
       typed=st.from_regex(r"[+-]?\d{1,5}(\.\d{0,8})?(万元|元|亿元)?", fullmatch=True) | st.text(max_size=6))
def test_the_store_accepts_exactly_what_the_value_checks_pass(cell, typed):
    from store import normalize_value

    path, fmt = cell
    rule = parsing.value_rule(path, fmt)
    try:
        stored = normalize_value(path, typed, fmt)
    except ValueError:
        stored = ValueError
    if stored is not ValueError:
        assert rule.problem(stored) is None
        assert _value_findings(path, fmt, stored) == []
    elif rule.decimal and rule.checked:
        # refused by the store: the checks flag the same text when a report holds it
        text = typed.strip().replace(",", "").replace("，", "")
        assert _value_findings(path, fmt, text), typed
