"""Cells the auditor has to look at: blank, or doubted by the parser, until
an auditor corrects them (a corrected cell's flags include "corrected")."""

from __future__ import annotations

from parsing import schema

from .balance import absent_rows
from .base import WARNING, Context, finding

RULES = {
    "cells.missing": (WARNING, "该单元格没有数值（原文空白、缺失或无法读出）。空白不按 0 计：请对照原文补录或确认。"),
    "cells.uncertain": (
        WARNING,
        "解析器对该单元格的数值有疑问（疑似 OCR 错字、粘连数字可有多种拆分、或由勾稽关系推算而来），请对照原文确认或更正。",
    ),
}

_DOUBT_WORDS = {
    schema.FLAG_OCR: "疑似 OCR 错字",
    schema.FLAG_SPLIT: "粘连数字可有多种拆分",
    schema.FLAG_INFERRED: "由其他数值推算而来，非原文所载",
}


# What chose a glued cell's split, by the rule named in provenance ``inferred_from``.
_CHOSEN_BY = {
    "requests.outcome_sum": "表三的列平衡关系",
    "requests.column_balance": "表三的列平衡关系",
    "narrative.active": "正文所述件数",
    "history.normative_documents": "上年报告的现行有效件数（上年现行有效 + 制发 − 废止 = 现行有效）",
}


def _cell(ctx: Context, path: str) -> dict | None:
    flags = ctx.flags(path)
    if schema.FLAG_CORRECTED in flags:
        return None
    value = ctx.raw(path)
    raw = (ctx.provenance.get(path) or {}).get("raw") or ""
    if value is None:
        seen = f"（原文为“{raw}”）" if raw.strip() else ""
        return finding("cells.missing", WARNING, [path], f"{ctx.label(path)}没有数值{seen}，请对照原文补录", actual=None)
    doubts = [_DOUBT_WORDS[f] for f in flags if f in _DOUBT_WORDS]
    chosen = [_CHOSEN_BY[r] for r in ctx.read_with(path) if r in _CHOSEN_BY]
    if chosen:  # a glued run's split chosen by another source: say which
        doubts = [d for d in doubts if d not in (_DOUBT_WORDS[schema.FLAG_INFERRED], _DOUBT_WORDS[schema.FLAG_SPLIT])]
        doubts.insert(0, f"粘连数字的拆分由{chosen[0]}选定，该行本身不能确定")
    if doubts:
        seen = f"，原文为“{raw}”" if raw and raw != str(value) else ""
        return finding("cells.uncertain", WARNING, [path],
                       f"{ctx.label(path)}读作 {value}{seen}：{'；'.join(doubts)}，请确认", actual=value)
    return None


def _blank_group(ctx: Context, paths: list[str], what: str) -> dict | None:
    """One finding for a row or table whose every cell is blank and uncorrected."""
    if len(paths) < 2 or any(ctx.raw(p) is not None or schema.FLAG_CORRECTED in ctx.flags(p) for p in paths):
        return None
    return finding("cells.missing", WARNING, paths, f"{what}全部 {len(paths)} 个单元格均无数值（表格可能缺失、被截断或未能识别），请对照原文补录")


_ROWS = {
    id(t): [(r, [f"{t.key}.{r.key}.{c.key}" for c in t.columns_of(r.key)]) for r in t.rows]
    for t in (schema.ACTIVE_2021, schema.ACTIVE_2019, schema.REQUESTS, schema.REVIEWS)
}
_TRUSTED = frozenset({schema.FLAG_CORRECTED})


def _plain(ctx: Context, path: str) -> bool:
    """A value read plainly (or corrected): nothing to say, decided fast."""
    if ctx.cells.get(path) is None:
        return False
    entry = ctx.provenance.get(path)
    flags = entry.get("flags") if entry else None
    return not flags or set(flags) <= _TRUSTED


def _table_findings(ctx: Context, table: schema.Table) -> list[dict]:
    rows = _ROWS[id(table)]
    if table is schema.REQUESTS and absent_rows(ctx):
        absent = absent_rows(ctx)
        rows = [(r, paths) for r, paths in rows if r.key not in absent]
    if all(_plain(ctx, p) for _, paths in rows for p in paths):
        return []
    whole = _blank_group(ctx, [p for _, paths in rows for p in paths], table.title)
    if whole:
        return [whole]
    out = []
    for row, paths in rows:
        group = _blank_group(ctx, paths, f"“{row.short}”行")
        if group:
            out.append(group)
            continue
        out += filter(None, (_cell(ctx, p) for p in paths))
    return out


def check(ctx: Context) -> list[dict]:
    if not ctx.has_tables():
        return []
    out = []
    for table in schema.tables_for(ctx.fmt):
        out += _table_findings(ctx, table)
    out += filter(None, (_cell(ctx, p) for p in ctx.extra))
    return out
