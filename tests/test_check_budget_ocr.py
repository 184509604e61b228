"""`check`'s per-file time budget counts per recognised page for a scan
(OCR takes seconds a page): a slow but progressing scan is read, a file
that stalls is still cut off."""

from __future__ import annotations

import time

import parsing
from parsing.readers import ocr
from store import batch


def _fake_scan(pages: int, seconds_per_page: float):
    real = parsing.parse_file

    def parse_file(path):
        for i in range(1, pages + 1):
            time.sleep(seconds_per_page)
            ocr._report(i, pages)
        return real(path)

    return parse_file


def test_a_scan_that_keeps_recognising_pages_is_not_cut_off(monkeypatch):
    from tests.conftest import sample_path

    monkeypatch.setattr(parsing, "parse_file", _fake_scan(pages=4, seconds_per_page=0.3))
    result = batch.check_one(str(sample_path("2024-luding-county")), budget=0.5)
    assert result.message is None and result.report is not None


def test_a_file_that_stalls_is_still_cut_off(monkeypatch):
    from tests.conftest import sample_path

    monkeypatch.setattr(parsing, "parse_file", _fake_scan(pages=1, seconds_per_page=1.5))
    result = batch.check_one(str(sample_path("2024-luding-county")), budget=0.5)
    assert result.report is None and "秒" in result.message
