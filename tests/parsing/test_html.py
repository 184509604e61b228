"""Reading government web pages: the article only, tables one row per line
with visible cell separators, and the page's metadata hints."""

from __future__ import annotations

import pytest

from parsing.api import read_document
from parsing.readers.decode import decode_text
from parsing.model.document import CELL_SEP
from parsing.model.errors import ParseError
from parsing.readers.html import read_html
from tests.conftest import CORPUS, FIXTURES

HTML = FIXTURES / "html"
PINGTAN_BYTES = (CORPUS / "pingtan-2023-web-page.html").read_bytes()


@pytest.fixture(scope="module")
def pingtan():
    return read_html(decode_text(PINGTAN_BYTES))


@pytest.fixture(scope="module")
def spans():
    return read_html((HTML / "layout-spans.html").read_text(encoding="utf-8"))


def _lines(doc) -> list[str]:
    return doc.text.split("\n")


# --- the real pingtan page -------------------------------------------------------------


def test_pingtan_document_kind(pingtan):
    assert pingtan.kind == "html" and pingtan.structured_tables


@pytest.mark.parametrize(
    "row",
    [
        "规章 | 0 | 0 | 0",
        "行政规范性文件 | 77 | 132 | 470",
        "行政许可 | 2629",
        "行政事业性收费 | 5949.088667",
        "一、本年新收政府信息公开申请数量 | 80 | 1 | 0 | 0 | 0 | 0 | 81",
        "三、本年度办理结果 | （一）予以公开 | 22 | 0 | 0 | 0 | 0 | 0 | 22",
        "（四）无法提供 | 1.本机关不掌握相关政府信息 | 31 | 0 | 0 | 0 | 0 | 0 | 31",
        "2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "（七）总计 | 80 | 1 | 0 | 0 | 0 | 0 | 81",
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "1 | 1 | 0 | 0 | 2 | 4 | 0 | 0 | 1 | 5 | 1 | 0 | 1 | 0 | 2",
    ],
)
def test_pingtan_table_rows_are_lines(pingtan, row):
    assert row in _lines(pingtan)


def test_pingtan_headings_and_prose_are_own_lines(pingtan):
    lines = _lines(pingtan)
    for heading in ("一、总体情况", "（一）主动公开方面", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in lines
    assert "2023年，无收取信息处理费情况。" in lines


def test_pingtan_tables_have_blank_lines_around(pingtan):
    lines = _lines(pingtan)
    first = lines.index("第二十条第（一）项")
    assert lines[first - 1] == "" and lines[first - 2] == "二、主动公开政府信息情况"
    last = lines.index("四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0")
    assert lines[last + 1] == "" and lines[last + 2] == "四、政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize(
    "chrome",
    ["闽政通APP", "无障碍浏览", "友情链接", "福州市政府网站", "版权所有", "网站标识码", "扫一扫在手机上查看当前页面",
     "历史搜索", "当前位置", "function", "var ", "{", "}"],
)
def test_pingtan_navigation_scripts_and_footer_left_out(pingtan, chrome):
    assert chrome not in pingtan.text


def test_pingtan_title_on_top_and_hints(pingtan):
    assert _lines(pingtan)[0] == "平潭综合实验区2023年度政府信息公开工作年度报告"
    assert pingtan.hints == {
        "title": "平潭综合实验区2023年度政府信息公开工作年度报告",
        "organ": "平潭综合实验区管委会办公室",
        "published": "2024-03-08",
    }


def test_pingtan_read_through_the_parser_entry_point():
    doc = read_document(PINGTAN_BYTES)
    assert doc.kind == "html" and "行政规范性文件 | 77 | 132 | 470" in doc.text


# --- spans, empty cells, stray spaces, page chrome ------------------------------------------


def test_rowspan_and_colspan_rows(spans):
    lines = _lines(spans)
    expected = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
        "自然人 | 法人或其他组织 | 总计",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他",
        "一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6",
        "三、本年度办理结果 | （一）予以公开 | 4 | 1 | 0 | 0 | 0 | 0 | 5",
    ]
    start = lines.index(expected[0])
    assert lines[start : start + len(expected)] == expected


def test_nbsp_and_blank_cells_stay_visible_and_empty(spans):
    lines = _lines(spans)
    assert "规章 | 0 |  | 0" in lines
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 |  |  | 0 | 0 | 0 | 1" in lines
    assert "行政许可" + CELL_SEP in lines


def test_cells_wrapped_in_p_span_br_are_one_cell(spans):
    assert "行政规范性文件 | 3 | 1 | 12" in _lines(spans)


