"""The audit database as an auditor uses it: import, correct, undo/redo, notes,
finding reviews, status. A real TinyDB file in a temporary folder."""

from __future__ import annotations

import json

import checks
import pytest

from store import AuditStore, ReportNotFound
from tests.store.helpers import LUDING, fake_rule, parsed

CELL = "requests.new_received.total"


@pytest.fixture
def db(tmp_path):
    s = AuditStore.open(tmp_path / "audit.json")
    yield s
    s.close()


@pytest.fixture
def rid(db):
    return db.import_parsed(parsed(), "/reports/luding.txt").report_id


def reopen(db) -> AuditStore:
    path = db.path
    db.close()
    return AuditStore.open(path)


# --- import -------------------------------------------------------------------
def test_import_then_reimport_same_content_changes_nothing(db):
    first = db.import_parsed(parsed(), "/reports/luding.txt")
    assert first.status == "new" and first.previous_id is None
    before = db.path.read_bytes()
    again = db.import_parsed(parsed(), "/reports/luding.txt")
    assert (again.status, again.report_id) == ("unchanged", first.report_id)
    assert "未重复导入" in again.message
    assert db.path.read_bytes() == before
    assert len(db.list_reports()) == 1


def test_changed_file_at_same_path_is_a_new_version_keeping_old_corrections(db):
    v1 = db.import_parsed(parsed(), "/reports/luding.txt").report_id
    db.correct(v1, CELL, 35, "原文为 35")
    v2 = db.import_parsed(parsed(salt="edited"), "/reports/luding.txt")
    assert v2.status == "new_version" and v2.previous_id == v1
    assert v2.message == "文件已变化：作为第 2 版导入，第 1 版的更正保留在第 1 版"
    by_id = {s.id: s for s in db.list_reports()}
    assert by_id[v1].superseded and by_id[v1].version == 1 and by_id[v1].corrections == 1
    assert not by_id[v2.report_id].superseded and by_id[v2.report_id].version == 2
    assert db.value(v1, CELL) == 35 and db.value(v2.report_id, CELL) == 34
    assert db.corrections(v2.report_id) == []


def test_import_file_and_samples(db):
    results = db.import_samples()
    assert len(results) == 5 and {r.status for r in results} == {"new"}
    assert {r.status for r in db.import_samples()} == {"unchanged"}
    summaries = db.list_reports()
    assert len(summaries) == 5
    assert [(s.organ or "", s.year or 0, s.id) for s in summaries] == sorted((s.organ or "", s.year or 0, s.id) for s in summaries)
    stored = db.get(results[0].report_id)
    assert stored.text and stored.parsed_report["schema"] == "gipr/1" and stored.source_path.endswith(".txt")


def test_import_file_propagates_parse_errors(db, tmp_path):
    from parsing import ParseError

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ParseError):
        db.import_file(empty)
    assert db.list_reports() == []


def test_unknown_report_id(db):
    with pytest.raises(ReportNotFound):
        db.get("nope")
    with pytest.raises(KeyError):
        db.corrections("nope")


# --- corrections ----------------------------------------------------------------
def test_correction_is_saved_with_who_when_why_and_survives_reopen(db, rid):
    entry = db.correct(rid, CELL, "35", reason="原文 35，OCR 误读")
    assert entry["before"] == 34 and entry["after"] == 35 and entry["raw"] == "34"
    assert entry["auditor"] == "tester" and entry["kind"] == "edit" and entry["undoes"] is None
    assert entry["time"].endswith("Z") and entry["time"][10] == "T"
    db2 = reopen(db)
    try:
        assert db2.value(rid, CELL) == 35
        assert db2.corrections(rid) == [entry]
        cur = db2.current_report(rid)
        assert cur["tables"]["requests"]["new_received"]["total"] == 35
        prov = cur["provenance"][CELL]
        assert prov["flags"] == ["ocr_suspect", "corrected"] and prov["parsed"] == 34
        assert db2.get(rid).parsed_report["tables"]["requests"]["new_received"]["total"] == 34
    finally:
        db2.close()


def test_same_value_confirms_the_cell(db, rid):
    db.correct(rid, CELL, 34)
    assert db.value(rid, CELL) == 34
    assert "corrected" in db.current_report(rid)["provenance"][CELL]["flags"]
    assert db.list_reports()[0].corrections == 1


