"""A better parser reaches the reports already in an auditor's database
(issue 12): a report read by another parser version is read again from its
stored source bytes, and everything the auditor did stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import parsing
import store.db as dbmod
from parsing import parse_bytes
from store import AuditStore
from tests.conftest import sample_path

OLD = "0123456789abcdef"
CELL = "requests.new_received.natural_person"
OTHER = "requests.carried_over.natural_person"


def _old_reading(monkeypatch, wrong_value):
    """Import as an older parser would have: its version, one cell misread."""

    def old_parse(data, name=None):
        p = parse_bytes(data, name=name)
        p.report["tables"]["requests"]["new_received"]["natural_person"] = wrong_value
        return p

    monkeypatch.setattr(dbmod, "parser_version", lambda: OLD)
    monkeypatch.setattr(parsing, "parse_bytes", old_parse)


@pytest.fixture
def report_file(tmp_path):
    src = tmp_path / "luding.txt"
    shutil.copy(sample_path("2024-luding-county"), src)
    return src


def test_a_report_read_by_an_older_parser_is_read_again_with_corrections_kept(tmp_path, report_file, monkeypatch):
    truth = parse_bytes(report_file.read_bytes()).report["tables"]["requests"]["new_received"]["natural_person"]
    with monkeypatch.context() as m:
        _old_reading(m, truth + 1000)
        with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
            rid = s.import_file(report_file).report_id
            assert s.value(rid, CELL) == truth + 1000
            s.correct(rid, OTHER, 7, reason="核对原文")
            s.add_note(rid, "第二页需复核")
            s.set_status(rid, "审核中")
    report_file.unlink()  # the original is gone: the stored copy must do
    with AuditStore.open(tmp_path / "a.json", auditor="乙") as s:
        assert s.stale_reports() == [rid]
        result = s.reread(rid)
        assert result.status == "reread"
        assert [c[0] for c in result.changed] == [CELL]
        # the new reading is in place, the auditor's work is not lost
        assert s.value(rid, CELL) == truth
        assert s.value(rid, OTHER) == 7
        assert [c["after"] for c in s.corrections(rid)] == [7]
        assert s.get(rid).status == "审核中"
        notes = s.notes(rid)
        assert notes[0]["text"] == "第二页需复核"
        assert "解析器已更新" in notes[-1]["text"] and str(truth + 1000) in notes[-1]["text"]
        assert s.stale_reports() == []
        # a correction untouched by the re-read raises no store finding
        assert not [f for f in s.findings(rid) if f["rule"] == "store.reparsed"]


def test_a_correction_whose_parsed_value_changed_under_it_is_shown(tmp_path, report_file, monkeypatch):
    with monkeypatch.context() as m:
        _old_reading(m, 999)
        with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
            rid = s.import_file(report_file).report_id
            s.correct(rid, CELL, 5, reason="按原文")
    with AuditStore.open(tmp_path / "a.json", auditor="乙") as s:
        result = s.reread(rid)
        assert [c[0] for c in result.under_corrections] == [CELL]
        assert s.value(rid, CELL) == 5  # the auditor's value stays in force
        flagged = [f for f in s.findings(rid) if f["rule"] == "store.reparsed"]
        assert len(flagged) == 1 and flagged[0]["cells"] == [CELL]
        assert "999" in flagged[0]["message"] and "5" in flagged[0]["message"]
        # reviewable like any finding
        s.review_finding(rid, flagged[0]["key"], "confirmed")
        assert s.reviews(rid)[flagged[0]["key"]]["decision"] == "confirmed"
        # reverting the correction ends the question
        s.revert(rid, CELL, reason="接受新读取")
        assert not [f for f in s.findings(rid) if f["rule"] == "store.reparsed"]


def test_without_stored_bytes_or_the_original_the_old_reading_stays(tmp_path, report_file, monkeypatch):
    with monkeypatch.context() as m:
        _old_reading(m, 999)
        with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
            rid = s.import_file(report_file).report_id
    for f in (tmp_path / "a.json.blobs").glob("*.src"):
        f.unlink()
    report_file.write_text("已被改写", encoding="utf-8")
    with AuditStore.open(tmp_path / "a.json", auditor="乙") as s:
        result = s.reread(rid)
        assert result.status == "no_source"
        assert "重新导入" in result.message
        assert s.value(rid, CELL) == 999
        assert s.stale_reports() == [rid]


def test_a_report_read_by_this_parser_is_not_read_again(tmp_path, report_file):
    with AuditStore.open(tmp_path / "a.json", auditor="甲") as s:
        rid = s.import_file(report_file).report_id
        assert s.stale_reports() == []
        assert s.reread(rid).status == "current"


def test_the_parser_version_names_the_parser_source():
    v = parsing.parser_version()
    assert len(v) == 16 and int(v, 16) >= 0


def test_page_positions_are_stored_and_a_reading_stored_without_them_gets_them_when_read_again(tmp_path, monkeypatch):
    """The source pane jumps to the pages the PDF reader recorded: the store keeps
    them with the text; a report stored before it kept them (by an older parser)
    gets them when it is read again."""
    import store.blobs as blobs

    src = tmp_path / "luding.pdf"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "pdf" / "luding-2024.pdf", src)
    pages = parse_bytes(src.read_bytes(), name=src.name).pages
    assert [n for n, _ in pages] == [1, 2, 3, 4]
    with AuditStore.open(tmp_path / "now.json") as s:
        assert s.get(s.import_file(src).report_id).pages == pages
    real_dumps = blobs.dumps
    with monkeypatch.context() as m:  # the store as it was: report and text only
        m.setattr(dbmod, "parser_version", lambda: OLD)
        m.setattr(blobs, "dumps", lambda obj: real_dumps({k: v for k, v in obj.items() if k != "pages"}))
        with AuditStore.open(tmp_path / "a.json") as s:
            rid = s.import_file(src).report_id
    with AuditStore.open(tmp_path / "a.json") as s:
        assert s.get(rid).pages is None  # unknown, not "no pages"
        assert s.stale_reports() == [rid]
        assert s.reread(rid).status == "reread"
        assert s.get(rid).pages == pages
    with AuditStore.open(tmp_path / "a.json") as s:
        assert s.get(rid).pages == pages
