"""Readable tables of a gipr/1 report for the terminal (rich), used by `extract`.

Cells look as in the app (``widgets.cells``: one marker per provenance flag)
and findings as in `check` (``check_output.findings_table``); text from the
document is cleaned of control characters and never parsed as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from checks import label
from parsing.model.schema import tables_for

from .check_output import findings_table
from .output import clean
from .widgets.cells import EMPTY, FLAG_NAMES, MARKERS, cell_text


def print_report(report: dict, console: Console | None = None) -> None:
    if console is None:
        from .output import console as pipe_safe_console

        console = pipe_safe_console()
    meta = report.get("meta", {})
    title = meta.get("title") or meta.get("organ") or report.get("source", {}).get("path", "")
    console.print(Text(clean(title), style="bold"))
    fields = (("机关", "organ"), ("年度", "year"), ("发布", "published"), ("格式", "format"))
    shown = "  ".join(f"{name}：{'未知' if meta.get(key) is None else meta.get(key)}" for name, key in fields)
    console.print(Text(clean(shown)))
    prov = report.get("provenance", {})
    for table in tables_for(meta.get("format")):
        rows = report.get("tables", {}).get(table.key) or {}
        rt = RichTable(title=Text(table.title), title_justify="left", show_lines=False)
        rt.add_column(Text("项目"), no_wrap=True)
        cols = table.all_columns
        for c in cols:
            rt.add_column(Text(c.short), justify="right")
        for r in table.rows:
            values = rows.get(r.key, {})
            cells = []
            own = {c.key for c in table.columns_of(r.key)}
            for c in cols:
                if c.key not in own:
                    cells.append(Text(""))
                    continue
                path = f"{table.key}.{r.key}.{c.key}"
                cells.append(cell_text(values.get(c.key), prov.get(path, {}).get("flags")))
            rt.add_row(Text(r.short), *cells)
        console.print(rt)
    notes = [(path, entry["note"]) for path, entry in prov.items()
             if isinstance(entry, dict) and isinstance(entry.get("note"), str) and entry["note"].strip()]
    if notes:  # the reader's own word on a cell (e.g. what the other PDF reading saw): why it is flagged
        fmt = meta.get("format")
        console.print(Text(f"读取说明 {len(notes)} 项：", style="bold"))
        for path, note in notes:
            console.print(Text(f"  {clean(label(path, fmt))}：{clean(' '.join(note.split()))}"))
    findings = report.get("findings") or []
    if findings:
        fmt = meta.get("format")
        console.print(Text(f"问题 {len(findings)} 项：", style="bold"))
        console.print(findings_table(findings, lambda p: label(p, fmt)))
    else:
        console.print(Text("未发现问题。", style="green"))
    legend = "  ".join(f"{m} {FLAG_NAMES[f]}" for f, m in MARKERS.items())
    console.print(Text(f"标记：{legend}  {EMPTY} 空值", style="dim"))
