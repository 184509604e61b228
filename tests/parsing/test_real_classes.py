"""Issue 17's classes of real text reports, each from a minimal example of our own.

Reading and judging are two steps: a row whose split the row itself settles
is read as printed (even when the table then fails a balance rule: the checks
say so, naming the cells); a cell something else settled (other rows, the body
text, last year's report) is flagged.
"""

from __future__ import annotations

import pytest

import checks
import parsing
from parsing.layout.assemble import settle_by_previous_year
from parsing.model.errors import NotAReportError
from parsing.layout.glued import solve_reviews_runs, solve_runs

# --- a minimal crawler-text report -----------------------------------------------------

REQ_LABELS = [
    ("new_received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果（一）予以公开"), ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", "（三）不予公开1.属于国家秘密"), ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", "3.危及“三安全一稳定”"), ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"), ("denied_process_info", "6.属于四类过程性信息"),
    ("denied_enforcement_files", "7.属于行政执法案卷"), ("denied_query_matters", "8.属于行政查询事项"),
    ("unable_not_held", "（四）无法提供1.本机关不掌握相关政府信息"), ("unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"), ("rejected_complaint", "（五）不予处理1.信访举报投诉类申请"),
    ("rejected_duplicate", "2.重复申请"), ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_excessive", "4.无正当理由大量反复申请"), ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("other_other", "3.其他"),
    ("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理"),
]
HEAD = ("某某局2023年政府信息公开工作年度报告 一、总体情况 2023年，我局依法做好政府信息公开工作。{body}"
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件{norm}"
        "第二十条第（五）项信息内容本年处理决定数量行政许可3第二十条第（六）项信息内容本年处理决定数量行政处罚2行政强制0"
        "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
TAIL = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
        "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计{rev}"
        "五、存在的主要问题及改进情况无。六、其他需要报告的事项无。 某某局2024年1月20日\n")


def glued(cells: dict | None = None, norm: str = "101", rev: str = "000000000000000", body: str = "") -> str:
    """A crawler copy: every row's cells glued to its label (``cells``: row → printed text, default 0000000)."""
    cells = cells or {}
    rows = "".join(label + cells.get(key, "0000000") for key, label in REQ_LABELS)
    return HEAD.format(norm=norm, body=body) + rows + TAIL.format(rev=rev)


def parse(text: str, name: str = "report.txt"):
    return parsing.parse_bytes(text.encode("utf-8"), name)


def row(report: dict, key: str, table: str = "requests") -> list:
    return list(report["tables"][table][key].values())


def flags(report: dict, path: str) -> list:
    return (report["provenance"].get(path) or {}).get("flags") or []


def row_flags(report: dict, key: str, table: str = "requests") -> set:
    return {f for c in report["tables"][table][key] for f in flags(report, f"{table}.{key}.{c}")}


def errors_of(parsed) -> list[dict]:
    return [f for f in checks.run_checks(parsed.report, parsed.text) if f["severity"] == "error"]


# --- stray spaces inside glued rows -------------------------------------------------------


@pytest.mark.parametrize("printed, want", [
    ("1400000 14", [14, 0, 0, 0, 0, 0, 14]),    # a space before the 总计 cell
    ("3700000 37 ", [37, 0, 0, 0, 0, 0, 37]),   # … and after it
    ("000000 0", [0] * 7),
    ("2100000 21", [21, 0, 0, 0, 0, 0, 21]),
])
def test_a_stray_space_is_a_cell_boundary(printed, want):
    r = parse(glued({"new_received": printed, "granted": printed, "total": printed})).report
    assert row(r, "new_received") == want
    assert not row_flags(r, "new_received")  # settled by the row itself: read as printed


