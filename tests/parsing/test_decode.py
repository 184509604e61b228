"""Sniffing what a file is and decoding its text: every encoding real reports
arrive in comes out as the same Chinese characters; bad bytes get a clear error."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsing.readers.decode import decode_text, sniff
from parsing.model.errors import ParseError
from tests.conftest import CORPUS, SAMPLE_NAMES, sample_path

REPORT = sample_path("2024-luding-county").read_text(encoding="utf-8")
PAGE = (CORPUS / "pingtan-2023-web-page.html").read_bytes()


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


# --- sniff ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "doc"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"GIF89a\x01\x00", "image"),
        (b"II*\x00\x08\x00\x00\x00", "image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "image"),
        (b"\x00\x01\x02\x03\xfe\xfa" * 200, "binary"),
        ("BM 公司报告\n".encode(), "text"),
    ],
)
def test_sniff_magic_numbers(data, kind):
    assert sniff(data) == kind


def test_zip_with_word_document_deep_in_the_archive_is_docx():
    # word/document.xml after a large first member: not within the first 4 KB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "x" * 20000)
        zf.writestr("word/document.xml", "<w:document/>")
    assert sniff(buf.getvalue()) == "docx"


def test_other_zip_is_zip_even_if_it_mentions_word():
    assert sniff(_zip("reports/word/readme.txt", "a.txt")) == "zip"


def test_real_web_page_is_html():
    assert sniff(PAGE) == "html"


@pytest.mark.parametrize(
    "start",
    [
        "<!DOCTYPE html>\n<html>",
        "\ufeff  <html lang='zh'>",
        "<?xml version='1.0' encoding='utf-8'?>\n<!-- saved page -->\n<html>",
        "<meta charset=gbk>\n<title>报告</title>",
        "<table border=1><tr><td>规章</td></tr></table>",
        "<div class='TRS_Editor'><p>一、总体情况</p></div>",
    ],
)
def test_markup_at_the_start_is_html(start):
    assert sniff(start.encode("utf-8")) == "html"


def test_text_report_mentioning_table_tag_deep_inside_is_text():
    text = REPORT + "\n附注：网页版表格使用 <table> 标签排版。\n"
    assert sniff(text.encode("utf-8")) == "text"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_are_text(name):
    assert sniff(sample_path(name).read_bytes()) == "text"


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_and_page_are_not_binary(enc):
    assert sniff(REPORT.encode(enc)) == "text"
    assert sniff(PAGE.decode("utf-8").encode(enc)) == "html"


def test_pdftotext_form_feeds_are_still_text():
    assert sniff((REPORT.replace("\n", "\n\x0c", 3)).encode("utf-8")) == "text"


# --- decode_text ------------------------------------------------------------------


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_report_text_survives_every_encoding(enc):
    assert decode_text(REPORT.encode(enc)) == REPORT


def test_gb18030_only_characters_survive():
    text = "𠀀镕䶮 收到申请数 12 件\n"  # outside GBK: four-byte GB18030 forms
    assert decode_text(text.encode("gb18030")) == text


def test_line_endings_normalised():
    assert decode_text("一、总体情况\r\n（一）\r二\n".encode("gbk")) == "一、总体情况\n（一）\n二\n"


def test_gbk_page_without_declaration():
    html = "<html><body><p>平潭综合实验区2023年度政府信息公开工作年度报告</p></body></html>"
    assert decode_text(html.encode("gbk")) == html


def test_utf8_page_declaring_gb2312_is_read_as_utf8():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>社会公益组织</body></html>'
    assert decode_text(html.encode("utf-8")) == html


def test_gbk_page_declaring_utf8_is_read_as_gbk():
    html = '<html><head><meta charset="utf-8"></head><body>行政规范性文件 77 132 470</body></html>'
    assert decode_text(html.encode("gbk")) == html


def test_declared_big5_is_honoured():
    html = '<meta charset="big5"><p>政府資訊公開年度報告</p>'
    assert decode_text(html.encode("big5")) == html


def test_truncated_inside_a_character_loses_only_that_character():
    data = REPORT.encode("utf-8")
    for cut in range(1, 40):
        text = decode_text(data[:-cut])
        assert REPORT.startswith(text) and len(REPORT) - len(text) <= cut


def test_few_damaged_bytes_in_a_utf8_file_are_marked_not_misread():
    data = REPORT.encode("utf-8")
    mid = len(data) // 2
    text = decode_text(data[:mid] + b"\xff" + data[mid:])
    assert text.count("\ufffd") == 1
    assert "泸定县" in text  # not mojibake


def test_undecodable_bytes_raise_a_clear_parse_error():
    data = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(ParseError) as err:
        decode_text(data)
    assert err.value.kind == "undecodable"
    assert "编码" in str(err.value) and "\n" not in str(err.value)


# --- property: any bytes ----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KINDS = {"pdf", "docx", "doc", "zip", "html", "text", "image", "binary"}
_BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_BOMS), st.binary(max_size=600))
def test_any_bytes_sniff_to_a_kind_and_decode_or_raise_parse_error(bom, data):
    data = bom + data
    assert sniff(data) in KINDS
    try:
        text = decode_text(data)
    except ParseError as e:
        assert e.kind == "undecodable"
        return
    assert "\r" not in text


@pytest.mark.parametrize("enc", ["utf-8", "gb18030", "utf-16"])
def test_every_prefix_of_an_encoded_report_decodes_to_itself(enc):
    for cut in range(0, len(REPORT), 7):
        assert decode_text(REPORT[:cut].encode(enc)) == REPORT[:cut], cut


def test_page_after_a_line_of_crawler_junk_is_html():
    assert sniff("saved from url=(0061)https://www.example.gov.cn/\n<html><body>报告</body></html>".encode()) == "html"


def test_markup_fragment_without_a_page_around_it_is_html():
    fragment = "平潭综合实验区2023年度报告" + "<p>段落</p><table><tr><td>规章</td><td>0</td></tr></table>" * 4
    assert sniff(fragment.encode("gbk")) == "html"


def test_text_starting_with_angle_bracket_title_is_text():
    assert sniff("<2023年度政府信息公开工作年度报告>\n一、总体情况\n".encode()) == "text"
