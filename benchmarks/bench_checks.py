"""Speed of the rule book: one full check (the app re-checks on every
correction) and `gipr-tui check` throughput on many sample-sized reports."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_reports").glob("*.txt"))
EXE = str(Path(sys.executable).with_name("gipr-tui"))
COPIES = 200


@benchmark("checks.full_sample", floor="python", ratio=0.25, repeat=500, unit="ms", target=1.0,
           note="run_checks on the parsed 2024-luding-county sample (all rule families)")
def full_sample():
    from checks import run_checks
    from parsing import parse_file

    parsed = parse_file(ROOT / "sample_reports" / "2024-luding-county.txt")
    return lambda: run_checks(parsed.report, parsed.text)


@benchmark("checks.full_worst_sample", floor="python", ratio=0.25, repeat=500, unit="ms", target=1.0,
           note="run_checks on the sample with the most findings (2021-zhanbeilu-street, OCR)")
def full_worst_sample():
    from checks import run_checks
    from parsing import parse_file

    parsed = parse_file(ROOT / "sample_reports" / "2021-zhanbeilu-street.txt")
    return lambda: run_checks(parsed.report, parsed.text)


def _folder_of_copies() -> str:
    folder = tempfile.mkdtemp(prefix="gipr-bench-")
    atexit.register(shutil.rmtree, folder, True)
    for i in range(COPIES):
        src = SAMPLES[i % len(SAMPLES)]
        shutil.copy(src, os.path.join(folder, f"{i:03d}-{src.name}"))
    return folder


@benchmark("check.throughput_200", floor="process", ratio=30, repeat=3, unit="s", target=1.0,
           note=f"gipr-tui check --json on {COPIES} sample copies, new process, all cores "
                f"(≤ 1 s = ≥ {COPIES} reports/s)")
def throughput_200():
    folder = _folder_of_copies()
    env = dict(os.environ, GIPR_DB=os.devnull)

    def go():
        subprocess.run([EXE, "check", "--json", folder], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    return go, {"cores": os.cpu_count()}


def _distinct_copies(n: int) -> str:
    """``n`` sample-sized reports with distinct bytes (each a new report for the database)."""
    folder = tempfile.mkdtemp(prefix="gipr-bench-")
    atexit.register(shutil.rmtree, folder, True)
    for i in range(n):
        src = SAMPLES[i % len(SAMPLES)]
        Path(folder, f"{i:03d}-{src.name}").write_bytes(src.read_bytes() + b"\n" * (i // len(SAMPLES)))
    return folder


@benchmark("check.db_import_100", floor="process", ratio=60, repeat=3, unit="s",
           note="gipr-tui check --db on 100 distinct sample-sized reports into a new database, new process, "
                "all cores (workers only parse; the store checks each report once)")
def db_import_100():
    folder = _distinct_copies(100)
    scratch = tempfile.mkdtemp(prefix="gipr-bench-db-")
    atexit.register(shutil.rmtree, scratch, True)
    runs = iter(range(1_000_000))

    def go():
        db = os.path.join(scratch, f"{next(runs)}.json")
        subprocess.run([EXE, "check", "--db", db, folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)

    return go, {"cores": os.cpu_count()}


@benchmark("check.db_again_100", floor="process", ratio=30, repeat=3, unit="s",
           note="the same check --db again: the database holds every file's bytes, nothing is parsed")
def db_again_100():
    folder = _distinct_copies(100)
    scratch = tempfile.mkdtemp(prefix="gipr-bench-db-")
    atexit.register(shutil.rmtree, scratch, True)
    db = os.path.join(scratch, "audit.json")

    def go():  # the harness's warm-up run fills the database
        subprocess.run([EXE, "check", "--db", db, folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)

    return go, {"cores": os.cpu_count()}
