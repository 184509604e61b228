"""How `gipr-tui check` shows its results: a findings table per report, a
summary, and a progress bar (rich). Text from documents is only ever put in
``Text`` objects (never parsed as markup) and stripped of control characters."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from checks import ERROR, INFO, SEVERITY_LABELS, WARNING, severity_label, severity_rank
from store import has_open_error

from .output import clean
from store import rule_name
from .widgets.cells import SEVERITY_TEXT_STYLES


def rule_text(rule) -> Text:
    """A rule's Chinese name, its stable id beside it (dim) for reference and scripts."""
    rule = clean(rule or "")
    name = clean(rule_name(rule))
    return Text.assemble(name, ("\n" + rule, "dim")) if name != rule else Text(rule)


def _counts(findings: list[dict]) -> Counter:
    return Counter(f.get("severity") for f in findings)


def report_heading(path: str, report: dict) -> Text:
    meta = report.get("meta") or {}
    who = "　".join(
        clean(v) for v in (meta.get("organ") or "未识别机关", f"{meta['year']}年度" if meta.get("year") else "年度未识别",
                           f"格式 {meta.get('format')}")
    )
    c = _counts(report.get("findings") or [])
    tally = Text.assemble(
        (f"{SEVERITY_LABELS[ERROR]} {c[ERROR]}", SEVERITY_TEXT_STYLES[ERROR] if c[ERROR] else "green"), "　",
        (f"{SEVERITY_LABELS[WARNING]} {c[WARNING]}", SEVERITY_TEXT_STYLES[WARNING] if c[WARNING] else ""), "　",
        f"{SEVERITY_LABELS[INFO]} {c[INFO]}",
    )
    return Text.assemble((clean(path), "bold"), "\n", who, "　", tally)


def findings_table(findings: list[dict], label) -> Table:
    """One row per finding: severity, the rule's Chinese name (its id under it), the cells' Chinese names, the message."""
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column(Text("级别"), no_wrap=True)
    table.add_column(Text("规则"), no_wrap=True)
    table.add_column(Text("单元格"), overflow="fold", max_width=28)
    table.add_column(Text("说明"), overflow="fold")
    for f in findings:
        sev = f.get("severity", "")
        cells = f.get("cells") or []
        names = "、".join(label(c) for c in cells[:3]) + (f" 等 {len(cells)} 格" if len(cells) > 3 else "")
        table.add_row(
            Text(severity_label(sev), style=SEVERITY_TEXT_STYLES.get(sev, "")),
            rule_text(f.get("rule")),
            Text(clean(names)),
            Text(clean(f.get("message", ""))),
        )
    return table


def print_report_findings(console: Console, path: str, report: dict, label) -> None:
    """`gipr-tui check` without --json: one report's heading and its findings table."""
    console.print(report_heading(path, report))
    findings = report.get("findings") or []
    if findings:
        console.print(findings_table(findings, label))
    else:
        console.print(Text("未发现问题。", style="green"))
    console.print()


def summary_table(reports: list[dict], unreadable: int) -> Table:
    """Totals, and how often each rule fired (errors and warnings first)."""
    all_findings = [f for r in reports for f in r.get("findings") or []]
    c = _counts(all_findings)
    with_errors = sum(1 for r in reports if has_open_error(r.get("findings") or []))
    table = Table(title=Text("汇总", style="bold"), title_justify="left", show_header=True)
    table.add_column(Text("项目"))
    table.add_column(Text("数量"), justify="right")
    rows = [
        ("已检查报告", len(reports)),
        ("无法读取的文件", unreadable),
        ("有错误的报告", with_errors),
        *((SEVERITY_LABELS[s], c[s]) for s in (ERROR, WARNING, INFO)),
    ]
    for name, n in rows:
        table.add_row(Text(name), Text(str(n)))
    by_rule = Counter((f.get("severity"), f.get("rule")) for f in all_findings)
    for (sev, rule), n in sorted(by_rule.items(), key=lambda kv: (severity_rank(kv[0][0]), -kv[1], kv[0][1] or "")):
        name, rid = clean(rule_name(rule)), clean(rule or "")
        table.add_row(Text.assemble((f"{severity_label(sev)} ", SEVERITY_TEXT_STYLES.get(sev, "")), name,
                                    (f"（{rid}）", "dim") if name != rid else ""),
                      Text(str(n)))
    return table


def progress(console: Console) -> Progress:
    return Progress(
        TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    )
