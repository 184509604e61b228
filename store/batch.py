"""The batch engine: many report files read (and checked) one by one or in
worker processes, each within a time budget; with an audit database, the
parsed reports imported into it. ``gipr-tui check`` prints what this yields;
the app's import worker reads each file with ``parse_one`` under the same
budget. Which files: ``parsing.find_reports``.

- ``check_one(path)``: parse and check one file (no database): the report's
  meta and findings (and its JSON line made by ``to_line``).
- ``parse_one(path)``: parse only. With a database the store computes the
  findings when it imports (with the same organ's previous year, cached), so
  checking in the worker as well would be done twice.
- ``run_many(files, work)``: ``work`` over the files, results in input order,
  in worker processes when there are enough files to be worth it.
- ``import_parsed_all(db, results)``: the parsed results imported in one write.
- ``time_budget(seconds)``: a file's work is cut off after ``seconds``
  (re-armed by each page a scan's OCR recognises: that takes seconds a page).
  In a process's main thread by SIGALRM (the CLI, its worker processes); in
  another thread (the app's import worker) by a watchdog that raises in the
  working thread. Either way it interrupts Python code, not one long call
  into a C library.

This module never imports textual, rich or the tui package.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

# Seconds one file may take (parse and check) in batch work before it is
# refused and the batch goes on; `check --time-limit` changes it, 0 turns it off.
FILE_TIME_BUDGET = 60.0
PARALLEL_FROM = 12  # files; below this, worker start-up costs more than it saves
OVER_TIME = "处理超过 {budget:g} 秒仍未完成，已跳过（文件可能异常{hint}）"


class Checked(NamedTuple):
    """One file's result. ``check_one``'s report holds only what the output
    needs (meta and findings); with ``to_line`` its JSON line is made in the
    worker too (``to_line``), so the main process only writes it. ``parse_one`` gives the
    ParsedReport in ``parsed`` and no report."""

    path: str
    report: dict | None
    parsed: object = None  # the ParsedReport, for the database import
    message: str | None = None  # why the file could not be read
    line: str | None = None  # the report as one JSON line


class OverTime(BaseException):
    """Raised inside a file's work when its budget is spent (a BaseException:
    no reader's ``except Exception`` turns it into something else)."""


# --- the time budget ---------------------------------------------------------------------

