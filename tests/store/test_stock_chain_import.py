"""With last year's report of the same organ in the database, a glued
行政规范性文件 row the file alone cannot split is settled on import by the
stock chain (last year's 现行有效 + 制发 − 废止 = 现行有效), flagged `inferred`
(issue 17)."""

from __future__ import annotations

from store import AuditStore
from tests.parsing.test_real_classes import glued


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _row(store, rid):
    return [store.value(rid, f"active.normative_documents.{c}") for c in ("issued", "repealed", "in_force")]


def test_last_years_report_in_the_database_settles_the_glued_stock_row(tmp_path):
    last = glued(norm="0016").replace("2023年", "2022年").replace("2024年1月20日", "2023年1月20日")
    this = glued(norm="5615")  # 5|6|15, 56|1|5, 5|61|5 …: only 16 + 5 − 6 = 15 continues the chain
    with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
        prev = s.import_file(_write(tmp_path, "2022.txt", last)).report_id
        assert _row(s, prev) == [0, 0, 16]
        rid = s.import_file(_write(tmp_path, "2023.txt", this)).report_id
        assert _row(s, rid) == [5, 6, 15]
        flags = s.get(rid).parsed_report["provenance"]["active.normative_documents.in_force"]["flags"]
        assert "inferred" in flags


def test_without_last_year_the_row_stays_open_and_flagged(tmp_path):
    with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
        rid = s.import_file(_write(tmp_path, "2023.txt", glued(norm="5615"))).report_id
        assert _row(s, rid) == [None, None, None]
