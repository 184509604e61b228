"""Rules across years: this report against the same organ's previous one.

``previous`` is ``(report, text)`` of the previous reporting year, when the
audit database holds it; without it these rules say nothing.
"""

from __future__ import annotations

import re

from parsing import is_money, is_signed, report_format, schema

from .base import ERROR, INFO, WARNING, Context, finding, not_assessable
from .sections import section_texts

CARRY_OVER, STOCK_CHAIN = report_format.CARRY_OVER, report_format.STOCK_CHAIN  # the cross-year rules (ids in the format data)

RULES = {
    CARRY_OVER: (
        ERROR,
        "本年表三“二、上年结转”每一列应等于同一机关上一年度报告的“四、结转下年度继续办理”。",
    ),
    STOCK_CHAIN: (
        WARNING,
        "规章、行政规范性文件：本年现行有效 = 上年现行有效 + 本年制发 − 本年废止；且本年废止不能多于上年现行有效与本年制发之和。",
    ),
    "history.reuse": (
        WARNING,
        "第一部分（总体情况）和第五部分（问题及改进）一半以上与上一年度报告逐字相同：2021 年格式通知将“内容雷同”列为问题。",
    ),
    "history.jump": (
        INFO,
        "某项件数与上一年度相比变化超过五倍（增或减，且至少一方不少于 20 件）：请确认不是录入或识别错误。",
    ),
}

_SENT = re.compile(r"[^。；;！？!?\n|]+")
_JUMP_MIN, _JUMP_FACTOR = 20, 5


def _carry_over(ctx: Context, prev: Context) -> list:
    out, gaps = [], []
    for link in report_format.CARRY_OVERS:
        this_path, col = link.this, link.column
        this, last = ctx.count(this_path), prev.count(link.last)
        if this is None or last is None:
            gaps.append((this_path, this is None, last is None))
            continue
        if this != last:
            name = next(c.short for c in schema.REQUEST_COLUMNS if c.key == col)
            out.append(finding(CARRY_OVER, ERROR, [this_path],
                               f"{name}列：上年报告结转下年度 {last} 件，本年上年结转应为 {last}，报告为 {this}",
                               expected=last, actual=this))
    if gaps:
        names = "、".join(
            ctx.label(p) + ("无数值" if here else "") + ("（上年结转下年度无数值）" if there else "")
            for p, here, there in gaps
        )
        out.append(finding(CARRY_OVER, INFO, [p for p, _, _ in gaps], f"无法核对与上年的衔接：{names}"))
    return out


def _normative(ctx: Context, prev: Context) -> list:
    out = []
    for chain in report_format.stock_chains(ctx.fmt, prev.fmt):  # none when either year's format has no 现行有效
        paths = list(chain.paths)
        issued, repealed, in_force = (ctx.count(p) for p in paths)
        last = prev.count(chain.last)
        name = schema.ACTIVE_2021.row(chain.row).short
        read_by_it = [p for p in paths if STOCK_CHAIN in ctx.read_with(p)]
        if read_by_it:
            # the glued row was split with this very rule: it cannot also judge it
            out.append(finding(STOCK_CHAIN, INFO, read_by_it,
                               f"{name}：{'、'.join(ctx.label(p) for p in read_by_it)}是按“上年现行有效 + 制发 − 废止 = 现行有效”"
                               "从粘连的数字中选定的，不能再用同一关系核对，请对照原文确认"))
            continue
        if None in (issued, repealed, in_force, last):
            gaps = [p for p, v in zip(paths, (issued, repealed, in_force)) if v is None]
            out.append(not_assessable(STOCK_CHAIN, ctx, gaps or paths[2:],
                                      f"{name}现行有效件数的衔接" + ("（上年现行有效无数值）" if last is None else "")))
            continue
        expected = chain.expected(last, issued, repealed)
        if in_force != expected:
            out.append(finding(STOCK_CHAIN, WARNING, paths,
                               f"{name}：上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，"
                               f"报告现行有效为 {in_force}", expected=expected, actual=in_force))
        if repealed > last + issued:
            out.append(finding(STOCK_CHAIN, WARNING, [paths[1]],
                               f"{name}：本年废止 {repealed} 件，多于上年现行有效 {last} + 本年制发 {issued} = {last + issued}",
                               expected=f"≤ {last + issued}", actual=repealed))
    return out


MIN_SENTENCE = 8  # characters: shorter pieces (headings, table labels' fragments) are not sentences


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) of each sentence of ``text`` (split at 。；！？, line
    breaks and ``|``; stripped; at least ``MIN_SENTENCE`` characters). The one
    sentence splitter of the cross-year rules and the comparison view."""
    out = []
    for m in _SENT.finditer(text):
        raw = m.group()
        s = raw.strip()
        if len(s) >= MIN_SENTENCE:
            start = m.start() + (len(raw) - len(raw.lstrip()))
            out.append((start, start + len(s), s))
    return out


def _sentences(text: str) -> list[str]:
    return [s for _, _, s in sentence_spans(text)]


def _reuse(ctx: Context, prev: Context) -> list:
    this, last = section_texts(ctx), section_texts(prev)
    total = repeated = 0
    shares = []
    for key, name in (("overview", "一"), ("problems", "五")):
        if key not in this or key not in last:
            continue
        before = set(_sentences(last[key]))
        sents = _sentences(this[key])
        size = sum(len(s) for s in sents)
        same = sum(len(s) for s in sents if s in before)
        total, repeated = total + size, repeated + same
        if size:
            shares.append(f"第{name}部分 {100 * same / size:.0f}%")
    if total and repeated * 2 > total:
        return [finding("history.reuse", WARNING, [],
                        f"第一、五部分有 {100 * repeated / total:.0f}% 的文字与上一年度报告逐字相同（{'，'.join(shares)}）",
                        expected="≤ 50%", actual=f"{100 * repeated / total:.0f}%")]
    return []


def is_jump(last: int | None, this: int | None) -> bool:
    """A count that changed more than fivefold (up or down, or from/to 0) with at
    least one side 20 or more: the ``history.jump`` rule, also the comparison's mark."""
    if this is None or last is None or max(this, last) < _JUMP_MIN:
        return False
    lo, hi = min(this, last), max(this, last)
    return lo == 0 or hi > _JUMP_FACTOR * lo


def _jump(ctx: Context, prev: Context) -> list:
    out = []
    for path in schema.cell_paths(ctx.fmt):
        if is_money(path) or is_signed(path, ctx.fmt):
            continue
        this, last = ctx.count(path), prev.count(path)
        if this is None or last is None:
            continue
        if is_jump(last, this):
            out.append(finding("history.jump", INFO, [path],
                               f"{ctx.label(path)}由上年 {last} 变为本年 {this}，变化超过五倍，请确认",
                               expected=last, actual=this))
    return out


def check(ctx: Context) -> list[dict]:
    if not ctx.previous:
        return []
    prev_report, prev_text = ctx.previous
    prev = Context.of(prev_report, prev_text)
    out = _reuse(ctx, prev)
    if ctx.has_tables() and prev.has_tables():
        out = _carry_over(ctx, prev) + _normative(ctx, prev) + _jump(ctx, prev) + out
    return out