def test_undo_redo_compensate_and_never_delete(db, rid):
    db.correct(rid, CELL, 35)
    db.correct(rid, CELL, 36)
    u1 = db.undo(rid)
    assert (u1["kind"], u1["after"], db.value(rid, CELL)) == ("undo", 35, 35)
    u2 = db.undo(rid)
    assert (u2["after"], db.value(rid, CELL)) == (34, 34)
    assert "corrected" not in db.current_report(rid)["provenance"][CELL]["flags"]
    assert db.undo(rid) is None
    r1 = db.redo(rid)
    assert (r1["kind"], r1["undoes"], db.value(rid, CELL)) == ("redo", u2["id"], 35)
    assert db.redo(rid)["after"] == 36 and db.redo(rid) is None
    assert [c["kind"] for c in db.corrections(rid)] == ["edit", "edit", "undo", "undo", "redo", "redo"]


def test_new_edit_after_undo_clears_redo(db, rid):
    db.correct(rid, CELL, 35)
    db.undo(rid)
    db.correct(rid, "requests.granted.total", 16)
    assert db.redo(rid) is None
    assert db.value(rid, CELL) == 34


def test_revert_goes_back_to_parsed_and_can_be_undone(db, rid):
    assert db.revert(rid, CELL) is None  # nothing to revert
    db.correct(rid, CELL, 40)
    rv = db.revert(rid, CELL, "误改")
    assert (rv["kind"], rv["before"], rv["after"]) == ("revert", 40, 34)
    assert db.value(rid, CELL) == 34 and db.list_reports()[0].corrections == 0
    db.undo(rid)
    assert db.value(rid, CELL) == 40 and db.list_reports()[0].corrections == 1


@pytest.mark.parametrize(
    "path,value",
    [(CELL, -1), (CELL, "3.5"), (CELL, "abc"), (CELL, True), (CELL, 2.5), ("active.fees.amount", "1.2345678"),
     ("active.fees.amount", "-1"), ("active.fees.amount", "12万"), ("requests.no_such_row.total", 1)],
)
def test_bad_values_are_refused_and_nothing_is_written(db, rid, path, value):
    before = db.path.read_bytes()
    with pytest.raises(ValueError) as e:
        db.correct(rid, path, value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(e.value))  # a Chinese message
    assert db.path.read_bytes() == before and db.corrections(rid) == []


def test_good_values_are_normalised(db, rid):
    assert db.correct(rid, "active.fees.amount", " 204.9200 ")["after"] == "204.9200"
    assert db.correct(rid, "active.fees.amount", 3)["after"] == "3"
    assert db.correct(rid, CELL, None)["after"] is None
    assert db.correct(rid, CELL, "1,234")["after"] == 1234


def test_signed_cells_of_the_2019_format_accept_negatives(db):
    p = parsed()
    p.report["meta"]["format"] = "2019"
    p.report["tables"]["active"] = {"licensing": {"previous_items": 5, "change": 0, "decisions": 3}}
    rid = db.import_parsed(p, "/r/2019.txt").report_id
    assert db.correct(rid, "active.licensing.change", -2)["after"] == -2
    with pytest.raises(ValueError):
        db.correct(rid, "active.licensing.decisions", -2)


# --- notes, reviews, status --------------------------------------------------------
def test_notes_on_report_cell_and_finding(db, rid):
    db.add_note(rid, "整份报告未盖章")
    db.add_note(rid, "原文此处模糊", target=CELL)
    with pytest.raises(ValueError):
        db.add_note(rid, "   ")
    notes = reopen(db).notes(rid)
    assert [(n["target"], n["text"], n["auditor"]) for n in notes] == [(None, "整份报告未盖章", "tester"), (CELL, "原文此处模糊", "tester")]


def test_reviews_need_a_justification_to_waive_and_survive_rechecks(db, rid, monkeypatch):
    monkeypatch.setattr(checks, "run_checks", fake_rule())
    db.correct(rid, CELL, 35)
    [finding] = db.findings(rid)
    key = finding["key"]
    assert finding["review"] is None and db.list_reports()[0].errors == 1
    with pytest.raises(ValueError):
        db.review_finding(rid, key, "waived")
    with pytest.raises(ValueError):
        db.review_finding(rid, key, "maybe")
    db.review_finding(rid, key, "waived", "上级已书面说明")
    assert db.list_reports()[0].errors == 0  # waived findings are not counted
    db.correct(rid, "requests.granted.total", 15)  # an unrelated cell
    db2 = reopen(db)
    try:
        [again] = db2.findings(rid)
        assert again["review"]["decision"] == "waived" and again["review"]["justification"] == "上级已书面说明"
        db2.clear_review(rid, key)
        assert db2.reviews(rid) == {} and db2.findings(rid)[0]["review"] is None
        assert db2.list_reports()[0].errors == 1
        assert [r["decision"] for r in db2.review_log(rid)] == ["waived", None]
    finally:
        db2.close()


