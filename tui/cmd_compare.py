"""`gipr-tui compare A B [--json|--md|--csv] [--db FILE] [--same-organ]`:
two reports side by side without the app (docs/CLI.md, issue 14).

A and B are report files, or report ids (or a unique prefix of one) in the
audit database. The earlier reporting year is the base (A), whatever the
order given. The cross-year rules (carry-over, 规范性文件 stock chain, jumps,
verbatim reuse) apply when the years are consecutive and the organ is the same:
the same name, or names the auditor said are one organ (in the app, kept in the
database), or ``--same-organ``. With reports from the database, the values are
the current ones (corrections applied) and a finding's review counts (a waived
error does not make the exit code 1).

Exit codes: 0 no error finding; 1 an error finding; 2 bad usage or a file
that is not a readable report; 3 the audit database cannot be used.
"""

from __future__ import annotations

import csv
import io
import json
import os

from .cli import EXIT_DB, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, error
from .output import clean, write

STATUS_NAMES = {"ok": "一致", "mismatch": "不一致", "unknown": "无法核对（空白）", "not_checked": "不核对"}


class _Unusable(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def _open_db(args, holder: dict):
    if "store" in holder:
        return holder["store"]
    from store import AuditStore, StoreError, resolve_db_path

    try:
        holder["store"] = AuditStore.open(resolve_db_path(args.db), read_only=True)
    except StoreError as e:
        raise _Unusable(EXIT_DB, f"compare: {e}") from None
    return holder["store"]


def _load(arg: str, args, holder: dict) -> dict:
    """One side: {"report", "text", "id" (db only), "name"}."""
    from parsing import ParseError, parse_file

    if os.path.isfile(arg):
        try:
            parsed = parse_file(arg)
        except ParseError as e:
            raise _Unusable(EXIT_USAGE, f"{arg}: {e}") from None
        return {"report": parsed.report, "text": parsed.text, "id": None, "name": arg}
    if os.path.exists(arg):
        raise _Unusable(EXIT_USAGE, f"{arg}: 不是普通文件")
    store = _open_db(args, holder)
    from store import StoreError

    ids = [s.id for s in store.list_reports() if s.id.startswith(arg)] if arg else []
    if len(ids) != 1:
        why = "数据库中也没有这个报告编号" if not ids else f"报告编号前缀不唯一（{len(ids)} 份报告）"
        raise _Unusable(EXIT_USAGE, f"{arg}: 文件不存在，{why}（数据库 {store.path}，可用 --db 指定）")
    try:
        stored = store.get(ids[0])
        report = store.current_report(ids[0])
    except StoreError as e:
        raise _Unusable(EXIT_DB, f"compare: {e}") from None
    report.setdefault("source", {})["path"] = stored.source_path
    return {"report": report, "text": stored.text, "id": ids[0], "name": arg}


def build(a: dict, b: dict, *, same_organ: bool = False, store=None) -> dict:
    """The comparison of two loaded sides (earlier year first), reviews from the store when it holds B."""
    from checks import finding_key
    from checks.compare import compare_reports, consecutive, order

    (ra, ta), (rb, tb) = order((a["report"], a["text"]), (b["report"], b["text"]))
    if ra is not a["report"]:
        a, b = b, a
    organ_a, organ_b = ((r.get("meta") or {}).get("organ") for r in (ra, rb))
    if same_organ:
        same = True
    else:
        from store.organs import same_organ as decide

        same = bool(decide(store, organ_a, organ_b)) if store is not None else bool(decide(None, organ_a, organ_b))
    comparison = compare_reports((ra, ta), (rb, tb), continuity=same and consecutive(ra, rb))
    comparison["a"]["id"], comparison["b"]["id"] = a.get("id"), b.get("id")
    comparison["same_organ"] = same
    reviews = store.reviews(b["id"]) if store is not None and b.get("id") else {}
    for f in comparison["findings"]:
        f["key"] = finding_key(f)
        f["review"] = reviews.get(f["key"])
    return comparison


def run(args) -> int:
    from store import has_open_error

    holder: dict = {}
    try:
        a = _load(args.a, args, holder)
        b = _load(args.b, args, holder)
        comparison = build(a, b, same_organ=args.same_organ, store=holder.get("store"))
    except _Unusable as e:
        error(str(e))
        return e.code
    finally:
        if "store" in holder:
            holder["store"].close()
    import sys

    from .safe_text import safe_block, safe_json

    shown = safe_block if sys.stdout.isatty() else (lambda text: text)  # nothing on a terminal may act on it
    if args.json:
        write(safe_json(json.dumps(comparison, ensure_ascii=False, indent=1)) + "\n")
    elif args.csv:
        write(shown(to_csv(comparison)))
    elif args.md:
        write(shown(to_markdown(comparison)))
    else:
        write(shown(to_text(comparison)))
    return EXIT_ERRORS if has_open_error(comparison["findings"]) else EXIT_OK


# --- renderings ------------------------------------------------------------------------
def _who(side: dict) -> str:
    return f"{clean(side.get('organ') or '未识别机关')} {side.get('year') or '年度未知'}年"


def _v(v) -> str:
    return "" if v is None else clean(v)


def _diff(c: dict) -> str:
    d = c.get("diff")
    if d is None:
        return ""
    s = str(d)
    return s if s.startswith("-") or s in ("0", "0.00", "0.0") else f"+{s}"


def _continuity_line(c: dict) -> str:
    if c["continuity"]:
        return "相邻年度、同一机关：核对跨年衔接（上年结转、规范性文件现行有效、大幅变化、文字雷同）"
    if not c["consecutive"]:
        return "不是相邻年度：不核对跨年衔接，只列出差异"
    return "机关名称不同：不核对跨年衔接，只列出差异（确为同一机关请加 --same-organ）"


CSV_COLUMNS = ("kind", "item", "label", "a", "b", "diff", "relative", "mark", "a_span", "b_span")


def to_csv(c: dict) -> str:
    """UTF-8 with BOM, one row per cell, carry-over column, stock row, section and finding."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    span = lambda s: "" if not s else f"{s[0]}-{s[1]}"  # noqa: E731
    for x in c["cells"]:
        mark = "jump" if x["jump"] else ("changed" if x["changed"] else "")
        w.writerow(["cell", x["path"], x["label"], _v(x["a"]), _v(x["b"]), _v(x["diff"]), _v(x["relative"]), mark,
                    span(x["spans"]["a"]), span(x["spans"]["b"])])
    for x in c["carry_over"]:
        w.writerow(["carry_over", x["column"], x["label"], _v(x["a_carried_forward"]), _v(x["b_carried_over"]), "", "",
                    x["status"], span(x["spans"]["a"]), span(x["spans"]["b"])])
    for x in c["stock"]:
        w.writerow(["stock", x["row"], x["label"], _v(x.get("a_in_force")), _v(x.get("b_in_force")), "", "",
                    f"{x['status']}" + (f" expected={x['expected']}" if x.get("expected") is not None else ""),
                    span((x.get("spans") or {}).get("a")), span((x.get("spans") or {}).get("b"))])
    for x in c["reuse"]["sections"]:
        w.writerow(["reuse", x["key"], x["title"], x["sentences"], x["verbatim"] + x["near"], "", x["share"] or "",
                    f"verbatim {x['verbatim_share'] or ''}", "", ""])
    for f in c["findings"]:
        w.writerow(["finding", f["rule"], clean(f["message"]), _v(f.get("expected")), _v(f.get("actual")), "", "",
                    f["severity"], "", ""])
    return buf.getvalue()


def _md_cell(v) -> str:
    return _v(v).replace("|", "\\|").replace("\n", " ")


def _shown(v) -> str:
    """A value in the readable outputs: ``—`` where the report has none (never a blank that reads as 0)."""
    return "—" if v is None else _md_cell(v)


def to_markdown(c: dict) -> str:
    from checks import severity_label
    from store import decision_of, review_state_label

    a, b = c["a"], c["b"]
    out = [f"# 对比：{_who(a)} → {_who(b)}", "", _continuity_line(c), ""]
    out += [f"- A：{_md_cell(a.get('path') or a.get('id'))}", f"- B：{_md_cell(b.get('path') or b.get('id'))}",
            f"- 有变化的单元格 {c['changed']} 个，其中变化超过五倍 {c['jumps']} 个", ""]
    out += ["## 检查发现", ""]
    if c["findings"]:
        out += ["| 级别 | 规则 | 说明 | 复核 |", "|---|---|---|---|"]
        for f in c["findings"]:
            decision = decision_of(f)
            review = review_state_label(decision) if decision else ""  # 待审 only means something with a database
            out.append(f"| {severity_label(f['severity'])} | {f['rule']} | {_md_cell(f['message'])} | {review} |")
    else:
        out.append("没有跨年度问题。" if c["continuity"] else "未核对跨年衔接。")
    out += ["", "## 表格差异（有变化的单元格）", "", "| 单元格 | A | B | 差值 | 相对变化 | 标记 |", "|---|---:|---:|---:|---:|---|"]
    for x in c["cells"]:
        if x["changed"]:
            out.append(f"| {_md_cell(x['label'])} | {_shown(x['a'])} | {_shown(x['b'])} | {_diff(x)} | "
                       f"{_md_cell(x['relative'])} | {'⚠ 变化超过五倍' if x['jump'] else ''} |")
    out += ["", "## 上年结转（A 结转下年度 → B 上年结转）", "", "| 列 | A 结转下年度 | B 上年结转 | 结果 |", "|---|---:|---:|---|"]
    for x in c["carry_over"]:
        out.append(f"| {x['label']} | {_shown(x['a_carried_forward'])} | {_shown(x['b_carried_over'])} | {STATUS_NAMES[x['status']]} |")
    out += ["", "## 规章、规范性文件现行有效件数", "", "| 项目 | A 现行有效 | B 制发 | B 废止 | 应为 | B 现行有效 | 结果 |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for x in c["stock"]:
        out.append(f"| {x['label']} | {_shown(x.get('a_in_force'))} | {_shown(x.get('b_issued'))} | {_shown(x.get('b_repealed'))} | "
                   f"{_shown(x.get('expected'))} | {_shown(x.get('b_in_force'))} | {STATUS_NAMES[x['status']]} |")
    reuse = c["reuse"]
    out += ["", "## 文字重复（B 中与 A 相同或基本相同的句子）", "", f"度量：{reuse['measure']}", "",
            "| 部分 | 句子 | 逐字相同 | 基本相同 | 重复占比 | 逐字占比 |", "|---|---:|---:|---:|---:|---:|"]
    for x in reuse["sections"]:
        out.append(f"| {x['title']} | {x['sentences']} | {x['verbatim']} | {x['near']} | {x['share'] or ''} | {x['verbatim_share'] or ''} |")
    o = reuse["overall"]
    out.append(f"| 全文 | {o['sentences']} | {o['verbatim']} | {o['near']} | {o['share'] or ''} | {o['verbatim_share'] or ''} |")
    return "\n".join(out) + "\n"


def to_text(c: dict) -> str:
    """The default, for a terminal: the Markdown without its table rules."""
    lines = []
    for line in to_markdown(c).splitlines():
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            line = "  ".join(cell.strip() for cell in line.strip("|").split(" | "))
        lines.append(line.replace("\\|", "|"))
    return "\n".join(lines) + "\n"
