"""`gipr-tui check`: folders, JSON lines, exit codes, unreadable files, --db."""

from __future__ import annotations

import json
import shutil


from tests.conftest import SAMPLES, sample_path
from tui.cli import main

LUDING = sample_path("2024-luding-county").read_text(encoding="utf-8")


def _run(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_samples_folder_checks_clean_with_tables_and_summary(capsys):
    code, out, err = _run(capsys, str(SAMPLES))
    assert code == 0, err
    for stem in ("2024-luding-county", "2021-zhanbeilu-street", "2023-linxi-town-service-centre"):
        assert f"{stem}.txt" in out
    assert "汇总" in out and "已检查报告" in out
    assert "README" not in out and err == ""


def test_json_lines_one_report_each(capsys):
    code, out, _ = _run(capsys, "--json", str(SAMPLES))
    rows = _lines(out)
    assert code == 0 and len(rows) == 5
    assert all(r["schema"] == "gipr/1" and isinstance(r["findings"], list) for r in rows)
    assert all(f["severity"] != "error" for r in rows for f in r["findings"])


def test_a_report_that_does_not_balance_exits_1(tmp_path, capsys):
    bad = tmp_path / "luding-bad.txt"
    bad.write_text(LUDING.replace("一、本年新收政府信息公开申请数量 | 31 | 3 |", "一、本年新收政府信息公开申请数量 | 32 | 3 |"),
                   encoding="utf-8")
    code, out, _ = _run(capsys, "--json", str(bad))
    assert code == 1
    (row,) = _lines(out)
    named = {c for f in row["findings"] if f["severity"] == "error" for c in f["cells"]}
    assert "requests.new_received.natural_person" in named
    code, out, _ = _run(capsys, str(bad))
    assert code == 1 and "requests.row_sum" in out and "错误" in out


def test_unreadable_file_reported_in_one_line_others_still_checked(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(LUDING, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"\x00\x01\x02 not a pdf at all \xff" * 20)
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    code, out, err = _run(capsys, "--json", str(tmp_path))
    assert code == 2
    rows = _lines(out)
    assert [r["source"]["path"].rsplit("/", 1)[-1] for r in rows] == ["a.txt", "b.pdf"]
    assert rows[1]["error"] and "schema" not in rows[1]
    assert len(err.strip().splitlines()) == 1 and "b.pdf" in err and "Traceback" not in err


def test_missing_path_and_empty_folder(tmp_path, capsys):
    code, _, err = _run(capsys, str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err and "不存在" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run(capsys, str(empty))
    assert code == 2 and "没有找到报告文件" in err


def test_folders_walked_recursively_in_parallel_same_as_sequential(tmp_path, capsys):
    for i in range(3):
        sub = tmp_path / f"batch{i}" / "deeper"
        sub.mkdir(parents=True)
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, sub / p.name)
    code, parallel, _ = _run(capsys, "--json", "--jobs", "2", str(tmp_path))
    assert code == 0
    code, sequential, _ = _run(capsys, "--json", "--jobs", "1", str(tmp_path))
    assert parallel == sequential and len(_lines(parallel)) == 15


def test_control_characters_from_documents_never_reach_the_terminal(tmp_path, capsys):
    f = tmp_path / "x.txt"
    f.write_text(LUDING.replace("今年受理依申请公开事项34件", "今年受理依申请公开事项\x1b[31m35件"), encoding="utf-8")
    _, out, _ = _run(capsys, str(f))
    assert "\x1b[31m" not in out


def test_db_imports_and_applies_history(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    this_year = folder / "luding-2024.txt"
    this_year.write_text(LUDING, encoding="utf-8")
    last_year = LUDING.replace("2024", "2023").replace(
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    (folder / "luding-2023.txt").write_text(last_year, encoding="utf-8")
    db = tmp_path / "audit.json"
    code, out, err = _run(capsys, "--json", "--db", str(db), str(folder))
    assert code == 1, err
    rows = {r["meta"]["year"]: r for r in _lines(out)}
    carry = [f for f in rows[2024]["findings"] if f["rule"] == "history.carry_over"]
    assert carry and carry[0]["cells"] == ["requests.carried_over.natural_person"]
    assert all("key" in f for f in rows[2024]["findings"])
    from store import AuditStore

    with AuditStore.open(db) as s:
        assert len(s.list_reports()) == 2


def test_db_unusable_exits_3(tmp_path, capsys):
    bad = tmp_path / "audit.json"
    bad.write_text("this is not a database", encoding="utf-8")
    code, _, err = _run(capsys, "--db", str(bad), str(sample_path("2024-luding-county")))
    assert code == 3 and err.strip() and "Traceback" not in err
