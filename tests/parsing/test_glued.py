"""The glued-digit split solver: real crawler rows come back exactly, ambiguous
splits are reported as ambiguous, and no input makes it guess or crash."""

from __future__ import annotations

import json
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsing.layout.glued import (
    MAX_REPORTED,
    RowSolution,
    solve_requests,
    solve_reviews_flat,
    solve_row,
    solve_subtotal_row,
    split_candidates,
)
from parsing.model.schema import OUTCOME_ROWS, REQUEST_COLUMNS, REQUESTS, REVIEWS

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
PINGTAN_TEXT = (CORPUS / "pingtan-2023-crawler-glued.txt").read_text(encoding="utf-8")
PINGTAN = json.loads((CORPUS / "pingtan-2023-crawler-glued.json").read_text(encoding="utf-8"))["tables"]

ROW_KEYS = [r.key for r in REQUESTS.rows]
COL_KEYS = [c.key for c in REQUEST_COLUMNS]
REVIEW_COLS = [c.key for c in REVIEWS.columns]

# The digit run after each requests row label in the crawler copy, in row order.
PINGTAN_RUNS = dict(zip(ROW_KEYS, [
    "801000081", "0000000", "220000022", "191000020",
    "0000000", "0000000", "0000000", "1000001", "0000000", "1000001", "1000001", "2000002",
    "310000031", "0000000", "0000000",
    "0000000", "1000001", "0000000", "0000000", "0000000",
    "1000001", "0000000", "1000001",
    "801000081", "0000000",
]))
PINGTAN_REVIEWS_RUN = "110024001510102"


def truth_row(table: str, row: str, cols: list[str]) -> list[int]:
    return [PINGTAN[table][row][c] for c in cols]


def assert_never_wrong(sol: RowSolution, truth: list[int]) -> None:
    """Every value given is the truth; every value withheld is flagged ambiguous."""
    assert len(sol.values) == len(truth)
    for col, (got, want) in enumerate(zip(sol.values, truth)):
        if got is None:
            assert col in sol.ambiguous
        else:
            assert got == want and col not in sol.ambiguous
    if sol.consistent and len(sol.candidates) < MAX_REPORTED:
        assert tuple(truth) in sol.candidates


# --- the real crawler copy -----------------------------------------------------


def test_pingtan_runs_are_the_crawler_text():
    for run in PINGTAN_RUNS.values():
        assert run in PINGTAN_TEXT
    assert PINGTAN_REVIEWS_RUN in PINGTAN_TEXT


def test_pingtan_requests_all_glued_give_the_checked_values():
    solved = solve_requests({}, PINGTAN_RUNS)
    assert set(solved) == set(ROW_KEYS)
    for row, sol in solved.items():
        assert sol.values == truth_row("requests", row, COL_KEYS), row
        assert sol.ambiguous == set() and sol.consistent, row


def test_pingtan_requests_single_rows_alone():
    """Alone, 220000022 is also 2|20|0|…|22 and 191000020 also 1|9|10|0|…|20:
    only the column rules settle those two."""
    alone_ambiguous = {"granted": {0, 1}, "partially_granted": {0, 1, 2}}
    for row, run in PINGTAN_RUNS.items():
        sol = solve_row(run, 7, total_last=True)
        assert_never_wrong(sol, truth_row("requests", row, COL_KEYS))
        assert sol.ambiguous == alone_ambiguous.get(row, set()), row


def test_pingtan_reviews_flat_run():
    sols = solve_reviews_flat(PINGTAN_REVIEWS_RUN)
    assert len(sols) == 3
    for sol, row in zip(sols, [r.key for r in REVIEWS.rows]):
        assert sol.values == truth_row("reviews", row, REVIEW_COLS)
        assert sol.ambiguous == set() and sol.consistent


def test_reviews_run_with_one_broken_row_keeps_the_other_rows():
    # an OCR slip: the third row's total reads 3, so no cut balances every row
    sols = solve_reviews_flat("110024001510103")
    assert [s.values for s in sols] == [[1, 1, 0, 0, 2], [4, 0, 0, 1, 5], [1, 0, 1, 0, 3]]
    assert not any(s.consistent for s in sols)
    # a stray digit: the third row can be cut three ways, each ambiguous column reported
    sols = solve_reviews_flat("1100240015101022")
    assert [s.values for s in sols[:2]] == [[1, 1, 0, 0, 2], [4, 0, 0, 1, 5]]
    assert sols[2].ambiguous == {0, 1, 2, 3, 4} and not sols[2].consistent