class _Budget:
    """One file's deadline; ``rearm()`` gives it the full budget again."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 else None
        self._by_signal = False
        self._cond = threading.Condition()
        self._deadline = 0.0
        self._done = False
        self._fired = False
        self._thread_id = 0

    def __enter__(self) -> _Budget:
        if self.seconds is None:
            return self
        if threading.current_thread() is threading.main_thread():
            if hasattr(signal, "setitimer"):
                self._by_signal = True
                self._previous = signal.signal(signal.SIGALRM, _expired)
                signal.setitimer(signal.ITIMER_REAL, self.seconds)
            return self
        self._thread_id = threading.get_ident()
        self._deadline = time.monotonic() + self.seconds
        threading.Thread(target=self._watch, name="gipr-time-budget", daemon=True).start()
        return self

    def rearm(self) -> None:
        if self.seconds is None:
            return
        if self._by_signal:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        elif self._thread_id:
            with self._cond:
                self._deadline = time.monotonic() + self.seconds

    def _watch(self) -> None:
        with self._cond:
            while not self._done:
                left = self._deadline - time.monotonic()
                if left <= 0:
                    self._fired = _raise_in(self._thread_id, OverTime)
                    return
                self._cond.wait(left)

    def __exit__(self, *exc) -> None:
        if self._by_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
        elif self._thread_id:
            with self._cond:
                self._done = True
                self._cond.notify()
                if self._fired:  # raised, perhaps not yet delivered: never after the block
                    _raise_in(self._thread_id, None)


def _expired(signum, frame):
    raise OverTime()


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> bool:
    """Raise ``exc`` in the thread ``thread_id`` at its next Python instruction
    (None: withdraw one not yet raised)."""
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None) == 1


def time_budget(seconds: float | None) -> _Budget:
    """``with time_budget(s) as b:`` raises ``OverTime`` in this thread after ``s``
    seconds (None or 0: never); ``b.rearm()`` starts the ``s`` seconds again."""
    return _Budget(seconds)


# --- one file ---------------------------------------------------------------------------

def parse_one(path: str, budget: float | None = FILE_TIME_BUDGET, hint: str = "") -> Checked:
    """Parse one file within its time budget (no checks: the store checks what it imports).
    ``hint`` ends the over-time message (how to change the budget)."""
    return _read(path, budget, hint, check=False)


def check_one(path: str, budget: float | None = FILE_TIME_BUDGET, hint: str = "",
              to_line: Callable[[dict], str] | None = None) -> Checked:
    """Parse and check one file within its time budget. Runs in workers; with
    ``to_line`` (the caller's JSON writer) the whole report's line is made here."""
    result = _read(path, budget, hint, check=True)
    if result.report is None:
        return result
    line = to_line(result.report) if to_line is not None else None
    return result._replace(report={"meta": result.report.get("meta"), "findings": result.report["findings"]}, line=line)


def _read(path: str, budget: float | None, hint: str, check: bool) -> Checked:
    import parsing
    from parsing import ParseError, ocr_current_reporting, ocr_reporting

    outer = ocr_current_reporting()
    try:
        with time_budget(budget) as deadline:

            def page_recognised(done: int, total: int) -> None:
                """A scan earns its budget per recognised page (OCR takes seconds a page)."""
                deadline.rearm()
                if outer is not None:
                    outer(done, total)

            with ocr_reporting(page_recognised):
                parsed = parsing.parse_file(path)
                if not check:
                    return Checked(path, None, parsed)
                from checks import run_checks

                report = dict(parsed.report)
                report["findings"] = run_checks(parsed.report, parsed.text)
    except ParseError as e:
        return Checked(path, None, message=str(e))
    except OverTime:
        return Checked(path, None, message=OVER_TIME.format(budget=budget, hint=hint))
    return Checked(path, report)


# --- many files -------------------------------------------------------------------------

def run_many(files: list[str], work: Callable[[str], Checked], jobs: int | None = None,
             on_done: Callable[[], None] | None = None,
             pages_for: Callable[[str], Callable[[int, int], None] | None] | None = None) -> Iterator[Checked]:
    """``work`` (``check_one`` or ``parse_one``, with its options bound by
    ``functools.partial``) over ``files``, results in input order: in worker
    processes when ``jobs`` (default: one per core) and the number of files
    make it worth it, else one by one in this process, where ``pages_for(path)``
    may give a callback for a scan's recognised pages."""
    workers = min(jobs if jobs and jobs > 0 else (os.cpu_count() or 1), len(files))
    done = on_done or (lambda: None)
    if workers <= 1 or len(files) < PARALLEL_FROM:
        from parsing import ocr_reporting

        for f in files:
            with ocr_reporting(pages_for(f) if pages_for else None):
                result = work(f)
            done()
            yield result
        return
    for result in _pool_map(files, workers, work):
        done()
        yield result


def _pool_map(files: list[str], workers: int, work: Callable[[str], Checked]) -> Iterator[Checked]:
    """``work`` over ``files`` in worker processes, results in input order.
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
            yield from pool.map(work, files, chunksize=chunk)
    finally:
        if fork:
            gc.unfreeze()


def _worker_start() -> None:
    """A worker makes many short-lived objects and few cycles: collect less often
    (about 8% faster per report, memory still bounded)."""
    import gc

    gc.set_threshold(20_000, 50, 50)


def check_all(files: list[str], jobs: int | None = None, budget: float | None = FILE_TIME_BUDGET, hint: str = "",
              to_line: Callable[[dict], str] | None = None, on_done=None, pages_for=None) -> Iterator[Checked]:
    """``check_one`` over ``files`` (no database)."""
    work = functools.partial(check_one, budget=budget, hint=hint, to_line=to_line)
    return run_many(files, work, jobs, on_done, pages_for)


def import_all(db, files: list[str], jobs: int | None = None, budget: float | None = FILE_TIME_BUDGET,
               hint: str = "", on_done=None, pages_for=None) -> Iterator[tuple[str, dict | None, str | None]]:
    """``parse_one`` over ``files`` (in workers when worth it), the reports
    imported into ``db`` in one write; yields (path, the current report with
    the store's findings and reviews, None) or (path, None, why it could not
    be read), in input order. A file whose very bytes ``db`` holds already is
    not parsed again (as in the app: a scan is recognised once)."""
    known = {f for f in files if db.known_file(f)}
    done = on_done or (lambda: None)
    work = functools.partial(parse_one, budget=budget, hint=hint)
    parsed = run_many([f for f in files if f not in known], work, jobs, done, pages_for)

    def in_order() -> Iterator[Checked]:
        for f in files:
            if f in known:
                done()
                yield Checked(f, None)  # neither parsed nor refused: imported from its bytes
            else:
                yield next(parsed)
        for _ in parsed:  # none left: the pool's workers are shut down now
            pass

    return import_parsed_all(db, in_order())


def import_parsed_all(db, results: Iterable[Checked]) -> Iterator[tuple[str, dict | None, str | None]]:
    from parsing import ParseError

    imported = []
    with db.batch():
        for r in results:
            if r.message is not None:
                imported.append((r.path, None, r.message))
                continue
            try:
                if r.parsed is None:  # known to the database: nothing is parsed (unless its copy there is damaged)
                    result = db.import_file(r.path)
                else:
                    result = db.import_parsed(r.parsed, os.path.abspath(r.path))
            except ParseError as e:
                imported.append((r.path, None, str(e)))
                continue
            imported.append((r.path, result.report_id, None))
    for path, report_id, message in imported:
        if message is not None:
            yield path, None, message
            continue
        report = db.current_report(report_id)
        report["findings"] = db.findings(report_id)
        yield path, report, None
