"""`gipr-tui check` on many files (worker processes): the auditor sees exactly
what a one-by-one run shows, in input order, including unreadable files."""

from __future__ import annotations

import json
import shutil

from tests.conftest import SAMPLES
from tui.cli import main
from store import PARALLEL_FROM


def _run(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _many(tmp_path, copies: int = 3):
    """``copies`` × the samples, plus one file that is not a report, in one folder."""
    for i in range(copies):
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, tmp_path / f"{i}-{p.name}")
    (tmp_path / "1-zz-broken.txt").write_bytes(b"\x00\x01\x02 not a report \xff\xfe" * 50)
    assert len(list(tmp_path.iterdir())) >= PARALLEL_FROM


def test_tables_and_summary_in_parallel_same_as_one_by_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    _many(tmp_path)
    code_par, parallel, err_par = _run(capsys, "--jobs", "2", str(tmp_path))
    code_seq, sequential, err_seq = _run(capsys, "--jobs", "1", str(tmp_path))
    assert (code_par, parallel, err_par) == (code_seq, sequential, err_seq)
    assert code_par == 2 and "1-zz-broken.txt" in err_par  # the unreadable file is named, the rest checked
    assert parallel.count("2024-luding-county.txt") == 3 and "已检查报告" in parallel


def test_json_lines_in_input_order_with_the_unreadable_file_in_its_place(tmp_path, capsys):
    _many(tmp_path)
    code, out, err = _run(capsys, "--json", "--jobs", "2", str(tmp_path))
    rows = [json.loads(line) for line in out.splitlines()]
    paths = [r["source"]["path"] for r in rows]
    assert paths == sorted(str(p) for p in tmp_path.iterdir())
    broken = [r for r in rows if "error" in r]
    assert code == 2 and len(broken) == 1 and broken[0]["source"]["path"].endswith("1-zz-broken.txt")
    assert all(r["schema"] == "gipr/1" and "provenance" in r for r in rows if "error" not in r)
