"""Real PDFs read two ways and compared (issue 11).

PDFs made by real producers from real reports (committed, made by
``tests/fixtures/pdf/make_producer_pdfs.py``; the WPS one is the corpus file
as published): every cell as printed, nothing silently wrong, organ / year /
date right, a readable display text every span points into. Then the pieces:
characters never dropped, font sizes from the character matrix, the page
chosen for display, and the comparison of the two readings cell by cell.
"""

from __future__ import annotations

import json
import random
import re
import types

import pytest

import checks
from parsing import parse_bytes
from parsing.model.document import CELL_SEP
from parsing.meta.fields import find_signature_date
from parsing.readers.pdf_compare import GEOMETRY, TEXT, Reading, compare, readability
from parsing.readers.pdf_geometry import Char, _size, text_lines
from parsing.model.schema import FLAG_SPLIT
from tests.conftest import CORPUS, FIXTURES
from tests.synth.pdf_layouts import Style, pdf_report
from tests.synth.render import Options
from tests.synth.tables import random_tables

PDF = FIXTURES / "pdf"

# (pdf, truth, producer)
REAL = [
    (PDF / "hongze-2023-wps-export.pdf", PDF / "hongze-2023-wps-export.json", "WPS"),
    (PDF / "hongze-2023-libreoffice.pdf", PDF / "hongze-2023-libreoffice.json", "LibreOffice"),
    (PDF / "pingtan-2023-chromium.pdf", CORPUS / "pingtan-2023-web-page.json", "Chromium"),
]


def cells(tables: dict):
    for t, rows in tables.items():
        for r, cols in rows.items():
            for c, v in cols.items():
                yield f"{t}.{r}.{c}", v


@pytest.fixture(scope="module", params=REAL, ids=[r[2] for r in REAL])
def real(request):
    pdf, truth, _ = request.param
    parsed = parse_bytes(pdf.read_bytes(), name=pdf.name)
    return parsed, json.loads(truth.read_text("utf-8"))


def test_real_pdfs_read_every_cell_as_printed(real):
    parsed, truth = real
    report = parsed.report
    got = dict(cells(report["tables"]))
    flagged = {p for p, prov in report["provenance"].items() if prov["flags"]}
    flagged |= {c for f in checks.run_checks(report, parsed.text) for c in f.get("cells") or []}
    skip = set(truth.get("skip") or [])
    wrong = {p: (want, got.get(p)) for p, want in cells(truth["tables"]) if p not in skip and str(got.get(p)) != str(want)}
    silent = {p: v for p, v in wrong.items() if v[1] is not None and p not in flagged}
    assert not silent, silent
    assert not wrong, wrong
    # Both readings found every table and agree on it.
    assert report["readings"] == {"active": "both", "requests": "both", "reviews": "both"}


def test_real_pdfs_keep_repeated_digits(real):
    parsed, truth = real
    active = parsed.report["tables"]["active"]
    assert active["licensing"]["decisions"] == truth["tables"]["active"]["licensing"]["decisions"]
    assert active["fees"]["amount"] == truth["tables"]["active"]["fees"]["amount"]


def test_real_pdfs_metadata_from_the_pages(real):
    parsed, truth = real
    meta = parsed.report["meta"]
    assert meta["organ"] and truth["meta"]["organ"].startswith(meta["organ"])
    assert meta["year"] == truth["meta"]["year"]
    if "published" in truth["meta"]:
        assert meta["published"] == truth["meta"]["published"]


def test_real_pdfs_display_text_is_readable_and_spans_point_into_it(real):
    parsed, _ = real
    text = parsed.text
    assert "一、总体情况" in text and "四、政府信息公开行政复议、行政诉讼情况" in text
    for number, offset in parsed.pages:
        assert text[offset:].startswith(f"=== 第 {number} 页 ===")
    for path, prov in parsed.report["provenance"].items():
        if prov.get("span") and prov.get("raw"):
            start, end = prov["span"]
            assert text[start:end] == prov["raw"], path
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", text, re.M)  # page footers are not text


