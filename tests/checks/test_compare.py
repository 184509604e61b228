"""The comparison engine (checks.compare) on a three-year series of one organ
and on two consecutive real reports: what an auditor reads in the comparison."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checks import compare
from parsing import parse_file

SERIES = Path(__file__).resolve().parent.parent / "fixtures" / "compare"


@pytest.fixture(scope="module")
def luding():
    return {y: parse_file(SERIES / f"luding-{y}.txt") for y in (2022, 2023, 2024)}


def _pair(parsed, a, b, **kw):
    return compare.compare_reports((parsed[a].report, parsed[a].text), (parsed[b].report, parsed[b].text), **kw)


def _cell(c, path):
    return next(x for x in c["cells"] if x["path"] == path)


def test_difference_per_cell_with_jump_and_both_spans(luding):
    c = _pair(luding, 2023, 2024)
    lic = _cell(c, "active.licensing.decisions")
    assert (lic["a"], lic["b"], lic["diff"], lic["relative"], lic["jump"]) == (1500, 15889, 14389, "+959.3%", True)
    a_text, b_text = luding[2023].text, luding[2024].text
    assert a_text[slice(*lic["spans"]["a"])] == "1500"
    assert b_text[slice(*lic["spans"]["b"])] == "15889"
    # small changes are differences, not jumps; unchanged cells are not changed
    new = _cell(c, "requests.new_received.total")
    assert (new["diff"], new["relative"], new["jump"], new["changed"]) == (-2, "-5.6%", False, True)
    assert _cell(c, "active.punishment.decisions")["changed"] is False
    fee = _cell(c, "active.fees.amount")
    assert fee["diff"] == "0.00" and fee["relative"] == "0.0%"  # money stays decimal text
    # a relative change from 0 is not a number
    assert _cell(c, "requests.carried_forward.total")["relative"] == "-100.0%"
    assert compare.relative(0, 5) is None and compare.relative(None, 5) is None
    assert c["jumps"] == 1


def test_carry_over_break_is_the_history_rule(luding):
    c = _pair(luding, 2023, 2024)
    assert c["continuity"] is True
    by_col = {x["column"]: x for x in c["carry_over"]}
    assert (by_col["natural_person"]["a_carried_forward"], by_col["natural_person"]["b_carried_over"]) == (2, 0)
    assert by_col["natural_person"]["status"] == by_col["total"]["status"] == "mismatch"
    assert by_col["commercial"]["status"] == "ok"
    errors = [f for f in c["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} == {"history.carry_over"}
    assert any(f["severity"] == "error" for f in c["findings"])
    # each finding links this year's cell and last year's counterpart, with spans in both texts
    link = errors[0]["links"][0]
    assert link["a"] == "requests.carried_forward.natural_person"
    assert luding[2023].text[slice(*link["a_span"])] == "2"
    assert luding[2024].text[slice(*link["b_span"])] == "0"


def test_stock_chain(luding):
    c = _pair(luding, 2023, 2024)
    nd = next(x for x in c["stock"] if x["row"] == "normative_documents")
    assert (nd["a_in_force"], nd["b_issued"], nd["b_repealed"], nd["expected"], nd["b_in_force"], nd["status"]) == (
        14, 0, 0, 14, 14, "ok")
    # a broken chain: 2022 says 12 in force, 2024 issues none and says 14
    broken = compare.compare_reports((luding[2022].report, luding[2022].text),
                                     (luding[2024].report, luding[2024].text), continuity=True)
    nd = next(x for x in broken["stock"] if x["row"] == "normative_documents")
    assert (nd["expected"], nd["b_in_force"], nd["status"]) == (12, 14, "mismatch")


def test_no_continuity_rules_across_organ_names_or_gaps(luding):
    renamed = _pair(luding, 2022, 2023)  # 泸定县人民政府办公室 → 泸定县人民政府: not assumed the same
    assert renamed["continuity"] is False and renamed["findings"] == []
    assert {x["status"] for x in renamed["carry_over"]} == {"not_checked"}
    gap = _pair(luding, 2022, 2024, continuity=None)
    assert gap["consecutive"] is False and gap["findings"] == []
    # differences are still listed
    assert _cell(gap, "active.licensing.decisions")["jump"] is True


def test_order_puts_the_earlier_year_first(luding):
    x, y = (luding[2024].report, luding[2024].text), (luding[2023].report, luding[2023].text)
    first, second = compare.order(x, y)
    assert first[0]["meta"]["year"] == 2023 and second[0]["meta"]["year"] == 2024


def test_similarity_measure():
    a = "2023年,我县政府信息公开工作存在的问题:一是政府信息公开范围不够广"
    b = "2024年,我县政府信息公开工作存在的问题:一是政府信息公开范围不够广"
    assert compare.normalise(a) == compare.normalise(b)  # only the digits differ
    assert compare.similarity(a, b) == Decimal(1)
    edited = "2024年,我县政府信息公开工作存在的问题:一是政府信息公开范围还不够广"
    assert compare.similarity(a, edited) >= compare.SIMILARITY
    other = "全年共办理依申请公开事项36件,均在法定期限内答复"
    assert compare.similarity(a, other) < Decimal("0.2")
    assert compare.grams("") == frozenset()


def test_text_reuse_per_section_with_spans_in_both_texts(luding):
    c = _pair(luding, 2023, 2024)
    reuse = c["reuse"]
    sections = {s["key"]: s for s in reuse["sections"]}
    problems = sections["problems"]
    # section 五 is last year's with the year changed: all of it repeats, not all verbatim
    assert problems["share"] == "100.0%" and problems["near"] >= 1
    assert Decimal(problems["verbatim_share"].rstrip("%")) < 100
    overview = sections["overview"]
    assert 0 < Decimal(overview["share"].rstrip("%")) < 100  # one sentence was rewritten
    for p in reuse["pairs"]:
        b_sent = luding[2024].text[slice(*p["b_span"])]
        a_sent = luding[2023].text[slice(*p["a_span"])]
        assert b_sent == p["text"]
        if p["verbatim"]:
            assert a_sent == b_sent
        else:
            assert compare.similarity(a_sent, b_sent) >= compare.SIMILARITY
    rewritten = "围绕群众关切,新开设专题专栏3个,全年网站访问量达到152万次"
    assert not any(rewritten in luding[2024].text[slice(*p["b_span"])] for p in reuse["pairs"])
    # table text is not prose: no repeated sentence lies inside a table
    b_report = luding[2024].report
    cells = [v["span"] for k, v in b_report["provenance"].items() if k.startswith("requests.") and v.get("span")]
    lo, hi = min(s[0] for s in cells), max(s[1] for s in cells)
    assert not any(lo < p["b_span"][1] and p["b_span"][0] < hi for p in reuse["pairs"])


def test_history_reuse_finding_is_named(luding):
    c = _pair(luding, 2023, 2024)
    assert any(f["rule"] == "history.reuse" for f in c["findings"])


def test_itself_is_all_repeated_and_unchanged(luding):
    r = luding[2024]
    c = compare.compare_reports((r.report, r.text), (r.report, r.text), continuity=False)
    assert c["changed"] == 0
    assert c["reuse"]["overall"]["verbatim_share"] == "100.0%"


def test_real_consecutive_reports_of_one_organ():
    a = parse_file(SERIES / "pingtan-transport-2022-crawler-spaced.txt")
    b = parse_file(SERIES / "pingtan-transport-2023-crawler-glued.txt")
    c = compare.compare_reports((a.report, a.text), (b.report, b.text))
    assert c["continuity"] is True
    assert {x["status"] for x in c["carry_over"]} == {"ok"}
    # the 2023 行政规范性文件 row is blank: the chain cannot be checked, never "ok"
    nd = next(x for x in c["stock"] if x["row"] == "normative_documents")
    assert nd["status"] == "unknown" and nd["b_in_force"] is None
    assert not any(f["severity"] == "error" for f in c["findings"])
    assert c["reuse"]["overall"]["sentences"] > 10