def test_runs_hold_whole_cells():
    assert solve_runs(["1400000", "14"], 7, total_last=True).values == [14, 0, 0, 0, 0, 0, 14]
    sol = solve_runs(["2100000", "21"], 7, total_last=True)
    assert sol.values == [21, 0, 0, 0, 0, 0, 21] and not sol.ambiguous
    # "1100000 11": 11|0… and 1|10|… both balance: the row alone cannot tell
    assert solve_runs(["1100000", "11"], 7, total_last=True).ambiguous == {0, 1}


def test_a_row_settled_by_itself_is_read_as_printed_and_the_imbalance_is_an_error():
    # 本年新收 "120 03 0 015" is 12 自然人 + 3 社会公益组织 = 15 (one split only); (七)总计 puts all 15 under 自然人
    p = parse(glued({"new_received": "120 03 0 015", "granted": "120 03 0 015", "total": "1500000 15"}))
    r = p.report
    assert row(r, "new_received") == [12, 0, 0, 3, 0, 0, 15]
    assert row(r, "granted") == [12, 0, 0, 3, 0, 0, 15]
    assert row(r, "total") == [15, 0, 0, 0, 0, 0, 15]
    assert not row_flags(r, "new_received") | row_flags(r, "total")
    found = errors_of(p)
    balance = [f for f in found if f["rule"] == "requests.column_balance"]
    assert {"requests.new_received.social_welfare", "requests.total.social_welfare"} <= set(balance[-1]["cells"])
    assert any(f["rule"] == "requests.outcome_sum" and "requests.total.natural_person" in f["cells"] for f in found)


def test_a_split_chosen_by_other_rows_is_flagged():
    # "110000011" balances as 11|0|0|0|0|0|11 and 1|10|0|0|0|0|11: only the column rules choose
    settled = "11 0 0 0 0 0 11"
    r = parse(glued({"new_received": "110000011", "granted": settled, "total": settled})).report
    assert row(r, "new_received") == [11, 0, 0, 0, 0, 0, 11]
    assert "split_ambiguous" in flags(r, "requests.new_received.natural_person")
    assert "split_ambiguous" in flags(r, "requests.new_received.commercial")
    assert not row_flags(r, "granted")
    # the column rules chose it: they do not also judge it (an info finding says so, never a silent pass)
    assert r["provenance"]["requests.new_received.natural_person"]["inferred_from"] == [
        "requests.outcome_sum", "requests.column_balance"]
    p = parse(glued({"new_received": "110000011", "granted": settled, "total": settled}))
    said = [f for f in checks.run_checks(p.report, p.text) if f["rule"] == "requests.column_balance"]
    assert said and all(f["severity"] == "info" for f in said)
    assert "requests.new_received.natural_person" in said[0]["cells"] and "选定" in said[0]["message"]


# --- 表四 -----------------------------------------------------------------------------------


def test_reviews_in_runs_parted_by_stray_spaces():
    sols = solve_reviews_runs(["10", "0", "1", "200", "0", "0", "0", "0", "0", "0", "00"])
    assert [s.values for s in sols] == [[1, 0, 0, 1, 2], [0] * 5, [0] * 5]
    text = glued(rev=" 10 0 1 200 0 0 0 0 0 0 00").replace("行政复议行政诉讼结果维持", "行政复议 行政诉讼 结果 维持 ")
    r = parse(text).report
    assert row(r, "review", "reviews") == [1, 0, 0, 1, 2]
    assert row(r, "litigation_after_review", "reviews") == [0] * 5


def test_reviews_glued_into_one_run_of_more_than_15_digits():
    r = parse(glued(rev="5302100000000000")).report  # 5|3|0|2|10, then ten zeros
    assert row(r, "review", "reviews") == [5, 3, 0, 2, 10]


# --- rows empty in the source ------------------------------------------------------------------