def test_wps_export_is_read_as_the_reader_sees_it():
    parsed = parse_bytes((PDF / "hongze-2023-wps-export.pdf").read_bytes(), name="hongze.pdf")
    lines = parsed.text.splitlines()
    # The title lines, the repeated digits, the row that was shown with another row's value.
    assert "洪泽区人民政府" in lines and "2023年政府信息公开工作年度报告" in lines
    assert "行政许可 | 550" in lines and "行政事业性收费 | 7730.28" in lines
    assert "行政处罚 | 4119" in lines and "行政强制 | 195" in lines
    # The table cut by the page break: its last row on page 3 is still a row.
    assert "2.没有现成信息需要另行制作 | 3 | 0 | 0 | 0 | 0 | 0 | 3" in lines
    # Nothing flagged but the (六) rows the 2021-format single row leaves open.
    doubted = [p for p, prov in parsed.report["provenance"].items() if prov["flags"] and not p.startswith("requests.other_")]
    assert doubted == []


def test_libreoffice_generic_properties_give_way_to_the_printed_title():
    parsed = parse_bytes((PDF / "hongze-2023-libreoffice.pdf").read_bytes(), name="x.pdf")
    meta = parsed.report["meta"]
    assert meta["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert (meta["organ"], meta["year"], meta["published"]) == ("洪泽区人民政府", 2023, "2024-02-26")


# --- characters ------------------------------------------------------------------------------------


def chars(text: str, x: float, baseline: float, size: float = 10.0, step: float | None = None) -> list[Char]:
    step = step or size / 2
    return [Char(ch, x + i * step, x + (i + 1) * step, baseline - 0.85 * size, baseline + 0.15 * size, size) for i, ch in enumerate(text)]


@pytest.mark.parametrize("number", ["550", "2776", "1000", "11", "7730.28"])
def test_repeated_digits_side_by_side_are_all_kept(number):
    assert [ln.text for ln in text_lines(chars(number, 100, 200))] == [number]


def test_a_glyph_drawn_over_itself_is_one_character():
    bold = chars("550", 100, 200) + chars("550", 100.4, 200)  # fake bold: each glyph again, 0.4 pt to the right
    assert [ln.text for ln in text_lines(bold)] == ["550"]


def test_font_size_from_the_character_matrix():
    scaled = types.SimpleNamespace(a=0.05, b=0.0, c=0.0, d=0.05)
    plain = types.SimpleNamespace(a=1.0, b=0.0, c=0.0, d=1.0)
    assert _size(319.0, scaled, 17.9) == pytest.approx(15.95)  # WPS: size 319 in text space
    assert _size(10.5, plain, 9.6) == 10.5
    assert _size(0.0, plain, 11.0) == pytest.approx(10.0)  # no size: the box
    unit = types.SimpleNamespace(a=12.0, b=0.0, c=0.0, d=12.0)
    assert _size(1.0, unit, 13.2) == 12.0  # "1 Tf" with the size in the text matrix


# --- the display text ------------------------------------------------------------------------------


def test_readability_tells_words_from_interleaved_lines():
    good = "洪泽区人民政府2023年政府信息公开工作年度报告。本报告由政府办公室编制，依申请公开情况如下。"
    scrambled = "国要政求府本编信报制2息告此02公由报3开淮告年条安。政例市报》洪告府（泽中泽信国区所区息令"
    assert readability(good) > 0.3 > readability(scrambled)


def _wps_pdf(seed: int = 3) -> tuple[bytes, dict]:
    rng = random.Random(seed)
    tables = random_tables(rng)
    return pdf_report(tables, rng, Options(), Style(glyphs=True)), tables


def test_glyphs_written_out_of_reading_order_display_the_geometry_reading():
    data, tables = _wps_pdf()
    parsed = parse_bytes(data, name="wps.pdf")
    # The text reading, scrambled, cannot find the big tables; the geometry reading reads them.
    assert parsed.report["readings"]["requests"] == "geometry" and parsed.report["readings"]["reviews"] == "geometry"
    assert re.search(r"^\d{4}年政府信息公开工作年度报告$", parsed.text, re.M)
    assert "一、总体情况" in parsed.text
    got = dict(cells(parsed.report["tables"]))
    assert {p: v for p, v in cells(tables) if got.get(p) != v} == {}


def test_a_table_over_a_page_break_with_footers_reads_whole():
    rng = random.Random(5)
    tables = random_tables(rng, big=True)
    data = pdf_report(tables, rng, Options(), Style(width=842.0, height=595.0, repeat_header=False))
    parsed = parse_bytes(data, name="landscape.pdf")
    assert len(parsed.pages) >= 3
    got = dict(cells(parsed.report["tables"]))
    assert {p: v for p, v in cells(tables) if got.get(p) != v} == {}
    assert not re.search(r"^- \d+ -$", parsed.text, re.M)


# --- comparing the readings ------------------------------------------------------------------------

_REQUESTS_HEAD = "三、收到和处理政府信息公开申请情况\n申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计\n"


def _report(granted: str, total: str = "5", reviews: bool = True) -> str:
    rows = [
        ("一、本年新收政府信息公开申请数量", "5 | 0 | 0 | 0 | 0 | 0 | 5"),
        ("二、上年结转政府信息公开申请数量", "0 | 0 | 0 | 0 | 0 | 0 | 0"),
        ("（一）予以公开", granted),
        ("（七）总计", f"{total} | 0 | 0 | 0 | 0 | 0 | {total}"),
        ("四、结转下年度继续办理", "0 | 0 | 0 | 0 | 0 | 0 | 0"),
    ]
    body = "".join(f"{label} | {vals}\n" for label, vals in rows)
    tail = "四、政府信息公开行政复议、行政诉讼情况\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n" + " | ".join(["1", "0", "0", "0", "1"] + ["0"] * 10) + "\n" if reviews else ""
    return "=== 第 1 页 ===\n二、主动公开政府信息情况\n" + _REQUESTS_HEAD + body + tail


def _readings(geometry: str, ordered: str) -> list[Reading]:
    return [Reading(GEOMETRY, geometry, [(1, 0)]), Reading(TEXT, ordered, [(1, 0)])]


def test_readings_that_agree_give_plain_cells():
    text = _report("5 | 0 | 0 | 0 | 0 | 0 | 5")
    asm, display = compare(_readings(text, text), "2021")
    assert asm.tables["requests"]["granted"]["total"] == 5
    assert asm.provenance["requests.granted.total"]["flags"] == []
    assert asm.readings["requests"] == "both"


def test_disagreement_keeps_the_value_a_balance_rule_confirms_and_flags_it():
    right = _report("5 | 0 | 0 | 0 | 0 | 0 | 5")
    wrong = _report("50 | 0 | 0 | 0 | 0 | 0 | 5")  # a digit doubled by one reading
    for geometry, ordered, other in ((wrong, right, "版面读法"), (right, wrong, "文字顺序读法")):
        asm, display = compare(_readings(geometry, ordered), "2021")
        prov = asm.provenance["requests.granted.natural_person"]
        assert asm.tables["requests"]["granted"]["natural_person"] == 5
        assert FLAG_SPLIT in prov["flags"]
        assert prov["note"] == f"{other}读作 50"
        start, end = prov["span"]
        assert display.text[start:end] == "5"  # the page shown is the one whose value was kept
        assert any("不一致" in w for w in asm.warnings)


def test_a_table_only_one_reading_finds_comes_from_that_reading():
    asm, _ = compare(_readings(_report("5 | 0 | 0 | 0 | 0 | 0 | 5"), _report("5 | 0 | 0 | 0 | 0 | 0 | 5", reviews=False)), "2021")
    assert asm.readings == {"active": None, "requests": "both", "reviews": "geometry"}
    assert asm.tables["reviews"]["review"]["upheld"] == 1
    assert asm.provenance["reviews.review.upheld"]["flags"] == []


def test_a_value_only_one_reading_saw_is_flagged_unless_a_balance_rule_confirms_it():
    full = _report("5 | 0 | 0 | 0 | 0 | 0 | 5")
    blank = _report(" |  |  |  |  |  | ")
    asm, _ = compare(_readings(blank, full), "2021")
    prov = asm.provenance["requests.granted.total"]
    assert asm.tables["requests"]["granted"]["total"] == 5 and prov["note"] == "版面读法未读到此格"
    assert FLAG_SPLIT not in prov["flags"]  # 5 = 5 + 0 + … and the column sums confirm it
    odd = _report("4 | 0 | 0 | 0 | 0 | 0 | 5")  # no rule confirms the 4: 4 + 0 + … ≠ 5
    asm, _ = compare(_readings(blank, odd), "2021")
    assert asm.tables["requests"]["granted"]["natural_person"] == 4
    assert FLAG_SPLIT in asm.provenance["requests.granted.natural_person"]["flags"]


# --- metadata --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail, date",
    [
        ("某某县人民政府\n2024年1月20日\n", "2024-01-20"),
        ("某某县人民政府\n二〇二四年一月二十日\n=== 第 5 页 ===\n- 5 -\n", "2024-01-20"),
        ("某某县人民政府\n2024 年 12 月 3 日", "2024-12-03"),
        ("数据统计期限自2023年1月1日起至2023年12月31日止。\n", None),
        ("2024年1月20日，我县召开会议。\n" + "正文\n" * 8, None),
    ],
)
def test_signature_date_at_the_end(tail, date):
    assert find_signature_date("正文\n" + tail) == date


