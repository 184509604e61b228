"""Short Chinese names of the checks' rules: the one definition, read by the
app (findings pane, notifications, help screen, ``check``'s output) and the
exports (a 规则 column beside the rule id). Every rule in ``RULES`` has one
(a test says so)."""

from __future__ import annotations

RULE_NAMES: dict[str, str] = {
    "format.outdated": "使用旧格式",
    "format.pre2019": "2019年前旧报告",
    "meta.deadline": "逾期公布",
    "sections.missing": "缺少部分",
    "sections.empty": "问题与改进为空",
    "values.negative": "出现负数",
    "values.not_integer": "件数非整数",
    "values.fee_not_number": "收费金额非数",
    "values.fee_precision": "收费金额小数位",
    "requests.column_balance": "表三列平衡",
    "requests.row_sum": "表三行合计",
    "requests.outcome_sum": "表三办理结果合计",
    "requests.subtotals": "表三小计",
    "reviews.row_sum": "表四合计",
    "cells.missing": "单元格缺值",
    "cells.uncertain": "数值存疑",
    "narrative.requests": "正文申请数不符",
    "narrative.reviews": "正文复议诉讼数不符",
    "narrative.active": "正文主动公开数不符",
    "narrative.aggregates": "正文合计不符",
    "narrative.contradiction": "正文前后矛盾",
    "narrative.wrong_year": "正文年份错误",
    "history.carry_over": "上年结转不符",
    "history.normative_documents": "规范性文件存量",
    "history.reuse": "正文照搬上年",
    "history.jump": "与上年相比突变",
    "checks.failed": "校验运行失败",
}


def rule_name(rule: str | None) -> str:
    """The Chinese name of a rule; an unknown rule keeps its id (never an empty cell)."""
    rule = str(rule or "")
    return RULE_NAMES.get(rule, rule)