@pytest.mark.parametrize("empty, nxt, printed", [
    ("other_unpaid_fee", "other_other", "2000002"),  # "…缴纳费用、…申请3.其他2000002"
    ("other_other", "total", "5000005"),
    ("carried_over", "granted", "3000003"),
])
def test_an_empty_row_never_takes_the_next_rows_values(empty, nxt, printed):
    cells = {"new_received": "5000005", "total": "5000005", "other_other": "2000002", "granted": "3000003"}
    text = glued(cells)
    label = dict(REQ_LABELS)[empty]
    text = text.replace(label + cells.get(empty, "0000000"), label, 1)
    p = parse(text)
    assert row(p.report, empty) == [None] * 7
    assert row_flags(p.report, empty) == {"missing"}
    assert row(p.report, nxt) == [int(printed[0]), 0, 0, 0, 0, 0, int(printed[-1])]
    assert any("没有数值" in w for w in p.report["warnings"])


# --- the 2019 format, glued ----------------------------------------------------------------------

TABLE2_2019 = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件31245"
               "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可34-58其他对外管理服务事项0+110"
               "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚12-312行政强制000"
               "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费2-1"
               "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购082059.2090万元")


def _report_2019(single: str = "3000003") -> str:
    text = glued({"new_received": "5000005", "partially_granted": "2000002", "total": "5000005"})
    text = text.replace("国办", "").replace("某某局2023年", "某某局2019年", 1)
    a, b = text.index("二、主动公开"), text.index("三、收到和处理")
    text = text[:a] + TABLE2_2019 + text[b:]
    six = text.index("（六）其他处理1.")
    seven = text.index("（七）总计")
    return text[:six] + "（六）其他处理" + single + text[seven:]


def test_2019_single_other_row_is_its_own_extra_row():
    p = parse(_report_2019())
    r = p.report
    assert r["meta"]["format"] == "2019"
    single = [r["extra_cells"][f"requests.other_single.{c}"] for c in r["tables"]["requests"]["total"]]
    assert single == [3, 0, 0, 0, 0, 0, 3]
    for key in ("other_no_correction", "other_unpaid_fee", "other_other"):
        assert row(r, key) == [None] * 7 and row_flags(r, key) == {"missing"}
    # the sums use the single row: balanced, so no error and no "cannot assess" about (七)总计
    found = checks.run_checks(r, p.text)
    assert not [f for f in found if f["rule"].startswith("requests.") and f["severity"] == "error"]
    assert not [f for f in found if f["rule"] == "requests.outcome_sum"]


def test_2019_single_other_row_out_of_balance_is_an_error_naming_it():
    p = parse(_report_2019(single="4000004"))
    bad = [f for f in errors_of(p) if f["rule"] == "requests.outcome_sum"]
    assert bad and "requests.other_single.natural_person" in bad[0]["cells"]


def test_2019_table2_glued_signed_changes_and_procurement_with_its_unit():
    r = parse(_report_2019()).report
    active = r["tables"]["active"]
    assert active["licensing"] == {"previous_items": 34, "change": -5, "decisions": 8}
    # "0+110": 0 | then +1|10 or +11|0: the sign settles the first cell only
    assert active["other_services"] == {"previous_items": 0, "change": None, "decisions": None}
    assert "split_ambiguous" in flags(r, "active.other_services.change")
    assert active["fees"] == {"previous_items": 2, "change": -1}
    assert active["procurement"] == {"items": 0, "amount": "82059.2090万元"}
    # 行政处罚 "12-312": the sign starts 本年增/减, so 12 | -3 | 12 or 12 | -31 | 2: never guessed
    p = active["punishment"]
    assert p["previous_items"] == 12
    assert p["change"] is None and "split_ambiguous" in flags(r, "active.punishment.change")


# --- pdftotext without -layout --------------------------------------------------------------------

