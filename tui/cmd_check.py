"""`gipr-tui check PATH ... [--json] [--db FILE] [--jobs N]`: parse and check
many reports without the app (docs/CLI.md).

This module is the command's arguments and output only. Which files are
reports (folders walked recursively, hidden files and folders, README and the
like skipped; a file named explicitly is always tried) is
``parsing.find_reports``, as for the app's import; reading them in worker
processes within a per-file time budget is ``store.batch``. Results are
printed in input order. With ``--db`` the workers only parse, the reports are
imported into the audit database and its findings (with the same organ's
previous year, and reviews) are used.

Exit codes: 0 no error finding; 1 some report has an error finding (a waived
one does not count); 2 some file could not be read (each said on standard
error, the others still checked); 3 the audit database cannot be used.
"""

from __future__ import annotations

import sys

from .cli import EXIT_DB, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, error
from .output import write
from .safe_text import dumps

PROGRESS_FROM = 6  # files (the CLI contract: "when there are many")
TIME_LIMIT_HINT = "；--time-limit 可调整上限"


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


def run(args) -> int:
    from parsing import find_reports

    files, bad = find_reports(args.paths)
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
    from store import FILE_TIME_BUDGET, check_all, import_all  # the engine, without TinyDB unless a database is used

    from .ocr_progress import terminal_progress

    def pages_for(path: str):  # a scan's pages recognised, on a terminal when no progress bar is shown
        return terminal_progress(path) if len(files) < PROGRESS_FROM else None

    engine = dict(jobs=args.jobs, budget=getattr(args, "time_limit", FILE_TIME_BUDGET), hint=TIME_LIMIT_HINT,
                  on_done=advance, pages_for=pages_for)
    try:
        if db is not None:  # the workers only parse; the store checks what it imports
            results = ((path, report, message, None) for path, report, message in import_all(db, files, **engine))
        else:
            checked = check_all(files, to_line=dumps if out.as_json else None, **engine)
            results = ((r.path, r.report, r.message, r.line) for r in checked)
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
