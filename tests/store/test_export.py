"""The audit-log export as a reviewer reads it: csv for Excel, json, Markdown."""

from __future__ import annotations

import csv
import io
import json

import checks
import pytest

from store import AuditStore
from store.export import CSV_COLUMNS, md_escape
from tests.store.helpers import fake_rule, parsed

CELL = "requests.new_received.total"


@pytest.fixture
def audited(tmp_path, monkeypatch):
    """Two reports with a correction, an undo, a confirmed and a waived finding, notes, a status."""
    monkeypatch.setattr(checks, "run_checks", fake_rule())
    s = AuditStore.open(tmp_path / "audit.json")
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


def test_csv_has_a_bom_fixed_columns_and_one_row_per_event(audited):
    s, a, b = audited
    text = s.export("csv")
    assert text.splitlines()[0].lstrip("\ufeff") == ",".join(CSV_COLUMNS)
    rows = _csv_rows(text)
    mine = [r for r in rows if r["report"] == a]
    kinds = [r["kind"] for r in mine]
    assert kinds.count("correction") == 4 and kinds.count("note") == 1 and kinds[0] == "report"
    fix = next(r for r in mine if r["kind"] == "correction" and r["text"] == "原文 35")
    assert (fix["cell"], fix["before"], fix["after"], fix["auditor"], fix["organ"], fix["year"]) == (
        CELL, "34", "35", "tester", "泸定县人民政府", "2024")
    assert fix["cell_label"] == "一、本年新收政府信息公开申请数量·总计"
    assert any(r["kind"] == "review" and r["status"] == "已解决（更正后不再出现）" for r in mine)
    other = [r for r in rows if r["report"] == b]
    [finding] = [r for r in other if r["kind"] == "finding"]
    assert finding["status"] == "已豁免" and "口径不同" in finding["text"]
    assert any(r["kind"] == "status" and r["after"] == "已完成" for r in other)


def test_json_is_structured_per_report(audited):
    s, a, b = audited
    data = json.loads(s.export("json"))
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


def test_exports_are_deterministic_and_written_to_out(audited):
    s, _, _ = audited
    for fmt in ("csv", "json", "md"):
        buf = io.StringIO()
        assert s.export(fmt, buf) == s.export(fmt) == buf.getvalue()
    with pytest.raises(ValueError):
        s.export("xls")


def test_empty_database_exports_headers_only(tmp_path):
    with AuditStore.open(tmp_path / "audit.json") as s:
        assert s.export("csv") == "\ufeff" + ",".join(CSV_COLUMNS) + "\r\n"
        assert json.loads(s.export("json")) == {"schema": "gipr-audit/1", "reports": []}
        assert "没有报告" in s.export("md")


def test_md_escape():
    assert md_escape("a|b\r\nc") == "a\\|b<br>c" and md_escape(None) == ""


def test_csv_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    with AuditStore.open(tmp_path / "audit.json") as s:
        rid = s.import_parsed(parsed(), "/r/a.txt").report_id
        s.add_note(rid, '=HYPERLINK("http://x")')
        rows = _csv_rows(s.export("csv"))
    [note] = [r for r in rows if r["kind"] == "note"]
    assert note["text"] == "'=HYPERLINK(\"http://x\")"
