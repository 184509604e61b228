"""The audit log export: ``csv``, ``json`` and ``md``, deterministic.

Reports come in ``list_reports`` order (organ, year, id); within a report,
its findings in the rule book's order, then the log in id order: corrections,
finding reviews, notes, status changes. No export time is written, so two
exports of the same database are byte-identical.

- ``csv``: UTF-8 with a BOM (Excel shows Chinese), one row per event, columns
  ``report, organ, year, kind, cell, cell_label, before, after, status,
  auditor, time, text``; ``kind`` is ``report`` (one header row per report),
  ``finding``, ``correction``, ``review``, ``note`` or ``status``.
- ``json``: ``{"schema": "gipr-audit/1", "reports": [...]}`` with the same
  events structured per report.
- ``md``: a readable audit report per report (header, findings with their
  review status, corrections table, reviews, notes); ``|`` and line breaks in
  the text are escaped so they never break a table.
"""

from __future__ import annotations

import csv
import io
import json

from parsing.schema import cell_label

from .db import DECISION_LABELS
from .errors import StoreError

FORMATS = ("csv", "json", "md")
CSV_COLUMNS = ("report", "organ", "year", "kind", "cell", "cell_label", "before", "after", "status", "auditor", "time", "text")
KIND_LABELS = {"edit": "更正", "revert": "恢复原值", "undo": "撤销", "redo": "重做"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
UNREVIEWED = "未复核"


def render(store, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"导出格式只能是 {'、'.join(FORMATS)}，收到 {fmt!r}")
    reports = [_collect(store, s) for s in store.list_reports()]
    return {"csv": _csv, "json": _json, "md": _md}[fmt](reports)


def _collect(store, summary) -> dict:
    """Everything the export says about one report, as plain data."""
    rid, fmt = summary.id, summary.format
    findings = []
    try:
        current = store.findings(rid)
    except StoreError as e:  # the report's stored content is damaged: export the log anyway
        current, summary_problem = [], str(e)
    else:
        summary_problem = summary.problem
    for f in current:
        review = f.get("review")
        findings.append({
            "key": f["key"], "rule": f.get("rule"), "severity": f.get("severity"), "cells": list(f.get("cells") or []),
            "message": f.get("message"), "expected": f.get("expected"), "actual": f.get("actual"),
            "status": _review_label(review), "review": review,
        })
    corrections = [{**c, "cell_label": cell_label(c["path"], fmt)} for c in store.corrections(rid)]
    return {
        "id": rid, "organ": summary.organ, "year": summary.year, "format": summary.format,
        "source_path": summary.source_path, "sha256": summary.sha256, "version": summary.version,
        "superseded": summary.superseded, "status": summary.status, "imported_at": summary.imported_at,
        "errors": summary.errors, "warnings": summary.warnings, "problem": summary_problem,
        "findings": findings, "corrections": corrections, "reviews": store.review_log(rid),
        "notes": store.notes(rid), "status_changes": store.status_log(rid),
    }


def _review_label(review: dict | None) -> str:
    if not review:
        return UNREVIEWED
    return DECISION_LABELS.get(review.get("decision"), str(review.get("decision")))


def _cells_label(cells, fmt) -> str:
    return "；".join(cell_label(c, fmt) for c in cells)


def _cells_short(cells, fmt, limit: int = 6) -> str:
    """Short labels for a readable table; a long list is cut with a count."""
    shown = "；".join(cell_label(c, fmt, short=True) for c in cells[:limit])
    return shown + (f" 等 {len(cells)} 个单元格" if len(cells) > limit else "")


def _target_label(target: str | None, fmt) -> str:
    if not target:
        return ""
    return cell_label(target, fmt) if "|" not in target else target


def _show(value) -> str:
    return "" if value is None else str(value)


# --- csv ----------------------------------------------------------------------------
def _csv_rows(r: dict):
    head = (r["id"], _show(r["organ"]), _show(r["year"]))
    fmt = r["format"]
    version = f"第 {r['version']} 版" + ("（已被新版本取代）" if r["superseded"] else "")
    problem = f"；无法检查：{r['problem']}" if r["problem"] else ""
    yield (*head, "report", "", "", "", "", r["status"], "", r["imported_at"],
           f"{r['source_path']}；sha256 {r['sha256']}；{version}{problem}")
    for f in r["findings"]:
        review = f["review"] or {}
        text = f"[{SEVERITY_LABELS.get(f['severity'], f['severity'])}] {f['rule']}：{_show(f['message'])}"
        if f["expected"] is not None or f["actual"] is not None:
            text += f"（应为 {_show(f['expected'])}，实为 {_show(f['actual'])}）"
        if review.get("justification"):
            text += f"；复核说明：{review['justification']}"
        yield (*head, "finding", ";".join(f["cells"]), _cells_label(f["cells"], fmt), "", "", f["status"],
               review.get("auditor", ""), review.get("time", ""), text)
    for c in r["corrections"]:
        yield (*head, "correction", c["path"], c["cell_label"], _show(c["before"]), _show(c["after"]),
               KIND_LABELS.get(c["kind"], c["kind"]), c["auditor"], c["time"], c.get("reason") or "")
    for v in r["reviews"]:
        cells = v["key"].split("|", 1)[1].split(",") if "|" in v["key"] else []
        yield (*head, "review", v["key"], _cells_label([c for c in cells if c], fmt), "", "",
               _review_label(v) if v.get("decision") else DECISION_LABELS[None], v["auditor"], v["time"],
               v.get("justification") or "")
    for n in r["notes"]:
        yield (*head, "note", n["target"] or "", _target_label(n["target"], fmt), "", "", "", n["auditor"], n["time"], n["text"])
    for s in r["status_changes"]:
        yield (*head, "status", "", "", s["before"], s["status"], s["status"], s["auditor"], s["time"], "")


def _no_formula(row: tuple) -> tuple:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return tuple("'" + c if isinstance(c, str) and c[:1] in ("=", "+", "@") else c for c in row)


def _csv(reports: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in reports:
        w.writerows(_no_formula(row) for row in _csv_rows(r))
    return "\ufeff" + buf.getvalue()


# --- json ---------------------------------------------------------------------------
def _json(reports: list[dict]) -> str:
    return json.dumps({"schema": "gipr-audit/1", "reports": reports}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- md -----------------------------------------------------------------------------
def md_escape(value) -> str:
    """Text safe inside a Markdown table cell."""
    text = _show(value).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _table(header: tuple, rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return lines


def _md_report(r: dict) -> list[str]:
    fmt = r["format"]
    title = f"{r['organ'] or '未识别机关'} {str(r['year']) + '年' if r['year'] else '（年度未识别）'}"
    version = f"第 {r['version']} 版" + ("（已被新版本取代）" if r["superseded"] else "")
    out = [f"## {md_escape(title)}", "",
           f"- 报告编号：`{r['id']}`",
           f"- 来源：{md_escape(r['source_path'])}",
           f"- sha256：`{r['sha256']}`",
           f"- 版本：{version}，导入于 {r['imported_at']}",
           f"- 审核状态：{r['status']}",
           f"- 未豁免的问题：错误 {r['errors']}，警告 {r['warnings']}"]
    if r["problem"]:
        out.append(f"- **无法检查**：{md_escape(r['problem'])}")
    out.append("")
    out += ["### 检查发现", ""]
    if r["findings"]:
        out += _table(("级别", "规则", "单元格", "说明", "复核状态", "复核说明"), [
            (SEVERITY_LABELS.get(f["severity"], f["severity"]), f["rule"], _cells_short(f["cells"], fmt), f["message"],
             f["status"], (f["review"] or {}).get("justification", "")) for f in r["findings"]])
    else:
        out.append("（无）")
    out += ["", "### 更正记录", ""]
    if r["corrections"]:
        out += _table(("#", "单元格", "原值", "新值", "类型", "审核人", "时间", "理由"), [
            (c["id"], c["cell_label"], c["before"], c["after"], KIND_LABELS.get(c["kind"], c["kind"]),
             c["auditor"], c["time"], c.get("reason")) for c in r["corrections"]])
    else:
        out.append("（无）")
    if r["reviews"]:
        out += ["", "### 复核记录", ""]
        out += _table(("#", "检查发现", "结论", "说明", "审核人", "时间"), [
            (v["id"], v["key"], _review_label(v) if v.get("decision") else DECISION_LABELS[None],
             v.get("justification"), v["auditor"], v["time"]) for v in r["reviews"]])
    out += ["", "### 备注", ""]
    if r["notes"]:
        out += _table(("#", "对象", "内容", "审核人", "时间"), [
            (n["id"], _target_label(n["target"], fmt) or "整份报告", n["text"], n["auditor"], n["time"]) for n in r["notes"]])
    else:
        out.append("（无）")
    if r["status_changes"]:
        out += ["", "### 审核状态变更", ""]
        out += _table(("原状态", "新状态", "审核人", "时间"), [
            (s["before"], s["status"], s["auditor"], s["time"]) for s in r["status_changes"]])
    return out + [""]


def _md(reports: list[dict]) -> str:
    lines = ["# gipr-tui 审核记录", ""]
    if not reports:
        lines += ["（数据库中没有报告）", ""]
    for r in reports:
        lines += _md_report(r)
    return "\n".join(lines).rstrip("\n") + "\n"
