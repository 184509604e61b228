"""Entry points of the parser: sniff the input, pick a reader, assemble the tables.

``parse_file``/``parse_bytes`` raise only ``ParseError`` (and its subclass
``NotAReportError``); any other exception inside a reader is a bug, and is
turned into a ``ParseError`` naming it rather than a traceback for the user.
"""

from __future__ import annotations

import hashlib
import os

from . import assemble as _assemble
from . import decode, meta
from .document import Document
from .errors import ParseError
from .model import ParsedReport
from .schema import FORMAT_PRE2019, SCHEMA

MAX_BYTES = 20 * 1024 * 1024  # a report is never this large


def parse_file(path: str | os.PathLike) -> ParsedReport:
    p = os.fspath(path)
    try:
        size = os.path.getsize(p)
        if size > MAX_BYTES:
            raise ParseError(
                f"文件过大（{size // (1024 * 1024)} MB），不像是一份年度报告（上限 20 MB）", kind="too_large", path=p
            )
        with open(p, "rb") as fh:
            data = fh.read()
    except ParseError:
        raise
    except IsADirectoryError:
        raise ParseError("这是一个文件夹，不是报告文件", kind="unreadable", path=p) from None
    except FileNotFoundError:
        raise ParseError("文件不存在", kind="unreadable", path=p) from None
    except OSError as e:
        raise ParseError(f"无法读取文件：{e.strerror or e}", kind="unreadable", path=p) from None
    return parse_bytes(data, name=p)


def read_document(data: bytes) -> Document:
    """bytes → Document, by what the bytes are (not the file name)."""
    kind = decode.sniff(data)
    if kind == "pdf":
        from .pdf_reader import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from .docx_reader import read_docx

        return read_docx(data)
    if kind == "doc":
        raise ParseError("这是旧版 Word（.doc）或 WPS 文件：请另存为 .docx 后再打开", kind="unsupported")
    if kind == "zip":
        raise ParseError("这是一个压缩包，不是报告：请解压后打开其中的报告文件", kind="unsupported")
    if kind == "image":
        from .ocr import read_image  # recognised offline (the ocr extra); without it, says which extra to install

        return read_image(data)
    if kind == "binary":
        raise ParseError("这是二进制文件，不是文本、网页、PDF 或 Word 报告", kind="binary")
    text = decode.decode_text(data)
    if kind == "html":
        from .html_reader import read_html

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
        from .ocr import annotate

        annotate(asm, doc)
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
