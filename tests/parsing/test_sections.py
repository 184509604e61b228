"""The six statutory sections, found by their title words whatever the layout."""

from __future__ import annotations

import pytest

from parsing.api import read_document
from parsing.meta.metadata import find_sections
from tests.conftest import CORPUS, FIXTURES, SAMPLE_NAMES, sample_path

ALL_KEYS = ["overview", "active", "requests", "reviews", "problems", "other"]
STATUTORY_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def _sample(name: str) -> str:
    return sample_path(name).read_text(encoding="utf-8")


def _by_key(sections: list[dict]) -> dict:
    return {s["key"]: s for s in sections}


def _assert_well_formed(text: str, sections: list[dict]) -> None:
    """Spans start at their heading, follow each other, and the last runs to the end."""
    for s, nxt in zip(sections, sections[1:] + [None]):
        a, b = s["span"]
        assert text[a:].startswith(s["title"])
        assert b == (nxt["span"][0] if nxt else len(text))
        assert a < b


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_has_its_six_sections_in_order(name):
    text = _sample(name)
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ALL_KEYS
    _assert_well_formed(text, sections)
    found = _by_key(sections)
    for key, title in STATUTORY_TITLES.items():
        assert found[key]["title"] == title


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_crawler_text_with_every_heading_mid_line(name):
    text = _sample(name).replace("\n", "")
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ALL_KEYS
    _assert_well_formed(text, sections)


def test_real_crawler_text():
    text = (CORPUS / "pingtan-2023-crawler-glued.txt").read_text(encoding="utf-8")
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ALL_KEYS
    _assert_well_formed(text, sections)
    # the requests table's row 四、结转下年度继续办理 is not the reviews heading
    reviews = _by_key(sections)["reviews"]
    assert reviews["title"] == "四、政府信息公开行政复议、行政诉讼情况"
    assert "结转下年度" not in text[reviews["span"][0] : reviews["span"][1]]


def test_html_page_display_text():
    doc = read_document((CORPUS / "pingtan-2023-web-page.html").read_bytes())
    assert [s["key"] for s in find_sections(doc.text)] == ALL_KEYS


def test_report_content_wrapper_and_bracketed_overview():
    text = _sample("2024-dongsheng-development-reform")
    found = _by_key(find_sections(text))
    assert found["overview"]["title"] == "(一)总体情况"
    # (二)政府信息主动公开情况 is a subtopic of the overview, not the statutory part
    assert found["active"]["title"] == "二、主动公开政府信息情况"
    assert "(六)监督保障" in text[slice(*found["overview"]["span"])]


def test_narrative_list_of_parts_is_not_a_heading():
    text = _sample("2023-linxi-town-service-centre")  # line 2 lists every part by name
    found = _by_key(find_sections(text))
    assert text.index("三、收到和处理政府信息公开申请情况") == found["requests"]["span"][0]
    assert found["overview"]["span"][0] == text.index("一、总体情况")


def test_overview_subtopics_numbered_like_parts_and_parts_renumbered():
    text = "\n".join(
        [
            "一、总体情况",
            "一、主动公开情况",  # subtopics numbered like the parts
            "二、依申请公开情况",
            "三、政府信息管理情况",
            "六、主动公开政府信息情况",
            "规章 | 0 | 0 | 0",
            "七、收到和处理政府信息公开申请情况",
            "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
            "八、政府信息公开行政复议、行政诉讼情况",
            "九、存在的主要问题及改进情况",
            "十、其他需要报告的事项",
            "无。",
        ]
    )
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ALL_KEYS
    found = _by_key(sections)
    _assert_well_formed(text, sections)
    assert found["active"]["title"] == "六、主动公开政府信息情况"
    assert "二、依申请公开情况" in text[slice(*found["overview"]["span"])]
    assert found["requests"]["title"] == "七、收到和处理政府信息公开申请情况"
    assert found["reviews"]["title"] == "八、政府信息公开行政复议、行政诉讼情况"


