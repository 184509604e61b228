"""Narrative, sections, format, deadline and history rules."""

from __future__ import annotations

import pytest

from checks import run_checks
from checks.deadline import organ_type
from checks.narrative import cn_number, statements
from tests.checks.reports import errors, load, rules, set_cell


def _only(found, rule):
    return [f for f in found if f["rule"] == rule]


# --- narrative ----------------------------------------------------------------

@pytest.mark.parametrize("s, n", [("34", 34), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                  ("两千三百", 2300), ("一万二千", 12000)])
def test_chinese_numerals(s, n):
    assert cn_number(s) == n


def test_pingtan_body_agrees_except_normative_documents_in_force():
    report, text = load("pingtan-2023-crawler-glued")
    narrative = [f for f in run_checks(report, text) if f["rule"].startswith("narrative.")]
    assert [(f["rule"], f["cells"], f["expected"], f["actual"]) for f in narrative] == [
        ("narrative.active", ["active.normative_documents.in_force"], 393, 470)
    ]
    assert "现行有效行政规范性文件393件" in narrative[0]["message"] and "470" in narrative[0]["message"]
    kinds = {(s.kind, s.key, s.value) for s in statements(text)}
    assert {("group", "granted_partial", 42), ("group", "denied", 5), ("group", "unable", 31),
            ("group", "rejected", 1), ("group", "other", 2), ("review", "", 2), ("litigation", "", 7)} <= kinds


def test_luding_body_numbers_are_checked_against_the_table():
    report, text = load("2024-luding-county")
    assert not [f for f in run_checks(report, text) if f["rule"].startswith("narrative.")]
    found = run_checks(set_cell(report, "requests.new_received.total", 33), text)
    f = _only(found, "narrative.requests")[0]
    assert f["cells"] == ["requests.new_received.total"] and (f["expected"], f["actual"]) == (34, 33)
    assert "受理依申请公开事项34件" in f["message"]
    found = run_checks(set_cell(set_cell(report, "reviews.review.total", 5), "reviews.litigation_direct.total", 1), text)
    reviews = _only(found, "narrative.reviews")
    assert {tuple(f["cells"]) for f in reviews} == {
        ("reviews.review.total",), ("reviews.litigation_direct.total", "reviews.litigation_after_review.total")}


def test_chinese_numeral_counts_in_text():
    report, _ = load("2024-luding-county")
    text = "一、总体情况\n今年共受理政府信息公开申请三十四件，行政复议六件，行政诉讼两件。\n"
    found = _only(run_checks(report, text), "narrative.reviews")
    assert [(f["expected"], f["actual"]) for f in found] == [(2, 1)]


def test_complaints_and_publication_counts_are_not_applications():
    report, _ = load("2024-luding-county")
    text = "共受理投诉67件。主动公开政府信息4460条。按时办结领导信箱留言80件。收到行政复议申请6件。"
    assert not _only(run_checks(report, text), "narrative.requests")


def test_aggregate_percentage_checked():
    report, text = load("pingtan-2023-crawler-glued")
    bad = text.replace("占51.85%", "占55.85%")
    found = _only(run_checks(report, bad), "narrative.aggregates")
    assert len(found) == 1 and "42/81 = 51.85%" in found[0]["message"]
    wrong_count = text.replace("不予公开5件", "不予公开6件")
    f = _only(run_checks(report, wrong_count), "narrative.aggregates")[0]
    assert (f["expected"], f["actual"]) == (6, 5) and len(f["cells"]) == 8


def test_contradictions():
    report, _ = load("2024-luding-county")
    text = "一、总体情况\n全年收到的申请均已办结。本年度未发生因政府信息公开引起的行政复议和行政诉讼。\n"
    report = set_cell(report, "requests.carried_forward.total", 2)
    found = _only(run_checks(report, text), "narrative.contradiction")
    cells = [f["cells"] for f in found]
    assert ["requests.carried_forward.total"] in cells
    assert ["reviews.review.total"] in cells
    assert ["reviews.litigation_direct.total", "reviews.litigation_after_review.total"] in cells


