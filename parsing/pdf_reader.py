"""PDF → Document. (Issue 7: helper-owned; this is a placeholder.)

Contract: ``read_pdf(data: bytes) -> Document`` with kind "pdf": pages in
reading order with page markers, tables recovered from geometry rendered one
row per line with ``CELL_SEP``, ``pages`` filled in. Raises ``ParseError``
(kind "no_text_layer", "encrypted", "damaged").
"""

from __future__ import annotations

from .document import Document
from .errors import ParseError


def read_pdf(data: bytes) -> Document:
    raise ParseError("PDF 报告的读取尚未完成", kind="unsupported")
