"""The six statutory sections: present, and section 五 not a token.

Sections come from the parser (``report["sections"]``); while it finds none,
a small heading finder here locates them in the display text (cached per
text), so the rules and the narrative rules can still read a section.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parsing import schema

from .base import WARNING, Context, finding, quote

RULES = {
    "sections.missing": (
        WARNING,
        "年度报告应包含六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
        "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。"
        "2021 年格式还要求第六部分说明信息处理费的收取情况（收取或未收取）。",
    ),
    "sections.empty": (
        WARNING,
        "第五部分“存在的主要问题及改进情况”为空或只写“无”：应如实说明存在的问题和改进措施。",
    ),
}

SECTION_KEYS = ("overview", "active", "requests", "reviews", "problems", "other")
SECTION_TITLES = {
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
_HEADINGS = {
    "overview": re.compile(r"一\s*[、.．]\s*(?:总体情况|概述|报告内容|基本情况|总体概况|工作概况|概况)"),
    "active": re.compile(r"二\s*[、.．]\s*主动公开"),
    "requests": re.compile(r"三\s*[、.．]\s*(?:收到和处理|依申请公开|政府信息公开申请)"),
    "reviews": re.compile(r"四\s*[、.．][^。\n|]{0,12}?行政复议"),
    "problems": re.compile(r"五\s*[、.．][^。\n|]{0,8}?问题"),
    "other": re.compile(r"六\s*[、.．]\s*其他需要报告"),
}
_HEADING_REST = re.compile(r"^[^\n|。，,]{0,10}?(?:情况|事项)")
_FEE = re.compile(r"处理费")
_TOKEN = re.compile(r"[\s|｜。，,.;；:：、!！“”\"（）()\-—]+")
_TOKENS = {"", "无", "暂无", "没有", "无此情况", "无相关情况", "无需要报告的事项", "无问题"}


@lru_cache(maxsize=256)
def find_sections(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(key, title, start, end) of each section heading found, in text order."""
    found = []
    pos = 0
    for key in SECTION_KEYS:
        m = _HEADINGS[key].search(text, pos)
        if m:
            found.append((key, m.group(), m.start()))
            pos = m.end()
    return tuple(
        (key, title, start, found[i + 1][2] if i + 1 < len(found) else len(text))
        for i, (key, title, start) in enumerate(found)
    )


def section_texts(ctx: Context) -> dict[str, str]:
    """Section key → its text (heading included)."""
    given = ctx.report.get("sections") or []
    if given:
        out = {}
        for s in given:
            span = s.get("span")
            if s.get("key") in SECTION_TITLES and span and s["key"] not in out:
                out[s["key"]] = ctx.text[span[0]:span[1]]
        return out
    return {key: ctx.text[a:b] for key, _, a, b in find_sections(ctx.text)}


def section_text(ctx: Context, key: str) -> str | None:
    """The text of one section; None when it was not found."""
    return section_texts(ctx).get(key)


def _body(key: str, section: str) -> str:
    """A section's text without its heading (which may share a line with the text)."""
    m = _HEADINGS[key].match(section.lstrip())
    rest = section.lstrip()[m.end():] if m else section
    return _HEADING_REST.sub("", rest, count=1).strip()


_FEE_STATEMENT = "第六部分：信息处理费的收取情况"


def _missing(ctx: Context, texts: dict[str, str]) -> list:
    absent = [SECTION_TITLES[k] for k in SECTION_KEYS if k not in texts]
    problems = []
    # `expected`/`actual` speak one vocabulary: what the report must contain, what it does.
    expected = list(SECTION_TITLES.values())
    actual = [SECTION_TITLES[k] for k in SECTION_KEYS if k in texts]
    if absent:
        problems.append(f"缺少{'、'.join(absent)}")
    other = texts.get("other")
    if ctx.fmt == schema.FORMAT_2021 and other is not None and not _FEE.search(other):
        problems.append("第六部分未说明信息处理费的收取情况（收取或未收取）")
        expected.append(_FEE_STATEMENT)
    elif other is not None and ctx.fmt == schema.FORMAT_2021:
        actual.append(_FEE_STATEMENT)
    if not problems:
        return []
    return [finding("sections.missing", WARNING, [], "；".join(problems), expected=expected, actual=actual)]


def _empty(texts: dict[str, str]) -> list:
    problems = texts.get("problems")
    if problems is None:
        return []
    body = _body("problems", problems)
    if _TOKEN.sub("", body) in _TOKENS:
        shown = quote(body, 20) if body else "（空白）"
        return [finding("sections.empty", WARNING, [], f"第五部分“存在的主要问题及改进情况”没有实际内容：{shown}",
                        expected="问题及改进措施", actual=body)]
    return []


def check(ctx: Context) -> list[dict]:
    if ctx.fmt not in (schema.FORMAT_2021, schema.FORMAT_2019):
        return []
    texts = section_texts(ctx)
    return _missing(ctx, texts) + _empty(texts)