def test_top_level_part_preferred_over_bracketed_subtopic():
    text = "一、总体情况\n（一）主动公开政府信息情况\n全年公开120条。\n二、主动公开政府信息情况\n规章 | 0 | 0 | 0\n"
    found = _by_key(find_sections(text))
    assert found["active"]["title"] == "二、主动公开政府信息情况"
    assert "（一）主动公开政府信息情况" in text[slice(*found["overview"]["span"])]


def test_all_bracketed_headings_under_a_wrapper():
    text = "一、报告内容\n（一）总体情况\n略。\n（二）主动公开政府信息情况\n略。\n（三）收到和处理政府信息公开申请情况\n略。"
    assert [s["title"] for s in find_sections(text)] == [
        "（一）总体情况",
        "（二）主动公开政府信息情况",
        "（三）收到和处理政府信息公开申请情况",
    ]


def test_ocr_typo_in_the_closing_word_of_a_top_level_heading():
    text = "一、总体情况\n略\n二、主动公开政府信息倩况\n略\n三、收到和处理政府信息公开申请情祝\n（一）依申请公开政府信息3件"
    found = _by_key(find_sections(text))
    assert found["active"]["title"] == "二、主动公开政府信息"
    assert found["requests"]["title"] == "三、收到和处理政府信息公开申请"


def test_shortened_other_heading_only_at_top_level():
    text = "五、存在的主要问题及改进情况\n（一）其他事项\n略\n六、其他事项\n无。"
    found = _by_key(find_sections(text))
    assert found["other"]["title"] == "六、其他事项"
    assert find_sections("五、存在的主要问题及改进情况\n（一）其他事项\n略")[-1]["key"] == "problems"


def test_a_bracketed_sentence_is_not_a_heading_without_its_closing_word():
    text = "一、总体情况\n（一）主动公开政府信息1234条，其中……\n（二）依申请公开政府信息3件。"
    assert [s["key"] for s in find_sections(text)] == ["overview"]


def test_prose_with_a_numeral_before_a_comma_is_not_a_heading():
    text = "一、总体情况\n我局是全市先进单位之一，主动公开政府信息情况良好。\n二、主动公开政府信息情况\n略"
    assert _by_key(find_sections(text))["active"]["title"] == "二、主动公开政府信息情况"


def test_unnumbered_heading_alone_on_its_line():
    text = "总体情况\n本年度……\n    主动公开政府信息情况 |\n规章 | 0 | 0 | 0"
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ["overview", "active"]
    _assert_well_formed(text, sections)


def test_truncated_report_lists_only_the_sections_present():
    text = (CORPUS / "jiarongli-2021-web-excerpt-truncated.txt").read_text(encoding="utf-8")
    sections = find_sections(text)
    assert [s["key"] for s in sections] == ["overview", "active"]
    assert sections[-1]["span"][1] == len(text)


def test_pre2019_wording():
    text = (FIXTURES / "meta" / "format-pre2019-excerpt.txt").read_text(encoding="utf-8")
    found = _by_key(find_sections(text))
    assert list(found) == ALL_KEYS
    assert found["overview"]["title"] == "一、概述"
    assert found["requests"]["title"] == "三、依申请公开政府信息情况"
    assert found["reviews"]["title"] == "五、因政府信息公开申请行政复议、提起行政诉讼的情况"
    assert found["problems"]["title"] == "六、政府信息公开工作存在的主要问题及改进措施"


def test_interpretation_page_has_no_statutory_headings():
    text = (CORPUS / "licheng-2023-interpretation-not-a-report.txt").read_text(encoding="utf-8")
    assert find_sections(text) == []


def test_a_heading_out_of_statutory_order_is_not_taken():
    text = "二、主动公开政府信息情况\n略\n一、总体情况\n略"
    assert [s["key"] for s in find_sections(text)] == ["overview"]


# --- any text ------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["一、", "（二）", "三、", "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况",
     "存在的主要问题及改进情况", "其他需要报告的事项", "\n", " | ", "。", "问题", "依申请公开", "0", "四、结转下年度继续办理"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_any_text_gives_well_formed_sections(text):
    sections = find_sections(text)
    keys = [s["key"] for s in sections]
    assert keys == [k for k in ALL_KEYS if k in keys]  # statutory order, no repeats
    _assert_well_formed(text, sections)
