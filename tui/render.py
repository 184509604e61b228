"""Readable tables of a gipr/1 report for the terminal (rich), used by `extract`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from parsing.schema import tables_for


def _cell(value, flags) -> Text:
    s = "—" if value is None else str(value)
    style = ""
    if flags:
        style = "bold yellow" if "missing" not in flags else "bold red"
        s += "?"
    return Text(s, style=style, justify="right")


def print_report(report: dict, console: Console | None = None) -> None:
    if console is None:
        from .output import console as pipe_safe_console

        console = pipe_safe_console()
    meta = report.get("meta", {})
    title = meta.get("title") or meta.get("organ") or report.get("source", {}).get("path", "")
    console.print(Text(f"{title}", style="bold"))
    console.print(Text(f"机关：{meta.get('organ')}  年度：{meta.get('year')}  发布：{meta.get('published')}  格式：{meta.get('format')}"))
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
                cells.append(_cell(values.get(c.key), prov.get(path, {}).get("flags")))
            rt.add_row(Text(r.short), *cells)
        console.print(rt)
    findings = report.get("findings") or []
    if findings:
        console.print(Text(f"问题 {len(findings)} 项：", style="bold"))
        for f in findings:
            sev = f.get("severity", "")
            style = {"error": "bold red", "warning": "yellow"}.get(sev, "dim")
            console.print(Text.assemble((f"[{sev}] ", style), (f"{f.get('rule')}: ", "bold"), f.get("message", "")))
    else:
        console.print(Text("未发现问题。", style="green"))
