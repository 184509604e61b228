"""Which national format the report uses, against its year."""

from __future__ import annotations

from parsing import schema

from .base import INFO, WARNING, Context, finding

RULES = {
    "format.outdated": (
        WARNING,
        "2021 年及以后的年度报告应使用国办公开办函〔2021〕30号规定的新格式；该报告仍使用 2019 年格式（国办公开办函〔2019〕60号）。",
    ),
    "format.pre2019": (
        INFO,
        "按 2008 年旧条例编制的报告（2019 年以前）：没有现行格式的三张统计表，只核对正文类规则。",
    ),
}


def check(ctx: Context) -> list[dict]:
    year = ctx.meta.get("year")
    if ctx.fmt == schema.FORMAT_PRE2019:
        return [finding("format.pre2019", INFO, [], f"该报告为 2019 年以前的旧格式{f'（{year} 年度）' if year else ''}，"
                        "不适用现行统计表的勾稽核对，仅核对正文", expected=None, actual=ctx.fmt)]
    if ctx.fmt == schema.FORMAT_2019 and isinstance(year, int) and year >= 2021:
        return [finding("format.outdated", WARNING, [], f"{year} 年度报告仍使用 2019 年格式，"
                        "应使用国办公开办函〔2021〕30号规定的格式", expected=schema.FORMAT_2021, actual=ctx.fmt)]
    return []
