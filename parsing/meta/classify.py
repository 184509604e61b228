"""Deciding whether a readable document is an annual report at all.

Owns the four "not a report" classes: an interpretation page (解读) of a
report, a comparison of two years, a blank template, and a document unrelated
to government information disclosure. Each rule needs a plain cue, because a
false alarm would hide a real report from the auditor: a pre-2019 report, a
truncated report and a real report whose table cells are all blank are
reports.
"""

from __future__ import annotations

import re

from ..model.document import Document
from ..model.errors import NotAReportError
from .fields import find_title, find_year, infer_organ, title_parts
from .sections import find_sections
from ..model.schema import FORMAT_PRE2019

_HEAD_CHARS = 1500  # where a page's own title sits

_SEPARATORS_RE = re.compile(r"[|｜>＞»\t]|\s{2,}")
_REPORT_WORDS = re.compile(r"年\s*度?\s*报\s*告|年\s*报")
_INTERPRETATION_RE = re.compile(r"解\s*读|一图(?:读|看)懂|图\s*解")
_COMPARISON_RE = re.compile(r"对\s*比|比\s*较|对\s*照")
_YEAR_RE = re.compile(r"(?<![0-9０-９])[12１２][09０９][0-9０-９]{2}(?![0-9０-９])")
_TWO_YEARS_RE = re.compile(r"两\s*个?\s*年\s*度?|近\s*两\s*年")
# Placeholders of a template (each alternative opens with a literal: fast scan).
_TEMPLATE_RE = re.compile(r"XX|ＸＸ|××|○○|单位名称\s*[）)]|报告格式模板|报告模板")
_TEXT_PLACEHOLDER_RE = re.compile(r"[（(]\s*文字描述[^）)\n]{0,40}[）)]")
_DISCLOSURE_RES = (re.compile(r"信\s*息\s*公\s*开"), re.compile(r"政\s*务\s*公\s*开"))
# Row and column words of the statutory tables (any format).
_TABLE_RE = re.compile(
    r"本年新收|上年结转|予以公开|不予公开|无法提供|不予处理|结转下年度|本年制发件数|现行有效件数"
    r"|本年新制作数量|上一年项目数量|结果维持|结果纠正|尚未审结|申请人情况"
)

# Enough table values and statutory sections to be a report whatever its header says.
_REPORT_VALUES = 10
_REPORT_SECTIONS = 3


def classify(doc: Document, fmt: str, values_found: int) -> None:
    """Raise ``NotAReportError`` when ``doc`` is plainly not an annual report."""
    side_by_side = _side_by_side_cue(_head(doc), doc.text)
    if side_by_side:
        raise side_by_side  # two reports' tables: however many values, not one report
    cue = _title_cue(_head(doc))
    if cue and not _looks_like_report(doc.text, values_found):
        raise cue
    has_tables = bool(_TABLE_RE.search(doc.text))
    if values_found == 0 and has_tables and fmt != FORMAT_PRE2019:
        _check_template(doc)
    if not has_tables and not mentions_disclosure(doc.text):
        raise NotAReportError(
            "这不是年度报告：文中既没有“政府信息公开”字样，也没有年度报告的统计表", seems="与政府信息公开无关的文档"
        )


def _looks_like_report(text: str, values_found: int) -> bool:
    """Enough table values and statutory sections to be a report whatever its
    header says (a report page that links to its own interpretation)."""
    return values_found >= _REPORT_VALUES and len(find_sections(text)) >= _REPORT_SECTIONS


def mentions_disclosure(text: str) -> bool:
    """Whether the text speaks of 信息公开/政务公开 at all (spaces tolerated)."""
    return "信息公开" in text or "政务公开" in text or any(rx.search(text) for rx in _DISCLOSURE_RES)


def _head(doc: Document) -> str:
    """The page's title area: the title hint and the first lines of text."""
    return f"{doc.hints.get('title') or ''}\n{doc.text[:_HEAD_CHARS]}"


