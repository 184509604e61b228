"""Single-cell value rules: what each cell may hold is the format's
(``parsing.model.format``: counts are whole numbers ≥ 0, the 2019 format's 本年增/减
may be negative, money is a decimal in 万元 to at most 6 places); these rules
report a stored value that breaks it."""

from __future__ import annotations

from parsing import value_rule

from .base import ERROR, Context, finding

RULES = {
    "values.negative": (ERROR, "件数或金额不能为负数（2019 年格式的“本年增/减”列除外）。"),
    "values.not_integer": (ERROR, "件数必须是整数：小数、文字或其他非整数的值说明报告或识别有误。"),
    "values.fee_not_number": (ERROR, "行政事业性收费金额（万元）必须是一个数。"),
    "values.fee_precision": (ERROR, "行政事业性收费金额（万元）最多 6 位小数（精确到分）；多于 6 位说明单位或数值有误。"),
}


def _places(value) -> int:
    from decimal import Decimal

    exponent = Decimal(str(value).strip().replace(",", "")).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _finding(ctx: Context, path: str, value, problem: str, places: int) -> dict:
    label = ctx.label(path)
    if problem == "not_number":
        return finding("values.fee_not_number", ERROR, [path], f"{label}应为数字，报告为“{value}”",
                       expected="数字", actual=value)
    if problem == "not_integer":
        return finding("values.not_integer", ERROR, [path], f"{label}应为整数件数，报告为“{value}”",
                       expected="整数", actual=value)
    if problem == "negative":
        return finding("values.negative", ERROR, [path], f"{label}不能为负数，报告为 {value}",
                       expected="≥ 0", actual=value)
    return finding("values.fee_precision", ERROR, [path],
                   f"{label}以万元计最多 {places} 位小数（精确到分），报告为 {value}（{_places(value)} 位小数），"
                   "请核对单位（万元）与数值", expected=f"≤ {places} 位小数", actual=value)


def check(ctx: Context) -> list[dict]:
    out = []
    for path, value in ctx.cells.items():
        if value is None:
            continue
        if type(value) is int and value >= 0:  # the common case, fast
            continue
        rule = value_rule(path, ctx.fmt)
        if not rule.checked:
            continue
        problem = rule.problem(value)
        if problem:
            out.append(_finding(ctx, path, value, problem, rule.places))
    return out
