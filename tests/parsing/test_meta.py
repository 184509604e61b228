"""Format detection and metadata (title, organ, reporting year, publication date)."""

from __future__ import annotations

import json
import re

import pytest

from parsing.meta import metadata as meta
from parsing.model.document import Document
from tests.conftest import CORPUS, FIXTURES, SAMPLE_NAMES, golden, sample_path

META = FIXTURES / "meta"


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def _meta_of(text: str, **hints) -> dict:
    return meta.extract_meta(Document(text=text, hints=hints), meta.detect_format(text))


# --- format -----------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_is_2021_format(name):
    assert meta.detect_format(_text(sample_path(name))) == "2021"


@pytest.mark.parametrize(
    "path, fmt",
    [
        (CORPUS / "pingtan-2018-pre2019-format.txt", "pre-2019"),
        (CORPUS / "pingtan-2023-crawler-glued.txt", "2021"),
        (CORPUS / "jiarongli-2021-web-excerpt-truncated.txt", "2021"),
        (META / "format-2019-excerpt.txt", "2019"),
        (META / "format-pre2019-excerpt.txt", "pre-2019"),
        (META / "blank-template-2021.txt", "2021"),
    ],
    ids=lambda v: getattr(v, "name", v),
)
def test_format_of_real_and_fixture_documents(path, fmt):
    assert meta.detect_format(_text(path)) == fmt


@pytest.mark.parametrize(
    "snippet, fmt",
    [
        ("信息内容 本 年 制 发 件 数 本年废止件数", "2021"),  # spaces inside the label
        ("第二十条（九）项\n第二十条第(九)项 政府集中采购 采购项目数量", "2019"),  # half-width brackets
        ("第二十条第（九）项 政府集中采购", "2019"),  # full-width brackets
        ("上一年项目数量 | 本年增/减 | 处理决定数量", "2019"),
        ("本年收费金额（单位：万元）", "2021"),
        ("一、概述\n本年度共受理申请3件，同意公开2件。", "pre-2019"),
        ("同意公开 否决公开 信息不存在", "pre-2019"),
        ("同意公开 否决公开（本列数据的勾稽关系为：…）", "unknown"),
        ("某某2018年政府信息公开工作年度报告\n全年主动公开信息20条。", "pre-2019"),
        ("依据国办公开办函〔2021〕30号编制。表格缺失。", "2021"),
        ("某局2020年政府信息公开工作年度报告\n（表格缺失）", "2019"),
        ("某局2022年政府信息公开工作年度报告\n（表格缺失）", "2021"),
        ("关于举办2022年运动会的通知。统计期限为2022年1月1日起。", "unknown"),
        ("今天天气很好。", "unknown"),
        ("", "unknown"),
    ],
)
def test_format_markers_tolerate_spacing_and_brackets(snippet, fmt):
    assert meta.detect_format(snippet) == fmt


def test_a_2021_table_wins_over_a_narrative_mention_of_old_words():
    text = "本年共同意公开3件。\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数"
    assert meta.detect_format(text) == "2021"


# --- metadata: samples and corpus --------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_meta_equals_golden(name):
    got = _meta_of(_text(sample_path(name)))
    want = golden(name)["meta"]
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    "stem, organ, published",
    [
        ("pingtan-2023-crawler-glued", "平潭综合实验区", "2024-03-08"),
        ("jiarongli-2021-web-excerpt-truncated", "佳荣里街", None),
    ],
)
def test_corpus_meta(stem, organ, published):
    want = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))["meta"]
    got = _meta_of(_text(CORPUS / f"{stem}.txt"))
    assert (got["year"], got["format"]) == (want["year"], want["format"])
    assert got["organ"] == organ and want["organ"].startswith(organ)
    assert got["published"] == published
    assert got["title"].endswith("政府信息公开工作年度报告")


def test_pre2019_meta_reads_its_own_header():
    got = _meta_of(_text(CORPUS / "pingtan-2018-pre2019-format.txt"))
    assert got == {
        "title": "平潭综合实验区2018年度政府信息公开工作年度报告",
        "organ": "平潭综合实验区",
        "year": 2018,
        "published": "2019-01-10",
        "format": "pre-2019",
    }