def test_inline_spans_inside_a_number_are_not_split(spans):
    assert "2022年，我镇主动公开政府信息123条。" in _lines(spans)


def test_stray_spaces_inside_cjk_labels_are_joined(spans):
    assert "社会公益组织" in spans.text and "社会公 益组织" not in spans.text
    assert "三、本年度办理结果" in spans.text and "办 理" not in spans.text


def test_br_breaks_prose_lines_and_indentation_is_dropped(spans):
    lines = _lines(spans)
    assert "一是公开内容不够全面。" in lines and "二是解读形式较为单一。" in lines
    assert "根据《中华人民共和国政府信息公开条例》的规定，编制本报告。" in lines


@pytest.mark.parametrize(
    "chrome", ["设为首页", "栏目导航", "政府信息公开指南", "当前位置", "分享到微信", "相关链接", "主办单位", "备案号", "脚本", "color:red"]
)
def test_layout_table_sidebar_share_bar_and_footer_left_out(spans, chrome):
    assert chrome not in spans.text


def test_hints_from_page_lines_and_title_tag(spans):
    assert spans.hints == {
        "title": "某某镇人民政府2022年政府信息公开工作年度报告",
        "organ": "某某镇人民政府办公室",
        "published": "2023-01-20",
    }
    assert _lines(spans)[0] == "某某镇人民政府2022年政府信息公开工作年度报告"


def test_title_tag_minus_site_name_when_nothing_else():
    doc = read_html("<html><head><title>2021年度报告_某某街道办事处</title></head><body><p>正文一段。</p></body></html>")
    assert doc.hints["title"] == "2021年度报告"


# --- encodings of whole pages -------------------------------------------------------------


def test_gbk_page_without_declaration_reads_the_same():
    page = PINGTAN_BYTES.decode("utf-8").replace('charset="utf-8"', "")
    data = page.encode("gb18030")
    assert read_document(data).text == read_html(page).text


def test_utf8_page_declaring_gb2312():
    page = '<html><head><meta charset="gb2312"></head><body><table><tr><td>社会公益组织</td><td>3</td></tr></table></body></html>'
    assert "社会公益组织 | 3" in read_document(page.encode("utf-8")).text


def test_utf16_page_with_bom():
    page = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>"
    doc = read_document(page.encode("utf-16"))
    assert doc.kind == "html" and "规章 | 0" in doc.text.split("\n")


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<html><body></body></html>",
        "<html><head><title></title><script>var a = 1;</script></head><body>  &nbsp; </body></html>",
        "   ",
        "<!-- only a comment -->",
    ],
)
def test_page_without_text_is_an_empty_parse_error(page):
    with pytest.raises(ParseError) as err:
        read_html(page)
    assert err.value.kind == "empty"


@pytest.mark.parametrize(
    "page",
    [
        "<table><tr><td>规章<td>0</tr><tr><td colspan=x rowspan=-1>行政许可<td>5",
        "<?xml version='1.0' encoding='gbk'?><html><body><p>报告\x00正文</p></body></html>",
        "<p><div><table><p>一<td>二</table></div>三</p></span></td>",
        "<div>" * 3000 + "深层嵌套的正文" + "</div>" * 3000,
        "<html><frameset><frame src='a.html'></frameset></html><p>说明</p>",
    ],
)
def test_malformed_pages_give_text_or_parse_error(page):
    try:
        doc = read_html(page)
    except ParseError:
        return
    assert doc.text.strip()


def test_nested_layout_tables_do_not_become_rows():
    page = (
        "<table><tr><td><table><tr><td><p>一、总体情况</p><p>本年度工作正常开展，各项任务完成。</p>"
        "<table border=1><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>"
        "</td></tr></table></td></tr></table>"
    )
    lines = read_html(page).text.split("\n")
    assert "一、总体情况" in lines and "规章 | 0 | 0 | 0" in lines


def test_pipe_inside_a_cell_cannot_fake_a_separator():
    doc = read_html("<table><tr><td>甲|乙</td><td>1</td></tr></table>")
    assert "甲｜乙 | 1" in doc.text.split("\n")


# --- end to end: the whole parser on web pages ---------------------------------------------------

GOLDEN_PAGES = [
    (CORPUS / "pingtan-2023-web-page.html", CORPUS / "pingtan-2023-web-page.json"),
    (HTML / "luding-2024-gov-page.html", FIXTURES / "golden" / "2024-luding-county.json"),
]