PLAIN = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽
关系为：第一项加
第二项之和，等于
第三项加第四项之
和）
申请人情况
自然人
法人或其他组织
总计
商业企业
科研机构
社会公益组织
法律服务机构
其他
一、本年新收政府信息
公开申请数量
{new}
二、上年结转政府
信息公开申请数量
0
0
0
0
0
0
0
三、本年度办理结
果
（一）予以公开
{new}
（二）部分公开（
区分处理的，只计
这一情形，不计其
他情形）
0
0
0
0
0
0
0
"""


def test_pdftotext_without_layout_one_cell_per_line_labels_broken():
    new = "\n".join(["3", "1", "0", "0", "0", "0", "4"])
    r = parse("某某局2023年政府信息公开工作年度报告\n" + PLAIN.format(new=new)).report
    assert row(r, "new_received") == [3, 1, 0, 0, 0, 0, 4]
    assert row(r, "carried_over") == [0] * 7
    assert row(r, "granted") == [3, 1, 0, 0, 0, 0, 4]
    assert row(r, "partially_granted") == [0] * 7


# --- 表二 in prose, Word conditional comments ---------------------------------------------------------


def test_table2_inside_the_prose_of_section_two_with_word_comments():
    comment = "<!--[if !supportLists]-->"
    text = glued({"new_received": "2000002", "granted": "2000002", "total": "2000002"}, norm="303")
    a = text.index("第二十条第（一）项")
    text = (text[:a] + f"{comment}（一）主动公开政府信息的数量{comment}本年度共主动公开政府信息120条。" + text[a:])
    b = text.index("三、收到和处理")
    text = text[:b] + f"{comment}（二）主动公开政府信息的主要类别{comment}主要包括机构职能、政策文件等。" + text[b:]
    r = parse(text).report
    assert row(r, "normative_documents", "active") == [3, 0, 3]
    assert row(r, "licensing", "active") == [3]
    assert row(r, "granted") == [2, 0, 0, 0, 0, 0, 2]


# --- PDF-to-Markdown fragments ----------------------------------------------------------------------

FRAGMENTS = """三、收到和处理政府信息公开申请情况
申请人情况
| 一、本年新收政府信息公开申请数量 | 9 | 1 | 0 | 0 | 0 | 0 | 10 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 三、 | （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |
（二）部分公开（区分处理的，只
计这一情形，不计其他情形）
| （三）不予公开1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
2.其他法律行政法规禁
止公开
3.危及“三安全一稳定”
4.保护第三方合法权益
| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|
| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|
| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|
5.属于三类内部事务信
息
1.本机关不掌握相关政
府信息
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|
| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
3
| 6 | 0 | 0 | 0 | 0 | 0 | 6 |
|---|---|---|---|---|---|---|
| 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""


