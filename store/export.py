"""The audit log export: ``csv``, ``json``, ``md`` and ``xlsx``.

Every export says who made it, when, with which tool version, from which
database and for which reports (``ExportInfo``): the first CSV row (kind
``export``), the ``export`` object in JSON, the lines under the Markdown title,
the 导出信息 sheet (and the document properties) of the workbook. Apart from
that record the content is deterministic: reports in ``list_reports`` order
(organ, year, id); within a report, its findings in the rule book's order,
then the log in id order: corrections, finding reviews, notes, status changes.
``SOURCE_DATE_EPOCH`` (seconds) fixes the export time for reproducible files.

``report=ID`` (an id or an unambiguous prefix of one) exports that report
only; unknown ids raise ``ReportNotFound``.

- ``csv``: UTF-8 with a BOM (Excel shows Chinese), one row per event, Chinese
  headers (``CSV_COLUMNS``); the machine-readable ids stay in their own
  columns: 报告编号 (report id), 类型代码 (``export``, ``report``,
  ``finding``, ``correction``, ``review``, ``note``, ``status``), 单元格路径
  (cell paths) and 规则编号 (rule id). Text a spreadsheet would run as a formula
  gets a leading ``'`` (``csv_safe``); genuine numbers (int) stay numbers.
- ``json``: ``{"schema": "gipr-audit/1", "export": {...}, "reports": [...]}``
  with the same events structured per report (machine ids only).
- ``md``: a readable audit report per report (header, findings with their
  review status, corrections table, reviews, notes). Everything taken from the
  database is escaped (``md_escape``): no raw HTML, links, images, code spans
  or emphasis from an organ name or a note, and ``|``/line breaks never break
  a table.
- ``xlsx``: a summary sheet (one row per report), one sheet per kind of event,
  the export record; Chinese headers, header row frozen (``store.xlsx``).

Text formats never carry terminal control characters: C0/C1 controls and
bidi overrides from a report or a note are written visibly (``\\x1b``,
``\\u202e``); JSON keeps them, as JSON escapes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, UTC
from decimal import Decimal
from pathlib import Path

from checks import severity_label
from parsing.model.schema import cell_label

from .clock import now_utc
from .errors import ReportNotFound, StoreError
from .vocabulary import review_event_label, review_state_label, rule_name

FORMATS = ("csv", "json", "md", "xlsx")
TEXT_FORMATS = ("csv", "json", "md")
TOOL = "gipr-tui"

# (header, key) of the CSV: Chinese headers for the reader, ids kept in their own columns.
CSV_FIELDS = (
    ("报告编号", "report"),
    ("机关", "organ"),
    ("年度", "year"),
    ("记录类型", "kind_label"),
    ("类型代码", "kind"),
    ("单元格路径", "cell"),
    ("单元格", "cell_label"),
    ("规则编号", "rule"),
    ("规则", "rule_name"),
    ("原值", "before"),
    ("新值", "after"),
    ("状态", "status"),
    ("审核人", "auditor"),
    ("时间", "time"),
    ("说明", "text"),
)
CSV_COLUMNS = tuple(h for h, _ in CSV_FIELDS)
EVENT_KINDS = {
    "export": "导出信息", "report": "报告", "finding": "检查发现", "correction": "更正",
    "review": "复核", "note": "备注", "status": "状态变更",
}
KIND_LABELS = {"edit": "更正", "revert": "恢复原值", "undo": "撤销", "redo": "重做"}


# --- who, when, what ------------------------------------------------------------------
@dataclass(frozen=True)
class ExportInfo:
    """The record every export carries."""

    auditor: str  # who made it (the store's auditor: --auditor, $GIPR_AUDITOR, the login name)
    time: str  # when (UTC, ISO 8601)
    tool: str  # "gipr-tui"
    version: str  # the tool's version
    database: str  # the database file (absolute path)
    report: str | None  # the one report exported, or None for all
    reports: int  # how many reports the export holds

    def scope(self) -> str:
        return f"报告 {self.report}" if self.report else f"全部报告（{self.reports} 份）"

    def line(self) -> str:
        """One line for a person."""
        return (f"由 {self.auditor} 于 {self.time} 用 {self.tool} {self.version} 导出；"
                f"数据库 {self.database}；范围：{self.scope()}")


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version(TOOL)
    except Exception:  # not installed as a distribution (a bare checkout)
        return "未知版本"


def export_time() -> str:
    """Now (UTC), or ``$SOURCE_DATE_EPOCH`` when set (reproducible exports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return now_utc()


def resolve_report(store, report: str) -> str:
    """The id of the report ``report`` names: an id, or a prefix matching exactly one."""
    wanted = str(report).strip().lower()
    ids = [s.id for s in store.list_reports()]
    if wanted in ids:
        return wanted
    matches = [i for i in ids if wanted and i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    err = ReportNotFound(report, store.path)
    if matches:
        err.message = f"编号 {report} 对应多份报告（{'、'.join(matches[:5])}{' 等' if len(matches) > 5 else ''}）：请写完整编号"
    raise err


# --- entry points ---------------------------------------------------------------------
def collect(store, *, report: str | None = None, at: str | None = None) -> tuple[ExportInfo, list[dict]]:
    """The export record and, per report, everything the export says about it."""
    summaries = store.list_reports()
    rid = resolve_report(store, report) if report is not None else None
    if rid is not None:
        summaries = [s for s in summaries if s.id == rid]
    reports = [_collect(store, s) for s in summaries]
    info = ExportInfo(auditor=store.auditor, time=at or export_time(), tool=TOOL, version=tool_version(),
                      database=str(store.path), report=rid, reports=len(reports))
    return info, reports


def render(store, fmt: str, *, report: str | None = None, at: str | None = None) -> str:
    """A text format (csv, json, md) as a string."""
    if fmt not in TEXT_FORMATS:
        if fmt in FORMATS:
            raise ValueError(f"{fmt} 是二进制格式：请用 render_bytes")
        raise ValueError(f"导出格式只能是 {'、'.join(FORMATS)}，收到 {fmt!r}")
    info, reports = collect(store, report=report, at=at)
    return {"csv": _csv, "json": _json, "md": _md}[fmt](info, reports)


def render_bytes(store, fmt: str, *, report: str | None = None, at: str | None = None) -> bytes:
    """Any format as the bytes of its file."""
    if fmt == "xlsx":
        from .xlsx import workbook_bytes

        info, reports = collect(store, report=report, at=at)
        return workbook_bytes(info, reports)
    return render(store, fmt, report=report, at=at).encode("utf-8")


def write(store, path: str | os.PathLike, fmt: str, *, report: str | None = None, at: str | None = None) -> Path:
    """Render and write to ``path`` through a temporary file beside it and
    ``os.replace`` (a crash leaves the old file or the new one); returns the
    absolute path written. Checks on the target itself (not the database,
    a regular file) belong to the caller."""
    from .storage import atomic_write_bytes

    data = render_bytes(store, fmt, report=report, at=at)
    target = Path(os.path.abspath(Path(path).expanduser()))
    atomic_write_bytes(target, data)
    return target


# --- where an export goes by default ---------------------------------------------------
def export_folder() -> Path:
    """The user's documents folder (…/gipr-tui 导出), else the per-user data folder
    (…/exports): never the current directory."""
    import platformdirs

    docs = platformdirs.user_documents_dir()
    if docs and os.path.isdir(docs) and os.access(docs, os.W_OK):
        return Path(docs) / "gipr-tui 导出"
    return Path(platformdirs.user_data_dir(TOOL, appauthor=False)) / "exports"


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]+')


def default_export_path(fmt: str, *, organ: str | None = None, year: int | None = None,
                        folder: str | os.PathLike | None = None, today: date | None = None) -> Path:
    """A file name for a new export in ``folder`` (default ``export_folder()``):
    ``gipr-审核记录[-机关-年度]-YYYYMMDD.fmt``, numbered (``-2``, ``-3`` …) rather
    than overwrite an earlier export. The folder is not created here."""
    parts = ["gipr-审核记录"]
    if organ:
        parts.append(_UNSAFE_NAME.sub("_", organ).strip(" ._")[:40] or "未识别机关")
    if year:
        parts.append(f"{year}年")
    stem = "-".join(parts + [f"{today or date.today():%Y%m%d}"])
    base = Path(folder) if folder is not None else export_folder()
    candidate = base / f"{stem}.{fmt}"
    n = 2
    while candidate.exists():
        candidate = base / f"{stem}-{n}.{fmt}"
        n += 1
    return candidate


# --- the content --------------------------------------------------------------------
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
            "key": f["key"], "rule": f.get("rule"), "rule_name": rule_name(f.get("rule")), "severity": f.get("severity"),
            "cells": list(f.get("cells") or []),
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
    """A finding's review state now (待审 when nobody has reviewed it)."""
    return review_state_label((review or {}).get("decision"))


def review_decision_label(v: dict) -> str:
    """A review-log entry: what was decided (None: a review revoked)."""
    return review_event_label(v.get("decision"))


def review_parts(key: str) -> tuple[str, list[str]]:
    """A finding key (``rule|cell,cell``) as its rule id and cell paths."""
    rule, _, cells = str(key).partition("|")
    return rule, [c for c in cells.split(",") if c]


def cells_label(cells, fmt) -> str:
    return "；".join(cell_label(c, fmt) for c in cells)


def _cells_short(cells, fmt, limit: int = 6) -> str:
    """Short labels for a readable table; a long list is cut with a count."""
    shown = "；".join(cell_label(c, fmt, short=True) for c in cells[:limit])
    return shown + (f" 等 {len(cells)} 个单元格" if len(cells) > limit else "")


def target_label(target: str | None, fmt) -> str:
    if not target:
        return ""
    return cell_label(target, fmt) if "|" not in target else target


def version_label(r: dict) -> str:
    return f"第 {r['version']} 版" + ("（已被新版本取代）" if r["superseded"] else "")


def finding_text(f: dict) -> str:
    text = f"[{severity_label(f['severity'])}] {_show(f['message'])}"
    expected, actual = shown_value(f.get("expected")), shown_value(f.get("actual"))
    if (expected is not None or actual is not None) and not isinstance(f.get("expected"), (list, tuple)):
        # a list (the sections a report should have) is what the message already says, item by item
        text += f"（应为 {expected or ''}，实为 {actual or ''}）"
    justification = (f["review"] or {}).get("justification")
    if justification:
        text += f"；复核说明：{justification}"
    return text


def shown_value(v) -> str | None:
    """A finding's expected/actual value as an auditor reads it (a list as
    ``甲、乙``, never a Python repr); None when there is nothing to show."""
    if v is None or isinstance(v, bool) or v == "":
        return None
    if isinstance(v, (list, tuple)):
        items = [str(x) for x in v if x is not None and str(x) != ""]
        return "、".join(items) if items else None
    if isinstance(v, dict):
        return None
    return str(v)


def _show(value) -> str:
    return "" if value is None else str(value)


# Characters a terminal or a viewer would obey rather than show: C0 (but tab and
# line breaks, handled by each format), DEL, C1, and the bidi embeddings,
# overrides and isolates (and the invisible direction marks).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(value) -> str:
    """Text with every control character written out (``\\x1b``, ``\\u202e``)."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                         _show(value))


# --- csv ----------------------------------------------------------------------------
# A spreadsheet runs a cell as a formula when it starts with one of these (after
# blanks); the full-width forms are included for input methods that convert them.
_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")


def csv_safe(value):
    """One CSV field: a genuine number (int, Decimal) as it is; any text a
    spreadsheet would run as a formula (it starts with = + - @, a tab or a
    line break, after blanks) gets a leading ``'``, even ``-5`` as text."""
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = visible(value)
    stripped = text.lstrip(" \u3000")
    if text[:1] in _FORMULA_START or (stripped[:1] and stripped[:1] in _FORMULA_START):
        return "'" + text
    return text


def event_rows(info: ExportInfo, reports: list[dict]):
    """Every event as a dict keyed like ``CSV_FIELDS`` (raw values: ids, ints, text)."""
    yield {"kind": "export", "auditor": info.auditor, "time": info.time, "text": info.line()}
    for r in reports:
        yield from _report_rows(r)


def _report_rows(r: dict):
    head = {"report": r["id"], "organ": r["organ"], "year": r["year"]}
    fmt = r["format"]
    problem = f"；无法检查：{r['problem']}" if r["problem"] else ""
    yield {**head, "kind": "report", "status": r["status"], "time": r["imported_at"],
           "text": f"{r['source_path']}；sha256 {r['sha256']}；{version_label(r)}{problem}"}
    for f in r["findings"]:
        review = f["review"] or {}
        yield {**head, "kind": "finding", "cell": ";".join(f["cells"]), "cell_label": cells_label(f["cells"], fmt),
               "rule": f["rule"], "rule_name": f["rule_name"], "status": f["status"], "auditor": review.get("auditor", ""),
               "time": review.get("time", ""), "text": finding_text(f)}
    for c in r["corrections"]:
        yield {**head, "kind": "correction", "cell": c["path"], "cell_label": c["cell_label"], "before": c["before"],
               "after": c["after"], "status": KIND_LABELS.get(c["kind"], c["kind"]), "auditor": c["auditor"],
               "time": c["time"], "text": c.get("reason") or ""}
    for v in r["reviews"]:
        rule, cells = review_parts(v["key"])
        yield {**head, "kind": "review", "cell": ";".join(cells), "cell_label": cells_label(cells, fmt), "rule": rule,
               "rule_name": rule_name(rule),
               "status": review_decision_label(v), "auditor": v["auditor"], "time": v["time"],
               "text": v.get("justification") or ""}
    for n in r["notes"]:
        yield {**head, "kind": "note", "cell": n["target"] or "", "cell_label": target_label(n["target"], fmt),
               "auditor": n["auditor"], "time": n["time"], "text": n["text"]}
    for s in r["status_changes"]:
        yield {**head, "kind": "status", "before": s["before"], "after": s["status"], "status": s["status"],
               "auditor": s["auditor"], "time": s["time"]}


def _csv(info: ExportInfo, reports: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for event in event_rows(info, reports):
        event = {**event, "kind_label": EVENT_KINDS[event["kind"]]}
        w.writerow(csv_safe(event.get(key)) for _, key in CSV_FIELDS)
    return "\ufeff" + buf.getvalue()


# --- json ---------------------------------------------------------------------------
# Lossless for a program, harmless on a terminal: what json.dumps leaves raw
# (C1 controls, bidi controls) written as \\u escapes.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json(info: ExportInfo, reports: list[dict]) -> str:
    text = json.dumps({"schema": "gipr-audit/1", "export": asdict(info), "reports": reports},
                      ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --- md -----------------------------------------------------------------------------
_MD_ESCAPES = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "~": "\\~", "[": "\\[", "]": "\\]", "|": "\\|",
    "<": "&lt;", ">": "&gt;", "&": "&amp;",
})


def md_escape(value) -> str:
    """Text from the database made inert inside Markdown (a table cell or a line):
    no HTML (``< > &`` as entities), no code spans, links, images or emphasis
    (``\\ ` * _ ~ [ ] |`` escaped), line breaks as ``<br>``, controls visible."""
    text = visible(value).translate(_MD_ESCAPES)
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _table(header: tuple, rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return lines


def _md_report(r: dict) -> list[str]:
    fmt = r["format"]
    title = f"{r['organ'] or '未识别机关'} {str(r['year']) + '年' if r['year'] else '（年度未识别）'}"
    out = [f"## {md_escape(title)}", "",
           f"- 报告编号：{md_escape(r['id'])}",
           f"- 来源：{md_escape(r['source_path'])}",
           f"- sha256：{md_escape(r['sha256'])}",
           f"- 版本：{version_label(r)}，导入于 {md_escape(r['imported_at'])}",
           f"- 审核状态：{md_escape(r['status'])}",
           f"- 未豁免的问题：错误 {r['errors']}，警告 {r['warnings']}"]
    if r["problem"]:
        out.append(f"- **无法检查**：{md_escape(r['problem'])}")
    out.append("")
    out += ["### 检查发现", ""]
    if r["findings"]:
        out += _table(("级别", "规则", "规则编号", "单元格", "说明", "复核状态", "复核说明"), [
            (severity_label(f["severity"]), f["rule_name"], f["rule"], _cells_short(f["cells"], fmt), f["message"],
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
            (v["id"], v["key"], review_decision_label(v), v.get("justification"), v["auditor"], v["time"])
            for v in r["reviews"]])
    out += ["", "### 备注", ""]
    if r["notes"]:
        out += _table(("#", "对象", "内容", "审核人", "时间"), [
            (n["id"], target_label(n["target"], fmt) or "整份报告", n["text"], n["auditor"], n["time"]) for n in r["notes"]])
    else:
        out.append("（无）")
    if r["status_changes"]:
        out += ["", "### 审核状态变更", ""]
        out += _table(("原状态", "新状态", "审核人", "时间"), [
            (s["before"], s["status"], s["auditor"], s["time"]) for s in r["status_changes"]])
    return out + [""]


def _md(info: ExportInfo, reports: list[dict]) -> str:
    lines = ["# gipr-tui 审核记录", "",
             f"- 导出人：{md_escape(info.auditor)}",
             f"- 导出时间：{md_escape(info.time)}",
             f"- 导出工具：{md_escape(info.tool)} {md_escape(info.version)}",
             f"- 数据库：{md_escape(info.database)}",
             f"- 范围：{md_escape(info.scope())}", ""]
    if not reports:
        lines += ["（数据库中没有报告）", ""]
    for r in reports:
        lines += _md_report(r)
    return "\n".join(lines).rstrip("\n") + "\n"
