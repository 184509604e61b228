"""`gipr-tui compare A B` through the installed console script: files and
report ids, every output format, and the exit codes of the contract
(0 no error finding, 1 error findings, 2 bad usage/unreadable, 3 db unusable)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from checks import finding_key
from store import AuditStore
from tests.test_cli_contract import _gipr, _refused

SERIES = Path(__file__).resolve().parent / "fixtures" / "compare"
Y22, Y23, Y24 = (SERIES / f"luding-{y}.txt" for y in (2022, 2023, 2024))
CORPUS_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"


def _json(*args):
    proc = _gipr("compare", "--json", *args)
    return proc, (json.loads(proc.out) if proc.out else None)


def test_files_with_a_carry_over_break_exit_1_whatever_the_order():
    for args in ((Y23, Y24), (Y24, Y23)):
        proc, c = _json(*args)
        assert proc.returncode == 1, proc.err
        assert (c["schema"], c["a"]["year"], c["b"]["year"]) == ("gipr-compare/1", 2023, 2024)
        assert [f["rule"] for f in c["findings"] if f["severity"] == "error"] == ["history.carry_over"] * 2
        lic = next(x for x in c["cells"] if x["path"] == "active.licensing.decisions")
        assert lic["jump"] is True and lic["relative"] == "+959.3%"


def test_consecutive_years_without_error_exit_0():
    proc, c = _json(Y22, Y23, "--same-organ")  # the 2022 report is published as 办公室
    assert proc.returncode == 0, proc.err
    assert c["continuity"] is True and c["same_organ"] is True
    assert {x["status"] for x in c["carry_over"]} == {"ok"}
    proc, c = _json(Y22, Y23)
    assert proc.returncode == 0 and c["continuity"] is False and c["findings"] == []


def test_text_and_markdown_and_csv():
    text = _gipr("compare", Y23, Y24)
    assert text.returncode == 1
    assert "泸定县人民政府 2023年 → 泸定县人民政府 2024年" in text.out
    assert "⚠ 变化超过五倍" in text.out and "不一致" in text.out
    md = _gipr("compare", "--md", Y23, Y24)
    assert md.returncode == 1 and "## 文字重复" in md.out and "| 行政许可·处理决定 | 1500 | 15889 | +14389 |" in md.out
    raw = _gipr("compare", "--csv", Y23, Y24)
    assert raw.returncode == 1 and raw.out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.out.lstrip("\ufeff"))))
    lic = next(r for r in rows if r["item"] == "active.licensing.decisions")
    assert (lic["kind"], lic["a"], lic["b"], lic["mark"]) == ("cell", "1500", "15889", "jump")
    assert {r["kind"] for r in rows} == {"cell", "carry_over", "stock", "reuse", "finding"}


def test_report_ids_in_the_database_and_a_waived_error(tmp_path):
    db = tmp_path / "audit.json"
    with AuditStore.open(db) as s:
        a = s.import_file(Y23).report_id
        b = s.import_file(Y24).report_id
    proc, c = _json(a[:8], b, "--db", db)
    assert proc.returncode == 1, proc.err
    assert (c["a"]["id"], c["b"]["id"]) == (a, b)
    with AuditStore.open(db) as s:
        for f in s.findings(b):
            if f["severity"] == "error":
                s.review_finding(b, f["key"], "waived", "上年结转已在附注说明")
    proc, c = _json(a, b, "--db", db)
    assert proc.returncode == 0, proc.err
    errors = [f for f in c["findings"] if f["severity"] == "error"]
    assert errors and all(f["review"]["decision"] == "waived" and f["key"] == finding_key(f) for f in errors)
    # a file against a stored report
    proc, _ = _json(Y23, b, "--db", db)
    assert proc.returncode == 0


def test_bad_usage_and_unreadable_exit_2(tmp_path):
    _refused(_gipr("compare", Y23, tmp_path / "nope.txt", "--db", tmp_path / "audit.json"), "nope.txt")
    _refused(_gipr("compare", Y23, CORPUS_FIXTURES / "licheng-2023-interpretation-not-a-report.txt"), "licheng")
    assert _gipr("compare", Y23).returncode == 2  # one report is not a comparison
    assert _gipr("compare", Y23, Y24, "--json", "--csv").returncode == 2
    assert _gipr("compare", Y23, Y24, "--db", "").returncode == 2


def test_unusable_database_exit_3(tmp_path):
    db = tmp_path / "audit.json"
    db.write_text("{ not json", encoding="utf-8")
    proc = _gipr("compare", Y23, "3310acdb480d", "--db", db)
    assert proc.returncode == 3, proc.err
    assert len(proc.err.strip().splitlines()) == 1
