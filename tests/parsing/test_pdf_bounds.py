"""Hostile PDFs, written by hand here, are refused or read more simply with a
one-line Chinese reason, never with gigabytes or minutes (issue 13, item 4)."""

from __future__ import annotations

import zlib

import pytest

import parsing.readers.pdf as reader
from parsing import parse_bytes
from parsing.model.errors import ParseError
from parsing.readers.pdf_bounds import MAX_PAGE_CHARS, MAX_PAGES, MAX_STREAM, check_streams


def pdf(pages: list[bytes], font: bool = True) -> bytes:
    """A PDF with one page per content stream (raw bytes: already filtered
    streams carry their own ``/Filter`` in the first line, see ``flate``)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for content in pages:
        extra = b""
        if content.startswith(b"%FLATE\n"):
            content = content[len(b"%FLATE\n") :]
            extra = b" /Filter /FlateDecode"
        objs.append(b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream")
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
            % len(objs)
        )
        kids.append(b"%d 0 R" % len(objs))
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


TEXT = b"BT /F1 12 Tf 72 760 Td (2023 report: rules 0 0 0) Tj ET\n"


def flate_bomb(inflated: int) -> bytes:
    """A content stream of ``inflated`` bytes of spaces, deflated (about 1000:1)."""
    z = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [z.compress(TEXT)]
    for _ in range(inflated // len(chunk)):
        parts.append(z.compress(chunk))
    parts.append(z.flush())
    return b"%FLATE\n" + b"".join(parts)


def test_a_deflate_bomb_is_refused_before_pdfium_inflates_it(monkeypatch):
    data = pdf([flate_bomb(MAX_STREAM + 8 * 1024 * 1024)])
    assert len(data) < 200_000

    def no_pdfium(*a, **k):
        raise AssertionError("PDFium was given the bomb")

    monkeypatch.setattr(reader.pdfium, "PdfDocument", no_pdfium)
    with pytest.raises(ParseError) as exc:
        parse_bytes(data, name="bomb.pdf")
    assert exc.value.kind == "too_large" and "解压" in str(exc.value) and "\n" not in str(exc.value)


def test_a_deflate_bomb_written_as_hex_text_is_refused_too():
    bomb = flate_bomb(MAX_STREAM + 1024 * 1024)[len(b"%FLATE\n") :]
    stream = b"%FLATE\n" + bomb.hex().encode() + b">"
    data = pdf([stream]).replace(b"/Filter /FlateDecode", b"/Filter [/ASCIIHexDecode /FlateDecode]")
    with pytest.raises(ParseError) as exc:
        check_streams(data)
    assert exc.value.kind == "too_large"


def test_ordinary_compressed_streams_pass_the_check():
    check_streams(pdf([flate_bomb(2 * 1024 * 1024)]))  # 2 MB of content: no bomb
    z = zlib.compress(TEXT)
    check_streams(pdf([b"%FLATE\n" + z]))


def test_more_pages_than_any_report_are_refused():
    data = pdf([TEXT] * (MAX_PAGES + 1))
    with pytest.raises(ParseError) as exc:
        parse_bytes(data, name="long.pdf")
    assert exc.value.kind == "too_large" and f"{MAX_PAGES + 1} 页" in str(exc.value)


def test_a_page_with_too_many_characters_is_refused():
    run = b"(" + b"x" * 10_000 + b") Tj\n"
    content = b"BT /F1 1 Tf 10 10 Td\n" + run * (MAX_PAGE_CHARS // 10_000 + 1) + b"ET\n"
    with pytest.raises(ParseError) as exc:
        parse_bytes(pdf([content]), name="chars.pdf")
    assert exc.value.kind == "too_large" and "第 1 页" in str(exc.value)


def ruling_grid(n: int) -> bytes:
    """An n × n grid of ruled cells, 4 pt apart (each line a line of its own
    for the table finder), and a line of text."""
    lines = [b"%d 0 m %d %d l S" % (4 * i, 4 * i, 4 * n) for i in range(n + 1)]
    lines += [b"0 %d m %d %d l S" % (4 * i, 4 * n, 4 * i) for i in range(n + 1)]
    return b"0.1 w\n" + b"\n".join(lines) + b"\n" + TEXT


def test_a_dense_ruling_grid_is_read_as_text_with_a_reason():
    doc = reader.read_pdf(pdf([ruling_grid(300)]))
    assert "2023 report: rules 0 0 0" in doc.text
    assert " | " not in doc.text  # no table claimed
    asm = doc.assemble("2021")
    assert any("表格线" in w and "按文字读取" in w for w in asm.warnings)


def test_a_page_drawing_too_many_objects_is_read_without_its_lines():
    paths = b"".join(b"%d 300 m %d 310 l S\n" % (i % 400, i % 400) for i in range(21_000))
    doc = reader.read_pdf(pdf([paths + TEXT]))
    assert "2023 report: rules 0 0 0" in doc.text
    assert any("图形对象" in w for w in doc.assemble("2021").warnings)