def test_no_cases_statement_agreeing_with_table_is_silent():
    report, text = load("2023-linxi-town-service-centre")
    assert not _only(run_checks(report, text), "narrative.contradiction")


def test_fee_contradiction_in_section_six_not_table_fees():
    report, text = load("2024-luding-county")
    assert not _only(run_checks(report, text), "narrative.contradiction")  # 204.92 万元 收费 is not 信息处理费
    both = text + "\n本机关未收取信息处理费。另收取信息处理费共计120元。"
    assert _only(run_checks(report, both), "narrative.contradiction")


def test_charging_a_zero_fee_is_no_contradiction():
    # a real report (洪泽区 2023): "全年收取政府信息公开信息处理费 0 元" says nothing was charged
    report, text = load("2024-luding-county")
    zero = text + "\n全年收取政府信息公开信息处理费 0 元。本机关信息处理费为0元。"
    assert not _only(run_checks(report, zero), "narrative.contradiction")


def test_wrong_year():
    report, text = load("2024-luding-county")
    assert not _only(run_checks(report, text), "narrative.wrong_year")
    stale = text.replace("今年受理依申请公开事项34件", "2023年，我县共受理依申请公开事项34件", 1)
    found = _only(run_checks(report, stale), "narrative.wrong_year")
    assert len(found) == 1 and "2023年，我县共受理" in found[0]["message"]
    future = text.replace("今年受理依申请公开事项34件", "2025年，我县将继续做好依申请公开", 1)
    assert not _only(run_checks(report, future), "narrative.wrong_year")


# --- sections -------------------------------------------------------------------

def test_sections_fee_statement_missing_in_section_six():
    report, text = load("2023-linxi-town-service-centre")
    f = _only(run_checks(report, text), "sections.missing")
    assert len(f) == 1 and "信息处理费" in f[0]["message"]
    report, text = load("2024-luding-county")
    assert not _only(run_checks(report, text), "sections.missing")


def test_absent_section_and_empty_problems():
    report, text = load("2024-luding-county")
    cut = text[: text.index("五、存在的主要问题")] + "五、存在的主要问题及改进情况 |\n无。 |\n六、其他需要报告的事项 |\n未收取信息处理费。"
    found = run_checks(report, cut)
    assert _only(found, "sections.empty")
    no_four = text.replace("四、政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼情况")
    f = _only(run_checks(report, no_four), "sections.missing")
    assert f and "四、政府信息公开行政复议" in f[0]["message"]


def test_parser_sections_are_used_when_present():
    report, text = load("2024-luding-county")
    start = text.index("五、存在的主要问题")
    report["sections"] = [{"key": "problems", "title": "五、存在的主要问题及改进情况", "span": [start, start + 20]}]
    f = _only(run_checks(report, text), "sections.missing")
    assert f and "一、总体情况" in f[0]["message"]


# --- format and deadline -------------------------------------------------------------

def test_format_rules():
    report, text = load("2024-luding-county")
    report["meta"]["format"] = "pre-2019"
    report["tables"] = {"active": {}, "requests": {}, "reviews": {}}
    found = run_checks(report, text)
    assert rules(found) <= {"format.pre2019", "narrative.wrong_year", "narrative.contradiction", "meta.deadline"}
    assert _only(found, "format.pre2019")[0]["severity"] == "info"
    report, text = load("2024-luding-county")
    report["meta"]["format"] = "2019"
    assert _only(run_checks(report, text), "format.outdated")


@pytest.mark.parametrize("organ, kind", [
    ("泸定县人民政府", "government"), ("临淄区人民政府稷下街道办事处", "township"), ("东胜区发展和改革委员会", "department"),
    ("林西县林西镇党群服务中心", "township"), ("XX市人民政府办公室", "department"), ("XX县住房和城乡建设局", "department"),
    ("平潭综合实验区", "government"), ("XX新区管委会", None), (None, None),
])
def test_organ_types(organ, kind):
    assert organ_type(organ) == kind


