"""Entry points of the parser: sniff the input, pick a reader, assemble the tables.

``parse_file``/``parse_bytes`` raise only ``ParseError`` (and its subclass
``NotAReportError``); any other exception inside a reader is a bug, and is
turned into a ``ParseError`` naming it rather than a traceback for the user.
"""

from __future__ import annotations

import hashlib
import os
import stat

from .layout import assemble as _assemble
from .readers import decode
from .meta import metadata as meta
from .model.document import Document, clean_document
from .model.errors import ParseError
from .model.report import ParsedReport
from .model.schema import FORMAT_PRE2019, SCHEMA

MAX_BYTES = 20 * 1024 * 1024  # a report is never this large


def parse_file(path: str | os.PathLike) -> ParsedReport:
    p = os.fspath(path)
    return parse_bytes(read_source(p), name=p)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1024 * 1024


def read_source(path: str | os.PathLike) -> bytes:
    """The bytes of a report file, bounded: only a regular file is read (a
    device such as ``/dev/zero``, a FIFO or a socket is refused, also behind a
    symlink, and opening never waits for a FIFO's writer), and at most
    ``MAX_BYTES`` are read whatever ``stat`` says (a file growing while read,
    a size that reads as 0). Raises ``ParseError`` with a one-line reason."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
        _require_regular(st, p)
        fd = os.open(p, _OPEN_FLAGS)
    except ParseError:
        raise
    except FileNotFoundError:
        raise ParseError("文件不存在", kind="unreadable", path=p) from None
    except OSError as e:
        raise ParseError(f"无法读取文件：{e.strerror or e}", kind="unreadable", path=p) from None
    except ValueError:  # a name holding a NUL byte names no file
        raise ParseError("文件名中含有空字符，无法打开", kind="unreadable", path=p) from None
    try:
        st = os.fstat(fd)
        _require_regular(st, p)  # what was opened, not what the name pointed at a moment ago
        chunks, total = [], 0
        while True:
            block = os.read(fd, min(_CHUNK, MAX_BYTES + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
            if total > MAX_BYTES:
                raise _too_large(max(total, st.st_size), p)
        return b"".join(chunks)
    except OSError as e:
        raise ParseError(f"无法读取文件：{e.strerror or e}", kind="unreadable", path=p) from None
    finally:
        os.close(fd)


def _require_regular(st: os.stat_result, p: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise ParseError("这是一个文件夹，不是报告文件", kind="unreadable", path=p)
    if not stat.S_ISREG(st.st_mode):
        what = "管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else "设备" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "套接字或特殊文件"
        raise ParseError(f"不是普通文件（{what}），不读取", kind="unreadable", path=p)
    if st.st_size > MAX_BYTES:
        raise _too_large(st.st_size, p)


def _too_large(size: int, p: str) -> ParseError:
    return ParseError(
        f"文件过大（超过 {max(size, MAX_BYTES + 1) // (1024 * 1024)} MB），不像是一份年度报告（上限 20 MB）", kind="too_large", path=p
    )


def read_document(data: bytes) -> Document:
    """bytes → Document, by what the bytes are (not the file name); its text
    cleaned of escape sequences and control characters (``document.clean_document``)
    before anything reads it, so every span indexes the cleaned text."""
    return clean_document(_read_document(data))


def _read_document(data: bytes) -> Document:
    kind = decode.sniff(data)
    if kind == "pdf":
        from .readers.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from .readers.docx import read_docx

        return read_docx(data)
    if kind == "doc":
        raise ParseError("这是旧版 Word（.doc）或 WPS 文件：请另存为 .docx 后再打开", kind="unsupported")
    if kind == "zip":
        raise ParseError("这是一个压缩包，不是报告：请解压后打开其中的报告文件", kind="unsupported")
    if kind == "image":
        from .readers.ocr import read_image  # recognised offline (the ocr extra); without it, says which extra to install

        return read_image(data)
    if kind == "binary":
        raise ParseError("这是二进制文件，不是文本、网页、PDF 或 Word 报告", kind="binary")
    text = decode.decode_text(data)
    if kind == "html":
        from .readers.html import read_html

        return read_html(text)
    return Document(text=text, kind="text")


def parse_bytes(data: bytes, name: str | None = None) -> ParsedReport:
    try:
        return _parse_bytes(data, name)
    except ParseError as e:
        if e.path is None:
            e.path = name
        raise
    except RecursionError:
        raise ParseError("文档结构嵌套过深，无法读取", kind="damaged", path=name) from None
    except Exception as e:  # a bug in a reader: never a traceback for the user
        raise ParseError(f"解析时出现内部错误（{type(e).__name__}: {e}），请报告此问题", kind="unreadable", path=name) from e


def _parse_bytes(data: bytes, name: str | None) -> ParsedReport:
    if not data or not data.strip():
        raise ParseError("文件为空", kind="empty")
    if len(data) > MAX_BYTES:
        raise ParseError("文件过大，不像是一份年度报告（上限 20 MB）", kind="too_large")
    doc = read_document(data)
    if not doc.text.strip():
        raise ParseError("文件中没有可读的文字", kind="empty")
    fmt = meta.detect_format(doc.text)
    if fmt == FORMAT_PRE2019:
        asm = _assemble.Assembly(tables={"active": {}, "requests": {}, "reviews": {}}, provenance={})
    else:
        asm = doc.assemble(fmt) if doc.assemble is not None else _assemble.assemble(doc, fmt)
    if getattr(doc, "ocr_ranges", None):  # values read by OCR: flagged unless a balance rule confirms them
        from .readers.ocr import annotate

        annotate(asm, doc, fmt)
    meta.classify(doc, fmt, asm.values_found)
    report = {
        "schema": SCHEMA,
        "source": {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "format": doc.kind},
        "meta": meta.extract_meta(doc, fmt),
        "tables": asm.tables,
        "provenance": asm.provenance,
        "extra_cells": asm.extra_cells,
        "notes": asm.notes,
        "sections": meta.find_sections(doc.text),
        "warnings": asm.warnings,
    }
    readings = getattr(asm, "readings", None)
    if readings:  # a PDF: which of its two readings each table came from
        report["readings"] = readings
    return ParsedReport(report=report, text=doc.text, pages=list(doc.pages))
