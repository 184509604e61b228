"""Balance, value and cell rules on the seeds and on hand-made faults."""

from __future__ import annotations

import pytest

import checks
from checks import finding_key, run_checks
from parsing import schema
from tests.checks.reports import SAMPLE_STEMS, errors, load, rules, set_cell


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_seeds_have_no_error(stem):
    report, text = load(stem)
    assert errors(run_checks(report, text)) == []


def test_row_sum_shows_the_arithmetic():
    report, text = load("2024-luding-county")
    found = run_checks(set_cell(report, "requests.new_received.total", 35), text)
    row = [f for f in found if f["rule"] == "requests.row_sum"]
    assert len(row) == 1
    assert "总计列应为 31+3+0+0+0+0 = 34，报告为 35" in row[0]["message"]
    assert (row[0]["expected"], row[0]["actual"]) == (34, 35)
    assert "requests.new_received.natural_person" in row[0]["cells"]
    balance = [f for f in found if f["rule"] == "requests.column_balance"]
    assert balance and "本年新收 35 + 上年结转 0 = 35，应等于 (七)总计 34 + 结转下年度 0 = 34" in balance[0]["message"]


def test_outcome_sum_names_the_nonzero_terms():
    report, text = load("2024-luding-county")
    found = run_checks(set_cell(report, "requests.granted.natural_person", 13), text)
    outcome = next(f for f in found if f["rule"] == "requests.outcome_sum")
    assert "予以公开 13" in outcome["message"] and "= 32" in outcome["message"] and "报告为 31" in outcome["message"]
    assert outcome["severity"] == "error"


def test_reviews_row_sum():
    report, text = load("2024-luding-county")
    found = run_checks(set_cell(report, "reviews.review.total", 7), text)
    f = next(f for f in found if f["rule"] == "reviews.row_sum")
    assert "维持5 + 纠正0 + 其他0 + 未审结1 = 6，报告为 7" in f["message"]


def test_blank_is_not_zero_rule_not_assessable():
    report, text = load("2024-luding-county")
    report = set_cell(report, "requests.carried_over.commercial", None)
    found = run_checks(report, text)
    assert not errors(found)
    infos = [f for f in found if f["severity"] == "info" and "requests.carried_over.commercial" in f["cells"]]
    assert {f["rule"] for f in infos} == {"requests.column_balance", "requests.row_sum"}
    assert all("无法核对" in f["message"] and "上年结转·商业企业" in f["message"] for f in infos)
    missing = [f for f in found if f["rule"] == "cells.missing"]
    assert [f["cells"] for f in missing] == [["requests.carried_over.commercial"]]


def test_blank_cell_that_would_not_balance_as_zero_is_not_an_error():
    report, text = load("2024-luding-county")
    report = set_cell(report, "requests.granted.natural_person", None)  # 12 missing: treating it as 0 would fail
    assert not errors(run_checks(report, text))


def test_corrected_flag_ends_the_cell_warning():
    report, text = load("2021-zhanbeilu-street")
    path = "requests.carried_over.total"
    assert any(f["rule"] == "cells.uncertain" and f["cells"] == [path] for f in run_checks(report, text))
    report["provenance"][path]["flags"].append(schema.FLAG_CORRECTED)
    assert not any(path in f["cells"] and f["rule"].startswith("cells.") for f in run_checks(report, text))


def test_zhanbeilu_gives_warnings_and_infos_only():
    report, text = load("2021-zhanbeilu-street")
    found = run_checks(report, text)
    assert not errors(found)
    assert "active.normative_documents.in_force" in {c for f in found if f["rule"] == "cells.missing" for c in f["cells"]}


@pytest.mark.parametrize(
    "path, value, rule",
    [
        ("requests.granted.natural_person", -1, "values.negative"),
        ("reviews.review.upheld", 2.5, "values.not_integer"),
        ("active.licensing.decisions", "十", "values.not_integer"),
        ("active.fees.amount", "204.9200101", "values.fee_precision"),
        ("active.fees.amount", "二百", "values.fee_not_number"),
        ("active.fees.amount", "-3", "values.negative"),
    ],
)
def test_value_rules(path, value, rule):
    report, text = load("2024-luding-county")
    found = run_checks(set_cell(report, path, value), text)
    assert any(f["rule"] == rule and f["cells"] == [path] and f["severity"] == "error" for f in found)


def test_fee_with_four_places_and_money_as_decimal():
    report, text = load("2024-luding-county")
    assert "values.fee_precision" not in rules(run_checks(set_cell(report, "active.fees.amount", "0.0001"), text))


def test_real_report_with_six_decimal_fee_is_to_the_fen_and_no_error():
    report, text = load("pingtan-2023-crawler-glued")
    assert errors(run_checks(report, text)) == []
    found = errors(run_checks(set_cell(report, "active.fees.amount", "5949.0886671"), text))
    assert [(f["rule"], f["cells"]) for f in found] == [("values.fee_precision", ["active.fees.amount"])]
    assert "5949.0886671" in found[0]["message"]


