"""Metadata, format, sections, and "is this a report at all".

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

The field rules live in ``fields``, the section rules in
``sections`` and the not-a-report rules in ``classify``; this module
owns the format markers and puts the pieces together.
"""

from __future__ import annotations

import re

from . import classify as meta_classify, sections as meta_sections
from ..model.document import Document
from .fields import find_issuer, find_published, find_title, find_year, infer_organ, iso_date, title_parts
from ..model.schema import FORMAT_2019, FORMAT_2021, FORMAT_PRE2019, FORMAT_UNKNOWN


def _markers(*words: str) -> tuple[tuple[str, ...], ...]:
    """Each marker as its spellings: half/full-width (and tortoise-shell) brackets."""
    return tuple(
        tuple(dict.fromkeys(w.replace("(", o).replace(")", c) for o, c in (("（", "）"), ("(", ")"), ("〔", "〕"))))
        for w in words
    )


# Column and row words only the statutory table of each format prints.
_MARKERS_2021 = _markers("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量")
_MARKERS_2019 = _markers(
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "第二十条第(九)项", "采购项目数量", "采购总金额"
)
# Vocabulary of the 2008 regulation's reports and statistics tables.
_MARKERS_PRE2019 = _markers(
    "同意公开", "否决公开", "信息不存在", "非本部门掌握", "当面申请数", "收费及减免", "历年累计", "申请行政复议数",
    "主动公开文件数", "不属于本行政机关公开", "申请内容不明确",
)
_NEW_FORMAT_CUE = _markers("本列数据的勾稽关系")
_FIRST_HEADING_RE = re.compile(r"(?:一|1)\s*[、.．]\s*(\S{2,6})")
_HEAD_CHARS = 5000  # where the first heading is
# The notices that issued each format, cited by reports that follow them.
_NOTICE_2021 = re.compile(r"2021\s*[〕\]}】)）]\s*30\s*号")
_NOTICE_2019 = re.compile(r"2019\s*[〕\]}】)）]\s*60\s*号")
_SPACE_RE = re.compile(r"\s+")
_REPORT_TITLE_RE = re.compile(r"年度?报告|年报")
_LAST_PRE2019_YEAR = 2018
_LAST_2019_FORMAT_YEAR = 2020


_GROUPS = {"2021": _MARKERS_2021, "2019": _MARKERS_2019, "pre": _MARKERS_PRE2019, "new": _NEW_FORMAT_CUE}
# spelling -> (group, marker number): spellings of one marker count once.
_SPELLINGS = {
    sp: (group, i) for group, markers in _GROUPS.items() for i, spellings in enumerate(markers) for sp in spellings
}
# One literal alternation: a single fast pass over the text finds every marker.
_MARKER_RE = re.compile("|".join(map(re.escape, sorted(_SPELLINGS, key=len, reverse=True))))


def _markers_in(text: str) -> dict[str, int]:
    """How many distinct markers of each group occur. When no table marker
    occurs as printed, the text is searched again without its whitespace, so
    that "本 年 制 发 件 数" still counts."""
    found = {_SPELLINGS[m.group(0)] for m in _MARKER_RE.finditer(text)}
    if not any(group in ("2021", "2019") for group, _ in found):
        found |= {_SPELLINGS[m.group(0)] for m in _MARKER_RE.finditer(_SPACE_RE.sub("", text))}
    counts = dict.fromkeys(_GROUPS, 0)
    for group, _ in found:
        counts[group] += 1
    return counts


def detect_format(text: str) -> str:
    counts = _markers_in(text)
    n21, n19 = counts["2021"], counts["2019"]
    if n21 or n19:
        return FORMAT_2021 if n21 >= n19 else FORMAT_2019
    if not counts["new"] and _old_vocabulary(text, counts["pre"]):
        return FORMAT_PRE2019
    if _NOTICE_2021.search(text):
        return FORMAT_2021
    if _NOTICE_2019.search(text):
        return FORMAT_2019
    return _format_of_year(text)


def _old_vocabulary(text: str, old: int) -> bool:
    """Two old-regulation words, or one with 概述 as the first heading."""
    if old >= 2:
        return True
    first = _FIRST_HEADING_RE.search(text, 0, _HEAD_CHARS) if old else None
    return bool(first and first.group(1).startswith("概述"))


def _format_of_year(text: str) -> str:
    """With no table, the reporting year decides: each format was used for
    fixed years (2008 regulation up to 2018, 〔2019〕60号 for 2019-2020)."""
    if not meta_classify.mentions_disclosure(text):
        return FORMAT_UNKNOWN
    _, year = title_parts(find_title(text))
    year = year or find_year(text)
    if year is None:
        return FORMAT_UNKNOWN
    if year <= _LAST_PRE2019_YEAR:
        return FORMAT_PRE2019
    return FORMAT_2019 if year <= _LAST_2019_FORMAT_YEAR else FORMAT_2021


def extract_meta(doc: Document, fmt: str) -> dict:
    hints = doc.hints
    hinted = hints.get("title")
    # A stored title that is not a report's (a site name, a file name) gives
    # way to the title the text prints.
    title = (hinted if hinted and _REPORT_TITLE_RE.search(hinted) else None) or find_title(doc.text) or hinted
    title_organ, title_year = title_parts(title)
    organ = title_organ or hints.get("organ") or find_issuer(doc.text) or infer_organ(doc.text)
    return {
        "title": title,
        "organ": organ,
        "year": title_year or find_year(doc.text),
        "published": _hint_date(hints.get("published")) or find_published(doc.text),
        "format": fmt,
    }


def _hint_date(value) -> str | None:
    """A reader's date hint, normalised to YYYY-MM-DD (None when it is not a date)."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", str(value))
    return iso_date(*m.groups()) if m else None


def find_sections(text: str) -> list[dict]:
    return meta_sections.find_sections(text)


def classify(doc: Document, fmt: str, values_found: int) -> None:
    meta_classify.classify(doc, fmt, values_found)
