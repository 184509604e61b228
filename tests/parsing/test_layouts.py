"""The layouts real reports arrive in, each as a small realistic fixture under
tests/fixtures/layouts/, with the values an auditor reads off the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsing import parse_bytes
from parsing.layout.assemble import assemble
from parsing.model.document import Document
from parsing.model.schema import REQUESTS

LAYOUTS = Path(__file__).resolve().parent.parent / "fixtures" / "layouts"

# The requests table shared by the pdftotext, Markdown and OCR-free fixtures.
REQUESTS_A = {
    "new_received": [40, 5, 1, 0, 2, 1, 49],
    "carried_over": [3, 0, 0, 0, 0, 0, 3],
    "granted": [15, 2, 0, 0, 1, 0, 18],
    "partially_granted": [6, 1, 0, 0, 0, 0, 7],
    "denied_state_secret": [1, 0, 0, 0, 0, 0, 1],
    "denied_third_party": [2, 0, 0, 0, 0, 0, 2],
    "denied_process_info": [1, 0, 0, 0, 0, 0, 1],
    "unable_not_held": [8, 1, 1, 0, 0, 1, 11],
    "unable_needs_creation": [1, 0, 0, 0, 0, 0, 1],
    "rejected_complaint": [2, 0, 0, 0, 0, 0, 2],
    "rejected_duplicate": [1, 0, 0, 0, 0, 0, 1],
    "other_no_correction": [2, 0, 0, 0, 0, 0, 2],
    "other_other": [1, 0, 0, 0, 1, 0, 2],
    "total": [40, 4, 1, 0, 2, 1, 48],
    "carried_forward": [3, 1, 0, 0, 0, 0, 4],
}
REVIEWS_A = {"review": [1, 0, 0, 1, 2], "litigation_direct": [0, 1, 0, 0, 1], "litigation_after_review": [0] * 5}


def _parse(name: str):
    path = LAYOUTS / name
    return parse_bytes(path.read_bytes(), name=str(path))


def _rows(report: dict, table: str) -> dict:
    return {row: list(cols.values()) for row, cols in report["tables"][table].items()}


def _expect_requests(report: dict, nonzero: dict, *, except_cells: dict | None = None):
    got = _rows(report, "requests")
    for row in REQUESTS.rows:
        want = list(nonzero.get(row.key, [0] * 7))
        for col_index, v in (except_cells or {}).get(row.key, {}).items():
            want[col_index] = v
        assert got[row.key] == want, row.key


def _flags(report: dict, path: str) -> list:
    return report["provenance"][path]["flags"]


def _assert_spans_point_at_raw(parsed):
    for path, prov in parsed.report["provenance"].items():
        if prov["span"] and prov["raw"] and "split_ambiguous" not in prov["flags"]:
            a, b = prov["span"]
            assert parsed.text[a:b] == prov["raw"], path


def test_pdftotext_layout_wrapped_labels_vertical_headers_page_break():
    parsed = _parse("pdftotext-layout-wrapped.txt")
    r = parsed.report
    assert _rows(r, "active") == {
        "rules": [0, 0, 0],
        "normative_documents": [5, 1, 34],
        "licensing": [128],
        "punishment": [56],
        "enforcement": [3],
        "fees": ["12.5"],
    }
    # 上年结转·商业企业 is blank in the PDF: its x-position says which cell, and it stays null.
    _expect_requests(r, REQUESTS_A, except_cells={"carried_over": {1: None}})
    assert _flags(r, "requests.carried_over.commercial") == ["missing"]
    assert r["tables"]["requests"]["carried_over"]["research"] == 0
    assert _rows(r, "reviews") == REVIEWS_A
    # the page footer "- 7 -" and the repeated header never become values
    assert all("7" != p["raw"] for k, p in r["provenance"].items() if k.startswith("requests.denied_process"))
    assert not any(f for k, p in r["provenance"].items() if k != "requests.carried_over.commercial" for f in p["flags"])
    _assert_spans_point_at_raw(parsed)


def test_markdown_table_with_subtotal_rows_and_eighth_column():
    parsed = _parse("markdown-28rows-8cols.md")
    r = parsed.report
    _expect_requests(r, REQUESTS_A)
    extra = r["extra_cells"]
    assert extra["requests.new_received.legal_entity_subtotal"] == 9
    assert extra["requests.total.legal_entity_subtotal"] == 8
    assert extra["requests.subtotal_denied.total"] == 4
    assert extra["requests.subtotal_unable.natural_person"] == 9
    assert extra["requests.subtotal_rejected.total"] == 3
    assert extra["requests.subtotal_other.legal_services"] == 1
    assert r["provenance"]["requests.subtotal_other.total"]["raw"] == "4"
    assert _rows(r, "reviews") == REVIEWS_A
    notes = {(n["table"], n["text"]) for n in r["notes"]}
    assert ("reviews", "注：行政复议、行政诉讼数量含上年度结转数量。") in notes
    _assert_spans_point_at_raw(parsed)


def test_markdown_cell_values_annotated_full_width_thousands_dash_money():
    r = _parse("markdown-28rows-8cols.md").report
    active = r["tables"]["active"]
    assert active["normative_documents"] == {"issued": 22, "repealed": 3, "in_force": 55}
    assert r["provenance"]["active.normative_documents.issued"]["raw"] == "22（其中修订16件）"
    assert active["licensing"]["decisions"] == 1234
    assert active["punishment"]["decisions"] == 45  # full-width ４５
    assert active["enforcement"]["decisions"] is None  # "—": no value, never 0
    assert _flags(r, "active.enforcement.decisions") == ["missing"]
    assert active["fees"]["amount"] == "0.00"


def test_ocr_tab_text_typos_lookalikes_shuffled_rows():
    r = _parse("ocr-tabs-typos-shuffled.txt").report
    active = r["tables"]["active"]
    assert active["rules"]["issued"] == 0 and "ocr_suspect" in _flags(r, "active.rules.issued")
    assert active["normative_documents"] == {"issued": 3, "repealed": None, "in_force": 12}
    assert _flags(r, "active.normative_documents.repealed") == ["missing"]
    assert "ocr_suspect" in _flags(r, "active.normative_documents.in_force")  # "l2"
    assert active["licensing"]["decisions"] == 25 and "ocr_suspect" in _flags(r, "active.licensing.decisions")
    assert active["enforcement"]["decisions"] == 0  # label 行政強制 (traditional form)
    # the document shows OCR damage: values no balance rule confirms are suspect
    assert "ocr_suspect" in _flags(r, "active.punishment.decisions")
    req = _rows(r, "requests")
    assert req["new_received"] == [12, 2, 0, 0, 0, 0, 14]  # printed after 上年结转
    assert req["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["partially_granted"] == [2, 0, 0, 0, 0, 0, 2]  # "(=)部分公开"
    assert req["denied_third_party"] == [1, 0, 0, 0, 0, 0, 1]  # "保沪第三方"
    assert req["unable_not_held"] == [3, 1, 0, 0, 0, 0, 4]
    assert req["unable_unclear"] == [0] * 7  # "朴正后…仍不明砖"
    assert req["rejected_duplicate"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["total"] == [13, 2, 0, 0, 0, 0, 15]
    assert "ocr_suspect" in _flags(r, "requests.total.total")  # "I5"
    assert req["carried_forward"] == [0, None, 0, 0, 0, 0, 0]
    assert _rows(r, "reviews")["review"] == [0, 0, 0, 1, 1]


def test_rows_of_numbers_printed_before_their_labels():
    r = _parse("numbers-before-labels.txt").report
    req = _rows(r, "requests")
    assert req["new_received"] == [31, 3, 0, 0, 0, 0, 34]
    assert req["denied_enforcement_files"] == [3, 0, 0, 0, 0, 0, 3]
    assert req["other_other"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["total"] == [32, 3, 0, 0, 0, 0, 35]
    assert req["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]
    assert _rows(r, "reviews")["litigation_direct"] == [1, 0, 0, 0, 1]


def test_format_2019_active_rows_and_undivided_other_row():
    r = _parse("format-2019-pipes.txt").report
    assert r["meta"]["format"] == "2019"
    assert _rows(r, "active") == {
        "rules": [0, 0, 0],
        "normative_documents": [3, 3, 45],
        "licensing": [12, -2, 340],
        "other_services": [0, 0, 0],
        "punishment": [5, 1, 23],
        "enforcement": [2, 0, 4],
        "fees": [3, -1],
        "procurement": [4, "56.3"],
    }
    req = _rows(r, "requests")
    # the single undivided （六）其他处理 row is its own extra row; the three sub-rows stay null + missing
    single = {k.rsplit(".", 1)[1]: v for k, v in r["extra_cells"].items() if k.startswith("requests.other_single.")}
    assert list(single.values()) == [1, 0, 0, 0, 0, 0, 1]
    for row in ("other_no_correction", "other_unpaid_fee", "other_other"):
        assert req[row] == [None] * 7
        assert all("missing" in _flags(r, f"requests.{row}.{c}") for c in single)
    assert req["total"] == [32, 3, 0, 0, 0, 0, 35]
    assert not r["warnings"]
    from checks import run_checks

    found = [f for f in run_checks(r, _parse("format-2019-pipes.txt").text) if f["rule"] == "requests.outcome_sum"]
    # (七)总计 is assessed with the single row (this hand-made file's own natural-person column is off by one)
    assert found and all(f["severity"] == "error" for f in found)
    assert "requests.other_single.natural_person" in found[0]["cells"]


STRUCTURED = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况
自然人 | 法人或其他组织 | 总计
商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他
一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6
二、上年结转政府信息公开申请数量 | 0 |  | 0 | 0 | 0 | 0 | 0
三、本年度办理结果 | （一）予以公开 | 3 | 1 | 0 | 0 | 0 | 0 | 4
（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 0 | 0 | 0 | 0 | 0 | 0 | 0
（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0
2.其他法律行政法规禁止公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1
（四）无法提供 | 1.本机关不掌握相关政府信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1
（七）总计 | 5 | 1 | 0 | 0 | 0 | 0 | 6
四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0
"""