@pytest.mark.parametrize("organ, published, late", [
    ("泸定县人民政府", "2025-03-20", False), ("泸定县人民政府", "2025-04-02", True),
    ("东胜区发展和改革委员会", "2025-02-05", True), ("东胜区发展和改革委员会", "2025-01-31", False),
    ("临淄区人民政府稷下街道办事处", "2025-02-01", True),
])
def test_deadline(organ, published, late):
    report, text = load("2024-luding-county")
    report["meta"].update(organ=organ, published=published)
    found = _only(run_checks(report, text), "meta.deadline")
    assert bool(found) == late
    if late:
        assert found[0]["severity"] == "warning" and published in found[0]["message"]
    if late and "街道" in organ:
        assert "通行做法" in found[0]["message"]


def test_deadline_unknown_organ_between_dates_is_not_assessable():
    report, text = load("2024-luding-county")
    report["meta"].update(organ="XX新区管委会", published="2025-02-10")
    f = _only(run_checks(report, text), "meta.deadline")
    assert f and f[0]["severity"] == "info"


# --- history ----------------------------------------------------------------------

def _previous(stem="2024-luding-county"):
    prev, prev_text = load(stem)
    prev["meta"]["year"] = 2023
    return prev, prev_text


def test_history_quiet_for_consistent_previous_year():
    report, text = load("2024-luding-county")
    prev, _ = _previous()
    other_text = "一、总体情况\n2023年，我县完成了其他工作。\n五、存在的主要问题及改进情况\n另有问题。"
    assert not [f for f in run_checks(report, text, previous=(prev, other_text)) if f["rule"].startswith("history.")]


def test_history_carry_over_and_reuse():
    report, text = load("2024-luding-county")
    prev, prev_text = _previous()
    prev = set_cell(prev, "requests.carried_forward.natural_person", 2)
    found = run_checks(report, text, previous=(prev, prev_text))
    carry = _only(found, "history.carry_over")
    assert carry[0]["severity"] == "error" and carry[0]["cells"] == ["requests.carried_over.natural_person"]
    assert "上年报告结转下年度 2 件" in carry[0]["message"]
    assert _only(found, "history.reuse")


def test_history_normative_documents_and_jump():
    report, text = load("2024-luding-county")
    prev, _ = _previous()
    prev = set_cell(prev, "active.normative_documents.in_force", 10)
    prev = set_cell(prev, "active.licensing.decisions", 1000)
    found = run_checks(report, text, previous=(prev, "一、总体情况\n别的内容。"))
    norm = _only(found, "history.normative_documents")
    assert "上年现行有效 10 + 本年制发 0 − 本年废止 0 = 10，报告现行有效为 14" in norm[0]["message"]
    jump = _only(found, "history.jump")
    assert [f["cells"] for f in jump] == [["active.licensing.decisions"]] and jump[0]["severity"] == "info"
    assert not errors(found)


def test_review_counts_only_about_disclosure():
    report, _ = load("2024-luding-county")
    text = "全县共办理行政复议案件120件。因政府信息公开引起行政复议6件，行政诉讼1件。"
    assert not _only(run_checks(report, text), "narrative.reviews")


def test_last_years_carry_over_completed_is_not_a_contradiction():
    report, _ = load("2024-luding-county")
    report = set_cell(report, "requests.carried_forward.total", 2)
    text = "上年结转的政府信息公开申请均已办结。"
    assert not _only(run_checks(report, text), "narrative.contradiction")


@pytest.mark.parametrize("sentence, ok", [
    # the carried-over count is a clause of its own: 34 is the new applications alone (上海市科委 2024)
    ("全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件，所有申请均已按要求办理完成。", True),
    ("全年共收到政府信息公开申请36件（含上年结转2件）。", True),
    ("全年共收到政府信息公开申请35件（含上年结转2件）。", False),
])
def test_received_count_includes_carried_over_only_when_it_says_so(sentence, ok):
    report, _ = load("2024-luding-county")
    report = set_cell(set_cell(report, "requests.new_received.total", 34), "requests.carried_over.total", 2)
    found = _only(run_checks(report, "一、总体情况\n" + sentence + "\n"), "narrative.requests")
    assert (not found) == ok, found
