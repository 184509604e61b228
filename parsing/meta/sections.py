"""Finding the six statutory sections of a report in its display text.

Sections are recognised by their title words, not their numbers (real reports
renumber them, wrap them in "一、报告内容", number the 总体情况 subtopics
一、二、三, or glue every heading into one crawler line). A heading is a
number (``一、``, ``（一）``, ``第一部分``) followed by the title words, or a
line holding only the title words. For each section in statutory order the
first heading after the previous section wins, preferring a top-level
``一、``-style heading over a ``（一）``-style one (a subtopic of 总体情况 may
share the words of a later section).
"""

from __future__ import annotations

import re

_CN_NUM = "[一二三四五六七八九十]{1,3}"
_TOP_NUM = rf"(?:第{_CN_NUM}部分\s*[:：、]?|{_CN_NUM}\s*[、.．])"  # not "之一，…": prose
_SUB_NUM = rf"(?:[（(]\s*{_CN_NUM}\s*[）)]|[0-9０-９]{{1,2}}\s*[、.．])"

# Title words of each section, in statutory order (2021, 2019 and 2008
# wordings): (key, core words, closing words such as 情况).
_TITLE_PARTS: tuple[tuple[str, str, str], ...] = (
    ("overview", r"(?:政府信息公开(?:工作)?)?(?:总体情况|总体概况|基本情况|工作概述|概述)", ""),
    ("active", r"(?:行政机关|政府信息公开)?主动公开政府信息", r"(?:的)?(?:工作)?(?:情况|工作)"),
    (
        "requests",
        r"(?:行政机关)?收到(?:和|及|与)处理政府信息公开申请|政府信息(?:公开)?依申请公开(?:工作|办理)?|依申请公开政府信息",
        r"(?:的)?情况",
    ),
    (
        "reviews",
        r"(?:因?政府信息公开(?:工作)?(?:被)?(?:申请)?)?行政复议\s*[、,，和及与]\s*(?:提起)?行政诉讼",
        r"(?:的)?(?:情况|案件情况)",
    ),
    ("problems", r"(?:政府信息公开)?(?:工作)?(?:存在的?)?(?:主要)?问题(?:及|和|与)(?:其)?改进", r"(?:情况|措施)"),
    ("other", r"其他需要(?:报告|说明)的事项", ""),
)
SECTION_TITLES: tuple[tuple[str, str], ...] = tuple((k, f"(?:{core}){tail}") for k, core, tail in _TITLE_PARTS)


# Literal words every title of a section contains: a fast first scan (a
# pattern that starts with optional groups would be tried at every character).
_ANCHORS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "总体概况", "基本情况", "概述"),
    "active": ("主动公开政府信息",),
    "requests": ("处理政府信息公开申请", "依申请公开"),
    "reviews": ("行政复议",),
    "problems": ("问题",),
    "other": ("其他需要", "其他事项"),
}
_WINDOW = 24  # how far before an anchor a title (with its prefix) may start
_TITLE_RES = {key: re.compile(words) for key, words in SECTION_TITLES}
# Titles without their closing words (an OCR typo in 情况) or shortened
# (六、其他事项): taken only after a top-level number.
_CORE_RES = {key: re.compile(core) for key, core, tail in _TITLE_PARTS if tail} | {
    "other": re.compile(r"其他(?:需要(?:报告|说明)的?)?事项"),
}
_ANCHOR_RE = re.compile("|".join(sorted({a for v in _ANCHORS.values() for a in v}, key=len, reverse=True)))
_KEYS_OF = {a: tuple(k for k, v in _ANCHORS.items() if a in v) for v in _ANCHORS.values() for a in v}
_TOP_END_RE = re.compile(rf"{_TOP_NUM}\s*$")
_SUB_END_RE = re.compile(rf"{_SUB_NUM}\s*$")
_LINE_TAIL_RE = re.compile(r"[ \t　|｜:：]*(?:\n|$)")

TOP, SUB = 0, 1  # heading ranks: a top-level 一、 heading beats a （一） or bare one


def _candidates(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """Every heading-like occurrence of each section's title words:
    ``{key: [(rank, start, end), ...]}`` in text order."""
    found: dict[str, list[tuple[int, int, int]]] = {key: [] for key in _ANCHORS}
    for hit in _ANCHOR_RE.finditer(text):
        for key in _KEYS_OF[hit.group(0)]:
            heading = _heading_at(text, key, hit.start())
            if heading and (not found[key] or found[key][-1][1] != heading[1]):
                found[key].append(heading)
    return found


def _heading_at(text: str, key: str, anchor: int) -> tuple[int, int, int] | None:
    """(rank, start, end) of a heading whose title words contain ``anchor``, or None."""
    lo = max(0, anchor - _WINDOW)
    for m in _TITLE_RES[key].finditer(text, lo, anchor + 40):
        if m.start() <= anchor < m.end():
            return _numbered(text, m.start(), m.end())
    core = _CORE_RES.get(key)
    for m in core.finditer(text, lo, anchor + 40) if core else ():
        if m.start() <= anchor < m.end():
            heading = _numbered(text, m.start(), m.end())
            return heading if heading and heading[0] == TOP else None
    return None


def _numbered(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    before = text[max(0, start - 14) : start]
    for rank, rx in ((TOP, _TOP_END_RE), (SUB, _SUB_END_RE)):
        m = rx.search(before)
        if m:
            return rank, start - len(before) + m.start(), end
    line_start = "\n" in before or start <= 14
    if line_start and not before.rsplit("\n", 1)[-1].strip(" \t　") and _LINE_TAIL_RE.match(text, end):
        return SUB, start, end  # the title alone on its line
    return None


def find_sections(text: str) -> list[dict]:
    """The statutory sections found, in order: ``{"key", "title", "span"}``;
    ``span`` runs from the heading to the next found heading (the last to the
    end of the text)."""
    candidates = _candidates(text)
    found: list[tuple[str, str, int]] = []
    pos = 0
    for key, _ in SECTION_TITLES:
        after = [c for c in candidates[key] if c[1] >= pos]
        if after:
            _, start, end = min(after, key=lambda c: c[0])  # stable: first of the best rank
            found.append((key, text[start:end].strip(), start))
            pos = end
    ends = [start for _, _, start in found[1:]] + [len(text)]
    return [
        {"key": key, "title": title, "span": [start, end]}
        for (key, title, start), end in zip(found, ends)
    ]
