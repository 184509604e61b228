"""Bounds on what one PDF may make the reader do (issue 13: hostile input).

A report PDF is a few pages of text and a few tables. A PDF built to hurt
the reader is refused (or a page of it read more simply) with a one-line
Chinese reason, before PDFium or the table finder spends gigabytes or
minutes on it:

| bound | limit | past it |
|---|---|---|
| pages | ``MAX_PAGES`` (500) | refused (``too_large``) |
| one compressed stream, decompressed | ``MAX_STREAM`` (64 MB; images ``MAX_IMAGE_STREAM``, 256 MB) | refused (``too_large``) |
| all compressed streams, decompressed | ``MAX_TOTAL`` (512 MB) | refused (``too_large``) |
| characters on one page | ``MAX_PAGE_CHARS`` (100 000) | refused (``too_large``) |
| drawing objects on one page | ``MAX_PAGE_OBJECTS`` (20 000) | the page's ruling lines ignored: read as text |
| ruling lines on one page | ``MAX_RULES`` (200 of one direction) or ``MAX_CROSSINGS`` (2 500 crossings: a 50 × 50 grid, about 0.5 s) | no table finding on the page: read as text |

The stream check decompresses every Flate stream once, in chunks, without
keeping the output: a 2 MB deflate bomb is found in well under a second and
never held in memory.
"""

from __future__ import annotations

import re
import zlib

from ..model.errors import ParseError

MAX_PAGES = 500
MAX_STREAM = 64 * 1024 * 1024
MAX_IMAGE_STREAM = 256 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
MAX_PAGE_CHARS = 100_000
MAX_PAGE_OBJECTS = 20_000
MAX_RULES = 200
MAX_CROSSINGS = 2_500

_CHUNK = 256 * 1024
_STREAM_RE = re.compile(rb"stream\r?\n")
_MB = 1024 * 1024


def too_many_pages(n: int) -> ParseError:
    return ParseError(f"PDF 共 {n} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告，未读取", kind="too_large")


def too_many_chars(page: int, n: int) -> ParseError:
    return ParseError(
        f"PDF 第 {page} 页有 {n} 个字符，超过每页 {MAX_PAGE_CHARS} 个的上限（文件可能被构造来拖垮读取程序），未读取",
        kind="too_large",
    )


def rules_skipped(page: int, what: str) -> str:
    """The warning for a page read without its table lines."""
    return f"PDF 第 {page} 页的{what}过多，未按表格线识别表格，该页按文字读取"


def check_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams decompress beyond the bounds."""
    total = 0
    for m in _STREAM_RE.finditer(data):
        start = m.end()
        header = data[max(0, m.start() - 400) : m.start()]
        header = header[max(0, header.rfind(b"obj")) :]  # the stream's own dictionary
        source, at = data, start
        if b"/ASCIIHexDecode" in header or b"/AHx" in header or b"/ASCII85Decode" in header or b"/A85" in header:
            source, at = _ascii_decoded(data, start, header), 0  # deflate data written as text
        if source[at : at + 1] not in (b"x", b"\x08", b"\x18", b"\x28", b"\x38", b"\x48", b"\x58", b"\x68", b"\x78"):
            continue  # not a zlib stream (images in JPEG, uncompressed content)
        image = b"/Image" in header
        limit = MAX_IMAGE_STREAM if image else MAX_STREAM
        size = _inflated_size(source, at, min(limit, MAX_TOTAL - total) + 1)
        if size > limit:
            kind = "图片" if image else "数据流"
            raise ParseError(
                f"PDF 中有一个{kind}解压后超过 {limit // _MB} MB（可能是解压炸弹），不像是一份年度报告，未读取",
                kind="too_large",
            )
        total += size
        if total > MAX_TOTAL:
            raise ParseError(f"PDF 的数据解压后超过 {MAX_TOTAL // _MB} MB，不像是一份年度报告，未读取", kind="too_large")


def _ascii_decoded(data: bytes, start: int, header: bytes) -> bytes:
    """The bytes of an ASCIIHex- or ASCII85-encoded stream (b"" when they do not decode)."""
    import base64
    import binascii

    end = data.find(b"endstream", start)
    body = data[start : end if end >= 0 else len(data)]
    try:
        if b"/ASCIIHexDecode" in header or b"/AHx" in header:
            hexed = bytes(ch for ch in body.split(b">", 1)[0] if ch not in b" \t\r\n\x0c")
            return binascii.unhexlify(hexed + b"0" * (len(hexed) % 2))
        body = body.strip()
        if not body.startswith(b"<~"):
            body = b"<~" + body
        return base64.a85decode(body.split(b"~>", 1)[0] + b"~>", adobe=True)
    except (ValueError, binascii.Error):
        return b""


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """How many bytes the zlib stream at ``start`` inflates to, counting no
    further than ``cap`` (the output is thrown away as it comes)."""
    d = zlib.decompressobj()
    size, pos = 0, start
    view = memoryview(data)  # chunks without copying them
    try:
        while pos < len(data) and not d.eof and size < cap:
            chunk = view[pos : pos + _CHUNK]
            pos += len(chunk)
            out = d.decompress(chunk, _CHUNK)
            size += len(out)
            while d.unconsumed_tail and size < cap:
                out = d.decompress(d.unconsumed_tail, _CHUNK)
                size += len(out)
                if not out:
                    break
    except zlib.error:
        pass  # not (or no longer) deflate data: PDFium will judge it
    return size