def test_2019_format_change_may_be_negative():
    report, text = load("2024-luding-county")
    report["meta"]["format"] = schema.FORMAT_2019
    report["tables"]["active"] = schema.empty_tables(schema.FORMAT_2019)["active"]
    report["tables"]["active"]["licensing"] = {"previous_items": 10, "change": -2, "decisions": 8}
    found = run_checks(report, text)
    assert not any(f["rule"] == "values.negative" for f in found)


def test_subtotals_printed_by_the_report():
    report, text = load("2024-luding-county")
    report["extra_cells"] = {"requests.subtotal_denied.natural_person": 5, "requests.new_received.legal_entity_subtotal": 3}
    assert not errors(run_checks(report, text))
    report["extra_cells"]["requests.subtotal_denied.natural_person"] = 6
    bad = [f for f in run_checks(report, text) if f["rule"] == "requests.subtotals"]
    assert len(bad) == 1 and "1+0+0+0+0+0+3+1 = 5，报告为 6" in bad[0]["message"]
    assert "(三)不予公开小计" in bad[0]["message"]


def test_truncated_report_groups_blank_tables():
    report, text = load("jiarongli-2021-web-excerpt-truncated")
    found = run_checks(report, text)
    assert not errors(found)
    whole = [f for f in found if f["rule"] == "cells.missing" and len(f["cells"]) > 1]
    assert {len(f["cells"]) for f in whole} == {175, 15}


def test_order_is_stable_and_keys_distinct():
    report, text = load("jiarongli-2021-web-excerpt-truncated")
    a, b = run_checks(report, text), run_checks(report, text)
    assert a == b
    keys = [finding_key(f) for f in a]
    assert len(keys) == len(set(keys))


def test_rule_docs_cover_every_rule():
    docs = checks.rule_docs()
    for rule in ("requests.column_balance", "requests.row_sum", "requests.outcome_sum", "reviews.row_sum",
                 "cells.missing", "cells.uncertain", "format.outdated", "format.pre2019"):
        assert docs[rule]["severity"] in ("error", "warning", "info")
        assert docs[rule]["doc"]
    assert checks.RULES["requests.row_sum"][0] == "error"


def test_2019_format_has_no_split_other_rows():
    report, text = load("2024-luding-county")
    report["meta"]["format"] = schema.FORMAT_2019
    report["tables"]["active"] = {"rules": {"made": 0, "published": 0, "total_public": 0}}
    for row in ("other_no_correction", "other_unpaid_fee"):
        report["tables"]["requests"][row] = dict.fromkeys(report["tables"]["requests"][row])
    found = [f for f in run_checks(report, text) if f["cells"] and f["cells"][0].startswith("requests.")]
    assert found == []
    found = run_checks(set_cell(report, "requests.other_other.total", 1), text)
    assert any(f["rule"] == "requests.outcome_sum" for f in errors(found))


def _single_other_report(fmt: str):
    """luding with its three (六) sub-rows printed as one undivided row (an extra row)."""
    report, text = load("2024-luding-county")
    report["meta"]["format"] = fmt
    if fmt == schema.FORMAT_2019:
        report["tables"]["active"] = {"rules": {"made": 0, "published": 0, "total_public": 0}}
    req = report["tables"]["requests"]
    for c in req["total"]:
        report["extra_cells"][f"requests.other_single.{c}"] = sum(req[r][c] for r in schema.OUTCOME_GROUPS["other"])
    for row in schema.OUTCOME_GROUPS["other"]:
        req[row] = dict.fromkeys(req[row])
    return report, text


@pytest.mark.parametrize("fmt", [schema.FORMAT_2021, schema.FORMAT_2019])
def test_single_other_row_takes_the_place_of_its_sub_rows_in_the_sums(fmt):
    report, text = _single_other_report(fmt)
    found = [f for f in run_checks(report, text) if f["cells"] and f["cells"][0].startswith("requests.")]
    assert found == []  # (七)总计 assessed with the single row: no "cannot assess", no blank sub-rows reported
    report["extra_cells"]["requests.other_single.total"] += 1
    report["extra_cells"]["requests.other_single.natural_person"] += 1
    bad = [f for f in errors(run_checks(report, text)) if f["rule"] == "requests.outcome_sum"]
    assert bad and "requests.other_single.total" in bad[-1]["cells"]
    assert "(六)其他处理" in bad[-1]["message"]


def test_failed_balance_names_doubtful_readings():
    report, text = load("2024-luding-county")
    report = set_cell(report, "requests.granted.commercial", 8)
    report["provenance"]["requests.granted.commercial"]["flags"] = [schema.FLAG_OCR]
    row = next(f for f in run_checks(report, text) if f["rule"] == "requests.row_sum")
    assert row["message"].endswith("其中(一)予以公开·商业企业的读数存疑，请先核对原文")
