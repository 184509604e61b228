"""The balance rules (勾稽关系) inside tables 三 and 四, and printed subtotals.

Each rule is evaluated per column or row; an instance with a blank (or
malformed) input is not evaluated, and the rule then reports one
not-assessable info naming every such cell.
"""

from __future__ import annotations

from parsing import report_format, schema

from .base import ERROR, Context, doubt_note, finding, not_assessable, read_with_rule, sum_text

RULES = {
    "requests.column_balance": (
        ERROR,
        "表三每一列：一、本年新收 + 二、上年结转 = (七)总计 + 四、结转下年度继续办理（格式在表头印明的勾稽关系）。",
    ),
    "requests.row_sum": (
        ERROR,
        "表三每一行：总计列 = 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。",
    ),
    "requests.outcome_sum": (
        ERROR,
        "表三每一列：(七)总计 = (一)予以公开至(六)其他处理·3.其他各办理结果行之和"
        "（报告只印一行不分项的“(六)其他处理”时，以该行代替其三个分项）。",
    ),
    "requests.subtotals": (
        ERROR,
        "报告另行印出的小计行（如不予公开小计）或“法人或其他组织小计”列，应等于其各组成项之和。",
    ),
    "reviews.row_sum": (
        ERROR,
        "表四行政复议、未经复议直接起诉、复议后起诉三组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
    ),
}

# The relations themselves are the format's (``parsing.model.format``): these rules
# evaluate its equations for the report's format and layout of (六)其他处理,
# and word what they find.


def _layout(ctx: Context) -> str:
    return report_format.layout_of(ctx.fmt, ctx.cells)


def single_other(ctx: Context) -> bool:
    """The report printed the single (六)其他处理 row (or is in the 2019 format, which has only it)."""
    return _layout(ctx) == report_format.SINGLE


def absent_rows(ctx: Context) -> tuple[str, ...]:
    """Standard requests rows the report's format or layout does not have."""
    return report_format.format_of(ctx.fmt).absent_rows(_layout(ctx))


def _equations(ctx: Context, rule: str) -> list[report_format.Equation]:
    return [eq for eq in report_format.format_of(ctx.fmt).equations(_layout(ctx)) if eq.rule == rule]


def _row_short(key: str) -> str:
    row = schema.EXTRA_ROWS.get(key)
    return row.short if row is not None else schema.REQUESTS.row(key).short


def _col_name(col: str) -> str:
    return next(c.short for c in schema.REQUEST_COLUMNS if c.key == col)


def _error(ctx: Context, rule: str, paths: list[str], message: str, expected, actual) -> dict:
    return finding(rule, ERROR, paths, message + doubt_note(ctx, paths), expected=expected, actual=actual)


class _Missing:
    """Collects the blank inputs of one rule's instances, and the cells the
    parser chose with the rule itself (a glued run's split: not judged by it)."""

    def __init__(self, rule: str | None = None) -> None:
        self.cells: list[str] = []
        self.rule = rule
        self.chosen: list[str] = []

    def values(self, ctx: Context, paths) -> list[int] | None:
        cells = ctx.cells
        vals = [cells.get(p) for p in paths]
        if all(type(v) is int for v in vals):
            chosen = [p for p in paths if self.rule and self.rule in ctx.read_with(p)]
            if chosen:
                self.chosen.extend(chosen)
                return None
            return vals
        self.cells.extend(p for p, v in zip(paths, vals) if ctx.count(p) is None)
        return None

    def report(self, rule: str, ctx: Context, what: str, out: list) -> None:
        if self.cells:
            out.append(not_assessable(rule, ctx, self.cells, what))
        if self.chosen:
            out.append(read_with_rule(rule, ctx, self.chosen, what))


def column_balance(ctx: Context) -> list[dict]:
    rule = report_format.COLUMN_BALANCE
    out, missing = [], _Missing(rule)
    for eq in _equations(ctx, rule):
        col, paths = eq.at, list(eq.cells)
        vals = missing.values(ctx, paths)
        if vals is None:
            continue
        new, carried, total, forward = vals
        if new + carried != total + forward:
            out.append(_error(
                ctx, rule, paths,
                f"{_col_name(col)}列：本年新收 {new} + 上年结转 {carried} = {new + carried}，"
                f"应等于 (七)总计 {total} + 结转下年度 {forward} = {total + forward}",
                expected=new + carried, actual=total + forward,
            ))
    missing.report(rule, ctx, "“新收 + 结转 = 总计 + 结转下年度”", out)
    return out