def test_a_correction_that_resolves_a_confirmed_finding_closes_it(db, rid, monkeypatch):
    monkeypatch.setattr(checks, "run_checks", fake_rule())
    db.correct(rid, CELL, 35)
    key = db.findings(rid)[0]["key"]
    db.review_finding(rid, key, "confirmed")
    fix = db.correct(rid, CELL, 34, "按原文更正")
    assert db.findings(rid) == []
    last = db.review_log(rid)[-1]
    assert (last["decision"], last["correction_id"], last["auto"]) == ("resolved", fix["id"], True)
    db.undo(rid)  # the problem comes back: the auditor's confirmation comes back too
    assert db.findings(rid)[0]["review"]["decision"] == "confirmed"


def test_status(db, rid):
    assert db.list_reports()[0].status == "未审核"
    db.set_status(rid, "审核中")
    assert db.set_status(rid, "审核中") is None
    with pytest.raises(ValueError):
        db.set_status(rid, "done")
    assert reopen(db).list_reports()[0].status == "审核中"


def test_previous_year_of_the_same_organ_takes_part(db, monkeypatch):
    rule = fake_rule()
    monkeypatch.setattr(checks, "run_checks", rule)
    old = db.import_parsed(parsed(year=2023), "/r/2023.txt").report_id
    new = db.import_parsed(parsed(), "/r/2024.txt").report_id
    db.import_parsed(parsed(organ="别的机关", year=2023), "/r/other.txt")
    db.correct(old, CELL, 99)
    db.findings(new)
    report, previous = rule.calls[-1]
    assert report["meta"]["year"] == 2024 and previous is not None
    assert previous[0]["meta"]["year"] == 2023 and previous[0]["tables"]["requests"]["new_received"]["total"] == 99
    assert db.previous_report_id(new) == old and db.previous_report_id(old) is None


def test_counts_are_cached_in_the_database(db, rid, monkeypatch):
    monkeypatch.setattr(checks, "run_checks", fake_rule())
    db.correct(rid, CELL, 35)
    db2 = reopen(db)
    try:
        monkeypatch.setattr(checks, "run_checks", lambda *a, **k: pytest.fail("counts were recomputed"))
        assert db2.list_reports()[0].errors == 1
    finally:
        db2.close()


def test_auditor_option_then_environment_then_login(tmp_path, monkeypatch):
    from store import resolve_auditor

    assert resolve_auditor(" 张三 ") == "张三"
    assert resolve_auditor(None) == "tester"
    monkeypatch.delenv("GIPR_AUDITOR")
    assert resolve_auditor(None)
    with AuditStore.open(tmp_path / "a.json", auditor="李四") as s:
        assert s.auditor == "李四"


def test_database_file_is_utf8_with_chinese_as_itself(db, rid):
    db.add_note(rid, "审核意见")
    raw = db.path.read_bytes().decode("utf-8")
    assert "审核意见" in raw and "\\u5ba1" not in raw
    assert json.loads(raw)["_gipr"]["1"]["schema_version"] == 1


def test_import_file_sees_a_changed_file_as_a_new_version(db, tmp_path):
    from tests.conftest import sample_path

    src = tmp_path / "luding.txt"
    src.write_bytes(sample_path(LUDING).read_bytes())
    first = db.import_file(src)
    assert first.status == "new" and db.get(first.report_id).source_path == str(src)
    assert db.import_file(src).status == "unchanged"
    src.write_bytes(sample_path(LUDING).read_bytes() + "\n本报告已更新。\n".encode())
    second = db.import_file(src)
    assert (second.status, second.previous_id) == ("new_version", first.report_id)
    assert "第 2 版" in second.message


def test_batch_is_all_or_nothing(db):
    before = db.path.read_bytes()
    with pytest.raises(RuntimeError):
        with db.batch():
            db.import_parsed(parsed(), "/r/a.txt")
            db.import_parsed(parsed(year=2023), "/r/b.txt")
            raise RuntimeError("interrupted")
    assert db.path.read_bytes() == before and db.list_reports() == []
    with db.batch():
        a = db.import_parsed(parsed(), "/r/a.txt").report_id
        db.correct(a, CELL, 1)
    assert len(reopen(db).list_reports()) == 1