def test_markdown_fragments_labels_listed_apart_from_their_value_rows():
    tail = "".join(f"| {label} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n" for key, label in REQ_LABELS[15:23])
    tail += "| （七）总计 | 9 | 1 | 0 | 0 | 0 | 0 | 10 |\n| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    text = "某某局2023年政府信息公开工作年度报告\n" + FRAGMENTS + tail
    text = text.replace("（二）部分公开（区分处理的，只\n", "（二）部分公开（区分处理的，只\n", 1)
    text = text.replace("| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|---|---|---|---|---|---|---|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|---|"
                        "---|---|---|---|---|---|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|---|---|---|---|---|---|---|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|---|"
                        "---|---|---|---|---|---|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|---|---|---|---|---|---|---|\n"
                        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |", 1)  # 部分公开's row too: four labels, four value rows
    r = parse(text, "report.md").report
    assert row(r, "granted") == [2, 1, 0, 0, 0, 0, 3]
    assert row(r, "partially_granted") == [0] * 7
    # 5.内部事务 and 1.不掌握 are listed before the rows "1 … 1" and (after 8.) "6 … 6": in that order
    assert row(r, "denied_internal_affairs") == [1, 0, 0, 0, 0, 0, 1]
    assert row(r, "unable_not_held") == [6, 0, 0, 0, 0, 0, 6]
    assert row(r, "denied_query_matters") == [0] * 7  # never the next fragment's values
    assert any("零散数值" in w for w in r["warnings"])  # the stray "3" line


# --- 行政规范性文件 settled by the body text or last year's report ----------------------------------------


def test_glued_normative_row_settled_by_the_body_text_is_flagged_inferred():
    body = "制发行政规范性文件9件，按程序确认失效或废止文件7件，现行有效行政规范性文件共253件。"
    r = parse(glued(norm="97253", body=body)).report
    assert row(r, "normative_documents", "active") == [9, 7, 253]
    assert all("inferred" in flags(r, f"active.normative_documents.{c}") for c in ("issued", "repealed", "in_force"))


def test_glued_normative_row_the_file_cannot_settle_stays_null():
    r = parse(glued(norm="5615")).report  # 5|6|15, 56|1|5, 5|61|5 …
    assert row(r, "normative_documents", "active") == [None, None, None]
    assert "split_ambiguous" in flags(r, "active.normative_documents.in_force")


def test_stock_chain_from_last_years_report_settles_the_row_and_is_not_used_to_judge_it():
    p = parse(glued(norm="5615"))
    r = p.report
    previous = {"meta": {"format": "2021"}, "tables": {"active": {"normative_documents": {"in_force": 14}}}}
    # last year's 14: no cut of "5615" continues the chain (14 + 5 − 6 = 13 …): nothing settled
    assert settle_by_previous_year(r, previous) == []
    assert row(r, "normative_documents", "active") == [None] * 3
    # last year's 16: 16 + 5 − 6 = 15 → 5|6|15 (56|1|5 and 5|61|5 break the chain)
    previous["tables"]["active"]["normative_documents"]["in_force"] = 16
    assert len(settle_by_previous_year(r, previous)) == 3
    assert row(r, "normative_documents", "active") == [5, 6, 15]
    assert flags(r, "active.normative_documents.in_force") == ["inferred"]
    found = checks.run_checks(r, p.text, previous=(previous, ""))
    judged = [f for f in found if f["rule"] == "history.normative_documents"]
    assert judged and all(f["severity"] == "info" for f in judged)


# --- OCR doubt only where there is OCR damage ---------------------------------------------------------------


def test_one_lookalike_letter_in_a_web_text_flags_only_its_cell_and_says_what_was_seen():
    from tests.conftest import sample_path

    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    printed = "(一)予以公开 | 12 | 3 | 0 | 0 | 0 | 0 | 15 |"
    assert printed in text
    p = parse(text.replace(printed, "(一)予以公开 | 12 | 3 | C | 0 | 0 | 0 | 15 |"))
    r = p.report
    assert r["tables"]["requests"]["granted"]["research"] == 0
    assert "ocr_suspect" in flags(r, "requests.granted.research")
    assert not flags(r, "requests.granted.natural_person")  # the rest of the file is not suspect
    assert not flags(r, "active.licensing.decisions")
    line = p.text[: p.text.index("| C |")].count("\n") + 1
    assert any(f"第 {line} 行出现 C 代替 0" in w for w in r["warnings"])


# --- a tool's two-year comparison ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "                         政府信息公开工作年度报告对比\n"
    "   某某区2023年政府信息公开工作年度报告          某某区2024年政府信息公开工作年度报告\n"
    "   文本重复率：45.2%\n"
    "   本年新收政府信息公开申请数量    12    0    0    0    0    0    12        15    0    0    0    0    0    15\n",
    "年报对比结果\n某某区人民政府 2023 vs 2024\n重复率 38%\n本年新收政府信息公开申请数量 | 12 | 0 | 0 | 0 | 0 | 0 | 12\n",
], ids=["pdftotext-layout", "vs"])
def test_two_year_comparison_is_refused_in_every_layout(text):
    with pytest.raises(NotAReportError) as info:
        parse(text + glued())  # whole tables after it: still not one report
    assert info.value.seems == "两个年度的对比"


# --- the real reports of these classes (tests/fixtures/corpus) -----------------------------------------------

