"""The command line contract (docs/CLI.md) as a new user meets it: the installed
`gipr-tui` console script run in a subprocess, on every kind of input.

Every run goes through ``_gipr``, which also asserts that nothing on standard
error is a traceback and that a failure says why in one line. Bugs found this way
were fixed; each test here now guards its behaviour.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS, FIXTURES, ROOT, SAMPLE_NAMES, SAMPLES, sample_path

GIPR = str(Path(sys.executable).with_name("gipr-tui"))
LUDING = sample_path("2024-luding-county")
NEW_RECEIVED = "一、本年新收政府信息公开申请数量 | 31 | 3 |"
FINDING_KEYS = {"rule", "severity", "cells", "message", "expected", "actual"}
PROVENANCE_KEYS = {"raw", "span", "flags"}
FLAGS = {"missing", "ocr_suspect", "split_ambiguous", "inferred", "corrected"}


def _gipr(*args, cwd=None, env=None, stdout=subprocess.PIPE, timeout=60) -> subprocess.CompletedProcess:
    """Run the console script with no terminal; check stderr is never a traceback."""
    run_env = {**os.environ, **(env or {})}
    proc = subprocess.run([GIPR, *map(str, args)], cwd=cwd, env=run_env, stdin=subprocess.DEVNULL,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and 'File "' not in err, err
    proc.err = err
    proc.out = proc.stdout.decode("utf-8") if isinstance(proc.stdout, bytes) else ""
    return proc


def _refused(proc, path_text: str) -> str:
    """Exit 2 with one line on stderr naming the file; returns that line."""
    assert proc.returncode == 2, (proc.returncode, proc.err)
    lines = proc.err.strip().splitlines()
    assert len(lines) == 1 and path_text in lines[0], proc.err
    return lines[0]


def _extract_json(path) -> dict:
    proc = _gipr("extract", "--json", path)
    assert proc.returncode == 0, proc.err
    return json.loads(proc.out)


def _unbalanced(tmp_path: Path) -> Path:
    """Luding with one number of the requests table changed: two balance errors."""
    text = LUDING.read_text(encoding="utf-8")
    assert NEW_RECEIVED in text
    bad = tmp_path / "luding-bad.txt"
    bad.write_text(text.replace(NEW_RECEIVED, "一、本年新收政府信息公开申请数量 | 32 | 3 |"), encoding="utf-8")
    return bad


# --- help, version, usage -------------------------------------------------------------------


def test_version_and_help_of_every_command():
    version = _gipr("--version")
    assert version.returncode == 0 and version.out.startswith("gipr-tui ")
    top = _gipr("--help")
    assert top.returncode == 0
    for word in ("extract", "check", "export", "GIPR_DB", "退出码"):  # the help is in Chinese (issue 16)
        assert word in top.out
    for cmd, option in (("extract", "--json"), ("check", "--db"), ("export", "--format")):
        proc = _gipr(cmd, "--help")
        assert proc.returncode == 0 and option in proc.out and f"gipr-tui {cmd}" in proc.out


@pytest.mark.parametrize("args", [
    ("extract",), ("extract", "a.txt", "b.txt"), ("check",), ("export",), ("export", "--format", "xml"),
])
def test_bad_usage_exits_2_with_usage_not_traceback(args):
    proc = _gipr(*args)
    assert proc.returncode == 2 and "用法：gipr-tui" in proc.err


# --- extract on every kind of input ---------------------------------------------------------

READABLE = [
    *(SAMPLES / f"{n}.txt" for n in SAMPLE_NAMES),
    CORPUS / "jiarongli-2021-web-excerpt-truncated.txt",
    CORPUS / "pingtan-2023-crawler-glued.txt",
    CORPUS / "pingtan-2023-web-page.html",
    FIXTURES / "html" / "luding-2024-gov-page.html",
    FIXTURES / "html" / "layout-spans.html",
    FIXTURES / "pdf" / "luding-2024.pdf",
    FIXTURES / "pdf" / "luding-2024-no-borders.pdf",
    FIXTURES / "pdf" / "owner-password-only.pdf",
    FIXTURES / "docx" / "luding-2024.docx",
]


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_extract_json_shape_and_every_span_points_at_its_raw_text(path):
    """gipr/1 keys, finding and provenance keys, and text[span] == raw in the
    display text (for text input: the file with normalised line endings)."""
    from parsing import parse_file

    report = _extract_json(path)
    assert report["schema"] == "gipr/1"
    assert report["source"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report["source"]["format"] == {".txt": "text", ".html": "html", ".pdf": "pdf", ".docx": "docx"}[path.suffix]
    assert report["meta"]["format"] == "2021" and isinstance(report["meta"]["year"], int)
    assert set(report["tables"]) == {"active", "requests", "reviews"}
    for f in report["findings"]:
        assert set(f) >= FINDING_KEYS and f["severity"] in {"error", "warning", "info"}, f
    display = parse_file(path).text
    if path.suffix == ".txt":
        file_text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert display == file_text
    assert len(report["provenance"]) >= 200
    for cell, prov in report["provenance"].items():
        assert set(prov) >= PROVENANCE_KEYS and set(prov["flags"]) <= FLAGS, (cell, prov)
        if prov["span"] is not None:
            start, end = prov["span"]
            assert display[start:end] == prov["raw"], (cell, prov)


def test_spans_hold_in_a_crlf_copy_with_a_chinese_name_and_spaces(tmp_path):
    crlf = tmp_path / "泸定 县 报告 2024.txt"
    crlf.write_bytes(LUDING.read_bytes().replace(b"\n", b"\r\n"))
    report = _extract_json(crlf)
    text = LUDING.read_text(encoding="utf-8")
    assert report["source"]["path"].endswith("泸定 县 报告 2024.txt")
    assert report["tables"]["requests"]["total"]["total"] == 34
    for cell, prov in report["provenance"].items():
        if prov["span"] is not None:
            assert text[prov["span"][0]:prov["span"][1]] == prov["raw"], cell


def test_extract_tables_and_pre2019_recognised():
    proc = _gipr("extract", LUDING)
    assert proc.returncode == 0 and "泸定县人民政府" in proc.out and "34" in proc.out
    old = _extract_json(CORPUS / "pingtan-2018-pre2019-format.txt")
    assert old["meta"]["format"] == "pre-2019" and old["meta"]["year"] == 2018
    assert any(f["rule"] == "format.pre2019" for f in old["findings"])


def test_extract_exits_0_even_with_error_findings(tmp_path):
    report = _extract_json(_unbalanced(tmp_path))
    assert {f["rule"] for f in report["findings"] if f["severity"] == "error"} == {
        "requests.column_balance", "requests.row_sum"}
    row_sum = next(f for f in report["findings"] if f["rule"] == "requests.row_sum")
    assert (row_sum["expected"], row_sum["actual"]) == (35, 34)
    assert "requests.new_received.natural_person" in row_sum["cells"]


@pytest.mark.parametrize("path, reason", [
    (CORPUS / "licheng-2023-interpretation-not-a-report.txt", "解读"),
    (CORPUS / "blank-template-2021-format.docx", "空白"),
    (FIXTURES / "pdf" / "blank-template.pdf", "空白"),
    (FIXTURES / "meta" / "comparison-two-years.txt", "对比"),
    (FIXTURES / "meta" / "unrelated-notice.txt", "不是年度报告"),
    (FIXTURES / "pdf" / "encrypted.pdf", "加密"),
    (FIXTURES / "pdf" / "truncated.pdf", "损坏"),
], ids=lambda v: v.name if isinstance(v, Path) else v)
def test_documents_that_are_not_readable_reports_are_refused_in_one_line(path, reason):
    proc = _gipr("extract", "--json", path)
    assert reason in _refused(proc, path.name) and proc.out == ""


def _made_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Inputs a user may hand over by mistake: name -> (path, a word of the reason)."""
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
    made = {
        "empty": ("empty.txt", b"", "空"),
        "blank": ("blank.txt", b"  \n\n \t \n", "空"),
        "png": ("picture.png", png, "图片"),
        "png named txt": ("picture.txt", png, "图片"),
        "legacy doc": ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, ".doc"),
        "binary": ("data.bin", bytes(range(256)) * 16, "二进制"),
    }
    out = {name: (folder / fname, why) for name, (fname, data, why) in made.items()}
    for fname, data, _why in made.values():
        (folder / fname).write_bytes(data)
    for fname in ("archive.zip", "not-word.docx"):
        with zipfile.ZipFile(folder / fname, "w") as z:
            z.writestr("x.txt", "hello")
    out["zip"] = (folder / "archive.zip", "压缩包")
    out["zip named docx"] = (folder / "not-word.docx", "压缩包")
    big = folder / "big.txt"
    with big.open("wb") as f:  # a real report followed by 30 MB of text
        f.write(LUDING.read_bytes())
        f.write("本单位持续推进政务公开工作。\n".encode() * (30 * 1024 * 1024 // 42))
    out["30 MB"] = (big, "过大")
    out["no such file"] = (folder / "nowhere.txt", "不存在")
    out["a folder"] = (SAMPLES, "文件夹")
    return out


def test_made_up_bad_inputs_are_refused_in_one_line(tmp_path):
    for name, (path, why) in _made_inputs(tmp_path).items():
        proc = _gipr("extract", path)
        assert why in _refused(proc, path.name), name


# --- check ---------------------------------------------------------------------------------


def test_check_exit_codes_0_1_2(tmp_path):
    assert _gipr("check", SAMPLES).returncode == 0
    bad = _unbalanced(tmp_path)
    proc = _gipr("check", bad, LUDING)
    assert proc.returncode == 1 and "requests.row_sum" in proc.out and "汇总" in proc.out
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = _gipr("check", LUDING, tmp_path / "empty.txt")
    assert proc.returncode == 2 and "泸定县人民政府" in proc.out
    _refused(proc, "empty.txt")


def test_check_walks_a_mixed_folder_recursively(tmp_path):
    """Good and bad files at several depths: each bad one said in one line on
    stderr and as a JSON line in its place, the good ones still checked."""
    top = tmp_path / "报告 集"
    deep = top / "sub" / "deeper"
    deep.mkdir(parents=True)
    (top / "zhanbeilu.txt").write_bytes(sample_path("2021-zhanbeilu-street").read_bytes())
    (top / "sub" / "泸定 县.txt").write_bytes(LUDING.read_bytes())
    (top / "sub" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    (deep / "empty.txt").write_bytes(b"")
    (deep / "encrypted.pdf").write_bytes((FIXTURES / "pdf" / "encrypted.pdf").read_bytes())
    (deep / "luding.docx").write_bytes((FIXTURES / "docx" / "luding-2024.docx").read_bytes())
    proc = _gipr("check", "--json", top)
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.out.splitlines()]
    read = {Path(d["source"]["path"]).name for d in lines if "error" not in d}
    failed = {Path(d["source"]["path"]).name for d in lines if "error" in d}
    assert read == {"zhanbeilu.txt", "泸定 县.txt", "luding.docx"}
    assert failed == {"old.doc", "empty.txt", "encrypted.pdf"}
    err_lines = proc.err.strip().splitlines()
    assert len(err_lines) == 3 and all(any(n in line for n in failed) for line in err_lines)
    tables = _gipr("check", top)
    assert tables.returncode == 2 and "无法读取的文件" in tables.out


def test_check_without_db_touches_no_database(tmp_path):
    db = tmp_path / "audit.json"
    assert _gipr("check", LUDING, env={"GIPR_DB": str(db)}).returncode == 0
    assert not db.exists()


# --- the audit database: --db, GIPR_DB, exit 3 -------------------------------------------------


def _bad_databases(tmp_path: Path) -> dict[str, Path]:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_bytes(b'{"not json')
    foreign = tmp_path / "foreign.json"
    foreign.write_bytes(b"[1, 2, 3]\n")
    folder = tmp_path / "db-folder"
    folder.mkdir()
    return {"corrupt": corrupt, "foreign": foreign, "folder": folder}


def _exit_3_untouched(proc, db: Path, before: bytes | None) -> None:
    assert proc.returncode == 3, (proc.returncode, proc.err)
    assert len(proc.err.strip().splitlines()) == 1 and db.name in proc.err and "--db" in proc.err
    if before is not None:
        assert db.read_bytes() == before


@pytest.mark.parametrize("kind", ["corrupt", "foreign", "folder"])
def test_unusable_database_exits_3_and_is_never_overwritten(tmp_path, kind):
    db = _bad_databases(tmp_path)[kind]
    before = db.read_bytes() if db.is_file() else None
    _exit_3_untouched(_gipr("check", "--db", db, LUDING), db, before)
    _exit_3_untouched(_gipr("export", "--db", db, "--format", "csv"), db, before)
    _exit_3_untouched(_gipr("export", "--format", "json", env={"GIPR_DB": str(db)}), db, before)
    # the app: exit 3 before any screen is drawn (no terminal, a time limit)
    app = _gipr("--db", db, timeout=15)
    _exit_3_untouched(app, db, before)
    assert app.out == ""
    _exit_3_untouched(_gipr(timeout=15, env={"GIPR_DB": str(db)}), db, before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.json", "db-folder", "foreign.json"]


def test_a_database_held_by_another_process_check_exits_3_export_still_reads(tmp_path):
    db = tmp_path / "audit.json"
    assert _gipr("check", "--db", db, LUDING).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom store import AuditStore\n"
         f"s = AuditStore.open({str(db)!r})\nprint(s.read_only, flush=True)\nsys.stdin.read()"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "False"
        before = db.read_bytes()
        proc = _gipr("check", "--db", db, LUDING)
        assert proc.returncode == 3 and "pid" in proc.err and len(proc.err.strip().splitlines()) == 1
        assert db.read_bytes() == before
        export = _gipr("export", "--db", db, "--format", "json")
        assert export.returncode == 0 and json.loads(export.out)["reports"][0]["organ"] == "泸定县人民政府"
    finally:
        holder.communicate("", timeout=10)


def test_an_empty_db_option_is_not_silently_replaced_by_another_database(imported_db):
    """`--db ""` is bad usage in every command: never $GIPR_DB, never the current folder."""
    for args in (("export", "--db", "", "--format", "json"), ("check", "--db", "", SAMPLES), ("--db", "")):
        proc = _gipr(*args, env={"GIPR_DB": str(imported_db)})
        assert proc.returncode == 2, (args, proc.returncode, proc.err)
        assert "--db" in proc.err and "Traceback" not in proc.err


# --- export --------------------------------------------------------------------------------


@pytest.fixture
def imported_db(tmp_path) -> Path:
    """A database filled by `check --db` with the samples and one unbalanced report."""
    db = tmp_path / "审核 库.json"
    proc = _gipr("check", "--db", db, SAMPLES, _unbalanced(tmp_path))
    assert proc.returncode == 1, proc.err
    return db


# Each export records when it was made; at a fixed time two exports are byte-identical.
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1767323045"}


def test_export_after_check_db_in_every_format_stdout_file_and_gipr_db(imported_db, tmp_path):
    for fmt in ("csv", "json", "md"):
        to_stdout = _gipr("export", "--db", imported_db, "--format", fmt, env=FIXED_TIME).stdout
        out = tmp_path / f"log.{fmt}"
        assert _gipr("export", "--db", imported_db, "--format", fmt, "-o", out, env=FIXED_TIME).returncode == 0
        via_env = _gipr("export", "--format", fmt, env={"GIPR_DB": str(imported_db), **FIXED_TIME}).stdout
        again = _gipr("export", "--db", imported_db, "--format", fmt, env=FIXED_TIME).stdout
        assert to_stdout == out.read_bytes() == via_env == again
    csv = (tmp_path / "log.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    text = csv.decode("utf-8-sig")
    assert "luding-bad.txt" in text and "requests.row_sum" in text and "泸定县人民政府" in text
    log = json.loads((tmp_path / "log.json").read_text(encoding="utf-8"))
    assert len(log["reports"]) == len(SAMPLE_NAMES) + 1
    assert "# gipr-tui 审核记录" in (tmp_path / "log.md").read_text(encoding="utf-8")


def test_reimporting_unchanged_files_changes_nothing(imported_db, tmp_path):
    before = _gipr("export", "--db", imported_db, "--format", "json", env=FIXED_TIME).stdout
    assert _gipr("check", "--db", imported_db, SAMPLES, tmp_path / "luding-bad.txt").returncode == 1
    assert _gipr("export", "--db", imported_db, "--format", "json", env=FIXED_TIME).stdout == before


# --- pipes ---------------------------------------------------------------------------------


def _closed_pipe_run(*args) -> subprocess.CompletedProcess:
    """Run with standard output a pipe whose reader has already gone (like `| head`
    after it has read enough), deterministically."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return _gipr(*args, stdout=write_end)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [
    ("extract", "--json", LUDING), ("extract", LUDING), ("check", SAMPLES), ("check", "--json", SAMPLES),
    ("--help",), ("export", "--format", "md"),
], ids=lambda a: " ".join(str(x) for x in a[:2]))
def test_a_closed_pipe_is_never_a_traceback(args):
    proc = _closed_pipe_run(*args)
    assert proc.err.strip() == "" or len(proc.err.strip().splitlines()) == 1


def test_json_lines_survive_head(tmp_path):
    """`check --json … | head -n 2`: what arrives is whole JSON lines."""
    cmd = f"'{GIPR}' check --json '{SAMPLES}' | head -n 2"
    proc = subprocess.run(["sh", "-c", cmd], capture_output=True, timeout=60)
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line)["schema"] == "gipr/1" for line in lines)
    assert b"Traceback" not in proc.stderr


def test_extract_tables_into_a_closed_pipe_exits_as_json_does():
    assert _closed_pipe_run("extract", LUDING).returncode == _closed_pipe_run("extract", "--json", LUDING).returncode


def test_check_json_into_a_closed_pipe_never_claims_success(tmp_path):
    assert _closed_pipe_run("check", "--json", _unbalanced(tmp_path)).returncode != 0


# --- finding content -----------------------------------------------------------------------


def test_sections_finding_expected_and_actual_name_sections_alike():
    report = _extract_json(sample_path("2021-zhanbeilu-street"))
    (f,) = [f for f in report["findings"] if f["rule"] == "sections.missing"]
    # the six sections are all there; what `expected` has and `actual` lacks is exactly
    # what the message names: the statement on 信息处理费 in section 六
    assert set(f["expected"]) - set(f["actual"]) == {"第六部分：信息处理费的收取情况"}
    assert "信息处理费" in f["message"] and "缺少" not in f["message"]


def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path):
    evil = tmp_path / "evil\x1b[31mred.txt"
    evil.write_bytes(b"")
    proc = _gipr("extract", evil)
    assert proc.returncode == 2 and "\x1b" not in proc.err


def test_the_app_without_a_terminal_says_so_instead_of_hanging(tmp_path):
    """A script that runs the app by mistake gets a one-line pointer to the headless
    commands (exit 2), not a process waiting forever for keys."""
    proc = _gipr("--db", tmp_path / "a.json", timeout=30)
    assert proc.returncode == 2, proc.err
    assert "终端" in proc.err and "check" in proc.err and len(proc.err.strip().splitlines()) == 1
