"""Word (.docx) → Document. (Issue 7: helper-owned; this is a placeholder.)

Contract: ``read_docx(data: bytes) -> Document`` with kind "docx":
paragraphs and tables in order, tables as grids (gridSpan, vMerge) rendered one
row per line with ``CELL_SEP``. Raises ``ParseError`` ("encrypted", "damaged").
"""

from __future__ import annotations

from .document import Document
from .errors import ParseError


def read_docx(data: bytes) -> Document:
    raise ParseError("Word 报告的读取尚未完成", kind="unsupported")