def test_title_from_a_header_table_and_organ_from_the_title_not_the_issuer():
    got = _meta_of(_text(sample_path("2024-linzi-jixia-street")))
    assert got["title"] == "临淄区人民政府稷下街道办事处2024年政府信息公开工作年度报告"
    assert got["organ"] == "临淄区人民政府稷下街道办事处"  # not 发布机构 临淄区稷下街道办事处


# --- metadata: rules ---------------------------------------------------------


def test_title_out_of_a_breadcrumb_line():
    got = _meta_of("首页 > 政务公开 > 某某县水利局2023年政府信息公开工作年度报告\n正文")
    assert got["title"] == "某某县水利局2023年政府信息公开工作年度报告" and got["organ"] == "某某县水利局"


def test_year_is_the_reporting_year_not_the_publication_year():
    text = "某某镇人民政府2023年政府信息公开工作年度报告\n发布日期：2024年1月18日\n统计期限自2023年1月1日起。"
    got = _meta_of(text)
    assert (got["year"], got["published"]) == (2023, "2024-01-18")


def test_year_from_the_statistics_period_when_there_is_no_title():
    got = _meta_of("我局认真落实条例。本报告所列数据统计期限为２０２２年１月１日至２０２２年１２月３１日。")
    assert got["year"] == 2022 and got["title"] is None


def test_no_year_when_the_text_does_not_state_one():
    assert _meta_of("我局认真落实条例，主动公开信息。")["year"] is None


def test_hints_come_first_and_are_normalised():
    got = _meta_of("正文没有标题。统计期限自2024年1月1日起。", title="某某区财政局2024年政府信息公开工作年度报告",
                   organ="某某区财政局办公室", published="2025/1/9 10:00")
    assert got["title"] == "某某区财政局2024年政府信息公开工作年度报告"
    assert got["organ"] == "某某区财政局"  # the title names the organ
    assert got["published"] == "2025-01-09"


def test_a_stored_title_that_is_not_a_report_title_gives_way_to_the_printed_one():
    got = _meta_of("某某区财政局2024年政府信息公开工作年度报告\n统计期限自2024年1月1日起。", title="某某区人民政府门户网站")
    assert got["title"] == "某某区财政局2024年政府信息公开工作年度报告" and got["organ"] == "某某区财政局"


def test_organ_hint_used_when_the_title_has_no_organ():
    got = _meta_of("2024年政府信息公开工作年度报告\n统计期限自2024年1月1日起。", organ="某某县审计局")
    assert got["organ"] == "某某县审计局"


@pytest.mark.parametrize(
    "label", ["发文日期: | 2025-01-20 |", "发布时间：2025-01-20 09:30", "成文日期：2025年1月20日", "发布日期 2025.01.20"]
)
def test_published_date_labels(label):
    assert _meta_of(f"某街道2024年政府信息公开工作年度报告\n{label}\n")["published"] == "2025-01-20"


def test_dates_of_related_articles_below_the_report_are_not_its_date():
    text = "某街道2024年政府信息公开工作年度报告\n" + "正文。" * 3000 + "\n相关文章\n某某通知 发布日期：2023-05-01\n" + "页脚" * 200
    assert _meta_of(text)["published"] is None


def test_a_date_line_right_at_the_end_of_the_article():
    text = "某街道2024年政府信息公开工作年度报告\n" + "正文。" * 3000 + "\n发布时间：2025-01-20"
    assert _meta_of(text)["published"] == "2025-01-20"


def test_an_impossible_date_is_not_a_date():
    assert _meta_of("发布日期：2025-13-40")["published"] is None


def test_a_signature_date_is_not_a_publication_date():
    got = _meta_of(_text(sample_path("2024-dongsheng-development-reform")))
    assert got["published"] is None


def test_organ_after_the_year_in_the_title():
    assert _meta_of("2024年泸州市民政局政府信息公开工作年度报告")["organ"] == "泸州市民政局"


def test_organ_from_the_issuer_field_when_the_title_has_none():
    text = "标题: 2024年政府信息公开工作年度报告\n发布机构: 某某县应急管理局\n"
    assert _meta_of(text)["organ"] == "某某县应急管理局"


