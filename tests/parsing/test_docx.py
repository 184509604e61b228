"""Word (.docx) reports read directly: paragraphs and tables in order, merged
cells as grids, hints, and a clear error for broken files."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from parsing import parse_bytes
from parsing.readers.docx_numbering import format_number
from parsing.readers.docx import read_docx
from parsing.model.document import CELL_SEP
from parsing.model.errors import ParseError
from parsing.model.schema import FORMAT_2021, cell_paths
from tests.conftest import CORPUS, FIXTURES, GOLDEN

LUDING = FIXTURES / "docx" / "luding-2024.docx"
TEMPLATE = CORPUS / "blank-template-2021-format.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(body_xml: str, core_xml: str | None = None, numbering: str = "", styles: str = "") -> bytes:
    """A minimal .docx whose body is ``body_xml`` (prefix ``w:``), with optional
    core properties and the inner XML of numbering.xml and styles.xml."""
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", doc)
        if core_xml is not None:
            zf.writestr("docProps/core.xml", core_xml)
        if numbering:
            zf.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        if styles:
            zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
    return out.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str = "", props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if CELL_SEP in line]


# --- the sample-derived report -------------------------------------------------


@pytest.fixture(scope="module")
def luding():
    return read_docx(LUDING.read_bytes())


def test_luding_rows_come_out_as_grids(luding):
    lines = luding.text.splitlines()
    assert "规章 | 0 | 0 | 0" in lines
    assert "行政规范性文件 | 0 | 0 | 14" in lines
    assert "行政事业性收费 | 204.92" in lines
    assert "一、本年新收政府信息公开申请数量 | 31 | 3 | 0 | 0 | 0 | 0 | 34" in lines
    assert "5 | 0 | 0 | 1 | 6 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1" in lines


def test_merged_cells_are_rendered_once(luding):
    lines = luding.text.splitlines()
    # gridSpan: "法人或其他组织" spans five columns but is one cell.
    assert "自然人 | 法人或其他组织 | 总计" in lines
    # vMerge: the rows under "三、本年度办理结果" and "（三）不予公开" do not
    # repeat (or leave an empty cell for) the merged labels.
    assert "三、本年度办理结果 | （一）予以公开 | 12 | 3 | 0 | 0 | 0 | 0 | 15" in lines
    assert "（三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1" in lines
    assert "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0" in lines


def test_paragraphs_and_tables_keep_body_order(luding):
    text = luding.text
    order = ["一、总体情况", "二、主动公开政府信息情况", "规章 | 0 | 0 | 0", "三、收到和处理", "（七）总计 | 31", "四、政府信息公开行政复议", "五、存在的主要问题", "六、其他需要报告的事项"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)


def test_kind_structured_and_hints(luding):
    assert luding.kind == "docx"
    assert luding.structured_tables is True
    assert luding.hints["title"] == "泸定县人民政府2024年政府信息公开工作年度报告"
    assert "organ" not in luding.hints  # the author is a person's name


# --- the blank template: no numbers ----------------------------------------------


def test_blank_template_has_no_values():
    doc = read_docx(TEMPLATE.read_bytes())
    rows = table_lines(doc.text)
    assert len(rows) > 30
    cells = [c.strip() for row in rows for c in row.split(CELL_SEP)]
    assert not [c for c in cells if re.fullmatch(r"[\d.,，]+", c)]
    assert "规章 |  |  | " in doc.text.splitlines()
    assert "title" not in doc.hints  # "格式模板" is not a report title


# --- structure of hand-built documents -------------------------------------------


def test_breaks_and_tabs_in_paragraphs():
    body = '<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>后</w:t></w:r></w:p>'
    assert read_docx(make_docx(body)).text == "第一行\n第二行 后\n"


def test_deleted_text_and_field_codes_are_not_read():
    body = (
        "<w:p><w:r><w:t>收到</w:t></w:r>"
        "<w:del><w:r><w:delText>99</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r>"
        "<w:ins><w:r><w:t>12</w:t></w:r></w:ins><w:r><w:t>件</w:t></w:r></w:p>"
    )
    assert read_docx(make_docx(body)).text == "收到12件\n"


def test_wrapped_cell_text_is_joined_and_empty_cells_kept():
    row = "<w:tr>" + tc("商业") .replace("</w:tc>", p("企业") + "</w:tc>") + tc("") + tc("7") + "</w:tr>"
    text = read_docx(make_docx(f"<w:tbl>{row}</w:tbl>")).text
    assert text == "商业企业 |  | 7\n"


def test_vmerge_and_grid_span():
    rows = (
        "<w:tr>" + tc("甲", '<w:vMerge w:val="restart"/>') + tc("标题", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("1") + tc("2") + "</w:tr>"
    )
    assert read_docx(make_docx(f"<w:tbl>{rows}</w:tbl>")).text == "甲 | 标题\n1 | 2\n"


def test_layout_table_around_the_report_is_read_as_blocks():
    inner = "<w:tbl><w:tr>" + tc("规章") + tc("3") + "</w:tr></w:tbl>"
    outer = f"<w:tbl><w:tr><w:tc>{p('二、主动公开政府信息情况')}{inner}<w:p/></w:tc></w:tr></w:tbl>"
    assert read_docx(make_docx(outer)).text == "二、主动公开政府信息情况\n规章 | 3\n"


def test_a_pipe_inside_a_cell_is_not_a_cell_boundary():
    row = "<w:tr>" + tc("A|B") + tc("5") + "</w:tr>"
    assert read_docx(make_docx(f"<w:tbl>{row}</w:tbl>")).text == "A｜B | 5\n"


def test_core_properties_give_meaningful_hints_only():
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        "<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
        "<dcterms:created>2025-01-20T08:00:00Z</dcterms:created></cp:coreProperties>"
    )
    good = read_docx(make_docx(p("x"), core.format(title="某县2024年政府信息公开工作年度报告", creator="某县人民政府")))
    assert good.hints == {"title": "某县2024年政府信息公开工作年度报告", "organ": "某县人民政府", "created": "2025-01-20"}
    junk = read_docx(make_docx(p("x"), core.format(title="Microsoft Word - 文档1", creator="Administrator")))
    assert "title" not in junk.hints and "organ" not in junk.hints


# --- broken files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        LUDING.read_bytes()[: len(LUDING.read_bytes()) // 2],
        make_docx(p("x")).replace(b"word/document.xml", b"word/other___.xml"),
        make_docx("<w:p><w:r><w:t>未闭合"),
    ],
    ids=["truncated", "no-document-xml", "malformed-xml"],
)
def test_damaged_docx_is_a_clear_error(data):
    with pytest.raises(ParseError) as exc:
        read_docx(data)
    assert exc.value.kind == "damaged"
    assert "Word" in str(exc.value) and "\n" not in str(exc.value)


def test_damaged_docx_through_the_api_never_tracebacks():
    data = LUDING.read_bytes()
    with pytest.raises(ParseError) as exc:
        parse_bytes(data[: len(data) // 2], name="broken.docx")
    assert exc.value.kind == "damaged"


# --- end to end -------------------------------------------------------------------------


def test_docx_end_to_end_gives_the_golden_values():
    golden = json.loads((GOLDEN / "2024-luding-county.json").read_text("utf-8"))
    report = parse_bytes(LUDING.read_bytes(), name=str(LUDING)).report
    assert report["source"]["format"] == "docx"
    got = {path: _cell(report["tables"], path) for path in cell_paths(FORMAT_2021)}
    if all(v is None for v in got.values()):
        pytest.skip("the table assembler (parsing/layout/assemble.py) has not landed yet")
    want = {path: _cell(golden["tables"], path) for path in cell_paths(FORMAT_2021)}
    assert got == want


def _cell(tables: dict, path: str):
    t, r, c = path.split(".")
    return tables.get(t, {}).get(r, {}).get(c)


def test_corrupt_compressed_body_is_damaged():
    data = bytearray(LUDING.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 100 : start + 160] = b"\xff" * 60
    with pytest.raises(ParseError) as exc:
        read_docx(bytes(data))
    assert exc.value.kind == "damaged"


# --- automatic list numbers ----------------------------------------------------------------


def lvl(ilvl: int, fmt: str, text: str, style: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
    )


NUMBERING = (
    '<w:abstractNum w:abstractNumId="10">' + lvl(0, "chineseCounting", "%1、", "H1") + lvl(1, "chineseCounting", "（%2）", "H2") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="20">' + lvl(0, "decimal", "%1.") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="30">' + lvl(0, "bullet", "\uf06c") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="30"/></w:num>'
)
STYLES = (
    '<w:style w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:styleId="H2"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)


def styled(style: str, text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def listed(num_id: int, text: str) -> str:
    return f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def test_heading_numbers_from_styles_are_shown():
    body = styled("H1", "总体情况") + styled("H2", "主动公开情况") + styled("H2", "依申请公开情况") + styled("H1", "主动公开政府信息情况") + styled("H2", "规章")
    text = read_docx(make_docx(body, numbering=NUMBERING, styles=STYLES)).text
    assert text.splitlines() == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "二、主动公开政府信息情况", "（一）规章"]


def test_list_numbers_in_table_cells_bullets_and_numbering_off():
    row1 = f"<w:tr><w:tc>{listed(2, '属于国家秘密')}</w:tc>{tc('1')}</w:tr>"
    row2 = f"<w:tr><w:tc>{listed(2, '其他法律行政法规禁止公开')}</w:tc>{tc('0')}</w:tr>"
    body = f"<w:tbl>{row1}{row2}</w:tbl>" + listed(3, "要点") + listed(0, "无编号")
    text = read_docx(make_docx(body, numbering=NUMBERING)).text
    assert text.splitlines() == ["1.属于国家秘密 | 1", "2.其他法律行政法规禁止公开 | 0", "要点", "无编号"]


@pytest.mark.parametrize(
    "n, fmt, shown",
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"), (23, "chineseCountingThousand", "二十三"),
     (3, "decimalEnclosedCircle", "③"), (4, "upperRoman", "IV"), (2, "lowerLetter", "b"), (7, "somethingNew", "7")],
)
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_a_pipe_in_a_paragraph_does_not_make_it_a_table_row():
    assert read_docx(make_docx(p("首页 | 政务公开 | 年度报告"))).text == "首页 ｜ 政务公开 ｜ 年度报告\n"


# --- embedded HTML (w:altChunk) ------------------------------------------------------------

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHUNK_HTML = (
    "<html><body><p>二、主动公开政府信息情况</p><table border=1>"
    "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
    "<tr><td>规章</td><td>5</td><td>0</td><td></td></tr></table></body></html>"
)


def docx_with_chunk(name: str, data: bytes) -> bytes:
    doc = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        f'{p("前言")}<w:altChunk r:id="rIdC"/>{p("结语")}</w:body></w:document>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdC" Type="{R_NS}/aFChunk" Target="{name}"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", doc)
        zf.writestr("word/_rels/document.xml.rels", rels)
        zf.writestr(f"word/{name}", data)
    return out.getvalue()


def test_embedded_html_chunk_is_read_in_place():
    lines = read_docx(docx_with_chunk("afchunk.htm", CHUNK_HTML.encode("utf-8"))).text.splitlines()
    assert lines[0] == "前言" and lines[-1] == "结语"
    assert "规章 | 5 | 0 | " in lines


def test_embedded_mht_chunk_is_read_in_place():
    import base64

    body = base64.encodebytes(CHUNK_HTML.encode("gb18030")).decode()
    mht = (
        'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="B"\n\n--B\n'
        'Content-Type: text/html; charset="gb18030"\nContent-Transfer-Encoding: base64\n\n'
        f"{body}\n--B--\n"
    ).encode()
    assert "规章 | 5 | 0 | " in read_docx(docx_with_chunk("afchunk.mht", mht)).text.splitlines()
