"""Issue 13, hostile input: escape sequences in a report's text, unbounded
reads (devices, FIFOs, symlinks to /dev/zero), .docx amplification, and the
per-file time budget of batch `check`. Every hostile file is made here, in a
temporary folder."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
import zipfile

import pytest

from parsing import ParseError, parse_bytes, parse_file, read_source
from parsing.api import MAX_BYTES, read_document
from parsing.model.document import clean_controls, shift_offset
from parsing.readers import docx as docx_reader
from tests.hostile_files import (
    ESCAPES, LUDING, big_html, docx_lying_about_size, docx_with_alt_chunks, html_with_char_refs,
    report_with_escapes,
)
from store import batch
from tui.cli import main as cli_main

RAW = set("\x1b\x07\x9b\x9d")


# --- 1. escape sequences are cleaned out of the display text, once, in parsing ---------

def test_escape_sequences_in_a_text_report_are_gone_from_the_display_text_and_spans_still_match(tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text(report_with_escapes(), encoding="utf-8")
    parsed = parse_file(f)
    assert not RAW & set(parsed.text)
    assert "]52;" not in parsed.text and "[2J" not in parsed.text and "pwned" not in parsed.text
    clean = parse_file(LUDING)
    # The same cells, the same values: the sequences were not text anyone printed.
    assert parsed.report["tables"] == clean.report["tables"]
    for path, prov in parsed.report["provenance"].items():
        span = prov.get("span")
        if span:
            assert parsed.text[span[0]:span[1]] == prov["raw"], path


def test_html_character_references_to_escape_do_not_keep_esc_in_the_display_text():
    page = html_with_char_refs()
    assert "&#27;" in page
    doc = read_document(page.encode("utf-8"))
    assert not RAW & set(doc.text)
    assert not RAW & set("".join(str(v) for v in doc.hints.values()))
    report = parse_bytes(page.encode("utf-8")).report
    assert not RAW & set(str(report["meta"]))


def test_cleaning_moves_page_offsets_with_the_text():
    text = "a\x1b[31mb\n=== 第 2 页 ===\nc"
    clean, edits = clean_controls(text)
    assert clean == "ab\n=== 第 2 页 ===\nc"
    old = text.index("===")
    assert clean[shift_offset(old, edits):].startswith("=== 第 2 页")
    assert clean_controls("plain 文本\t\f\n") == ("plain 文本\t\f\n", [])


# --- 3. unbounded reads ------------------------------------------------------------------

def _assert_refused_quickly(path, *, within: float = 5.0):
    started = time.monotonic()
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert time.monotonic() - started < within
    assert "\n" not in str(err.value)
    return err.value


def test_a_symlink_to_dev_zero_named_like_a_report_is_refused_not_read(tmp_path):
    link = tmp_path / "x.txt"
    link.symlink_to("/dev/zero")
    err = _assert_refused_quickly(link)
    assert "不是普通文件" in str(err) and "设备" in str(err)


def test_extract_dev_zero_is_one_line_and_exit_2(capsys):
    assert cli_main(["extract", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是普通文件" in err


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "y.txt"
    os.mkfifo(fifo)
    err = _assert_refused_quickly(fifo)
    assert "管道" in str(err)


def test_check_of_a_folder_with_a_fifo_and_a_dev_zero_link_checks_the_rest(tmp_path, capsys):
    (tmp_path / "luding.txt").write_bytes(LUDING.read_bytes())
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("code", cli_main(["check", str(tmp_path)])), daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "check hung on a FIFO or read /dev/zero"
    assert result["code"] == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("不是普通文件" in line for line in err)


def test_the_byte_limit_holds_while_reading_whatever_stat_says(tmp_path, monkeypatch):
    f = tmp_path / "big.txt"
    f.write_bytes(b"a" * 4096)
    monkeypatch.setattr("parsing.api.MAX_BYTES", 1000)

    real_fstat = os.fstat

    def fstat_says_small(fd):  # a size that lies (procfs, a file growing while read)
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 0,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr("parsing.api.os.stat", lambda p: fstat_says_small(os.open(p, os.O_RDONLY)))
    monkeypatch.setattr("parsing.api.os.fstat", fstat_says_small)
    with pytest.raises(ParseError) as err:
        read_source(f)
    assert err.value.kind == "too_large"
    assert MAX_BYTES == 20 * 1024 * 1024


# --- 4. .docx amplification ----------------------------------------------------------------

def test_many_altchunk_references_to_one_part_read_and_render_it_once(monkeypatch):
    chunk = b"<html><body><p>2024\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a</p></body></html>"
    data = docx_with_alt_chunks(40, chunk)
    opened, rendered = [], []
    real_open, real_lines = zipfile.ZipFile.open, docx_reader._chunk_lines
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    monkeypatch.setattr(docx_reader, "_chunk_lines", lambda *a: rendered.append(a[0]) or real_lines(*a))
    doc = docx_reader.read_docx(data)
    assert opened.count("word/chunk.html") == 1 and rendered == ["word/chunk.html"]
    assert doc.text.count("2024年度报告") == 40  # shown where Word shows it, read once


def test_altchunk_references_multiplying_a_big_part_are_refused_with_one_line():
    data = docx_with_alt_chunks(80, big_html(2))
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as err:
            parse_bytes(data, name="bomb.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.kind == "too_large" and "\n" not in str(err.value)
    assert peak < 400 * 1024 * 1024


def test_a_member_lying_about_its_size_is_not_inflated_past_the_lie():
    data = docx_lying_about_size(60)  # 60 MB claimed as 1000 bytes
    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as err:
            parse_bytes(data, name="liar.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.kind in ("damaged", "too_large")
    assert peak < 20 * 1024 * 1024  # before: the whole 60 MB in one zlib call


def test_the_decompressed_total_is_bounded_across_parts(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 100_000)
    data = docx_with_alt_chunks(1, big_html(0.5))
    with pytest.raises(ParseError) as err:
        docx_reader.read_docx(data)
    assert err.value.kind == "too_large"


# --- 4. a per-file time budget in batch check ------------------------------------------------

def test_a_file_over_the_time_budget_is_refused_and_the_batch_goes_on(tmp_path, monkeypatch):
    slow = tmp_path / "slow.txt"
    slow.write_text("slow", encoding="utf-8")
    fine = tmp_path / "luding.txt"
    fine.write_bytes(LUDING.read_bytes())
    import parsing

    real = parsing.parse_file

    def parse(path):
        if str(path).endswith("slow.txt"):
            while True:  # a reader gone quadratic
                pass
        return real(path)

    monkeypatch.setattr(parsing, "parse_file", parse)
    results = list(batch.check_all([str(slow), str(fine)], jobs=1, budget=0.3))
    assert results[0].report is None and "秒" in results[0].message
    assert results[1].report is not None and results[1].message is None


def test_escape_sequences_constant_is_hostile():
    assert "\x1b]52" in ESCAPES and "\u202e" in ESCAPES


def test_a_reader_that_assembles_its_own_tables_gets_a_one_for_one_cleaning():
    from parsing.model.document import Document, clean_document

    text = "今年\x1b[31m收到 34 件\r\n=== 第 2 页 ===\n\x9b1m"
    doc = clean_document(Document(text=text, kind="pdf", pages=[(2, text.index("==="))], assemble=lambda fmt: None))
    assert len(doc.text) == len(text) and doc.pages == [(2, text.index("==="))]
    assert not RAW & set(doc.text) and doc.text[text.index("34"):].startswith("34")


def test_a_file_name_with_a_nul_byte_is_one_clear_refusal(tmp_path):
    from parsing import ParseError, read_source

    with pytest.raises(ParseError) as e:
        read_source(str(tmp_path / "evil\x00.txt"))
    assert "空字符" in str(e.value)