def test_structured_rows_rowspan_group_labels_and_empty_cell():
    doc = Document(text=STRUCTURED, kind="html", structured_tables=True)
    asm = assemble(doc, "2021")
    req = asm.tables["requests"]
    assert list(req["new_received"].values()) == [5, 1, 0, 0, 0, 0, 6]
    assert req["carried_over"]["commercial"] is None
    assert asm.provenance["requests.carried_over.commercial"]["flags"] == ["missing"]
    assert req["carried_over"]["research"] == 0
    assert list(req["granted"].values()) == [3, 1, 0, 0, 0, 0, 4]
    assert req["denied_prohibited_by_law"]["natural_person"] == 1  # its group printed on the line above
    assert req["unable_not_held"]["total"] == 1
    assert asm.extra_cells == {}
    # rows absent from this excerpt: null and missing, never 0
    assert req["rejected_duplicate"]["total"] is None
    assert asm.provenance["requests.rejected_duplicate.total"] == {"raw": "", "span": None, "flags": ["missing"]}


@pytest.mark.parametrize("name", sorted(p.name for p in LAYOUTS.glob("*.*") if p.name != "README.md"))
def test_every_layout_fixture_has_provenance_for_every_cell(name):
    parsed = _parse(name)
    r = parsed.report
    for table, rows in r["tables"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                prov = r["provenance"][f"{table}.{row}.{col}"]
                assert value is not None or prov["flags"]
    _assert_spans_point_at_raw(parsed)


def test_pdftotext_reviews_with_blank_cells_placed_under_header_words():
    text = (LAYOUTS / "pdftotext-layout-wrapped.txt").read_text(encoding="utf-8")
    full = "     1      0      0      1       2       0      1      0      0       1       0      0      0      0       0"
    gaps = "     1      0             1       2       0      1      0      0       1                            0       0"
    assert full in text
    asm = assemble(Document(text=text.replace(full, gaps)), "2021")
    rev = asm.tables["reviews"]
    assert list(rev["review"].values()) == [1, 0, None, 1, 2]
    assert list(rev["litigation_direct"].values()) == [0, 1, 0, 0, 1]
    assert list(rev["litigation_after_review"].values()) == [None, None, None, 0, 0]
    assert asm.provenance["reviews.review.other"]["flags"] == ["missing"]


def test_eighth_column_found_from_the_rows_when_the_header_lost_it():
    text = (LAYOUTS / "markdown-28rows-8cols.md").read_text(encoding="utf-8")
    header = "| | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计 | |\n"
    assert header in text
    asm = assemble(Document(text=text.replace(header, "")), "2021")
    assert list(asm.tables["requests"]["new_received"].values()) == [40, 5, 1, 0, 2, 1, 49]
    assert asm.extra_cells["requests.new_received.legal_entity_subtotal"] == 9


def test_row_with_more_values_than_columns_is_flagged():
    text = "二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n行政规范性文件 | 5 | 1 | 34 | 2\n\n"
    asm = assemble(Document(text=text), "2021")
    assert asm.tables["active"]["normative_documents"]["issued"] == 5
    assert "split_ambiguous" in asm.provenance["active.normative_documents.issued"]["flags"]
    assert asm.provenance["active.rules.issued"]["flags"] == []


def test_crawler_text_with_every_table_glued_on_one_line():
    parsed = _parse("crawler-glued-one-line.txt")
    r = parsed.report
    _expect_requests(r, REQUESTS_A)
    assert _rows(r, "reviews") == REVIEWS_A  # "100120100100000" under scrambled headers
    active = _rows(r, "active")
    assert active["rules"] == [0, 0, 0]
    assert active["licensing"] == [128] and active["enforcement"] == [3] and active["fees"] == ["12.5"]
    # "5134" splits as 5|1|34, 5|13|4, 51|3|4: nothing settles it, so nothing is picked
    assert active["normative_documents"] == [None, None, None]
    assert all("split_ambiguous" in _flags(r, f"active.normative_documents.{c}") for c in ("issued", "repealed", "in_force"))
    assert r["provenance"]["requests.unable_not_held.total"]["raw"] == "11"
    _assert_spans_point_at_raw(parsed)


def test_real_pdftotext_layout_output_matches_the_hand_checked_values():
    # `pdftotext -layout` (poppler) run on a borderless PDF of the 泸定县 sample:
    # vertical row headers, a cell centred above its row, page footer "-3-".
    from tests.conftest import golden

    r = _parse("pdftotext-layout-real-no-borders.txt").report
    truth = golden("2024-luding-county")["tables"]
    for table, rows in truth.items():
        for row, cols in rows.items():
            assert r["tables"][table][row] == cols, f"{table}.{row}"


def test_rows_matched_by_order_are_flagged_when_the_table_does_not_balance():
    text = (LAYOUTS / "numbers-before-labels.txt").read_text(encoding="utf-8")
    balanced = assemble(Document(text=text), "2021")
    assert balanced.provenance["requests.new_received.total"]["flags"] == []
    broken = assemble(Document(text=text.replace("31 3 0 0 0 0 34", "31 3 0 0 0 0 43", 1)), "2021")
    assert "split_ambiguous" in broken.provenance["requests.granted.total"]["flags"]


def test_rows_matched_by_order_are_flagged_when_the_labels_are_out_of_order():
    text = (LAYOUTS / "numbers-before-labels.txt").read_text(encoding="utf-8")
    swapped = text.replace("1.信访举报投诉类申请\n2.重复申请\n", "2.重复申请\n1.信访举报投诉类申请\n")
    assert swapped != text
    asm = assemble(Document(text=swapped), "2021")
    assert "split_ambiguous" in asm.provenance["requests.rejected_duplicate.natural_person"]["flags"]


def _char_aligned(label: str, cells: list[str]) -> str:
    """A pdftotext line whose numbers end at fixed character indexes (not display columns)."""
    line = f"  {label}"
    for i, cell in enumerate(cells):
        line = line.ljust(40 + 8 * i - len(cell)) + cell
    return line


def test_char_aligned_row_with_a_blank_cell_is_placed_by_character_index():
    rows = [
        ("1.本年新收政府信息公开申请数量", ["5", "1", "0", "0", "0", "0", "6"]),
        ("2.上年结转政府信息公开申请数量", ["0", "0", "0", "0", "0", "0", "0"]),
        ("（一）予以公开", ["3", "", "0", "0", "0", "0", "3"]),  # commercial left blank
        ("（二）部分公开", ["2", "1", "0", "0", "0", "0", "3"]),
    ]
    text = " " * 30 + "申请人情况\n" + "\n".join(_char_aligned(label, cells) for label, cells in rows) + "\n"
    asm = assemble(Document(text=text), "2021")
    granted = asm.tables["requests"]["granted"]
    # On screen the short label moves its numbers 8 columns left of the rows above; by character they line up.
    assert list(granted.values()) == [3, None, 0, 0, 0, 0, 3]
    assert asm.provenance["requests.granted.commercial"]["flags"] == ["missing"]


def test_space_aligned_blank_cell_is_flagged_when_the_two_alignments_disagree():
    text = (
        " " * 74 + "申请人情况\n"
        "        其           2.申请人逾期未按收费通知                        0       0       0       0       0       0       0\n"
        "        理           3.其他                                         0       —       0       0       0     245\n"
    )
    asm = assemble(Document(text=text), "2021")
    row = asm.tables["requests"]["other_other"]
    assert all(v is None for v in row.values()), row
    assert all("missing" in asm.provenance[f"requests.other_other.{c}"]["flags"] for c in row)


@pytest.mark.parametrize("first, rest", [("1.申请人无正当理由逾期不", "补正、行政机关不再处理其政"),
                                         ("1.申请人无正当理由逾", "期不补正、行政机关不再")])
def test_pdftotext_label_wrapped_before_bu_buzheng_keeps_its_row(first, rest):
    text = (
        " " * 40 + "申请人情况\n"
        f"  （六）其他处理   {first}      2       0       0       0       0       0       2\n"
        f"                   {rest}\n"
        "                   府信息公开申请\n"
    )
    asm = assemble(Document(text=text), "2021")
    assert list(asm.tables["requests"]["other_no_correction"].values()) == [2, 0, 0, 0, 0, 0, 2]


_REVIEW_HEAD = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"
    " | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n"
)


