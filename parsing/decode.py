"""bytes → what kind of file this is, and → text. (Issue 3: helper-owned.)

Contract:
- ``sniff(data: bytes) -> str``: one of "pdf", "docx", "doc" (legacy Word /
  WPS / other OLE2), "zip" (a zip that is not a Word document), "html",
  "text", "image", "binary". From the content, never the file name.
- ``decode_text(data: bytes) -> str``: the Unicode text, with BOMs removed and
  line endings normalised to "\n". Raises ``ParseError(kind="undecodable")``.
"""

from __future__ import annotations

from .errors import ParseError


def sniff(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:4096] else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lower = data[:2048].lower()
    if b"<html" in lower or b"<!doctype html" in lower or b"<table" in lower:
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ParseError("无法识别文件的字符编码", kind="undecodable")
    return text.replace("\r\n", "\n").replace("\r", "\n")
