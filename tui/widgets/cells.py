"""How a cell looks and what an auditor may type into it.

Pure functions over plain data (a cell's value, its provenance flags, the
findings it takes part in): the tables, the legend, the help screen and the
edit dialog all use these, so a cell looks the same everywhere and the marker
list in the legend is the one the tables use.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

from checks import ERROR, INFO, WARNING
from parsing.model.schema import (
    FLAG_CORRECTED,
    FLAG_INFERRED,
    FLAG_MISSING,
    FLAG_OCR,
    FLAG_SPLIT,
)
from parsing import is_money, value_rule
from store import is_open

# One ASCII marker per flag (ASCII: no East-Asian ambiguous width), in display order.
MARKERS: dict[str, str] = {
    FLAG_CORRECTED: "*",
    FLAG_MISSING: "?",
    FLAG_OCR: "~",
    FLAG_SPLIT: "|",
    FLAG_INFERRED: "^",
}

# The flags' Chinese words, all here: the name (cell line, help), the short name
# (the legend must fit one line beside the source) and what it means (help screen).
FLAG_NAMES: dict[str, str] = {
    FLAG_CORRECTED: "已更正",
    FLAG_MISSING: "原文缺失",
    FLAG_OCR: "疑似识别错误",
    FLAG_SPLIT: "拆分不确定",
    FLAG_INFERRED: "推算得出",
}
FLAG_SHORT_NAMES: dict[str, str] = {
    FLAG_CORRECTED: "更正",
    FLAG_MISSING: "缺失",
    FLAG_OCR: "疑似误识",
    FLAG_SPLIT: "拆分存疑",
    FLAG_INFERRED: "推算",
}
FLAG_MEANINGS: dict[str, str] = {
    FLAG_CORRECTED: "审核人员已更正（数据库中有记录，可撤销或还原）",
    FLAG_MISSING: "原文没有这个数，值为空或由校验关系推出",
    FLAG_OCR: "原文中有形似数字的字符（如 O、l），可能识别错误",
    FLAG_SPLIT: "原文中几个数粘连在一起，拆分方式不唯一",
    FLAG_INFERRED: "数值是推算出来的，不是从原文读到的",
}

FLAG_STYLES: dict[str, str] = {
    FLAG_CORRECTED: "bold #5fd7ff",
    FLAG_MISSING: "bold #d787ff",
    FLAG_OCR: "#ffd75f",
    FLAG_SPLIT: "#ffd75f",
    FLAG_INFERRED: "#ffd75f",
}

# How a severity looks (its codes and Chinese names are checks.severities'; presentation is the app's).
# A table cell taking part in an open error or warning gets a background ...
SEVERITY_BACKGROUNDS: dict[str, str] = {ERROR: "on #870000", WARNING: "on #5f5f00"}
# ... and a severity written as text (a findings row, a status bar, `gipr-tui check`) a foreground.
SEVERITY_TEXT_STYLES: dict[str, str] = {ERROR: "bold #ff5f5f", WARNING: "#ffd75f", INFO: "dim"}

EMPTY = "-"  # a null value: the source gives none that could be read


def format_value(value) -> str:
    return EMPTY if value is None else str(value)


def flag_names(flags) -> str:
    return "、".join(FLAG_NAMES.get(f, f) for f in flags or ()) or "无"


def cell_style(flags, severity: str | None) -> str:
    """Foreground from the strongest flag (corrected first), background from the failing rule."""
    parts = [next((FLAG_STYLES[f] for f in MARKERS if f in (flags or ())), "")]
    if severity in SEVERITY_BACKGROUNDS:
        parts.append(SEVERITY_BACKGROUNDS[severity])
    return " ".join(p for p in parts if p)


def cell_text(value, flags=(), severity: str | None = None) -> Text:
    """The table cell: value, then one marker per flag, styled; never parsed as markup."""
    flags = tuple(flags or ())
    markers = "".join(m for f, m in MARKERS.items() if f in flags)
    return Text(format_value(value) + markers, style=cell_style(flags, severity), justify="right")


def cell_severities(findings) -> dict[str, str]:
    """path → the worst severity among the open error/warning findings naming it."""
    out: dict[str, str] = {}
    for f in findings:
        sev = f.get("severity")
        if sev not in (ERROR, WARNING) or not is_open(f):
            continue
        for path in f.get("cells") or ():
            if out.get(path) != ERROR:
                out[path] = sev
    return out


def open_problem_keys(findings) -> set[str]:
    """Keys of the findings an auditor still has to deal with (errors and warnings, not waived)."""
    return {f["key"] for f in findings if f.get("severity") in (ERROR, WARNING) and is_open(f)}


def parse_input(text: str, path: str, fmt: str | None = None):
    """What an auditor typed → ``(value, error)``; exactly one of them is meaningful.

    This only undoes what a Chinese keyboard does (full-width digits and commas
    become ASCII: NFKC); what a cell may hold is the store's one rule
    (``store.values.normalize``), so the dialog never accepts what the store
    would refuse, or the reverse. Empty means null (the value cannot be known).
    The error is a short hint: the dialog already shows the cell's labels.
    """
    from store import normalize_value as normalize

    try:
        return normalize(path, unicodedata.normalize("NFKC", text), fmt), None
    except ValueError:
        return None, _refusal(path, fmt)


def _refusal(path: str, fmt: str | None) -> str:
    return value_rule(path, fmt).refusal


def change_message(label: str, before, after, resolved: int, added: int) -> str:
    """The notification after a correction: ``(七)总计·总计 35 → 34；2 项问题已解决``."""
    parts = [f"{label} {format_value(before)} → {format_value(after)}"]
    if resolved:
        parts.append(f"{resolved} 项问题已解决")
    if added:
        parts.append(f"新增 {added} 项问题")
    if not resolved and not added:
        parts.append("问题数不变")
    return "；".join(parts)


# Plausible sizes (above these an entered value needs a second Enter, with the reason shown).
COUNT_LIMITS: dict[str, int] = {"active": 9_999_999, "requests": 99_999, "reviews": 9_999}
FEE_LIMIT = 100_000  # 万元: 10 亿元 of administrative fees in one year


def scale_warning(path: str, value, parsed=None) -> str | None:
    """Why an entered value looks out of scale (a typo of extra digits, a unit in 元 not 万元), or None."""
    from decimal import Decimal, InvalidOperation

    if value is None:
        return None
    try:
        number = Decimal(str(value).replace("万元", "").replace("亿元", "").replace("元", ""))
    except InvalidOperation:
        return None
    if is_money(path):
        if number > FEE_LIMIT:
            return f"金额 {value} 万元即 {number / 10000:.2f} 亿元，远超常见收费规模：是否把“元”当成了“万元”？"
    else:
        table = path.split(".", 1)[0]
        limit = COUNT_LIMITS.get(table, 9_999_999)
        if abs(number) > limit:
            return f"{abs(number):,} 件远超该表的常见范围（不超过 {limit:,} 件）：是否多打了数字？"
    try:
        before = Decimal(str(parsed)) if parsed is not None else None
    except InvalidOperation:
        before = None
    if before is not None and before >= 1 and abs(number) >= 100 * before and abs(number) >= 1000:
        return f"新值 {value} 是解析值 {parsed} 的 {int(abs(number) / before)} 倍：是否多打了数字？"
    return None
