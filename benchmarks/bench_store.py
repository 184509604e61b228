"""The audit database at scale: save one correction in a database of 10, 100
and 1,000 reports, open a 1,000-report database (and list it, as the app
does), export 1,000 reports (with the findings cache warm, as after using the app,
and cold, as after the rules changed).

The databases are built once per run in a temporary folder from the sample
reports (parsed for real), each copy disguised as another organ and file, with
one correction per report so the log is not empty.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import io
import shutil
import tempfile
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
CELL = "requests.new_received.total"
_TMP = Path(tempfile.mkdtemp(prefix="gipr-bench-store-"))
atexit.register(shutil.rmtree, _TMP, True)
_BUILT: dict[int, Path] = {}


def _samples():
    from parsing import parse_file

    return [parse_file(p) for p in sorted((ROOT / "sample_reports").glob("*.txt"))]


def build_db(n: int) -> Path:
    """A database of ``n`` reports (cached for the run)."""
    if n in _BUILT:
        return _BUILT[n]
    from parsing import ParsedReport
    from store import AuditStore

    path = _TMP / f"audit-{n}.json"
    samples = _samples()
    with AuditStore.open(path, auditor="bench") as s, s.batch():
        for i in range(n):
            base = samples[i % len(samples)]
            report = copy.deepcopy(base.report)
            report["meta"]["organ"] = f"{report['meta'].get('organ') or '机关'}{i // len(samples)}"
            report["source"]["sha256"] = hashlib.sha256(f"{i}|{report['source']['sha256']}".encode()).hexdigest()
            rid = s.import_parsed(ParsedReport(report, base.text), f"/bench/{i}/report.txt").report_id
            s.correct(rid, CELL, i % 50, "bench")
        s.list_reports()  # fills the cached counts
    _BUILT[n] = path
    return path


def build_heavy_db() -> Path:
    """The 1,000-report database with 10 log entries per report (10,000 in all)."""
    from store import AuditStore

    path = _TMP / "audit-1000-heavy.json"
    if not path.exists():
        src = build_db(1000)
        shutil.copy(src, path)
        shutil.copytree(src.with_name(src.name + ".blobs"), path.with_name(path.name + ".blobs"))
        with AuditStore.open(path, auditor="bench") as s, s.batch():
            for r in s.list_reports():
                for k in range(9):
                    s.add_note(r.id, f"第 {k} 条审核备注：与原文核对一致，无需更正。")
    return path


def _save_correction(n: int, path: Path | None = None):
    from store import AuditStore

    s = AuditStore.open(path or build_db(n), auditor="bench")
    rid = s.list_reports()[n // 2].id
    counter = iter(range(10**9))
    atexit.register(s.close)
    return lambda: s.correct(rid, CELL, next(counter) % 97, "bench"), {"reports": n, "db_kb": s.path.stat().st_size // 1024}


@benchmark("store.save_correction_10", floor="python", ratio=11, repeat=30, unit="ms", target=50, note="correct() one cell, 10 reports")
def save_correction_10():
    return _save_correction(10)


@benchmark("store.save_correction_100", floor="python", ratio=11, repeat=30, unit="ms", target=50, note="correct() one cell, 100 reports")
def save_correction_100():
    return _save_correction(100)


@benchmark("store.save_correction_1000", floor="python", ratio=11, repeat=30, unit="ms", target=50, note="correct() one cell, 1,000 reports")
def save_correction_1000():
    return _save_correction(1000)


@benchmark("store.save_correction_1000_heavy", floor="python", ratio=11, repeat=30, unit="ms", target=50,
           note="correct() one cell, 1,000 reports with 10,000 log entries")
def save_correction_1000_heavy():
    return _save_correction(1000, build_heavy_db())


@benchmark("store.open_list_1000", floor="python", ratio=80, repeat=5, unit="ms", target=1000, note="open + list_reports + close, 1,000 reports")
def open_list_1000():
    from store import AuditStore

    path = build_db(1000)

    def go():
        with AuditStore.open(path) as s:
            assert len(s.list_reports()) == 1000

    size = path.stat().st_size
    return go, {"db_kb": size // 1024}


def _export(fmt: str, cold: bool = False):
    from store import AuditStore
    from store.cache import cache_dir

    path = build_db(1000)

    def go():
        if cold:
            shutil.rmtree(cache_dir(path), ignore_errors=True)
        with AuditStore.open(path, read_only=True) as s:
            s.export(fmt, io.StringIO())

    return go


@benchmark("store.export_csv_1000", floor="python", ratio=250, repeat=3, unit="ms", target=2000, note="fresh read-only open + export csv, 1,000 reports")
def export_csv_1000():
    return _export("csv")


@benchmark("store.export_md_1000", floor="python", ratio=400, repeat=3, unit="ms", target=2000, note="fresh read-only open + export md, 1,000 reports")
def export_md_1000():
    return _export("md")


@benchmark("store.export_csv_1000_cold", repeat=3, unit="ms",
           note="as export_csv_1000 with the findings cache deleted (every report re-checked: after a rule change)")
def export_csv_1000_cold():
    return _export("csv", cold=True)
