"""HTML → Document. (Issue 3: helper-owned; this is a placeholder.)

Contract: ``read_html(html: str) -> Document`` with kind "html": the article
only (navigation, scripts, footers left out), block elements on their own
lines, each table row on one line with cells joined by ``CELL_SEP``,
``structured_tables=True``, and ``hints`` from <meta name="ArticleTitle">,
"PubDate", "ContentSource" (and <title>) where present.
"""

from __future__ import annotations

from .document import Document
from .errors import ParseError


def read_html(html: str) -> Document:
    raise ParseError("HTML 报告的读取尚未完成", kind="unsupported")
