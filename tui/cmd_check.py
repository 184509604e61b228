"""`gipr-tui check PATH ... [--json] [--db FILE] [--jobs N]`: parse and check
many reports without the app (docs/CLI.md).

Folders are walked recursively for report-like files (hidden files and
folders, README and the like skipped); a file named explicitly is always tried. Many files are
parsed and checked in worker processes; results are printed in input order.
With ``--db`` the parsed reports are imported into the audit database and
its findings (with the same organ's previous year, and reviews) are used.

Exit codes: 0 no error finding; 1 some report has an error finding (a waived
one does not count); 2 some file could not be read (each said on standard
error, the others still checked); 3 the audit database cannot be used.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .cli import EXIT_DB, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, error
from .output import write
from .safe_text import dumps

REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".wps", ".md"}
# Names that sit beside reports in a folder and are never reports themselves.
NOT_REPORTS = ("readme", "license", "licence", "changelog", "notice")
PARALLEL_FROM = 12  # files; below this, worker start-up costs more than it saves
PROGRESS_FROM = 6  # files (the CLI contract: "when there are many")


def find_files(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(report files in a stable order, [(path, why)] for arguments that are not usable)."""
    files: list[str] = []
    bad: list[tuple[str, str]] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            files += _walk(p)
        elif p.is_file():
            files.append(str(p))
        elif p.exists():
            bad.append((arg, "不是普通文件"))
        else:
            bad.append((arg, "文件或文件夹不存在"))
    return list(dict.fromkeys(files)), bad


def _walk(folder: Path) -> list[str]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            stem, suffix = os.path.splitext(name)
            if name.startswith(".") or suffix.lower() not in REPORT_SUFFIXES or stem.lower() in NOT_REPORTS:
                continue
            out.append(os.path.join(root, name))
    return out


class Checked(NamedTuple):
    """One file's result. Without ``keep_parsed`` the report holds only what the
    output needs (meta and findings); with ``as_json`` its JSON line is made in
    the worker too, so the main process only writes it."""

    path: str
    report: dict | None
    parsed: object = None  # the ParsedReport, kept for the database import
    message: str | None = None  # why the file could not be read
    line: str | None = None  # the report as one JSON line


# Seconds one file may take (parse and check) in batch work before it is
# refused and the batch goes on; `--time-limit` changes it, 0 turns it off.
FILE_TIME_BUDGET = 60.0


class _OverTime(BaseException):
    """Raised by the alarm inside a file's work (a BaseException: no reader's
    ``except Exception`` turns it into something else)."""


@contextmanager
def time_budget(seconds: float | None):
    """Raise ``_OverTime`` in this thread after ``seconds`` (SIGALRM; the main
    thread of a process only: the CLI and its worker processes)."""
    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expired(signum, frame):
        raise _OverTime()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_one(path: str, keep_parsed: bool = False, as_json: bool = False,
              budget: float | None = FILE_TIME_BUDGET) -> Checked:
    """Parse and check one file within its time budget. Runs in workers."""
    from checks import run_checks
    from parsing import ParseError, parse_file

    from parsing import ocr_current_reporting, ocr_reporting as reporting

    outer = ocr_current_reporting()

    def page_recognised(done: int, total: int) -> None:
        """A scan earns its budget per recognised page (OCR takes seconds a page)."""
        if outer is not None:
            outer(done, total)
        if budget and budget > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, budget)

    try:
        with time_budget(budget), reporting(page_recognised):
            parsed = parse_file(path)
            report = dict(parsed.report)
            report["findings"] = run_checks(parsed.report, parsed.text)
    except ParseError as e:
        return Checked(path, None, message=str(e))
    except _OverTime:
        return Checked(path, None, message=f"处理超过 {budget:g} 秒仍未完成，已跳过（文件可能异常；--time-limit 可调整上限）")
    if keep_parsed:
        return Checked(path, report, parsed)
    line = dumps(report) if as_json else None
    return Checked(path, {"meta": report.get("meta"), "findings": report["findings"]}, line=line)


def _check_many(files: list[str], jobs: int | None, keep_parsed: bool, as_json: bool, on_done,
                budget: float | None = FILE_TIME_BUDGET):
    """Yield check_one's results in input order, in parallel when worth it."""
    workers = min(jobs if jobs and jobs > 0 else (os.cpu_count() or 1), len(files))
    if workers <= 1 or len(files) < PARALLEL_FROM:
        from parsing import ocr_reporting as reporting

        from .ocr_progress import terminal_progress

        for f in files:
            # a scan: its pages recognised, on a terminal when no progress bar is shown
            with reporting(terminal_progress(f) if len(files) < PROGRESS_FROM else None):
                result = check_one(f, keep_parsed, as_json, budget)
            on_done()
            yield result
        return
    for result in _pool_map(files, workers, keep_parsed, as_json, budget):
        on_done()
        yield result