def test_pingtan_active_rows():
    assert solve_row("000", 3, total_last=False).values == [0, 0, 0]
    assert solve_row("2629", 1, total_last=False).values == [2629]
    # 77|132|470 is one of many cuts: without hints every column is in doubt
    sol = solve_row("77132470", 3, total_last=False)
    assert sol.ambiguous == {0, 1, 2} and sol.values == [None, None, None]
    assert (77, 132, 470) in sol.candidates
    # the body text says 制发…77件 (and 393 in force, which is not in the table)
    hinted = solve_row("77132470", 3, total_last=False, hints={0: 77, 2: 393})
    assert hinted.values == [77, None, None] and hinted.ambiguous == {1, 2}
    assert_never_wrong(hinted, [77, 132, 470])
    exact = solve_row("77132470", 3, total_last=False, hints={0: 77, 2: 470})
    assert exact.values == [77, 132, 470] and exact.ambiguous == set()


# --- split_candidates and one row -------------------------------------------------


def test_split_candidates_cuts_without_leading_zeros():
    assert split_candidates("1234", 2) == [(1, 234), (12, 34), (123, 4)]
    assert split_candidates("1005", 2) == [(100, 5)]
    assert split_candidates("105", 3) == [(1, 0, 5)]
    assert split_candidates("100", 2) == [(10, 0)]
    assert split_candidates("12345678", 1) == []  # longer than max_len
    assert split_candidates("12345678", 1, max_len=8) == [(12345678,)]
    assert split_candidates("12", 3) == []


def test_row_with_two_balanced_splits_is_ambiguous():
    sol = solve_row("511011120120", 7, total_last=True)
    assert sorted(sol.candidates) == [(5, 1, 101, 1, 12, 0, 120), (5, 1, 101, 11, 2, 0, 120)]
    assert sol.values == [5, 1, 101, None, None, 0, 120]
    assert sol.ambiguous == {3, 4} and sol.consistent


def test_row_that_does_not_balance_falls_back_and_says_so():
    # 1,0,0,0,0,0,2 is the only cut and its total is wrong: values kept, not "consistent"
    sol = solve_row("1000002", 7, total_last=True)
    assert sol.values == [1, 0, 0, 0, 0, 0, 2] and not sol.consistent
    # no balanced cut of 10000013; the plain cuts disagree in three columns
    sol = solve_row("10000013", 7, total_last=True)
    assert not sol.consistent
    assert sol.ambiguous == {0, 5, 6}
    assert sol.values == [None, 0, 0, 0, 0, None, None]


def test_impossible_and_hostile_input_is_ambiguous_not_an_error():
    for digits, n in [("12", 3), ("", 1), ("12a4", 2), ("１２", 1), ("1" * 60, 7), ("12", 0)]:
        sol = solve_row(digits, n, total_last=True)
        assert not sol.consistent
        assert sol.values == [None] * max(n, 0) and sol.ambiguous == set(range(max(n, 0)))
    assert all(not s.consistent and s.values == [None] * 5 for s in solve_reviews_flat("1" * 41))
    assert all(not s.consistent for s in solve_reviews_flat("12"))


def test_long_runs_come_back_quickly():
    start = time.perf_counter()
    solve_row("1" * 40, 7, total_last=True)
    solve_row("1" * 40, 7, total_last=False)
    solve_row("10" * 20, 3, total_last=False)
    solve_reviews_flat("1" * 40)
    solve_requests({}, {row: "1" * 40 for row in ROW_KEYS})
    assert time.perf_counter() - start < 5  # a hang guard, not a speed target


# --- the requests table: column rules -----------------------------------------------


def build_table(
    outcomes: dict[str, list[int]], carried_over: list[int], carried_forward: list[int]
) -> dict[str, list[int]]:
    """A requests table that satisfies every rule, from its free parts (6 columns each)."""
    table = {row: outcomes.get(row, [0] * 6) for row in OUTCOME_ROWS}
    total6 = [sum(table[row][c] for row in OUTCOME_ROWS) for c in range(6)]
    table["total"] = total6
    table["carried_over"] = carried_over
    table["carried_forward"] = carried_forward
    table["new_received"] = [t + f - o for t, f, o in zip(total6, carried_forward, carried_over)]
    return {row: vals + [sum(vals)] for row, vals in table.items()}


def glue(values: list[int]) -> str:
    return "".join(str(v) for v in values)


