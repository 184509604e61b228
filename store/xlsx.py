"""The audit log as an Excel workbook (``gipr-tui export --format xlsx``).

Sheets, each with a Chinese header row that stays frozen while scrolling and an
autofilter: 概要 (one row per report: status, open errors and warnings, how many
events of each kind), 检查发现, 更正记录, 复核记录, 备注, 状态变更 (one sheet per
kind of event, each row naming its report), 导出信息 (who exported, when, with
which tool version, from which database, which reports; also in the workbook's
document properties).

Every text cell is stored as text, never as a formula: a value starting with
``=`` is typed text with Excel's quote prefix (shown as written, kept text when
edited); counts stay numbers. Control characters are written visibly (Excel
cannot hold most of them).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from checks import severity_label

from .export import (
    KIND_LABELS,
    ExportInfo,
    cells_label,
    review_decision_label,
    review_parts,
    shown_value,
    target_label,
    version_label,
    visible,
)
from .vocabulary import rule_name

HEAD = ("报告编号", "机关", "年度")
SUMMARY_SHEET = "概要"
INFO_SHEET = "导出信息"
# sheet title → columns after HEAD (the summary has its own)
EVENT_SHEETS = {
    "检查发现": ("级别", "规则", "规则编号", "单元格路径", "单元格", "说明", "应为", "实为", "复核状态", "复核人", "复核时间", "复核说明"),
    "更正记录": ("序号", "单元格路径", "单元格", "原值", "新值", "类型", "审核人", "时间", "理由"),
    "复核记录": ("序号", "规则", "规则编号", "单元格路径", "单元格", "结论", "说明", "审核人", "时间"),
    "备注": ("序号", "对象路径", "对象", "内容", "审核人", "时间"),
    "状态变更": ("序号", "原状态", "新状态", "审核人", "时间"),
}
SUMMARY_COLUMNS = HEAD + ("版本", "审核状态", "未豁免错误", "未豁免警告", "检查发现", "更正", "复核", "备注",
                          "状态变更", "来源文件", "sha256", "导入时间", "无法检查的原因")
INFO_COLUMNS = ("项目", "内容")
SHEETS = (SUMMARY_SHEET, *EVENT_SHEETS, INFO_SHEET)

_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")
_MAX_WIDTH = 60


def workbook_bytes(info: ExportInfo, reports: list[dict]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    rows = {name: [] for name in EVENT_SHEETS}
    summary = []
    for r in reports:
        head = (r["id"], r["organ"], r["year"])
        fmt = r["format"]
        summary.append(head + (
            version_label(r), r["status"], r["errors"], r["warnings"], len(r["findings"]), len(r["corrections"]),
            len(r["reviews"]), len(r["notes"]), len(r["status_changes"]), r["source_path"], r["sha256"],
            r["imported_at"], r["problem"]))
        for f in r["findings"]:
            review = f["review"] or {}
            rows["检查发现"].append(head + (
                severity_label(f["severity"]), f["rule_name"], f["rule"], ";".join(f["cells"]),
                cells_label(f["cells"], fmt), f["message"], _value(f["expected"]), _value(f["actual"]), f["status"],
                review.get("auditor"), review.get("time"), review.get("justification")))
        for c in r["corrections"]:
            rows["更正记录"].append(head + (
                c.get("id"), c["path"], c["cell_label"], c["before"], c["after"], KIND_LABELS.get(c["kind"], c["kind"]),
                c["auditor"], c["time"], c.get("reason")))
        for v in r["reviews"]:
            rule, cells = review_parts(v["key"])
            rows["复核记录"].append(head + (
                v.get("id"), rule_name(rule), rule, ";".join(cells), cells_label(cells, fmt), review_decision_label(v),
                v.get("justification"), v["auditor"], v["time"]))
        for n in r["notes"]:
            rows["备注"].append(head + (
                n.get("id"), n["target"], target_label(n["target"], fmt) or "整份报告", n["text"], n["auditor"], n["time"]))
        for s in r["status_changes"]:
            rows["状态变更"].append(head + (s.get("id"), s["before"], s["status"], s["auditor"], s["time"]))

    _sheet(wb, SUMMARY_SHEET, SUMMARY_COLUMNS, summary)
    for name, columns in EVENT_SHEETS.items():
        _sheet(wb, name, HEAD + columns, rows[name])
    _sheet(wb, INFO_SHEET, INFO_COLUMNS, [
        ("导出人", info.auditor), ("导出时间（UTC）", info.time), ("导出工具", info.tool), ("工具版本", info.version),
        ("数据库", info.database), ("范围", info.scope()), ("报告数", info.reports),
    ])

    props = wb.properties
    props.creator = props.lastModifiedBy = visible(info.auditor)
    props.title = "gipr-tui 审核记录"
    props.description = visible(info.line())
    stamp = _utc(info.time)
    if stamp is not None:
        props.created = props.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _utc(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None


def _sheet(wb: Workbook, title: str, columns: tuple, rows: list[tuple]) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(columns))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="center")
    widths = [_width(c) for c in columns]
    for n, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=n, column=col)
            _put(cell, value)
            if widths[col - 1] < _MAX_WIDTH:
                widths[col - 1] = max(widths[col - 1], _width(cell.value))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, _MAX_WIDTH)


def _value(v):
    """An expected/actual value: a number stays a number, a list reads ``甲、乙``."""
    return v if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else shown_value(v)


def _put(cell, value) -> None:
    """A number as a number, anything else as inert text."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        cell.value = value
        return
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    text = visible(value)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever it starts with
    if text.lstrip(" \u3000")[:1] in _FORMULA_START and text.strip():
        cell.quotePrefix = True


def _width(text: str) -> int:
    """Display width of the longest line, enough to size a column (a CJK
    character, three bytes in UTF-8, counts 2)."""
    line = max(str(text)[:_MAX_WIDTH + 20].split("\n"), key=len)
    return len(line) + (len(line.encode("utf-8")) - len(line)) // 2
