"""Labels and values for every cell the app shows: the standard cells (via
``parsing.schema``) and the extra cells some reports print outside them
(``report["extra_cells"]``: subtotal rows ``requests.subtotal_<group>.<col>``
and the 8th column ``requests.<row>.legal_entity_subtotal``).

Also the compact column headings the tables pane uses so the 25×7 requests
table fits beside the source at 120 columns (the cell details line and the
edit dialog still give the full labels).
"""

from __future__ import annotations

from parsing.schema import cell_label, get_cell, split_path, table_for

LEGAL_ENTITY_SUBTOTAL = "legal_entity_subtotal"
_SUBTOTAL_COLUMN = ("法人或其他组织小计", "法人小计")
# (long, short) label of each subtotal row group
_SUBTOTAL_ROWS = {
    "denied": ("（三）不予公开·小计", "(三)小计"),
    "unable": ("（四）无法提供·小计", "(四)小计"),
    "rejected": ("（五）不予处理·小计", "(五)小计"),
    "other": ("（六）其他处理·小计", "(六)小计"),
}

# Table headings narrower than the schema's short labels (tables pane only).
COMPACT_COLUMNS: dict[str, dict[str, str]] = {
    "requests": {"commercial": "商业", "research": "科研", "social_welfare": "公益", "legal_services": "法律"},
}
COMPACT_ROWS: dict[str, dict[str, str]] = {
    "requests": {"rejected_confirmation": "(五)5.确认重新出具"},
}


def compact_column(table_key: str, column) -> str:
    return COMPACT_COLUMNS.get(table_key, {}).get(column.key, column.short)


def compact_row(table_key: str, row) -> str:
    return COMPACT_ROWS.get(table_key, {}).get(row.key, row.short)


def labels(path: str, fmt: str | None, short: bool = False) -> tuple[str, str]:
    """(row label, column label) of any shown cell; the path itself as row label if unknown."""
    try:
        table_key, row_key, col_key = split_path(path)
        table = table_for(table_key, fmt)
    except (KeyError, ValueError):
        return path, ""
    pick = 1 if short else 0
    if row_key.startswith("subtotal_") and row_key[len("subtotal_"):] in _SUBTOTAL_ROWS:
        row = _SUBTOTAL_ROWS[row_key[len("subtotal_"):]][pick]
    else:
        try:
            r = table.row(row_key)
        except KeyError:
            return path, ""
        row = r.short if short else r.label
    if col_key == LEGAL_ENTITY_SUBTOTAL:
        return row, _SUBTOTAL_COLUMN[pick]
    col = next((c for c in table.all_columns if c.key == col_key), None)
    if col is None:
        return path, ""
    return row, col.short if short else col.label


def label(path: str, fmt: str | None, short: bool = True) -> str:
    """``(七)总计·总计``; extra cells too (``(三)小计·自然人``)."""
    standard = cell_label(path, fmt, short=short)
    if standard != path:
        return standard
    row, col = labels(path, fmt, short=short)
    return f"{row}·{col}" if col else row


def value(report: dict, path: str):
    """The cell's value: an extra cell's from ``extra_cells``, else the standard table's."""
    extra = report.get("extra_cells") or {}
    if path in extra:
        return extra[path]
    try:
        return get_cell(report, path)
    except (ValueError, AttributeError):
        return None


def extra_paths(report: dict) -> list[str]:
    """The report's extra cells, in the order the parser gave them."""
    return list((report.get("extra_cells") or {}).keys())
