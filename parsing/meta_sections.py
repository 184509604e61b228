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
_TOP_NUM = rf"(?:第{_CN_NUM}部分\s*[:：、]?|{_CN_NUM}\s*[、.．，,])"
_SUB_NUM = rf"(?:[（(]\s*{_CN_NUM}\s*[）)]|[0-9０-９]{{1,2}}\s*[、.．])"

# Title words of each section, in statutory order (2021, 2019 and 2008 wordings).
SECTION_TITLES: tuple[tuple[str, str], ...] = (
    ("overview", r"(?:政府信息公开(?:工作)?)?(?:总体情况|总体概况|基本情况|工作概述|概述)"),
    ("active", r"(?:行政机关|政府信息公开)?主动公开政府信息(?:的)?(?:工作)?(?:情况|工作)"),
    (
        "requests",
        r"(?:行政机关)?收到(?:和|及|与)处理政府信息公开申请(?:的)?情况"
        r"|政府信息(?:公开)?依申请公开(?:工作|办理)?(?:的)?情况|依申请公开政府信息(?:的)?情况",
    ),
    (
        "reviews",
        r"(?:因?政府信息公开(?:工作)?(?:被)?(?:申请)?)?行政复议\s*[、,，和及与]\s*(?:提起)?行政诉讼(?:的)?(?:情况|案件情况)",
    ),
    (
        "problems",
        r"(?:政府信息公开)?(?:工作)?(?:存在的?)?(?:主要)?问题(?:及|和|与)(?:其)?改进(?:情况|措施)",
    ),
    ("other", r"其他需要(?:报告|说明)的事项"),
)


def _compile(words: str) -> tuple[re.Pattern, re.Pattern]:
    top = re.compile(rf"{_TOP_NUM}\s*(?:{words})")
    sub = re.compile(rf"{_SUB_NUM}\s*(?:{words})|^[ \t　]*(?:{words})(?=[ \t　|｜:：]*$)", re.M)
    return top, sub


_PATTERNS = tuple((key, *_compile(words)) for key, words in SECTION_TITLES)


def find_sections(text: str) -> list[dict]:
    """The statutory sections found, in order: ``{"key", "title", "span"}``;
    ``span`` runs from the heading to the next found heading (the last to the
    end of the text)."""
    found: list[tuple[str, str, int]] = []
    pos = 0
    for key, top, sub in _PATTERNS:
        m = top.search(text, pos) or sub.search(text, pos)
        if m:
            found.append((key, m.group(0).strip(), m.start()))
            pos = m.end()
    ends = [start for _, _, start in found[1:]] + [len(text)]
    return [
        {"key": key, "title": title, "span": [start, end]}
        for (key, title, start), end in zip(found, ends)
    ]