def test_we_the_commission_alone_does_not_name_an_organ():
    assert _meta_of("2024年，我委认真执行条例。我局也在其中。")["organ"] is None


def test_organ_inferred_from_a_known_abbreviation():
    text = "2024年，我委认真执行条例，通过“某某区卫健委”公众号发布信息。"
    assert _meta_of(text)["organ"] == "某某区卫生健康委员会"


def test_organ_inferred_from_an_abbreviation_glued_to_a_verb():
    text = "我委通过东胜区发改委网站公开。“东胜区发改委”公众号发布信息。东胜区发改委负责。"
    assert _meta_of(text)["organ"] == "东胜区发展和改革委员会"


def test_county_government_inferred_from_its_own_voice():
    text = "2024年，泸定县深入贯彻落实条例。今年县政府常务会学习条例1次，我县进一步完善制度，推动县政府网站建设。"
    assert _meta_of(text)["organ"] == "泸定县人民政府"


def test_a_county_department_is_not_named_as_the_county_government():
    text = "2024年，我局认真落实条例。泸定县深入推进政务公开，我县县政府高度重视。"
    assert _meta_of(text)["organ"] is None


def test_town_government_inferred_from_its_own_voice():
    text = "2024年，林西镇认真落实条例，镇政府高度重视，我镇公开信息100条。"
    assert _meta_of(text)["organ"] == "林西镇人民政府"


def test_two_counties_named_equally_give_no_organ():
    text = "2024年，甲乙县、丙丁县联合开展工作。我县县政府召开会议。"
    assert _meta_of(text)["organ"] is None


def test_a_notice_title_in_book_marks_is_not_the_title():
    text = "根据《关于做好2021年度政府信息公开工作年度报告编制工作的通知》要求，我街编制本报告。"
    assert _meta_of(text)["title"] is None


def test_meta_on_a_100kb_single_line_is_quick_enough_to_finish():
    # No timing assertion (see benchmarks/bench_meta.py); this only proves no
    # pathological backtracking on one long line without any marker.
    text = "甲" * 100_000
    assert _meta_of(text)["organ"] is None
    assert meta.find_sections(text) == []


@pytest.mark.parametrize(
    "title, organ",
    [
        ("某某市人民政府信息公开工作年度报告（2023年）", "某某市人民政府"),
        ("2023年某某县人民政府信息公开工作年度报告", "某某县人民政府"),
        ("政府信息公开工作年度报告", None),
    ],
)
def test_organ_in_titles_where_政府_could_belong_to_either_side(title, organ):
    assert _meta_of(title)["organ"] == organ


@pytest.mark.parametrize(
    "text, title, organ",
    [
        ("泸定县人民政府\n2024年政府信息公开工作年度报告\n一、总体情况", "泸定县人民政府2024年政府信息公开工作年度报告", "泸定县人民政府"),
        ("某某区财政局2024年政府信息公开工作\n年度报告\n一、总体情况", "某某区财政局2024年政府信息公开工作年度报告", "某某区财政局"),
        ("某某县财政局二〇二三年政府信息公开工作年度报告", "某某县财政局二〇二三年政府信息公开工作年度报告", "某某县财政局"),
    ],
    ids=["organ-line-above", "title-wrapped", "chinese-numeral-year"],
)
def test_pdf_style_titles(text, title, organ):
    got = _meta_of(text)
    assert (got["title"], got["organ"]) == (title, organ)
    assert got["year"] in (2023, 2024)


@pytest.mark.parametrize(
    "text, year",
    [("本报告统计期限为2022年度。", 2022), ("数据统计期限为二〇二一年一月一日至十二月三十一日", 2021)],
)
def test_statistics_period_variants(text, year):
    assert _meta_of(text)["year"] == year


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from parsing.model.schema import FORMATS  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_format_and_well_typed_meta(text):
    fmt = meta.detect_format(text)
    assert fmt in FORMATS
    got = meta.extract_meta(Document(text=text), fmt)
    assert set(got) == {"title", "organ", "year", "published", "format"}
    assert got["year"] is None or 1900 <= got["year"] <= 2099
    assert got["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", got["published"])