def _pool_map(files: list[str], workers: int, keep_parsed: bool, as_json: bool, budget: float | None = FILE_TIME_BUDGET):
    """check_one over ``files`` in worker processes, results in input order.
    Workers are forked where possible, after parsing and checks are loaded and
    the loaded objects frozen out of the garbage collector (no copy-on-write
    of the parent's memory), so a worker starts with nothing to import."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import checks
    import parsing  # noqa: F401  (its face loads the readers)

    checks.rule_docs()  # loads the rule book before the workers fork

    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork") if fork else None
    # Small chunks keep every worker busy to the end; each chunk is one round trip.
    chunk = max(1, min(16, len(files) // (workers * 4)))
    if fork:
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start) as pool:
            yield from pool.map(check_one, files, [keep_parsed] * len(files), [as_json] * len(files),
                                [budget] * len(files), chunksize=chunk)
    finally:
        if fork:
            gc.unfreeze()


def _worker_start() -> None:
    """A worker makes many short-lived objects and few cycles: collect less often
    (about 8% faster per report, memory still bounded)."""
    import gc

    gc.set_threshold(20_000, 50, 50)


def _has_error(report: dict) -> bool:
    from store import has_open_error

    return has_open_error(report.get("findings") or [])


class _Output:
    """Prints each result as it comes: JSON lines, or rich tables."""

    def __init__(self, as_json: bool):
        self.as_json = as_json
        self.console = None
        if not as_json:
            from .output import console

            self.console = console(highlight=False)

    def report(self, path: str, report: dict, line: str | None = None) -> None:
        if self.as_json:
            write((line if line is not None else dumps(report)) + "\n")
            return
        from checks import label

        from .check_output import print_report_findings

        fmt = (report.get("meta") or {}).get("format")
        print_report_findings(self.console, path, report, lambda p: label(p, fmt))

    def unreadable(self, path: str, message: str) -> None:
        error(f"{path}: {message}")
        if self.as_json:
            write(dumps({"source": {"path": path}, "error": message}) + "\n")

    def summary(self, reports: list[dict], unreadable: int) -> None:
        if self.as_json:
            return
        from .check_output import summary_table

        self.console.print(summary_table(reports, unreadable))


def _import_all(db, results):
    """Import parsed reports into the store; yield (path, current report with the store's findings)."""
    imported = []
    with db.batch():
        for path, _report, parsed, message, _line in results:
            if message is not None:
                imported.append((path, None, message))
                continue
            result = db.import_parsed(parsed, os.path.abspath(path))
            imported.append((path, result.report_id, None))
    for path, report_id, message in imported:
        if message is not None:
            yield path, None, message
            continue
        report = db.current_report(report_id)
        report["findings"] = db.findings(report_id)
        yield path, report, None


def run(args) -> int:
    files, bad = find_files(args.paths)
    out = _Output(args.json)
    for path, why in bad:
        out.unreadable(path, why)
    if not files:
        if not bad:
            error("没有找到报告文件（.txt .html .pdf .docx 等）：" + " ".join(args.paths))
        return EXIT_USAGE
    db = None
    if args.db is not None:
        from store import AuditStore, StoreError

        try:
            db = AuditStore.open(args.db)
            if db.read_only:
                raise StoreError(
                    f"审核数据库正被另一个 gipr-tui 进程使用（{db.lock_holder.describe() if db.lock_holder else '只读'}），"
                    "请关闭它后重试，或改用 --db 指定其他文件", db.path)
        except StoreError as e:
            if db is not None:
                db.close()
            error(f"check: {e}")
            return EXIT_DB
    try:
        return _run(args, files, len(bad), out, db)
    finally:
        if db is not None:
            db.close()


class _NoStoreError(Exception):
    """Never raised: stands in for store.StoreError when no database is used."""


def _run(args, files: list[str], bad: int, out: _Output, db) -> int:
    if db is not None:
        from store import StoreError
    else:  # no database: do not load the store (and TinyDB) just for its error class
        StoreError = _NoStoreError

    bar = None
    if sys.stderr.isatty() and len(files) >= PROGRESS_FROM:
        from rich.console import Console

        from .check_output import progress

        bar = progress(Console(stderr=True))
        bar.start()
        task = bar.add_task("check", total=len(files))
    advance = (lambda: bar.advance(task)) if bar else (lambda: None)
    reports, unreadable, any_error = [], 0, False
    try:
        budget = getattr(args, "time_limit", FILE_TIME_BUDGET)
        results = _check_many(files, args.jobs, db is not None, out.as_json and db is None, advance, budget)
        if db is not None:
            results = ((path, report, message, None) for path, report, message in _import_all(db, results))
        else:
            results = ((r.path, r.report, r.message, r.line) for r in results)
        for path, report, message, line in results:
            if message is not None:
                unreadable += 1
                out.unreadable(path, message)
                continue
            reports.append(report)
            any_error = any_error or _has_error(report)
            out.report(path, report, line)
    except StoreError as e:
        error(f"check: {e}")
        return EXIT_DB
    finally:
        if bar:
            bar.stop()
    out.summary(reports, unreadable + bad)
    if bad or unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if any_error else EXIT_OK
