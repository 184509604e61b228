"""The parser on random balanced reports in every layout real ones arrive in (tests/synth).

For each layout, ``N_REPORTS`` seeded reports: no cell may be wrong without a
flag, and at least 99% of cells must be exactly right (a cell the source
leaves blank counts as right when it comes back null or flagged). Report
``seed`` of a layout is ``tests.synth.score.run(layout, seed)``. A layout the parser
does not yet read is on record as a strict xfail naming the failure, so that
fixing it flips the test.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path

import pytest

import parsing

from tests.synth.render import LAYOUTS, glued_undecidable, render
from tests.synth.score import run, score, survey
from tests.synth.tables import check_balanced, random_tables

N_REPORTS = 20

# Layouts that fail today, with the precise failure (see the repro in each reason).
BELOW_99: dict[str, str] = {}
SILENT_TODAY: dict[str, str] = {}


def _case(layout: str, known: dict):
    if layout in known:
        return pytest.param(layout, marks=pytest.mark.xfail(strict=True, reason=known[layout]))
    return layout


@pytest.fixture(scope="module")
def surveys() -> dict:
    """Each layout surveyed once, shared by the tests below."""
    return {layout: survey(layout, range(N_REPORTS)) for layout in LAYOUTS}


@pytest.mark.slow  # the surveys: ~460 reports parsed and checked, ~5 s in all
@pytest.mark.parametrize("layout", [_case(layout, SILENT_TODAY) for layout in LAYOUTS])
def test_no_cell_is_silently_wrong(surveys, layout):
    total, failing = surveys[layout]
    silent = {seed: [b for b in s.bad if b.startswith("SILENT")] for seed, s in failing.items()}
    silent = {seed: bad for seed, bad in silent.items() if bad}
    assert total.counts["SILENT"] == 0, f"{layout}: silently wrong cells by seed: {silent}"


@pytest.mark.slow
@pytest.mark.parametrize("layout", [_case(layout, BELOW_99) for layout in LAYOUTS])
def test_at_least_99_percent_of_cells_exactly_right(surveys, layout):
    total, failing = surveys[layout]
    share = total.counts["correct"] / total.total
    assert share >= 0.99, f"{layout}: {share:.2%} correct; first failing seeds: " + repr(
        {seed: s.bad[:3] for seed, s in list(failing.items())[:3]})


def test_generated_tables_satisfy_every_balance_rule():
    for seed in range(300):
        check_balanced(random_tables(random.Random(seed)))


def test_generator_makes_both_quiet_and_busy_reports():
    totals = [random_tables(random.Random(seed))["requests"]["total"]["total"] for seed in range(60)]
    assert min(totals) <= 3 and max(totals) >= 300


def test_a_wrong_unflagged_value_is_scored_silent():
    rng = random.Random(7)
    rendered = render("pipes", random_tables(rng), rng)
    lied = copy.deepcopy(rendered.tables)
    lied["requests"]["granted"]["natural_person"] += 1
    rendered.tables = lied
    s = score(rendered)
    assert s.counts["SILENT"] >= 1
    assert any("requests.granted.natural_person" in b for b in s.bad)


def test_glued_runs_with_two_balanced_splits_are_undecidable():
    tables = random_tables(random.Random(1), big=False)
    row = tables["requests"]["granted"]
    row.update({c: 0 for c in row})
    row.update(natural_person=11, total=11)  # "110000011": 11|0…|11 or 1|10|0…|11
    assert "requests.granted.total" in glued_undecidable(tables)
    row.update(natural_person=3, total=3)  # "3000003": one split only
    assert "requests.granted.total" not in glued_undecidable(tables)


def test_a_blank_cell_in_the_reviews_row_loses_only_itself():
    rendered, s = run("html_blanks", 11)
    blank = {p for p in rendered.undecidable} | {
        f"reviews.{r}.{c}" for r, cols in rendered.tables["reviews"].items() for c, v in cols.items() if v is None}
    lost = [b for b in s.bad if b.split()[1].rstrip(":").startswith("reviews.")]
    assert blank and not lost, lost


# --- the failure classes above, each as the smallest input found (for the parser's owner) ---------

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"


def _parse_text(text: str) -> dict:
    return parsing.parse_bytes(text.encode("utf-8"), "repro.txt").report


def _flags(report: dict, path: str) -> list:
    return (report["provenance"].get(path) or {}).get("flags") or []


def test_space_aligned_row_with_a_blank_first_cell_is_not_shifted_silently():
    text = (
        " " * 74 + "申请人情况\n"
        "        其           2.申请人逾期未按收费通知                        0       0       0       0       0       0       0\n"
        "        理           3.其他                                         0       —       0       0       0     245\n"
    )
    report = _parse_text(text)
    row = report["tables"]["requests"]["other_other"]
    # 245 stands under 总计 (char index 106 like every total above it), not under 其他
    wrong = [c for c, want in (("natural_person", None), ("other_org", 0), ("total", 245))
             if row[c] != want and not _flags(report, f"requests.other_other.{c}")]
    assert not wrong, (row, wrong)


def test_cell_per_line_blank_cell_keeps_the_rows_other_values():
    text = (SAMPLES / "2024-linzi-jixia-street.txt").read_text(encoding="utf-8")
    granted = "(一)予以公开 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n"
    assert granted in text
    report = _parse_text(text.replace(granted, "(一)予以公开 |\n0 |\n0 |\n |\n0 |\n0 |\n0 |\n0 |\n"))
    row = report["tables"]["requests"]["granted"]
    assert row["natural_person"] == 0 and row["total"] == 0 and row["research"] is None, row


def test_pipe_reviews_row_with_a_blank_cell_keeps_the_other_14():
    text = (SAMPLES / "2024-luding-county.txt").read_text(encoding="utf-8")
    row = "| 5 | 0 | 0 | 1 | 6 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1 |"
    assert row in text
    report = _parse_text(text.replace(row, "|  | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1 |"))
    reviews = report["tables"]["reviews"]
    assert reviews["review"]["upheld"] is None and reviews["review"]["total"] == 1, reviews
    assert reviews["litigation_after_review"]["corrected"] == 1, reviews


def _decoded(data: bytes) -> str:
    if data.startswith(b"%PDF"):  # tests/synth/pdf_layouts: the characters PDFium finds on the pages
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for enc in ("utf-16", "utf-8-sig", "gb18030"):
        try:
            if enc != "utf-16" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("undecodable rendering")


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_prints_every_value_it_claims(layout):
    """A harness self-check: the truth scored against is what the rendering states."""
    rng = random.Random(f"{layout}:selfcheck")
    rendered = render(layout, random_tables(rng, big=True), rng)
    text = _decoded(rendered.data).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    text = re.sub(r"<[^>]+>", "", text)  # HTML: a number's digits may sit in two <span>s
    for table in ("requests", "reviews"):
        for row, cols in rendered.tables[table].items():
            for col, v in cols.items():
                if v is not None and v >= 10:
                    assert str(v) in text or f"{v:,}" in text, f"{table}.{row}.{col}={v} not in the {layout} text"
    fee = rendered.tables["active"]["fees"].get("amount")  # none in the 2019 format (a count of fee items)
    assert fee is None or fee in text
