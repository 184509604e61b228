"""Labels for every cell the app shows: the standard cells (via
``parsing.model.schema``) and the extra cells some reports print outside them
(``report["extra_cells"]``: subtotal rows ``requests.subtotal_<group>.<col>``
and the 8th column ``requests.<row>.legal_entity_subtotal``).

Also the compact column headings the tables pane uses so the 25×7 requests
table fits beside the source at 120 columns (the cell details line and the
edit dialog still give the full labels).
"""

from __future__ import annotations

from parsing.model.schema import cell_label, cell_labels

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
    return cell_labels(path, fmt, short) or (path, "")


def label(path: str, fmt: str | None, short: bool = True) -> str:
    """``(七)总计·总计``; extra cells too (``(三)小计·自然人``)."""
    return cell_label(path, fmt, short=short)


def extra_paths(report: dict) -> list[str]:
    """The report's extra cells, in the order the parser gave them."""
    return list((report.get("extra_cells") or {}).keys())