def _reviews(values_line: str) -> tuple[dict, dict]:
    asm = assemble(Document(text=_REVIEW_HEAD + values_line + "\n"), "2021")
    return {r: list(c.values()) for r, c in asm.tables["reviews"].items()}, asm.provenance


@pytest.mark.parametrize("line", [
    " | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 2 | 2 | 1 | 0 | 0 | 3 | ",  # a structured reader's row: blank first and last cells
    "\t0\t0\t1\t1\t0\t0\t0\t2\t2\t1\t0\t0\t3",  # tabs: a leading tab is the blank first cell
    "|  | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 2 | 2 | 1 | 0 | 0 | 3 |  |",  # Markdown: the left border is no cell
])
def test_reviews_row_with_blank_cells_keeps_the_others_in_place(line):
    rows, prov = _reviews(line)
    assert rows["review"] == [None, 0, 0, 1, 1]
    assert rows["litigation_direct"] == [0, 0, 0, 2, 2]
    assert rows["litigation_after_review"] == [1, 0, 0, 3, None]
    assert prov["reviews.review.upheld"]["flags"] == ["missing"]
    assert prov["reviews.litigation_after_review.total"]["flags"] == ["missing"]


def test_cell_per_line_blank_reviews_cell_keeps_its_place():
    values = ["0", "0", "1", "1", "0", "0", "0", "2", "2", "1", "0", "0", "3", "4"]
    lines = [v + " |" for v in values]
    lines.insert(1, " |")  # review.corrected left blank
    text = _REVIEW_HEAD.replace(" | ", " |\n") + "|||\n" + "\n".join(lines) + "\n"
    rows = {r: list(c.values()) for r, c in assemble(Document(text=text), "2021").tables["reviews"].items()}
    assert rows["review"] == [0, None, 0, 1, 1]
    assert rows["litigation_direct"] == [0, 0, 0, 2, 2]
    assert rows["litigation_after_review"] == [1, 0, 0, 3, 4]