@pytest.mark.parametrize("page, expected", GOLDEN_PAGES, ids=lambda p: p.name)
def test_web_page_extracts_every_cell_unflagged_with_spans_into_the_text(page, expected):
    import json

    from parsing.api import parse_bytes

    parsed = parse_bytes(page.read_bytes(), name=str(page))
    want = json.loads(expected.read_text(encoding="utf-8"))["tables"]
    got, prov = parsed.report["tables"], parsed.report["provenance"]
    for table, rows in want.items():
        for row, cols in rows.items():
            for col, value in cols.items():
                path = f"{table}.{row}.{col}"
                assert got[table][row][col] == value, path
                start, end = prov[path]["span"]
                assert parsed.text[start:end] == prov[path]["raw"], path
                assert not prov[path]["flags"], path
    assert parsed.report["source"]["format"] == "html"


def test_generated_page_is_in_step_with_its_generator():
    from tests.fixtures.html.make_gov_page import OUT, build

    assert OUT.read_text(encoding="utf-8") == build()


# --- property: any text, any cut of a real page: a Document or a ParseError --------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PAGE_TEXT = PINGTAN_BYTES.decode("utf-8")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &;!-?abdehilmprtx|表格一0１\x00\n")), max_size=300))
def test_random_markup_never_raises_anything_but_parse_error(page):
    try:
        doc = read_html(page)
    except ParseError:
        return
    assert doc.kind == "html" and doc.text.strip()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(_PAGE_TEXT)), st.integers(min_value=0, max_value=len(_PAGE_TEXT)))
def test_any_slice_of_the_real_page_never_raises_anything_but_parse_error(a, b):
    try:
        read_html(_PAGE_TEXT[min(a, b) : max(a, b)])
    except ParseError:
        pass


def test_publication_date_prefers_a_labelled_publication_line():
    page = (
        "<html><body><div>统计时间：2023年1月1日</div><div>发布时间：2024-01-15 10:00</div>"
        "<div id=zoom><p>一、总体情况</p><p>本年度政府信息公开工作情况如下。</p></div></body></html>"
    )
    assert read_html(page).hints["published"] == "2024-01-15"


def test_article_printed_twice_on_the_page_is_read_once():
    article = (
        "<p>一、总体情况</p><p>本年度主动公开政府信息一百二十条，依申请公开十件。</p>"
        "<table><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        "<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>12</td></tr></table>"
    )
    page = (
        f"<html><body><div class=nav><a href=/>首页</a></div><div class=wrap>"
        f"<div id=print style='display: none'>{article}</div><div id=zoom>{article}</div>"
        f"</div></body></html>"
    )
    lines = read_html(page).text.split("\n")
    assert lines.count("行政规范性文件 | 3 | 1 | 12") == 1
    assert lines.count("一、总体情况") == 1


@pytest.mark.parametrize("pubdate", ["2024-03-08 15:34", "2024年3月8日", "2024/03/08", "20240308"])
def test_pubdate_meta_forms_are_normalised(pubdate):
    page = f"<html><head><meta name='PubDate' content='{pubdate}'></head><body><p>正文一段文字。</p></body></html>"
    assert read_html(page).hints["published"] == "2024-03-08"


def test_zero_width_characters_do_not_split_labels_or_numbers():
    doc = read_html("<table><tr><td>社会\u200b公益组织</td><td>1\u200b2</td></tr></table>")
    assert "社会公益组织 | 12" in doc.text.split("\n")


def test_unnamed_link_lists_next_to_an_unwrapped_article_are_left_out():
    page = (
        "<html><body><ul><li><a href=/>首页</a></li><li><a href=/a>机构概况</a></li><li><a href=/b>政务公开</a></li></ul>"
        "<p>一、总体情况</p><p>本年度，本机关认真贯彻落实《条例》，主动公开政府信息一百二十条。</p>"
        "<table border=1><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>"
        "<p>附件：<a href=/f.pdf>年度报告.pdf</a></p>"
        "<div><a href=/x>网站地图</a> | <a href=/y>联系我们</a> | <a href=/z>关于本站</a></div></body></html>"
    )
    text = read_html(page).text
    assert "规章 | 0 | 0 | 0" in text and "附件：年度报告.pdf" in text
    for chrome in ("首页", "机构概况", "网站地图", "联系我们"):
        assert chrome not in text


def test_table_in_a_wrapper_with_a_chrome_like_class_is_kept():
    page = (
        "<div id=zoom><p>一、总体情况</p><p>本年度主动公开政府信息一百二十条，依申请公开十件，行政复议零件。</p>"
        "<p>二、主动公开政府信息情况</p><div class='table-header-print'><table><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table></div>"
        "<div class=share><a href=#>微信</a><a href=#>微博</a></div></div>"
    )
    text = read_html(page).text
    assert "规章 | 0 | 0 | 0" in text.split("\n") and "微信" not in text
