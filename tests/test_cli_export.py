"""`gipr-tui export` from the command line (the installed console script):
formats, -o, --report, the export's record, hostile content, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store import AuditStore
from tests.store.helpers import parsed

EXE = str(Path(sys.executable).with_name("gipr-tui"))
CELL = "requests.new_received.total"
EVIL_ORGAN = "-2+3+SUM(A1)<img src=x onerror=alert(1)>"
EVIL_NOTE = "=HYPERLINK(\"http://evil\",\"点我\") <script>x</script> `c` [l](javascript:x) \x1b]2;标题\x07"


def _export(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767323045", **(env or {})}
    return subprocess.run([EXE, "export", *args], capture_output=True, timeout=60, env=env, **kw)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_parsed(parsed(), "/r/luding.txt").report_id
        s.correct(rid, CELL, 35, "原文 35")
        s.add_note(rid, "已电话核实")
        other = s.import_parsed(parsed(organ=EVIL_ORGAN, year=2023), "/r/evil.txt").report_id
        s.add_note(other, EVIL_NOTE)
        s.correct(other, CELL, 1, "\t=cmd")
    return path


def _ids(db) -> dict[str, str]:
    with AuditStore.open(db, read_only=True) as s:
        return {r.organ: r.id for r in s.list_reports()}


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_to_stdout_is_utf8_with_bom_chinese_headers_and_the_record(db):
    r = _export("--db", str(db), "--format", "csv", "--auditor", "李审核")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"\xef\xbb\xbf")
    text = r.stdout.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("报告编号,机关,年度,记录类型,类型代码,单元格路径,单元格,规则编号,规则,原值,新值")
    assert "原文 35" in text and "已电话核实" in text and "泸定县人民政府" in text
    first = _rows(r.stdout)[0]
    assert (first["类型代码"], first["审核人"], first["时间"]) == ("export", "李审核", "2026-01-02T03:04:05Z")
    assert "gipr-tui 0." in first["说明"] and str(db) in first["说明"] and "全部报告（2 份）" in first["说明"]


def test_the_exporter_defaults_to_gipr_auditor(db):
    r = _export("--db", str(db), "--format", "json", env={"GIPR_AUDITOR": "王五"})
    info = json.loads(r.stdout)["export"]
    assert info["auditor"] == "王五" and info["database"] == str(db) and info["report"] is None


def test_hostile_organ_and_note_are_inert_in_csv_and_markdown(db):
    rows = _rows(_export("--db", str(db), "--format", "csv").stdout)
    evil = [r for r in rows if r["机关"].lstrip("'") == EVIL_ORGAN]
    assert evil and all(r["机关"] == "'" + EVIL_ORGAN for r in evil)
    [note] = [r for r in evil if r["类型代码"] == "note"]
    assert note["说明"].startswith("'=HYPERLINK(") and "\x1b" not in note["说明"] and "\\x1b]2;" in note["说明"]
    [fix] = [r for r in evil if r["类型代码"] == "correction"]
    assert fix["说明"] == "'\t=cmd"
    md = _export("--db", str(db), "--format", "md").stdout.decode("utf-8")
    assert "<img" not in md and "<script>" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "\\[l\\](javascript:x)" in md and "\\`c\\`" in md and "\x1b" not in md


def test_xlsx_file_with_summary_sheets_and_frozen_headers(db, tmp_path):
    out = tmp_path / "审核记录.xlsx"
    r = _export("--db", str(db), "--format", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"" and r.stderr == b""  # a file the user named: quiet
    wb = load_workbook(out)
    assert wb.sheetnames == ["概要", "检查发现", "更正记录", "复核记录", "备注", "状态变更", "导出信息"]
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    assert [c.value for c in wb["更正记录"][1]][:7] == ["报告编号", "机关", "年度", "序号", "单元格路径", "单元格", "原值"]
    assert {row[1] for row in wb["概要"].iter_rows(min_row=2, values_only=True)} == {"泸定县人民政府", EVIL_ORGAN}
    evil = next(row for row in wb["概要"].iter_rows(min_row=2) if row[1].value == EVIL_ORGAN)[1]
    assert evil.data_type == "s" and evil.quotePrefix
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    facts = dict(wb["导出信息"].iter_rows(min_row=2, values_only=True))
    assert facts["数据库"] == str(db) and facts["导出时间（UTC）"] == "2026-01-02T03:04:05Z"


def test_xlsx_is_refused_on_a_terminal_but_fine_through_a_pipe(db):
    r = _export("--db", str(db), "--format", "xlsx")
    assert r.returncode == 0 and r.stdout[:2] == b"PK"  # captured: not a terminal
    code = ("import sys, pty, os\n"
            f"pid, fd = pty.fork()\n"
            f"if pid == 0:\n    os.execv({EXE!r}, [{EXE!r}, 'export', '--db', {str(db)!r}, '--format', 'xlsx'])\n"
            "out = b''\n"
            "while True:\n"
            "    try:\n        chunk = os.read(fd, 4096)\n    except OSError:\n        break\n"
            "    if not chunk:\n        break\n    out += chunk\n"
            "_, status = os.waitpid(pid, 0)\n"
            "sys.stdout.buffer.write(out); sys.exit(os.waitstatus_to_exitcode(status))\n")
    t = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert t.returncode == 2 and "-o" in t.stdout.decode("utf-8") and b"PK" not in t.stdout


def test_one_report_only(db):
    ids = _ids(db)
    rid = ids["泸定县人民政府"]
    r = _export("--db", str(db), "--format", "csv", "--report", rid)
    assert r.returncode == 0, r.stderr
    rows = _rows(r.stdout)
    assert {row["报告编号"] for row in rows[1:]} == {rid} and f"报告 {rid}" in rows[0]["说明"]
    data = json.loads(_export("--db", str(db), "--format", "json", "--report", rid[:6]).stdout)
    assert [x["id"] for x in data["reports"]] == [rid]


def test_unknown_report_exits_2_saying_so(db):
    r = _export("--db", str(db), "--format", "csv", "--report", "nosuchreport")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "nosuchreport" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and r.stdout == b""


def test_output_folder_gets_a_named_file_and_the_path_is_shown(db, tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    rid = _ids(db)["泸定县人民政府"]
    r = _export("--db", str(db), "--format", "md", "--report", rid, "-o", str(folder))
    assert r.returncode == 0, r.stderr
    [written] = list(folder.iterdir())
    assert written.name.startswith("gipr-审核记录-泸定县人民政府-2024年-") and written.suffix == ".md"
    assert str(written) in r.stderr.decode("utf-8")
    again = _export("--db", str(db), "--format", "md", "--report", rid, "-o", str(folder))
    assert again.returncode == 0 and len(list(folder.iterdir())) == 2  # never overwrites the first


def test_output_file_and_gipr_db_environment(db, tmp_path):
    out = tmp_path / "out" / "log.md"
    out.parent.mkdir()
    r = _export("--format", "md", "-o", str(out), env={"GIPR_DB": str(db)})
    assert r.returncode == 0 and r.stdout == b""
    md = out.read_text(encoding="utf-8")
    assert "## 泸定县人民政府 2024年" in md and "原文 35" in md and "- 导出时间：2026-01-02T03:04:05Z" in md
    r2 = _export("--db", str(db), "--format", "md", "-o", str(out))
    assert r2.returncode == 0 and out.read_text(encoding="utf-8") == md  # deterministic at a fixed time
    assert [p.name for p in out.parent.iterdir()] == ["log.md"]  # no temporary file left beside it


def test_export_while_the_app_holds_the_lock(db):
    with AuditStore.open(db) as s:
        assert not s.read_only
        r = _export("--db", str(db), "--format", "json")
    assert r.returncode == 0 and b'"corrections"' in r.stdout


def test_missing_database_exits_3_saying_so(tmp_path):
    missing = tmp_path / "none.json"
    for fmt in ("json", "csv", "xlsx"):
        r = _export("--db", str(missing), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}"))
        err = r.stderr.decode("utf-8")
        assert r.returncode == 3 and "不存在" in err and str(missing) in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    assert not missing.exists() and not list(tmp_path.iterdir())
    r = _export("--format", "csv", env={"GIPR_DB": str(missing)})
    assert r.returncode == 3 and str(missing) in r.stderr.decode("utf-8") and r.stdout == b""


def test_empty_database_exports_the_record_only(tmp_path):
    path = tmp_path / "audit.json"
    AuditStore.open(path).close()
    r = _export("--db", str(path), "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 0 and data["reports"] == [] and data["export"]["reports"] == 0


@pytest.mark.parametrize("content", [b"not json", b'{"_default": {"1": {"x": 1}}}'])
def test_bad_database_exits_3_with_the_path_and_no_traceback(tmp_path, content):
    bad = tmp_path / "audit.json"
    bad.write_bytes(content)
    r = _export("--db", str(bad), "--format", "csv")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 3 and str(bad) in err and "--db" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert bad.read_bytes() == content


def test_unwritable_output_is_one_line_error(db, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "x.csv"
    r = _export("--db", str(db), "--format", "csv", "-o", str(target))
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(target) in err and "不存在" in err and ".tmp" not in err  # in Chinese, about the target


def test_every_export_names_each_finding_s_rule_in_chinese_beside_its_id(db, tmp_path):
    from checks import RULE_NAMES

    rows = [r for r in _rows(_export("--db", str(db), "--format", "csv").stdout) if r["类型代码"] == "finding"]
    assert rows, "the corrected cell (35) unbalances table 3: there are findings"
    for r in rows:
        assert r["规则"] == RULE_NAMES[r["规则编号"]] and r["规则"] != r["规则编号"]
    md = _export("--db", str(db), "--format", "md").stdout.decode("utf-8")
    assert "| 级别 | 规则 | 规则编号 |" in md and RULE_NAMES[rows[0]["规则编号"]] in md
    out = tmp_path / "log.xlsx"
    assert _export("--db", str(db), "--format", "xlsx", "-o", str(out)).returncode == 0
    sheet = load_workbook(out)["检查发现"]
    header = [c.value for c in sheet[1]]
    names = [row[header.index("规则")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    ids = [row[header.index("规则编号")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names and names == [RULE_NAMES[i] for i in ids]


def test_every_rule_a_finding_can_carry_has_a_chinese_name():
    import checks
    from store import rule_name
    from store.vocabulary import REPARSED_RULE

    for rule in [*checks.RULES, REPARSED_RULE]:
        assert rule_name(rule) != rule and not rule_name(rule).isascii(), rule
    assert rule_name("no.such_rule") == "no.such_rule"  # an unknown rule keeps its id, never an empty cell


def test_no_export_shows_a_python_list_for_a_finding_with_list_values(tmp_path):
    """sections.missing carries the expected and actual section lists: the
    exports give the message, never ``['一、总体情况', …]``."""
    from tests.conftest import sample_path

    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_file(sample_path("2023-linxi-town-service-centre")).report_id
        assert any(isinstance(f.get("expected"), list) for f in s.findings(rid)), "the sample's finding has a list"
    csv_text = _export("--db", str(path), "--format", "csv").stdout.decode("utf-8-sig")
    md_text = _export("--db", str(path), "--format", "md").stdout.decode("utf-8")
    out = tmp_path / "log.xlsx"
    assert _export("--db", str(path), "--format", "xlsx", "-o", str(out)).returncode == 0
    cells = [str(v) for ws in load_workbook(out) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    for text in (csv_text, md_text, "\n".join(cells)):
        assert "第六部分未说明信息处理费" in text
        assert "['" not in text and "\\['" not in text and "', '" not in text