def test_wrapped_label_values_on_the_continuation_line_with_a_blank_cell_placed_by_x():
    rows = [
        ("1.本年新收政府信息公开申请数量", ["5", "1", "0", "0", "0", "0", "6"]),
        ("2.上年结转政府信息公开申请数量", ["0", "0", "0", "0", "0", "0", "0"]),
    ]
    text = " " * 30 + "申请人情况\n" + "\n".join(_char_aligned(label, cells) for label, cells in rows) + "\n"
    text += "  （四）无法提供 1.本机关不掌握相关政\n"
    text += _char_aligned("  府信息", ["2", "", "0", "0", "0", "0", "2"]) + "\n"
    text += "  2.没有现成信息需要另行制作\n"  # an unknown wrapped line after the row: the row stays
    asm = assemble(Document(text=text), "2021")
    assert list(asm.tables["requests"]["unable_not_held"].values()) == [2, None, 0, 0, 0, 0, 2]


def test_reviews_blank_cell_placed_under_char_aligned_header_words():
    heads = "    " + "     ".join(["结果", "结果", "其他", "尚未", "总计"] * 3)
    values = [None if v is None else str(v) for v in (0, 0, 0, 0, 0, 1, 0, 0, "—", None, 0, 0, 0, 1, 1)]
    line = ""
    for i, v in enumerate(values):  # right-aligned one character past each header word, by character index
        if v is not None:
            line = line.ljust(4 + 7 * i + 3 - len(v)) + v
    text = "四、政府信息公开行政复议、行政诉讼情况\n" + heads + "\n" + line + "\n"
    rev = {r: list(c.values()) for r, c in assemble(Document(text=text), "2021").tables["reviews"].items()}
    assert rev == {"review": [0, 0, 0, 0, 0], "litigation_direct": [1, 0, 0, None, None],
                   "litigation_after_review": [0, 0, 0, 1, 1]}


