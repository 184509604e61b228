"""The overview sheet across organs (issue 14): one row per report of the
database, key totals, counts, status, and outliers marked; CSV and xlsx
exports in the same shape as the app's sheet.

Columns (``COLUMNS``): organ, level (``organs.organ_level``), year, the key
totals (``FIGURES``: applications received, granted, 行政许可, 行政处罚,
行政强制 decisions, 行政复议 total, 行政诉讼 total), error and warning counts
(waived findings not counted, as in the library), review status. Values are the
current ones (corrections applied); ``None`` where the report has no value.

Outliers (``outliers``), a documented rule that reuses the cross-year rule's
measure (``checks.history.is_jump``: more than fivefold up or down, or from/to
0, with one side at least 20):

- **history**: a figure far from *every* other year of the same organ in the
  database (organs joined as the auditor answered, ``organs``); when the organ
  has just one other year, only the later of the two is marked (as
  ``history.jump`` marks this year, not last year);
- **peers**: a figure against the median of the same level's other organs in
  the same year, when there are at least ``MIN_PEERS`` of them with a value;
- **zero streak**: applications received 0 in this year and each of the
  organ's two or more previous years held (``连续 N 年为 0``).

Each outlier is ``{figure key: reason}`` in Chinese. Figures of a report are
cached beside the database (``<db>.cache/overview.json``, keyed by the report's
content and its corrections log length), so the sheet of thousands of reports
opens without reading every report again; a report without corrections needs
neither: its figures are kept in its record at import and at a re-read
(``AuditStore.import_parsed``, ``AuditStore.reread``).
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from checks import ERROR, SEVERITY_LABELS, WARNING
from parsing.model.schema import get_cell

from . import organs
from .cache import cache_dir
from .storage import atomic_write_bytes, dumps

# (key, header, cell paths summed)
FIGURES = (
    ("received", "新收申请", ("requests.new_received.total",)),
    ("granted", "予以公开", ("requests.granted.total",)),
    ("licensing", "行政许可", ("active.licensing.decisions",)),
    ("punishment", "行政处罚", ("active.punishment.decisions",)),
    ("enforcement", "行政强制", ("active.enforcement.decisions",)),
    ("reviews", "行政复议", ("reviews.review.total",)),
    ("lawsuits", "行政诉讼", ("reviews.litigation_direct.total", "reviews.litigation_after_review.total")),
)
FIGURE_KEYS = tuple(k for k, _, _ in FIGURES)
# (key, header) of the sheet, in order: the app's columns and the exports' columns
COLUMNS = (
    ("organ", "机关"), ("level", "级别"), ("year", "年度"),
    *((k, h) for k, h, _ in FIGURES),
    ("errors", SEVERITY_LABELS[ERROR]), ("warnings", SEVERITY_LABELS[WARNING]), ("status", "审核状态"),
)
EXPORT_COLUMNS = COLUMNS + (("outliers", "异常说明"), ("id", "报告编号"), ("source", "文件"))
MIN_PEERS = 4
ZERO_STREAK = 3  # years in a row with 0 applications received


@dataclass
class OverviewRow:
    id: str
    organ: str | None
    level: str | None
    year: int | None
    figures: dict
    errors: int
    warnings: int
    status: str
    source: str = ""
    format: str | None = None
    group: str = ""  # the organ as joined with its other names
    outliers: dict = field(default_factory=dict)

    def value(self, key: str):
        if key in self.figures:
            return self.figures[key]
        return getattr(self, key)

    def sort_key(self, key: str):
        """Sortable in any column: blanks last (ascending), numbers as numbers."""
        v = self.value(key)
        if key == "outliers":
            return (0, len(self.outliers))
        if v is None:
            return (1, 0)
        return (0, v) if isinstance(v, int) else (0, str(v))


def figures_of(report: dict) -> dict:
    out = {}
    for key, _, paths in FIGURES:
        values = [get_cell(report, p) for p in paths]
        ok = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        out[key] = sum(values) if ok else None
    return out


class _FiguresCache:
    def __init__(self, db_path: Path):
        self.file = cache_dir(db_path) / "overview.json"
        try:
            self.data = json.loads(self.file.read_bytes().decode("utf-8"))
            if not isinstance(self.data, dict):
                self.data = {}
        except (OSError, ValueError):
            self.data = {}
        self.dirty = False

    def get(self, rid: str, signature: str):
        hit = self.data.get(rid)
        return hit[1] if isinstance(hit, list) and len(hit) == 2 and hit[0] == signature else None

    def put(self, rid: str, signature: str, figures: dict) -> None:
        self.data[rid] = [signature, figures]
        self.dirty = True

    def flush(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(exist_ok=True)
            atomic_write_bytes(self.file, dumps(self.data), durable=False)
        except OSError:
            pass  # a cache


def _figures(store, summaries, cache: _FiguresCache) -> dict[str, dict]:
    out = {}
    with store._mutex:
        ix = store._ix()
        for s in summaries:
            corrections = len(ix.logs["corrections"].get(s.id, ()))
            stored = (ix.reports.get(s.id) or {}).get("figures")
            if not corrections and isinstance(stored, dict) and set(stored) == set(FIGURE_KEYS):
                out[s.id] = dict(stored)  # computed at import (and at a re-read): no blob to read
                continue
            signature = f"{s.sha256}|{corrections}"
            figures = cache.get(s.id, signature)
            if figures is None:
                try:
                    figures = figures_of(store._current(s.id))
                except Exception:  # a damaged report: no figures, the library says why
                    figures = dict.fromkeys(FIGURE_KEYS)
                cache.put(s.id, signature, figures)
            out[s.id] = figures
    return out


def overview_rows(store, *, include_superseded: bool = False) -> list[OverviewRow]:
    """One row per (current) report, with outliers marked; in the library's order."""
    summaries = [s for s in store.list_reports() if include_superseded or not s.superseded]
    cache = _FiguresCache(store.path)
    figures = _figures(store, summaries, cache)
    if not store.read_only:
        cache.flush()
    groups = organs.organ_groups({s.organ for s in summaries if s.organ}, organs.decisions(store))
    rows = [
        OverviewRow(id=s.id, organ=s.organ, level=organs.organ_level(s.organ), year=s.year, figures=figures[s.id],
                    errors=s.errors, warnings=s.warnings, status=s.status, source=Path(s.source_path or "").name,
                    format=s.format, group=groups.get(s.organ, "") if s.organ else "")
        for s in summaries
    ]
    mark_outliers(rows)
    return rows