def test_cell_separator_only_in_geometry_rows():
    parsed = parse_bytes((PDF / "hongze-2023-wps-export.pdf").read_bytes(), name="h.pdf")
    prose = [ln for ln in parsed.text.splitlines() if "。" in ln]
    assert prose and not [ln for ln in prose if CELL_SEP in ln]


def test_a_page_turned_by_rotate_is_read_upright_by_both_readings():
    rng = random.Random(8)
    tables = random_tables(rng)
    data = pdf_report(tables, rng, Options(), Style(width=842.0, height=595.0, rotate=True))
    parsed = parse_bytes(data, name="rotated.pdf")
    assert parsed.report["readings"] == {"active": "both", "requests": "both", "reviews": "both"}
    assert "行政许可 | " in parsed.text  # the geometry reading's rows, upright
    got = dict(cells(parsed.report["tables"]))
    assert {p: v for p, v in cells(tables) if got.get(p) != v} == {}


def test_a_printed_web_page_keeps_its_header_date():
    from parsing.meta.fields import find_published

    assert find_published("某某区2023年度报告\n来源：某某区管委会办公室时间：2024-03-08 15:34\n正文") == "2024-03-08"
    assert find_published("来源：新华社\n正文提到时间：2024-03-08") is None  # not the header line
    parsed = parse_bytes((PDF / "pingtan-2023-chromium.pdf").read_bytes(), name="p.pdf")
    assert parsed.report["meta"]["published"] == "2024-03-08"
    assert parsed.report["meta"]["title"] == "平潭综合实验区2023年度政府信息公开工作年度报告"  # the site's name cut off


def test_fragments_of_a_table_only_raise_doubts_where_they_differ():
    full = _report("5 | 0 | 0 | 0 | 0 | 0 | 5")
    # The text reading catches a single row of the table (lines out of order), one cell read differently.
    fragments = "=== 第 1 页 ===\n" + _REQUESTS_HEAD + "（一）予以公开 | 3 | 0 | 0 | 0 | 0 | 0 | 5\n"
    asm, _ = compare(_readings(full, fragments), "2021")
    assert asm.readings["requests"] == "geometry"
    prov = asm.provenance["requests.granted.natural_person"]
    assert asm.tables["requests"]["granted"]["natural_person"] == 5  # the balance rules confirm 5, not 3
    assert FLAG_SPLIT in prov["flags"] and prov["note"] == "文字顺序读法读作 3"
    quiet = [p for p, e in asm.provenance.items() if p.startswith("requests.") and "note" in e and p != "requests.granted.natural_person"]
    assert quiet == []  # the cells the fragments do not have are not doubted for it