AMBIG_A = [5, 1, 101, 11, 2, 0]  # 511011120120, also 5|1|101|1|12|0|120
AMBIG_B = [5, 1, 101, 1, 12, 0]  # the same digits


def test_column_rules_settle_a_row_the_row_rule_cannot():
    table = build_table({"granted": AMBIG_A, "denied_third_party": [3, 0, 0, 4, 0, 0]}, [0] * 6, [0] * 6)
    known = {row: vals for row, vals in table.items() if row != "granted"}
    solved = solve_requests(known, {"granted": glue(table["granted"])})
    assert solved["granted"].values == table["granted"]
    assert solved["granted"].ambiguous == set() and solved["granted"].consistent
    # the whole table glued: the total row pins it down as well
    solved = solve_requests({}, {row: glue(vals) for row, vals in table.items()})
    for row, sol in solved.items():
        assert sol.values == table[row] and not sol.ambiguous, row


def test_a_total_row_sharing_the_ambiguity_keeps_it_ambiguous():
    # total 8|1|101|11|2|0|123 cuts like granted: 11|2 or 1|12 in every row balances
    table = build_table({"granted": AMBIG_A, "denied_third_party": [3, 0, 0, 0, 0, 0]}, [0] * 6, [0] * 6)
    solved = solve_requests({}, {row: glue(vals) for row, vals in table.items()})
    for row in ("granted", "total", "new_received"):
        assert solved[row].ambiguous == {3, 4}, row
        assert_never_wrong(solved[row], table[row])
    assert solved["denied_third_party"].values == table["denied_third_party"]


def test_rows_that_can_swap_are_reported_ambiguous():
    table = build_table({"granted": AMBIG_A, "partially_granted": AMBIG_B}, [0] * 6, [0] * 6)
    glued = {row: glue(vals) for row, vals in table.items()}
    solved = solve_requests({}, glued)
    for row in ("granted", "partially_granted"):
        assert solved[row].ambiguous == {3, 4} and solved[row].consistent
        assert_never_wrong(solved[row], table[row])
    assert solved["total"].values == table["total"]


def test_a_missing_known_cell_disables_only_its_rule():
    table = build_table({"granted": AMBIG_A}, [0] * 6, [0] * 6)
    known = {row: list(vals) for row, vals in table.items() if row != "granted"}
    known["total"][3] = None  # column 3 can no longer decide; column 4 still can
    solved = solve_requests(known, {"granted": glue(table["granted"])})
    assert solved["granted"].values == table["granted"]
    known["total"][4] = None
    solved = solve_requests(known, {"granted": glue(table["granted"])})
    assert solved["granted"].ambiguous == {3, 4}


def test_a_table_that_does_not_balance_falls_back_to_row_candidates():
    table = build_table({"granted": AMBIG_A}, [0] * 6, [0] * 6)
    known = {row: list(vals) for row, vals in table.items() if row != "granted"}
    known["total"][3] = 7  # neither 11 nor 1 balances column 3 now
    solved = solve_requests(known, {"granted": glue(table["granted"])})
    assert not solved["granted"].consistent
    assert solved["granted"].ambiguous == {3, 4}
    assert_never_wrong(solved["granted"], table["granted"])


def test_hints_settle_a_balanced_row():
    assert solve_row("220000022", 7, total_last=True, hints={0: 22}).values == [22, 0, 0, 0, 0, 0, 22]
    # a hint that fits no cut is ignored rather than trusted
    assert solve_row("220000022", 7, total_last=True, hints={0: 5}).ambiguous == {0, 1}


def adversarial_table() -> dict[str, list[int]]:
    """Every outcome row cut-ambiguous: the joint search runs out of budget."""
    shapes = [AMBIG_A, AMBIG_B, [10, 101, 1, 0, 11, 0], [1, 0, 101, 1, 12, 12]]
    return build_table({row: shapes[i % 4] for i, row in enumerate(OUTCOME_ROWS)}, [0] * 6, [0] * 6)


def test_a_table_of_ambiguous_rows_stays_bounded_and_never_wrong():
    table = adversarial_table()
    solved = solve_requests({}, {row: glue(vals) for row, vals in table.items()})
    for row, sol in solved.items():
        assert_never_wrong(sol, table[row])
    assert any(sol.ambiguous for sol in solved.values())


def test_unknown_row_keys_are_solved_alone():
    solved = solve_requests({}, {"subtotal_denied": "1000001"})
    assert solved["subtotal_denied"].values == [1, 0, 0, 0, 0, 0, 1]


