"""`gipr-tui export` from the command line: formats, -o, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store import AuditStore
from tests.store.helpers import parsed

EXE = str(Path(sys.executable).with_name("gipr-tui"))


def _export(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, "export", *args], capture_output=True, timeout=60, **kw)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_parsed(parsed(), "/r/luding.txt").report_id
        s.correct(rid, "requests.new_received.total", 35, "原文 35")
        s.add_note(rid, "已电话核实")
    return path


def test_csv_to_stdout_is_utf8_with_bom(db):
    r = _export("--db", str(db), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"\xef\xbb\xbf")
    text = r.stdout.decode("utf-8")
    assert "原文 35" in text and "已电话核实" in text and "泸定县人民政府" in text


def test_output_file_and_gipr_db_environment(db, tmp_path):
    out = tmp_path / "out" / "log.md"
    out.parent.mkdir()
    r = _export("--format", "md", "-o", str(out), env={**__import__("os").environ, "GIPR_DB": str(db)})
    assert r.returncode == 0 and r.stdout == b""
    md = out.read_text(encoding="utf-8")
    assert "## 泸定县人民政府 2024年" in md and "原文 35" in md
    r2 = _export("--db", str(db), "--format", "md", "-o", str(out))
    assert r2.returncode == 0 and out.read_text(encoding="utf-8") == md  # deterministic


def test_export_while_the_app_holds_the_lock(db):
    with AuditStore.open(db) as s:
        assert not s.read_only
        r = _export("--db", str(db), "--format", "json")
    assert r.returncode == 0 and b'"corrections"' in r.stdout


def test_empty_or_missing_database_exports_headers_only(tmp_path):
    missing = tmp_path / "none.json"
    r = _export("--db", str(missing), "--format", "json")
    assert r.returncode == 0 and b'"reports": []' in r.stdout
    assert not missing.exists()


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
    r = _export("--db", str(db), "--format", "csv", "-o", str(tmp_path / "no" / "such" / "dir" / "x.csv"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr
