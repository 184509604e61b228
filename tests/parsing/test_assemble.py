"""The assembler's rules, cell by cell: value reading, label matching, and
the cases where it must refuse to guess (null + flag, never a shifted value)."""

from __future__ import annotations

import pytest

from parsing.layout.assemble import assemble, find_regions
from parsing.model.document import Document
from parsing.layout.labels import match_active_label, match_request_label
from parsing.layout.numbers import parse_value

# --- values -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("34", 34),
        ("３４", 34),
        ("1,234", 1234),
        ("1，234", 1234),
        (" 7 ", 7),
        ("22（其中修订16件）", 22),
        ("55(含自然失效29件)", 55),
        ("15889件", 15889),
    ],
)
def test_counts(text, value):
    v = parse_value(text)
    assert (v.kind, v.value, v.ocr) == ("number", value, False)


@pytest.mark.parametrize("text", ["—", "-", "/", "无", "不适用", "", "  ", "——"])
def test_no_value_markers_are_null_never_zero(text):
    assert parse_value(text).kind == "null"


@pytest.mark.parametrize("text, value", [("C", 0), ("O", 0), ("l2", 12), ("I5", 15), ("2S", 25), ("B", 8), ("|", 1), ("Z", 2)])
def test_ocr_lookalikes_are_read_and_flagged(text, value):
    v = parse_value(text)
    assert (v.kind, v.value, v.ocr) == ("number", value, True)


@pytest.mark.parametrize("text", ["DOC", "7.JE", "0 0 0", "abc", "12.5", "-3"])
def test_not_a_count(text):
    assert parse_value(text).kind == "junk"


def test_money_kept_as_printed_and_signed_only_when_allowed():
    assert parse_value("5949.088667", money=True).value == "5949.088667"
    assert parse_value("0.00", money=True).value == "0.00"
    assert parse_value("1,204.50", money=True).value == "1204.50"
    assert parse_value("-2", signed=True).value == -2
    assert parse_value("204.92万元", money=True).value == "204.92"


# --- labels -------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, group, row",
    [
        ("4 .无正当理由大量反复申请", "rejected", "rejected_excessive"),
        ("3、其他", "other", "other_other"),
        ("(=)部分公开(区分处理的,只计这一情形,不计其他情形)", None, "partially_granted"),
        ("（三）不予公开 1.属于国家秘密", None, "denied_state_secret"),
        ("社会公 益组织", None, None),
        ("1.申请人无正当理由预期不补正、行政机关不再处理其政府信息公开申请", "other", "other_no_correction"),
        ("1.申请人无正当理由逾期不", "other", "other_no_correction"),  # wrapped
        ("行政机关不再处理其政府信息公开申请", "other", None),  # a continuation
        ("3.朴正后申请内容仍不明砖", "unable", "unable_unclear"),  # OCR typos
        ("一、本年新牧政府信息公开申请数量", None, "new_received"),
        ("二、上年结砖政府信息公开申请数量", "other", "carried_over"),
        ("（二）部份公幵", None, None),  # too garbled to tell: nothing
        ("四、结转下年度继续办理", None, "carried_forward"),
        ("法人或其他组织", None, None),
        ("其他", None, None),  # the applicant column, not a row
        ("（七）总计", None, "total"),
    ],
)
def test_request_labels(label, group, row):
    assert match_request_label(label, group, total_ok=False).row == row


def test_bare_total_only_where_a_total_row_may_come():
    assert match_request_label("总计", None, total_ok=False).row is None
    assert match_request_label("总计", "other", total_ok=True).row == "total"


def test_group_heading_and_numbered_sub_row():
    m = match_request_label("（六）其他处理", None, total_ok=False)
    assert (m.row, m.group) == (None, "other")
    assert match_request_label("3.其他", "other", total_ok=False).row == "other_other"


@pytest.mark.parametrize(
    "label, row",
    [("行政规范性文件", "normative_documents"), ("行政強制", "enforcement"), ("信息内容", None), ("本年收费金额（单位：万元）", None)],
)
def test_active_labels(label, row):
    assert match_active_label(label, "2021").row == row


# --- assembling -------------------------------------------------------------------


def _requests(text: str, **kw):
    asm = assemble(Document(text=text, **kw), "2021")
    return asm, asm.tables["requests"]


ONE_PER_LINE_HEAD = "三、收到和处理政府信息公开申请情况\n申请人情况 |\n自然人 |\n总计 |\n"


def test_one_cell_per_line_short_row_is_not_shifted():
    # 6 values for 7 columns, then an OCR-garbled label and its row's values:
    # nothing may slide into the short row.
    text = ONE_PER_LINE_HEAD + "一、本年新收政府信息公开申请数量 |\n3 |\n1 |\n0 |\n0 |\n0 |\n4 |\n"
    text += "二、上牛结砖政俯信息 |\n9 |\n9 |\n9 |\n9 |\n9 |\n9 |\n9 |\n"
    asm, req = _requests(text)
    assert list(req["new_received"].values()) == [None] * 7
    assert all(asm.provenance[f"requests.new_received.{c}"]["flags"] == ["missing"] for c in req["new_received"])
    assert 9 not in req["new_received"].values()
    assert any("少于 7 列" in w for w in asm.warnings)


def test_tab_row_with_more_empties_than_columns_is_undecidable():
    text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\t二、上年结转政府信息公开申请数量\t\t\t\t\t0\t0\t0\t0\t\t\n"
    asm, req = _requests(text)
    assert list(req["carried_over"].values()) == [None] * 7


def test_tab_row_with_a_gap_keeps_positions():
    text = "三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开申请数量\t5\t\t0\t0\t0\t0\t5\n"
    asm, req = _requests(text)
    assert list(req["new_received"].values()) == [5, None, 0, 0, 0, 0, 5]


def test_glued_row_in_crawler_text():
    text = (
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        "一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000"
    )
    asm, req = _requests(text)
    assert list(req["new_received"].values()) == [80, 1, 0, 0, 0, 0, 81]
    assert asm.provenance["requests.new_received.total"]["raw"] == "81"
    a, b = asm.provenance["requests.new_received.total"]["span"]
    assert text[a:b] == "81"
    assert list(req["carried_over"].values()) == [0] * 7


def test_document_cut_inside_a_number_does_not_use_it():
    text = "二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n行政规范性文件 | 12 | 3 | 4"
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["normative_documents"] == {"issued": 12, "repealed": 3, "in_force": None}
    assert asm.provenance["active.normative_documents.in_force"]["flags"] == ["missing"]


def test_tables_are_found_by_header_vocabulary_not_narrative():
    text = (
        "一、总体情况\n本年新收政府信息公开申请数量为5件，行政复议结果维持1件。\n"
        "二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n"
        "三、收到和处理政府信息公开申请情况\n申请人情况 | 自然人\n一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5\n"
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n结果维持 | 结果纠正\n" + " | ".join(["0"] * 15) + "\n五、存在的主要问题及改进情况\n无。"
    )
    regions = find_regions(text)
    narrative_end = text.index("二、主动公开")
    assert narrative_end < regions.active[0] < regions.requests[0] < regions.reviews[0]
    assert text[regions.requests[0] :].startswith("申请人情况")
    assert "四、政府信息公开" in text[regions.reviews[0] : regions.reviews[1]]
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["requests"]["new_received"]["total"] == 5
    assert asm.tables["requests"]["carried_forward"]["total"] == 0
    assert asm.tables["reviews"]["review"]["upheld"] == 0


def test_no_tables_at_all():
    asm = assemble(Document(text="这是一份通知，没有表格。"), "unknown")
    assert asm.values_found == 0
    assert all(p["flags"] == ["missing"] and p["span"] is None for p in asm.provenance.values())


PDF_PIECES = """三、收到和处理政府信息公开申请情况
申请人情况
一、本年新收政府信息公开申请数量 31 3 0 0 0 0 34
（一）予以公开 12 3 0 0 0 0 15
（二）部分公开（区分处理的，只计这一情 6
6 0 0 0 0 0
形，不计其他情形）
4.无正当理由大量反复申请 0 0 0 0 0 0 0
予处理
2 0 0 0 0 0 2
5.要求行政机关确认或重新出具已
获取信息
"""


def test_pdf_row_in_pieces_is_ordered_by_the_row_rule():
    # the 总计 cell, vertically centred, came out on the label's first line
    asm, req = _requests(PDF_PIECES)
    assert list(req["partially_granted"].values()) == [6, 0, 0, 0, 0, 0, 6]
    assert asm.provenance["requests.partially_granted.total"]["flags"] == []


