"""Issue 16's two small store additions: an edited copy of a stored report (same
organ and year, another file name) is its next version; per-database settings."""

from __future__ import annotations

import pytest

from store import AuditStore, StoreError
from tests.store.helpers import parsed


@pytest.fixture
def db(tmp_path):
    s = AuditStore.open(tmp_path / "audit.json", auditor="tester")
    yield s
    s.close()


def test_edited_copy_under_another_name_is_the_next_version(db):
    first = db.import_parsed(parsed(), "/reports/luding.txt")
    second = db.import_parsed(parsed(salt="edited"), "/downloads/luding 修改稿.txt")
    assert (second.status, second.previous_id) == ("new_version", first.report_id)
    assert "第 2 版" in second.message and "luding.txt" in second.message
    by_id = {s.id: s for s in db.list_reports()}
    assert by_id[first.report_id].superseded and not by_id[second.report_id].superseded
    assert by_id[second.report_id].version == 2


def test_other_organs_and_years_stay_separate_reports(db):
    db.import_parsed(parsed(), "/r/a.txt")
    assert db.import_parsed(parsed(year=2023), "/r/b.txt").status == "new"
    assert db.import_parsed(parsed(organ="别的机关"), "/r/c.txt").status == "new"
    unknown = db.import_parsed(parsed(organ="", salt="x"), "/r/d.txt")
    assert db.import_parsed(parsed(organ="", salt="y"), "/r/e.txt").status == "new"  # unknown organ: never merged
    assert unknown.status == "new"


def test_settings_are_kept_in_the_database(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        assert s.setting("require_reason", False) is False
        s.set_setting("require_reason", True)
    with AuditStore.open(path) as s:
        assert s.setting("require_reason") is True
        s.set_setting("require_reason", False)
        assert s.setting("require_reason") is False


def test_settings_refused_when_read_only(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path):
        second = AuditStore.open(path)
        try:
            assert second.read_only
            with pytest.raises(StoreError):
                second.set_setting("require_reason", True)
        finally:
            second.close()
