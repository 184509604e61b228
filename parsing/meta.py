"""Metadata, format, sections, and "is this a report at all". (Issue 3: helper-owned placeholder.)

Contract:
- ``detect_format(text) -> str``: "2021", "2019", "pre-2019" or "unknown"
  (rules in docs/REPORT_SCHEMA.md).
- ``extract_meta(doc, fmt) -> dict``: {"title", "organ", "year", "published",
  "format"}; unknown values None. ``year`` is the reporting year.
- ``find_sections(text) -> list[dict]``: the six statutory sections
  (see ParsedReport's docstring for the shape).
- ``classify(doc, fmt, values_found) -> None``: raises ``NotAReportError``
  when the document is not an annual report (an interpretation page 解读, a
  blank template, a comparison of two years, an unrelated document), saying
  what it seems to be. ``values_found`` is how many table cells had a value.
"""

from __future__ import annotations

from .document import Document
from .schema import FORMAT_2019, FORMAT_2021, FORMAT_UNKNOWN


def detect_format(text: str) -> str:
    if "本年制发件数" in text or "本年收费金额" in text:
        return FORMAT_2021
    if "本年新制作数量" in text or "上一年项目数量" in text:
        return FORMAT_2019
    return FORMAT_UNKNOWN


def extract_meta(doc: Document, fmt: str) -> dict:
    return {
        "title": doc.hints.get("title"),
        "organ": doc.hints.get("organ"),
        "year": None,
        "published": doc.hints.get("published"),
        "format": fmt,
    }


def find_sections(text: str) -> list[dict]:
    return []


def classify(doc: Document, fmt: str, values_found: int) -> None:
    return None