def test_pdf_values_just_above_their_label_are_taken_and_flagged():
    asm, req = _requests(PDF_PIECES)
    assert list(req["rejected_confirmation"].values()) == [2, 0, 0, 0, 0, 0, 2]
    assert "split_ambiguous" in asm.provenance["requests.rejected_confirmation.total"]["flags"]
    assert list(req["rejected_excessive"].values()) == [0] * 7


def test_pdf_row_in_pieces_that_no_order_balances_is_flagged():
    text = PDF_PIECES.replace("（二）部分公开（区分处理的，只计这一情 6\n6 0 0 0 0 0", "（二）部分公开（区分处理的，只计这一情 5\n6 0 0 0 0 0")
    asm, req = _requests(text)
    assert all("split_ambiguous" in asm.provenance[f"requests.partially_granted.{c}"]["flags"] for c in req["partially_granted"])


def test_one_cell_per_line_row_with_a_value_too_many_is_not_guessed():
    values = ["6", "0", "0", "0", "0", "0", "6", "6"]  # one extra line: which one?
    text = ONE_PER_LINE_HEAD + "一、本年新收政府信息公开申请数量 |\n" + "".join(f"{v} |\n" for v in values)
    text += "二、上年结转政府信息公开申请数量 |\n" + "0 |\n" * 7
    asm, req = _requests(text)
    assert list(req["new_received"].values()) == [None] * 7
    assert list(req["carried_over"].values()) == [0] * 7


def test_reviews_on_separate_lines_with_a_value_too_many_is_not_guessed():
    text = "四、政府信息公开行政复议、行政诉讼情况\n结果维持 |\n尚未审结 |\n" + "0 |\n" * 7 + "1 |\n" * 9
    asm = assemble(Document(text=text), "2021")
    assert all(v is None for row in asm.tables["reviews"].values() for v in row.values())
    assert any("16 个数值" in w for w in asm.warnings)


def test_pipe_read_as_one_in_tab_separated_ocr_text():
    text = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n行政规范性文件\t|\t0\t|2\n\n"
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 12}
    assert "ocr_suspect" in asm.provenance["active.normative_documents.issued"]["flags"]


def test_digit_run_with_a_leading_zero_is_split_not_read_as_one_count():
    text = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t000\n行政规范性文件\t0120\n\n"
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    nd = asm.tables["active"]["normative_documents"]
    assert nd["issued"] == 0  # "0120": 0 | 1 | 20 or 0 | 12 | 0
    assert nd["repealed"] is None and "split_ambiguous" in asm.provenance["active.normative_documents.repealed"]["flags"]
    assert parse_value("05").ocr


def test_single_spaced_values_give_order_but_not_columns():
    # PDF text with single spaces: a short row cannot be placed by x-position
    text = (
        "三、收到和处理政府信息公开申请情况\n申请人情况\n"
        "一、本年新收政府信息公开申请数量 31 3 0 0 0 0 34\n"
        "二、上年结转政府信息公开申请数量 2 0 0 0 0 2\n"
        "（一）予以公开 12 3 0 0 0 0 15\n"
    )
    asm, req = _requests(text)
    assert list(req["new_received"].values()) == [31, 3, 0, 0, 0, 0, 34]
    assert list(req["granted"].values()) == [12, 3, 0, 0, 0, 0, 15]
    assert list(req["carried_over"].values()) == [None] * 7


def test_short_row_whose_last_value_looks_like_the_total_is_flagged():
    text = "三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开申请数量 | 31 | 3 | 0 | 0 | 0 | 34\n"
    asm, req = _requests(text)
    assert req["new_received"]["other_org"] == 34  # where the separators put it …
    assert "split_ambiguous" in asm.provenance["requests.new_received.other_org"]["flags"]  # … but doubtful
    assert req["new_received"]["total"] is None


def test_active_table_found_even_when_its_first_header_is_garbled():
    text = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制友件效\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
        "行政规范性文件\t2\t0\t9\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t7\n"
    )
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 9}
    assert asm.tables["active"]["licensing"]["decisions"] == 7


def test_text_in_a_value_cell_keeps_its_column():
    text = "二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n行政规范性文件 | （其中修订16件） | 3 | 55\n\n"
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["normative_documents"] == {"issued": None, "repealed": 3, "in_force": 55}
    assert asm.provenance["active.normative_documents.issued"]["flags"] == ["missing", "ocr_suspect"]
