"""What every rule family shares: the checking context, finding constructors,
and the Chinese wording of labels and sums.

A rule family is a module with ``RULES`` (rule id → (severity, explanation))
and ``check(ctx) -> list[dict]``. Findings are plain dicts
``{"rule", "severity", "cells", "message", "expected", "actual"}`` (CLI.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from parsing import schema

from .severities import ERROR, INFO, SEVERITIES, WARNING  # noqa: F401  (the rule families import them from here)


@dataclass
class Context:
    """One report being checked: values, flags, format and display text."""

    report: dict
    text: str
    previous: tuple[dict, str] | None = None
    fmt: str = schema.FORMAT_UNKNOWN
    tables: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    # Every cell's value by path (standard and extra cells), flattened once.
    cells: dict = field(default_factory=dict)

    @classmethod
    def of(cls, report: dict, text: str, previous=None) -> Context:
        meta = report.get("meta") or {}
        tables = report.get("tables") or {}
        extra = report.get("extra_cells") or {}
        cells = {
            f"{table}.{row}.{col}": value
            for table, rows in tables.items() if isinstance(rows, dict)
            for row, cols in rows.items() if isinstance(cols, dict)
            for col, value in cols.items()
        }
        cells.update(extra)
        return cls(
            report=report,
            text=text or "",
            previous=previous,
            fmt=meta.get("format") or schema.FORMAT_UNKNOWN,
            tables=tables,
            provenance=report.get("provenance") or {},
            meta=meta,
            extra=extra,
            cells=cells,
        )

    def raw(self, path: str):
        """The cell's value as stored (standard or extra cell), None when absent."""
        return self.cells.get(path)

    def count(self, path: str) -> int | None:
        """The cell as a usable whole number, else None (blank or malformed: never 0)."""
        v = self.cells.get(path)
        if isinstance(v, bool) or not isinstance(v, int):
            return None
        return v

    def flags(self, path: str) -> list:
        return (self.provenance.get(path) or {}).get("flags") or []

    def read_with(self, path: str) -> list:
        """The rules the parser used to choose this cell's value (provenance
        ``inferred_from``): those rules cannot also judge it."""
        entry = self.provenance.get(path) or {}
        if schema.FLAG_CORRECTED in (entry.get("flags") or []):
            return []  # an auditor's value: every rule judges it
        basis = entry.get("inferred_from") or []
        return [basis] if isinstance(basis, str) else list(basis)

    def has_tables(self) -> bool:
        return any(self.tables.get(t) for t in ("active", "requests", "reviews"))

    def label(self, path: str) -> str:
        return label(path, self.fmt)


# Messages name a subtotal row and the 8th column in full: an auditor reads a
# message without the table beside it (the app's tables use schema's short names).
_SUBTOTAL_NAMES = {
    "subtotal_denied": "(三)不予公开小计",
    "subtotal_unable": "(四)无法提供小计",
    "subtotal_rejected": "(五)不予处理小计",
    "subtotal_other": "(六)其他处理小计",
}


def label(path: str, fmt: str | None = schema.FORMAT_2021) -> str:
    """A short Chinese name for a cell, also for the extra cells some reports print."""
    names = schema.cell_labels(path, fmt, short=True)
    if names is None:
        return path
    row, col = names
    _, row_key, col_key = schema.split_path(path)
    if col_key == schema.LEGAL_ENTITY_SUBTOTAL.key:
        col = schema.LEGAL_ENTITY_SUBTOTAL.label
    return f"{_SUBTOTAL_NAMES.get(row_key, row)}·{col}"


def doubt_note(ctx: Context, paths) -> str:
    """``；其中 X 的读数存疑…`` when a cell of a failed rule was flagged by the parser."""
    doubtful = [p for p in paths if any(f in schema.DOUBT_FLAGS for f in ctx.flags(p))
                and schema.FLAG_CORRECTED not in ctx.flags(p)]
    if not doubtful:
        return ""
    return f"；其中{'、'.join(ctx.label(p) for p in doubtful[:4])}的读数存疑，请先核对原文"


def finding(rule: str, severity: str, cells, message: str, expected=None, actual=None) -> dict:
    return {
        "rule": rule,
        "severity": severity,
        "cells": list(cells),
        "message": message,
        "expected": expected,
        "actual": actual,
    }


def not_assessable(rule: str, ctx: Context, missing, what: str) -> dict:
    """The info finding of a rule that could not be checked: never a pass, never a zero."""
    missing = list(dict.fromkeys(missing))
    names = "、".join(ctx.label(p) for p in missing[:8])
    more = f"等 {len(missing)} 个单元格" if len(missing) > 8 else ""
    return finding(
        rule,
        INFO,
        missing,
        f"无法核对{what}：{names}{more}无有效数值（空白不按 0 计）",
    )


def read_with_rule(rule: str, ctx: Context, cells, what: str) -> dict:
    """The info finding of a rule whose cells the parser chose with that very
    rule (a glued run's split): it is not a check of them, never a pass."""
    cells = list(dict.fromkeys(cells))
    names = "、".join(ctx.label(p) for p in cells[:8]) + (f"等 {len(cells)} 个单元格" if len(cells) > 8 else "")
    return finding(rule, INFO, cells,
                   f"{names}的数值是按{what}从粘连的数字中选定的拆分，不能再用同一关系核对，请对照原文确认")


def sum_text(values) -> str:
    """``31+3+0`` for a list of ints."""
    return "+".join(str(v) for v in values)


def to_decimal(value) -> Decimal | None:
    """A money cell as a Decimal, None when it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        return None
    try:
        d = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def quote(sentence: str, limit: int = 80) -> str:
    """A sentence of the report, trimmed for a message."""
    s = " ".join(sentence.split())
    return f"“{s[:limit]}…”" if len(s) > limit else f"“{s}”"