def superseded_count(store) -> int:
    """Older versions of reports (left out of the sheet, listed in the library)."""
    with store._mutex:
        return sum(1 for d in store._ix().reports.values() if d.get("superseded"))


def _median(values: list[int]) -> int:
    return int(statistics.median(values))


def median_without(ordered: list[int], remove: list[int]) -> int:
    """The median of ``ordered`` (sorted) without the values ``remove`` (each present in it),
    in O(log n) for the usual one value; as ``_median`` of the remaining values."""
    if len(remove) != 1:
        rest = list(ordered)
        for x in remove:
            rest.pop(bisect.bisect_left(rest, x))
        return _median(rest)
    at = bisect.bisect_left(ordered, remove[0])
    n = len(ordered) - 1

    def nth(i: int) -> int:  # the i-th value of the list without position ``at``
        return ordered[i] if i < at else ordered[i + 1]

    if n % 2:
        return nth(n // 2)
    return int((nth(n // 2 - 1) + nth(n // 2)) / 2)


def mark_outliers(rows: list[OverviewRow]) -> None:
    """Fill each row's ``outliers`` (see the module doc)."""
    from checks.history import is_jump

    by_group: dict[str, list[OverviewRow]] = {}
    by_peer: dict[tuple, list[OverviewRow]] = {}
    for r in rows:
        r.outliers = {}
        if r.group:
            by_group.setdefault(r.group, []).append(r)
        if r.level and r.year:
            by_peer.setdefault((r.level, r.year), []).append(r)
    # per (level, year, figure): the values of every report, sorted; per organ its own values there
    peers: dict[tuple, list[int]] = {}
    own_by_peer: dict[tuple, list[int]] = defaultdict(list)
    for (level, year), members in by_peer.items():
        for key in FIGURE_KEYS:
            values = []
            for o in members:
                x = o.figures.get(key)
                if x is not None:
                    values.append(x)
                    own_by_peer[(level, year, o.group, key)].append(x)
            peers[(level, year, key)] = sorted(values)
    # per (organ, figure): (year, value, row) of each report with a value
    history: dict[tuple, list] = defaultdict(list)
    for group, members in by_group.items():
        if len(members) > 1:
            for o in members:
                for key in FIGURE_KEYS:
                    x = o.figures.get(key)
                    if x is not None and o.year:
                        history[(group, key)].append((o.year, x, o))
    for r in rows:
        for key in FIGURE_KEYS:
            v = r.figures.get(key)
            if v is None:
                continue
            reasons = []
            mine = history.get((r.group, key)) if r.group else None
            if mine:
                own = [(y, x) for y, x, o in mine if o is not r and y != r.year]
                # far from every other year; of two years only the later is marked (as history.jump does)
                if own and all(is_jump(x, v) for _, x in own) and (len(own) > 1 or (r.year or 0) > own[0][0]):
                    shown = "、".join(f"{y}年 {x}" for y, x in sorted(own)[-3:])
                    reasons.append(f"与本机关其他年度（{shown}）相差五倍以上，本年 {v}")
            peer = peers.get((r.level, r.year, key))
            if peer is not None and (v >= 20 or peer[-1] >= 20):
                own_values = own_by_peer[(r.level, r.year, r.group, key)]
                count = len(peer) - len(own_values)
                if count >= MIN_PEERS:
                    m = median_without(peer, own_values)
                    if is_jump(m, v):
                        reasons.append(f"同级（{r.level}）同年 {count} 个机关中位数 {m}，本机关 {v}（相差五倍以上）")
            if reasons:
                r.outliers[key] = "；".join(reasons)
        if r.figures.get("received") == 0 and r.year:
            years = {o.year: o.figures.get("received") for o in by_group.get(r.group, ()) if o.year}
            streak = 0
            y = r.year
            while years.get(y) == 0:
                streak += 1
                y -= 1
            if streak >= ZERO_STREAK:
                note = f"连续 {streak} 年本年新收申请为 0"
                r.outliers["received"] = "；".join(filter(None, [r.outliers.get("received"), note]))


def sort_rows(rows: list[OverviewRow], key: str, reverse: bool = False) -> list[OverviewRow]:
    """Sorted by any column; blanks always last."""
    filled = [r for r in rows if r.sort_key(key)[0] == 0]
    blank = [r for r in rows if r.sort_key(key)[0] != 0]
    return sorted(filled, key=lambda r: r.sort_key(key), reverse=reverse) + blank


def filter_rows(rows: list[OverviewRow], text: str) -> list[OverviewRow]:
    """Rows whose organ, level, year or status contain ``text``; ``异常`` keeps rows with an outlier."""
    needle = (text or "").strip().lower()
    if not needle:
        return list(rows)
    if needle in ("异常", "outlier", "outliers"):
        return [r for r in rows if r.outliers]
    return [r for r in rows if needle in " ".join(str(x) for x in (r.organ, r.level, r.year, r.status, r.source)
                                                   if x is not None).lower()]


def _cell(r: OverviewRow, key: str):
    if key == "outliers":
        return "；".join(f"{dict(COLUMNS)[k]}：{why}" for k, why in r.outliers.items())
    v = r.value(key)
    return "" if v is None else v


def to_csv(rows: list[OverviewRow]) -> str:
    """UTF-8 text with a BOM (Excel opens it), the sheet's columns then the outlier notes."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in EXPORT_COLUMNS])
    for r in rows:
        w.writerow([_cell(r, k) for k, _ in EXPORT_COLUMNS])
    return buf.getvalue()


def write_csv(rows: list[OverviewRow], path) -> None:
    atomic_write_bytes(path, to_csv(rows).encode("utf-8"))


def write_xlsx(rows: list[OverviewRow], path) -> None:
    """The same sheet as an Excel workbook (numbers as numbers, outlier cells filled)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "总览"
    ws.append([h for _, h in EXPORT_COLUMNS])
    for c in ws[1]:
        c.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFD75F")
    keys = [k for k, _ in EXPORT_COLUMNS]
    for r in rows:
        ws.append([_cell(r, k) for k in keys])
        for key, why in r.outliers.items():
            cell = ws.cell(row=ws.max_row, column=keys.index(key) + 1)
            cell.fill = fill
            cell.comment = Comment(why, "gipr-tui")
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue())
