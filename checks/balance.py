"""The balance rules (勾稽关系) inside tables 三 and 四, and printed subtotals.

Each rule is evaluated per column or row; an instance with a blank (or
malformed) input is not evaluated, and the rule then reports one
not-assessable info naming every such cell.
"""

from __future__ import annotations

from parsing import schema

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

_APPLICANTS = tuple(c.key for c in schema.APPLICANT_COLUMNS)
_ORG_COLUMNS = _APPLICANTS[1:]
_REQ_COLUMNS = tuple(c.key for c in schema.REQUEST_COLUMNS)
_REQ_ROWS = tuple(r.key for r in schema.REQUESTS.rows)
_REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
_SUBTOTAL_ROWS = {f"subtotal_{group}": rows for group, rows in schema.OUTCOME_GROUPS.items()}

# The cells of every rule instance, computed once.
_BALANCE_CELLS = [
    (col, [f"requests.{r}.{col}" for r in ("new_received", "carried_over", "total", "carried_forward")])
    for col in _REQ_COLUMNS
]
# The 2019 format (and some 2021 reports) print one undivided (六)其他处理 row
# (``requests.other_single``, an extra row) instead of its three sub-rows:
# there the sub-rows are blank and the single row takes their place in the sums.
OTHER_SUBROWS = schema.OUTCOME_GROUPS["other"]
ABSENT_2019 = OTHER_SUBROWS
SINGLE_OTHER = schema.OTHER_SINGLE.key


def _legacy_2019(ctx: Context) -> bool:
    """A 2019-format report saved before the single row had its own key: it sits in (六)3."""
    return (ctx.fmt == schema.FORMAT_2019
            and not any(p.startswith(f"requests.{SINGLE_OTHER}.") for p in ctx.extra)
            and any(ctx.count(f"requests.other_other.{c}") is not None for c in _REQ_COLUMNS))


def single_other(ctx: Context) -> bool:
    """The report printed the single (六)其他处理 row (or is in the 2019 format, which has only it)."""
    if ctx.fmt == schema.FORMAT_2019:
        return not _legacy_2019(ctx)
    return any(p.startswith(f"requests.{SINGLE_OTHER}.") and ctx.count(p) is not None for p in ctx.extra) and all(
        ctx.count(f"requests.{r}.{c}") is None for r in OTHER_SUBROWS for c in _REQ_COLUMNS
    )


def absent_rows(ctx: Context) -> tuple[str, ...]:
    """Standard requests rows the report's format or layout does not have."""
    if _legacy_2019(ctx):
        return OTHER_SUBROWS[:2]
    return OTHER_SUBROWS if single_other(ctx) else ()


def _row_cells(rows):
    return [(row, [f"requests.{row}.{c}" for c in _APPLICANTS + ("total",)]) for row in rows]


def _outcome_cells(rows):
    return [(col, [f"requests.{r}.{col}" for r in rows + ("total",)]) for col in _REQ_COLUMNS]


def _with_single(rows, after: str = "rejected_confirmation"):
    rows = tuple(r for r in rows if r not in OTHER_SUBROWS)
    i = rows.index(after) + 1
    return rows[:i] + (SINGLE_OTHER,) + rows[i:]


_ROW_CELLS = {
    "standard": _row_cells(_REQ_ROWS),
    "single": _row_cells(_with_single(_REQ_ROWS)),
    "legacy": _row_cells(tuple(r for r in _REQ_ROWS if r not in OTHER_SUBROWS[:2])),
}
_OUTCOME_CELLS = {
    "standard": _outcome_cells(schema.OUTCOME_ROWS),
    "single": _outcome_cells(_with_single(schema.OUTCOME_ROWS)),
    "legacy": _outcome_cells(tuple(r for r in schema.OUTCOME_ROWS if r not in OTHER_SUBROWS[:2])),
}


def _shape(ctx: Context) -> str:
    return "legacy" if _legacy_2019(ctx) else ("single" if single_other(ctx) else "standard")


def _row_short(key: str) -> str:
    row = schema.EXTRA_ROWS.get(key)
    return row.short if row is not None else schema.REQUESTS.row(key).short
_REVIEW_CELLS = [(row, [f"reviews.{row.key}.{c}" for c in _REVIEW_PARTS + ("total",)]) for row in schema.REVIEWS.rows]


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
    rule = "requests.column_balance"
    out, missing = [], _Missing(rule)
    for col, paths in _BALANCE_CELLS:
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
    rule = "requests.row_sum"
    for row, paths in _ROW_CELLS[_shape(ctx)]:
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
    rule = "requests.outcome_sum"
    out, missing = [], _Missing(rule)
    for col, paths in _OUTCOME_CELLS[_shape(ctx)]:
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
        try:
            table, row, col = schema.split_path(path)
        except ValueError:
            continue
        if table != "requests":
            continue
        if row in _SUBTOTAL_ROWS:
            yield path, [f"requests.{r}.{col}" for r in _SUBTOTAL_ROWS[row]]
        elif col == "legal_entity_subtotal":
            yield path, [f"requests.{row}.{c}" for c in _ORG_COLUMNS]


def subtotals(ctx: Context) -> list[dict]:
    out, missing = [], _Missing()
    rule = "requests.subtotals"
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
    rule = "reviews.row_sum"
    for row, paths in _REVIEW_CELLS:
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