# --- properties ----------------------------------------------------------------------

counts = st.one_of(
    st.just(0), st.just(0), st.integers(1, 12), st.integers(10, 120), st.integers(100, 1200), st.integers(0, 99999)
)
six = st.lists(counts, min_size=6, max_size=6)


@st.composite
def valid_tables(draw):
    outcomes = {row: draw(six) for row in draw(st.sets(st.sampled_from(OUTCOME_ROWS), max_size=8))}
    carried_forward = draw(six)
    table = build_table(outcomes, [0] * 6, carried_forward)
    totals = [t + f for t, f in zip(table["total"][:6], carried_forward)]
    carried_over = [draw(st.integers(0, t)) for t in totals]
    return build_table(outcomes, carried_over, carried_forward)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_tables(), st.data())
def test_solving_a_glued_valid_table_never_gives_a_wrong_value(table, data):
    glued_rows = data.draw(st.sets(st.sampled_from(ROW_KEYS), min_size=1))
    known = {row: vals for row, vals in table.items() if row not in glued_rows}
    solved = solve_requests(known, {row: glue(table[row]) for row in glued_rows})
    assert set(solved) == glued_rows
    for row, sol in solved.items():
        assert_never_wrong(sol, table[row])
        assert sol.consistent or sol.values == [None] * 7  # a valid table always balances


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(counts, min_size=4, max_size=4), min_size=3, max_size=3))
def test_solving_a_glued_reviews_table_never_gives_a_wrong_value(rows):
    rows = [r + [sum(r)] for r in rows]
    sols = solve_reviews_flat("".join(glue(r) for r in rows))
    for sol, truth in zip(sols, rows):
        assert_never_wrong(sol, truth)


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=1, max_size=3))
def test_active_rows_never_give_a_wrong_value(values):
    assert_never_wrong(solve_row(glue(values), len(values), total_last=False), values)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789", max_size=45), st.integers(-1, 16), st.booleans())
def test_any_digit_run_gives_a_well_formed_answer(digits, n, total_last):
    sol = solve_row(digits, n, total_last=total_last)
    assert len(sol.values) == max(n, 0)
    assert sol.ambiguous == {i for i, v in enumerate(sol.values) if v is None}
    assert all(len(c) == n and glue(list(c)) == digits for c in sol.candidates)
    assert len(solve_reviews_flat(digits)) == 3


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.sampled_from(ROW_KEYS), st.lists(st.one_of(st.none(), counts), max_size=8)),
    st.dictionaries(st.sampled_from(ROW_KEYS + ["not_a_row"]), st.text(alphabet="0123456789", max_size=30)),
)
def test_any_requests_input_gives_a_solution_per_glued_row(known, glued):
    solved = solve_requests(known, glued)
    assert set(solved) == set(glued)
    for sol in solved.values():
        assert len(sol.values) == 7
        assert sol.ambiguous == {i for i, v in enumerate(sol.values) if v is None}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0001123456789", min_size=1, max_size=14), st.integers(1, 5))
def test_column_values_match_listing_every_cut(digits, n):
    """Without a row rule the values come from reasoning over positions, not
    from listing cuts: both must agree."""
    sol = solve_row(digits, n, total_last=False)
    cuts = split_candidates(digits, n, max_len=len(digits) if n == 1 else 7)
    if not cuts:
        assert not sol.consistent and sol.values == [None] * n
        return
    for col in range(n):
        seen = {c[col] for c in cuts}
        assert sol.values[col] == (seen.pop() if len(seen) == 1 else None)
    assert sol.candidates == cuts[:MAX_REPORTED]


def test_eight_value_row_with_the_subtotal_column_has_one_split():
    # 2963|232|0|0|0|0|232|3195: 小计 = the five organisations, 总计 = 自然人 + 小计
    sol = solve_subtotal_row("296323200002323195", 6)
    assert sol.values == [2963, 232, 0, 0, 0, 0, 232, 3195] and sol.consistent and not sol.ambiguous
    # 小计 printed right after 自然人
    assert solve_subtotal_row("296323223200003195", 1).values == [2963, 232, 232, 0, 0, 0, 0, 3195]


def test_eight_value_row_with_two_balanced_splits_stays_ambiguous():
    sol = solve_subtotal_row("2011110204244", 6)  # 2|0|11|11|0|20|42|44 or 2|0|1|111|… : which of 11|11 is it
    assert sol.values == [2, 0, None, None, None, 20, 42, 44] and sol.ambiguous == {2, 3, 4}