def test_crawler_text_with_thousands_separators_inside_glued_runs():
    text = (LAYOUTS / "crawler-glued-one-line.txt").read_text(encoding="utf-8")
    text = text.replace("行政许可128", "行政许可32,307").replace(
        "一、本年新收政府信息公开申请数量405102149", "一、本年新收政府信息公开申请数量1,040510211,049")
    r = parse_bytes(text.encode("utf-8"), name="crawler.txt").report
    assert r["tables"]["active"]["licensing"]["decisions"] == 32307
    assert list(r["tables"]["requests"]["new_received"].values()) == [1040, 5, 1, 0, 2, 1, 1049]


@pytest.mark.parametrize("after", [3, 7])  # inside the row's cells, and right after them
def test_page_footer_written_as_a_cell_line_is_not_a_cell(after):
    text = (Path(__file__).resolve().parents[2] / "sample_reports" / "2024-linzi-jixia-street.txt").read_text(encoding="utf-8")
    head = "(一)予以公开 |\n" + "0 |\n" * after
    assert head in text
    r = parse_bytes(text.replace(head, head + "- 4 - |\n").encode("utf-8"), name="linzi.txt").report
    assert list(r["tables"]["requests"]["granted"].values()) == [0] * 7
    assert r["provenance"]["requests.granted.total"]["flags"] == []


def test_crawler_text_with_annotations_between_glued_runs():
    text = (LAYOUTS / "crawler-glued-one-line.txt").read_text(encoding="utf-8")
    r = parse_bytes(text.replace("行政规范性文件5134", "行政规范性文件3（其中修订0件）13（含自然失效1件）").encode("utf-8"),
                    name="crawler.txt").report
    # a note ends its cell: 3 | 13 → 3 | 1 | 3 (the one way to share three cells between the runs)
    assert list(r["tables"]["active"]["normative_documents"].values()) == [3, 1, 3]
    r = parse_bytes(text.replace("行政规范性文件5134", "行政规范性文件5（其中修订2件）134").encode("utf-8"),
                    name="crawler.txt").report
    assert list(r["tables"]["active"]["normative_documents"].values()) == [5, None, None]  # 1|34 or 13|4
    assert "split_ambiguous" in r["provenance"]["active.normative_documents.repealed"]["flags"]
