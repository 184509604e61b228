"""Reading stored reports again when the parser has changed.

A report records the fingerprint of the parser that read it
(``parsing.parser_version()``, the report's ``parser`` field). A report read
by another parser is *stale*: ``AuditStore.reread(id)`` reads its source
bytes again (the stored copy, else the original file if it still holds the
same bytes), stores the new reading beside the old one, and keeps every
correction, review, note and status: they belong to the report, not to a
reading. What changed is written to the audit log as a note of the store's
own (``auto``), with every cell whose parsed value changed; a cell an auditor
had corrected whose parsed value changed under the correction is shown as a
finding of its own (``store.reparsed``) until the auditor reviews it.

Pure helpers here; ``db.AuditStore`` does the writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsing.model.schema import cell_paths, get_cell

from .vocabulary import REPARSED_RULE


@dataclass
class RereadResult:
    report_id: str
    status: str  # "reread" | "same" | "current" | "no_source" | "failed"
    message: str
    changed: list[tuple[str, object, object]] = field(default_factory=list)
    under_corrections: list[tuple[str, object, object]] = field(default_factory=list)


def changed_cells(old: dict, new: dict, fmt_old: str | None, fmt_new: str | None) -> list[tuple[str, object, object]]:
    """(path, old parsed value, new parsed value) for every cell whose reading changed."""
    paths = list(dict.fromkeys(
        list(cell_paths(fmt_old)) + list(cell_paths(fmt_new))
        + list(old.get("extra_cells") or {}) + list(new.get("extra_cells") or {})
    ))
    out = []
    for p in paths:
        a, b = get_cell(old, p), get_cell(new, p)
        if a != b:
            out.append((p, a, b))
    return out


def _show(v) -> str:
    return "空" if v is None else str(v)


def note_text(old_version: str | None, new_version: str, changed: list, under: list, labels) -> str:
    head = f"解析器已更新（{old_version or '旧版'} → {new_version}），已按保存的原文件重新读取"
    if not changed:
        return head + "：表格数值没有变化。"
    parts = "；".join(f"{labels(p)} {_show(a)} → {_show(b)}" for p, a, b in changed[:40])
    more = f"（另有 {len(changed) - 40} 处）" if len(changed) > 40 else ""
    text = f"{head}：{len(changed)} 个单元格的解析值变化：{parts}{more}。"
    if under:
        text += f" 其中 {len(under)} 个单元格已有人工更正，更正继续有效，请复核。"
    return text


def reparsed_findings(notes: list[dict], corrected: dict[str, object], labels) -> list[dict]:
    """Findings for corrected cells whose parsed value changed under the correction
    (latest re-read per cell); a cell no longer corrected needs no such finding."""
    latest: dict[str, tuple] = {}
    for n in notes:
        info = n.get("reread") if isinstance(n, dict) else None
        if not isinstance(info, dict):
            continue
        for item in info.get("under_corrections") or ():
            if isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
                latest[item[0]] = (item[1], item[2], info.get("to"))
    out = []
    for path, (old, new, _version) in latest.items():
        if path not in corrected:
            continue
        out.append({
            "rule": REPARSED_RULE,
            "severity": "warning",
            "cells": [path],
            "message": (f"{labels(path)}：新版解析器读出的值由 {_show(old)} 变为 {_show(new)}，"
                        f"您的更正值 {_show(corrected[path])} 继续有效；请对照原文复核这条更正"),
            "expected": _show(new),
            "actual": _show(corrected[path]),
        })
    return out