def _title_lines(head: str) -> list[str]:
    """Short lines (or table cells) near the top that speak of an annual
    report: the candidates for the page's own title. Menus and breadcrumbs
    ("政策解读 | 年度报告", "首页 > 年报") are split apart, so that a menu
    item never reads as the title."""
    cells = (c.strip() for ln in head.splitlines()[:15] for c in _SEPARATORS_RE.split(ln))
    return [c for c in cells if len(c) <= 120 and _REPORT_WORDS.search(c)]


def _title_cue(head: str) -> NotAReportError | None:
    """The error to raise when the page's title says it is an interpretation
    of a report or a comparison of two years, else None."""
    for line in _title_lines(head):
        m = _INTERPRETATION_RE.search(line)
        if m:
            return NotAReportError(
                f"这不是年度报告，而是对年度报告的解读（标题含“{m.group(0)}”：{_short(line)}）", seems="年度报告解读"
            )
        if _COMPARISON_RE.search(line) and (len(set(_YEAR_RE.findall(line))) >= 2 or _TWO_YEARS_RE.search(line)):
            return NotAReportError(f"这不是年度报告，而是两个年度的对比（标题：{_short(line)}）", seems="两个年度的对比")
    return None


_VERSUS_RE = re.compile(r"(?<![0-9])(20[0-9]{2})\s*年?度?\s*(?:vs\.?|VS\.?|Vs\.?|对比|比较|与)\s*(20[0-9]{2})(?![0-9])")
_SIMILARITY_RE = re.compile(r"重\s*复\s*率|相\s*似\s*度")


def _side_by_side_cue(head: str, text: str) -> NotAReportError | None:
    """A tool's comparison of two years' reports (two reports side by side,
    "2023 vs 2024", 重复率 lines), in any layout: ``pdftotext -layout`` puts the
    two titles on one line, so whole lines count here, not cells."""
    lines = head.splitlines()[:20]
    versus = next((m for ln in lines for m in [_VERSUS_RE.search(ln)] if m and m.group(1) != m.group(2)), None)
    title_years = {y for ln in lines for cell in _SEPARATORS_RE.split(ln) if _REPORT_WORDS.search(cell)
                   for y in _YEAR_RE.findall(cell)}
    side_titles = any(
        len({y for cell in _SEPARATORS_RE.split(ln) if _REPORT_WORDS.search(cell) for y in _YEAR_RE.findall(cell)}) >= 2
        and sum(bool(_REPORT_WORDS.search(cell)) for cell in _SEPARATORS_RE.split(ln)) >= 2
        for ln in lines
    )
    similarity = len(_SIMILARITY_RE.findall(text)) >= 1
    compare_word = any(_COMPARISON_RE.search(ln) for ln in lines)
    if versus and (similarity or not re.search(r"与", versus.group(0))):
        why = f"“{versus.group(1)} 与 {versus.group(2)}”并列"
    elif side_titles and (similarity or compare_word):
        why = "两份年度报告的标题并排"
    elif similarity and compare_word and len(title_years) >= 2:
        why = "标题为两个年度的对比并列出重复率"
    else:
        return None
    return NotAReportError(f"这不是年度报告，而是两个年度的对比（{why}）", seems="两个年度的对比")


def _check_template(doc: Document) -> None:
    # Placeholders count in the title area only (a stray "XX" deep in a real
    # report is not a template), except the template's own "（文字描述）".
    cue = _TEMPLATE_RE.search(_head(doc)) or _TEXT_PLACEHOLDER_RE.search(doc.text)
    if cue and "模板" in cue.group(0):
        why = f"标题写明是“{cue.group(0)}”"
    elif cue:
        why = f"含有占位符“{_short(cue.group(0), 16)}”"
    else:
        organ, year = title_parts(doc.hints.get("title") or find_title(doc.text))
        if organ or year or find_year(doc.text) or doc.hints.get("organ") or infer_organ(doc.text):
            return  # a real report whose cells are blank: the checks will say so
        why = "也没有机关名称和年度"
    raise NotAReportError(f"这不是年度报告，而是一份空白的报告模板（表格中没有任何数字，{why}）", seems="空白模板")


def _short(line: str, limit: int = 60) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