def row_sum(ctx: Context) -> list[dict]:
    out, missing = [], _Missing()
    rule = report_format.ROW_SUM
    for eq in _equations(ctx, rule):
        row, paths = eq.at, list(eq.cells)
        vals = missing.values(ctx, paths)
        if vals is None:
            continue
        *nums, total = vals
        if sum(nums) != total:
            out.append(_error(
                ctx, rule, paths,
                f"{_row_short(row)}：总计列应为 {sum_text(nums)} = {sum(nums)}，报告为 {total}",
                expected=sum(nums), actual=total,
            ))
    missing.report(rule, ctx, "“总计列 = 六类申请人之和”", out)
    return out


def _labelled_sum(paths, nums) -> str:
    """``予以公开 12 + 部分公开 6 = 18（其余各项为 0）``: the non-zero terms, named."""
    terms = [f"{_row_short(schema.split_path(p)[1])} {n}" for p, n in zip(paths, nums) if n]
    zeros = len(nums) - len(terms)
    body = " + ".join(terms) if terms else "0"
    tail = f"（其余 {zeros} 项为 0）" if terms and zeros else ("（各项均为 0）" if not terms else "")
    return f"{body} = {sum(nums)}{tail}"


def outcome_sum(ctx: Context) -> list[dict]:
    rule = report_format.OUTCOME_SUM
    out, missing = [], _Missing(rule)
    for eq in _equations(ctx, rule):
        col, paths = eq.at, list(eq.cells)
        vals = missing.values(ctx, paths)
        if vals is None:
            continue
        *nums, total = vals
        if sum(nums) != total:
            out.append(_error(
                ctx, rule, paths,
                f"{_col_name(col)}列：(七)总计应为各办理结果之和 {_labelled_sum(paths[:-1], nums)}，报告为 {total}",
                expected=sum(nums), actual=total,
            ))
    missing.report(rule, ctx, "“(七)总计 = 各办理结果之和”", out)
    return out


def _subtotal_instances(ctx: Context):
    """(subtotal path, part paths) for every subtotal the report printed."""
    for path in ctx.extra:
        parts = report_format.subtotal_parts(path)
        if parts is not None:
            yield path, list(parts)


def subtotals(ctx: Context) -> list[dict]:
    out, missing = [], _Missing()
    rule = report_format.SUBTOTALS
    for path, parts in _subtotal_instances(ctx):
        vals = missing.values(ctx, parts + [path])
        if vals is None:
            continue
        *nums, total = vals
        if sum(nums) != total:
            out.append(_error(
                ctx, rule, parts + [path],
                f"{ctx.label(path)}应为 {sum_text(nums)} = {sum(nums)}，报告为 {total}",
                expected=sum(nums), actual=total,
            ))
    missing.report(rule, ctx, "小计", out)
    return out


def reviews_row_sum(ctx: Context) -> list[dict]:
    out, missing = [], _Missing()
    rule = report_format.REVIEWS_ROW_SUM
    for eq in _equations(ctx, rule):
        row, paths = schema.REVIEWS.row(eq.at), list(eq.cells)
        vals = missing.values(ctx, paths)
        if vals is None:
            continue
        *nums, total = vals
        if sum(nums) != total:
            out.append(_error(
                ctx, rule, paths,
                f"{row.label}：总计应为 维持{nums[0]} + 纠正{nums[1]} + 其他{nums[2]} + 未审结{nums[3]} = {sum(nums)}，"
                f"报告为 {total}",
                expected=sum(nums), actual=total,
            ))
    missing.report(rule, ctx, "“总计 = 维持 + 纠正 + 其他 + 尚未审结”", out)
    return out


def check(ctx: Context) -> list[dict]:
    if not ctx.tables.get("requests") and not ctx.tables.get("reviews"):
        return []
    out: list[dict] = []
    if ctx.tables.get("requests"):
        for rule in (column_balance, row_sum, outcome_sum, subtotals):
            out += rule(ctx)
    if ctx.tables.get("reviews"):
        out += reviews_row_sum(ctx)
    return out