from pathlib import Path  # noqa: E402
import json  # noqa: E402

_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
_REAL = sorted(p for p in _CORPUS.glob("*.json") if any(_CORPUS.glob(p.stem + ".txt")) or any(_CORPUS.glob(p.stem + ".md")))


@pytest.mark.parametrize("truth_path", _REAL, ids=[p.stem for p in _REAL])
def test_real_report_every_cell_right_or_damaged_and_flagged(truth_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    source = next(p for p in _CORPUS.glob(truth_path.stem + ".*") if p.suffix != ".json")
    report = parsing.parse_bytes(source.read_bytes(), source.name).report
    skip, damaged = set(truth.get("skip") or []), set(truth.get("damaged") or [])
    wrong = []
    for table, rows in truth["tables"].items():
        for key, cols in rows.items():
            for col, want in cols.items():
                path = f"{table}.{key}.{col}"
                if path in skip:
                    continue
                have = report["tables"][table][key][col]
                if str(have) == str(want):
                    continue
                if path in damaged and have is None and flags(report, path):
                    continue
                wrong.append(f"{path}: {have!r} != {want!r} {flags(report, path)}")
    if truth_path.stem == "pingtan-2023-crawler-glued":
        # "77132470": the body settles 77 only; 132 | 470 needs last year's report (stock chain) or the page
        assert wrong == [f"active.normative_documents.{c}: None != {v!r} ['split_ambiguous', 'missing']"
                         for c, v in (("repealed", 132), ("in_force", 470))]
        return
    assert not wrong, "\n".join(wrong)


def test_2021_report_printing_one_single_other_row_keeps_it_apart_from_its_sub_rows():
    from tests.conftest import sample_path

    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if "逾期不补正" in ln)
    last = next(i for i, ln in enumerate(lines) if ln.lstrip(" |").startswith(("3.其他", "3、其他")) and i > first)
    sums = [0] * 7
    for ln in lines[first:last + 1]:
        cells = [c.strip() for c in ln.split("|") if c.strip()]
        for k, v in enumerate(cells[-7:]):
            sums[k] += int(v)
    single = "（六）其他处理 | " + " | ".join(map(str, sums)) + " |"
    p = parse("\n".join(lines[:first] + [single] + lines[last + 1:]) + "\n")
    r = p.report
    assert [r["extra_cells"][f"requests.other_single.{c}"] for c in r["tables"]["requests"]["total"]] == sums
    for key in ("other_no_correction", "other_unpaid_fee", "other_other"):
        assert row(r, key) == [None] * 7 and row_flags(r, key) == {"missing"}
    found = checks.run_checks(r, p.text)
    assert not [f for f in found if f["rule"] in ("requests.outcome_sum", "requests.row_sum")]
    assert not [f for f in found if f["rule"] == "cells.missing" and any(".other_" in c for c in f["cells"])]
    # one more under 自然人 in the single row: (七)总计 is judged with it, and it is named
    sums[0] += 1
    sums[-1] += 1
    bumped = "（六）其他处理 | " + " | ".join(map(str, sums)) + " |"
    p = parse("\n".join(lines[:first] + [bumped] + lines[last + 1:]) + "\n")
    bad = [f for f in errors_of(p) if f["rule"] == "requests.outcome_sum"]
    assert bad and "requests.other_single.natural_person" in bad[0]["cells"]


def test_separated_reviews_row_with_a_blank_cell_is_never_split_as_glued_runs():
    from tests.conftest import sample_path

    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    printed = "| 5 | 0 | 0 | 1 | 6 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1 |"
    assert printed in text
    r = parse(text.replace(printed, "| 50 | 10 | 0 | 1 | 61 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |  | 0 | 1 |")).report
    assert row(r, "review", "reviews") == [50, 10, 0, 1, 61]
    assert row(r, "litigation_after_review", "reviews") == [0, 1, None, 0, 1]
