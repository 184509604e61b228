"""Single-cell value rules: counts are whole numbers ≥ 0, money is a decimal
in 万元 to at most 6 places (to the fen: real reports print 5949.088667; the
format's 保留4位小数 is a convention, not a balance rule)."""

from __future__ import annotations

from parsing import schema

from .base import ERROR, Context, finding, to_decimal

RULES = {
    "values.negative": (ERROR, "件数或金额不能为负数（2019 年格式的“本年增/减”列除外）。"),
    "values.not_integer": (ERROR, "件数必须是整数：小数、文字或其他非整数的值说明报告或识别有误。"),
    "values.fee_not_number": (ERROR, "行政事业性收费金额（万元）必须是一个数。"),
    "values.fee_precision": (ERROR, "行政事业性收费金额（万元）最多 6 位小数（精确到分）；多于 6 位说明单位或数值有误。"),
}

# 万元 to the fen: 0.000001 万元 = 0.01 元.
_FEE_PLACES = 6

# Cells of the 2019 format kept as written with their unit: not checkable here.
_AS_WRITTEN = ("active.procurement.amount",)


def _check_money(ctx: Context, path: str, value) -> dict | None:
    amount = to_decimal(value)
    if amount is None:
        return finding("values.fee_not_number", ERROR, [path], f"{ctx.label(path)}应为数字，报告为“{value}”",
                       expected="数字", actual=value)
    if amount < 0:
        return finding("values.negative", ERROR, [path], f"{ctx.label(path)}不能为负数，报告为 {value}",
                       expected="≥ 0", actual=value)
    places = -amount.as_tuple().exponent if amount.as_tuple().exponent < 0 else 0
    if places > _FEE_PLACES:
        return finding("values.fee_precision", ERROR, [path],
                       f"{ctx.label(path)}以万元计最多 {_FEE_PLACES} 位小数（精确到分），报告为 {value}（{places} 位小数），"
                       "请核对单位（万元）与数值", expected=f"≤ {_FEE_PLACES} 位小数", actual=value)
    return None


def _check_count(ctx: Context, path: str, value) -> dict | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return finding("values.not_integer", ERROR, [path], f"{ctx.label(path)}应为整数件数，报告为“{value}”",
                       expected="整数", actual=value)
    if value < 0 and not schema.is_signed(path, ctx.fmt):
        return finding("values.negative", ERROR, [path], f"{ctx.label(path)}不能为负数，报告为 {value}",
                       expected="≥ 0", actual=value)
    return None


def check(ctx: Context) -> list[dict]:
    out = []
    for path, value in ctx.cells.items():
        if value is None or path in _AS_WRITTEN:
            continue
        if type(value) is int and value >= 0:  # the common case, fast
            continue
        bad = _check_money(ctx, path, value) if schema.is_money(path) else _check_count(ctx, path, value)
        if bad:
            out.append(bad)
    return out
