"""Is it an annual report at all? Real reports must pass; the other classes are
named in one Chinese line."""

from __future__ import annotations

import json
import re

import pytest

from parsing import parse_file
from parsing.meta import metadata as meta
from parsing.model.document import Document
from parsing.model.errors import NotAReportError, ParseError
from tests.conftest import CORPUS, FIXTURES, SAMPLE_NAMES, golden, sample_path

META = FIXTURES / "meta"


def _values(tables: dict) -> int:
    return sum(v is not None for rows in tables.values() for cols in rows.values() for v in cols.values())


def _classify(text: str, values_found: int, **hints) -> None:
    meta.classify(Document(text=text, hints=hints), meta.detect_format(text), values_found)


def _not_a_report(text: str, values_found: int = 0, **hints) -> NotAReportError:
    with pytest.raises(NotAReportError) as info:
        _classify(text, values_found, **hints)
    err = info.value
    assert err.kind == "not_a_report" and "\n" not in str(err) and str(err).startswith("这不是年度报告")
    return err


# --- real reports pass -------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_is_a_report(name):
    text = sample_path(name).read_text(encoding="utf-8")
    _classify(text, _values(golden(name)["tables"]))
    _classify(text, 0)  # even if no cell could be read: it has an organ and a year


@pytest.mark.parametrize(
    "stem", ["pingtan-2023-crawler-glued", "jiarongli-2021-web-excerpt-truncated"]
)
def test_corpus_reports_are_reports(stem):
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    want = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))
    _classify(text, _values(want["tables"]))


@pytest.mark.parametrize(
    "path", [CORPUS / "pingtan-2018-pre2019-format.txt", META / "format-pre2019-excerpt.txt"], ids=lambda p: p.name
)
def test_a_pre2019_report_is_a_report(path):
    _classify(path.read_text(encoding="utf-8"), 0)


def test_2019_format_report_is_a_report():
    _classify((META / "format-2019-excerpt.txt").read_text(encoding="utf-8"), 40)


def test_report_cut_off_before_its_tables_is_a_report():
    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    _classify(text[:800], 0)


def test_real_report_with_every_cell_blank_is_a_report():
    text = re.sub(r"\d+(?= *\|)", "", sample_path("2024-luding-county").read_text(encoding="utf-8"))
    _classify(text, 0)


def test_report_page_linking_to_its_interpretation_is_a_report():
    text = sample_path("2024-linzi-jixia-street").read_text(encoding="utf-8")
    text = "相关解读：临淄区人民政府稷下街道办事处2024年政府信息公开工作年度报告解读\n" + text
    _classify(text, _values(golden("2024-linzi-jixia-street")["tables"]))


# --- not reports -------------------------------------------------------------


@pytest.mark.parametrize(
    "menu", ["首页 | 政策解读 | 政府信息公开年度报告 | 互动交流", "当前位置：首页 > 政策解读 > 年度报告"]
)
def test_a_menu_naming_interpretations_and_reports_is_not_a_title(menu):
    text = (CORPUS / "jiarongli-2021-web-excerpt-truncated.txt").read_text(encoding="utf-8")
    _classify(f"{menu}\n{text}", 3)


def test_a_stray_placeholder_deep_in_a_real_report_is_not_a_template():
    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    _classify(text + "\n附件：XX表（略）", 0)


def test_interpretation_page():
    err = _not_a_report((CORPUS / "licheng-2023-interpretation-not-a-report.txt").read_text(encoding="utf-8"))
    assert err.seems == "年度报告解读"
    assert "解读" in str(err) and "历城区市场监督管理局" in str(err)


def test_interpretation_named_only_in_the_title_hint():
    text = "一、编制背景\n根据政府信息公开条例要求编制年度报告。\n二、主要内容\n本年度报告包括总体情况等六部分。"
    err = _not_a_report(text, title="图解：某某区2023年政府信息公开工作年度报告")
    assert err.seems == "年度报告解读"


def test_blank_official_template():
    err = _not_a_report((META / "blank-template-2021.txt").read_text(encoding="utf-8"))
    assert err.seems == "空白模板"


def test_blank_template_with_placeholders_for_organ_and_year():
    text = (META / "blank-template-2021.txt").read_text(encoding="utf-8")
    text = text.replace("政府信息公开工作年度报告格式模板", "XX县XX局20XX年政府信息公开工作年度报告").replace("（文字描述）", "")
    err = _not_a_report(text)
    assert err.seems == "空白模板" and "XX" in str(err)


def test_blank_tables_without_any_organ_or_year():
    text = (META / "blank-template-2021.txt").read_text(encoding="utf-8")
    text = re.sub(r"（文字描述[^）]*）", "略", text.replace("政府信息公开工作年度报告格式模板", "政府信息公开工作年度报告"))
    err = _not_a_report(text)
    assert err.seems == "空白模板" and "没有机关名称和年度" in str(err)


def test_a_filled_in_template_is_a_report():
    _classify((META / "blank-template-2021.txt").read_text(encoding="utf-8"), 120)


def test_comparison_of_two_years():
    err = _not_a_report((META / "comparison-two-years.txt").read_text(encoding="utf-8"), 4)
    assert err.seems == "两个年度的对比"


@pytest.mark.parametrize(
    "title", ["某某区2022-2023年政府信息公开工作年度报告数据比较", "某某区近两年政府信息公开年度报告对比分析"]
)
def test_comparison_titles(title):
    assert _not_a_report(f"{title}\n本年新收政府信息公开申请数量 | 3 | 5", 2).seems == "两个年度的对比"


def test_a_report_comparing_with_last_year_in_its_text_is_a_report():
    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    _classify("2024年与2023年相比，公开数量增加。\n" + text, 0)


@pytest.mark.parametrize(
    "text",
    [(META / "unrelated-notice.txt").read_text(encoding="utf-8"), "今天天气很好。", "lorem ipsum 12345"],
    ids=["notice", "sentence", "latin"],
)
def test_unrelated_document(text):
    assert _not_a_report(text).seems == "与政府信息公开无关的文档"


# --- through the parser ------------------------------------------------------


def test_parse_file_names_the_interpretation_page():
    with pytest.raises(NotAReportError) as info:
        parse_file(CORPUS / "licheng-2023-interpretation-not-a-report.txt")
    assert info.value.seems == "年度报告解读" and info.value.path


def test_parse_file_names_the_blank_word_template():
    with pytest.raises(NotAReportError) as info:
        parse_file(CORPUS / "blank-template-2021-format.docx")
    assert info.value.seems == "空白模板"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_parse_file_never_calls_a_sample_not_a_report(name):
    try:
        parse_file(sample_path(name))
    except NotAReportError as e:  # pragma: no cover - the failure we guard against
        pytest.fail(f"{name}: {e}")
    except ParseError:
        pass  # another helper's reader or assembler may still be in progress


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_sample_cut_anywhere_after_its_opening_is_still_a_report(name):
    text = sample_path(name).read_text(encoding="utf-8")
    for cut in range(300, len(text), 97):
        _classify(text[:cut], 0)
