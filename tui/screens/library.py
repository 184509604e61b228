"""The library: every report in the database (organ, year, format, errors,
warnings, corrections, review status), sortable and filterable; Enter opens one.

Importing (``o``, or PATHs given on the command line) runs in a thread worker
that only parses; this screen's handlers write the results to the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from checks import ERROR, SEVERITY_LABELS, WARNING
from store import STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NEW, StoreError

from .. import keys
from ..safe_text import safe
from ..widgets.status import ReadOnlyBanner, StatusBar
from ..widgets.tables import VimTable
from .dialogs import ImportDialog

def organ_key(organ: str | None) -> tuple:
    """Organs in pinyin order (阿坝 before 泸定 before 重庆), the characters breaking ties;
    an unrecognised organ last."""
    if not organ:
        return (1, "", "")
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover - a dependency; the character order is the fallback
        return (0, organ, organ)
    return (0, " ".join(lazy_pinyin(organ)), organ)


# (key, header, sort key over a ReportSummary)
COLUMNS = [
    ("organ", "机关", lambda s: organ_key(s.organ)),
    ("year", "年度", lambda s: s.year or 0),
    ("format", "格式", lambda s: s.format or ""),
    ("errors", SEVERITY_LABELS[ERROR], lambda s: s.errors),
    ("warnings", SEVERITY_LABELS[WARNING], lambda s: s.warnings),
    ("corrections", "更正", lambda s: s.corrections),
    ("status", "状态", lambda s: s.status or ""),
    ("version", "版本", lambda s: s.version or 1),
    ("file", "文件", lambda s: Path(s.source_path or "").name),
]
MOST_FIRST = {3, 4, 5}  # errors, warnings, corrections: the most first
STATUS_STYLES = {STATUS_NEW: "", STATUS_IN_PROGRESS: "#ffd75f", STATUS_DONE: "green"}  # the store's statuses


def report_files(paths) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to import and paths that cannot be used, found exactly as ``gipr-tui check`` finds them
    (``parsing.find_reports``: folders walked recursively; hidden entries, README and the like skipped)."""
    from parsing import find_reports

    files, bad = find_reports([str(p) for p in paths])
    return [Path(f) for f in files], bad


class LibraryTable(VimTable):
    """Enter opens the highlighted report (RowSelected); a header click sorts."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        for key, header, _ in COLUMNS:
            self.add_column(Text(header), key=key)


class LibraryScreen(Screen):
    BINDINGS = keys.LIBRARY + [
        *(Binding(str(i + 1), f"sort_column({i})", f"按{h}排序", show=False) for i, (_, h, _) in enumerate(COLUMNS))
    ]

    @dataclass
    class Parsed(Message):
        path: str
        parsed: object

    @dataclass
    class Failed(Message):
        path: str
        message: str

    @dataclass
    class Progress(Message):
        done: int
        total: int
        name: str = ""

    @dataclass
    class Pages(Message):
        """A scan being recognised (OCR): pages done of total."""

        path: str
        done: int
        total: int

    def __init__(self, import_paths: list[str] | None = None) -> None:
        super().__init__()
        self._initial_imports = list(import_paths or [])
        self._sort = (0, False)  # column index, reversed
        self._filter = ""
        self._failures: list[tuple[str, str]] = []
        self._tally: dict[str, int] = {}
        self._last_imported: str | None = None

    @property
    def store(self):
        return self.app.store

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        if self.store.read_only:
            yield ReadOnlyBanner(self.store.lock_holder)
        with Vertical(id="library"):
            yield LibraryTable(id="reports")
            yield Static("", id="import-failures", markup=False)
        yield Footer()

    def on_resize(self, event) -> None:
        if self.is_mounted and self.query(LibraryTable):
            self.refresh_reports()

    async def on_mount(self) -> None:
        if self._initial_imports:
            await self.start_import(self._initial_imports)

    def on_screen_resume(self) -> None:
        """Also the first showing: the counts may have changed in the audit screen."""
        self.refresh_reports()

    async def _lazy(self, widget_id: str, make):
        """A widget mounted the first time it is needed (a faster first screen)."""
        found = self.query(f"#{widget_id}")
        if found:
            return found.first()
        widget = make()
        await self.query_one("#library").mount(widget, before=self.query_one("#reports"))
        return widget

    # --- the table -----------------------------------------------------------
    def summaries(self, items: list) -> list:
        """Reports shown: filtered, sorted; superseded versions after current ones."""
        if self._filter:
            needle = self._filter.lower()
            items = [s for s in items if needle in " ".join(
                str(x) for x in (s.organ, s.year, s.source_path, s.format, s.status)).lower()]
        col, rev = self._sort
        items = sorted(items, key=COLUMNS[col][2], reverse=rev)
        return sorted(items, key=lambda s: bool(s.superseded))

    def refresh_reports(self) -> None:
        table = self.query_one(LibraryTable)
        keep = self.current_id()
        table.clear()
        for column in table.columns.values():  # widths fit what is shown now, not what was once
            column.content_width = column.label.cell_len
        everything = self.store.list_reports()
        rows = self.summaries(everything)
        cells = [_row(s) for s in rows]
        if cells:
            # The file name (last column) gets the room left and ends in … when longer; the
            # columns before it are never cut (numbers), and the status line says the whole name.
            widths = [max([c.label.cell_len for c in table.ordered_columns][i], *(r[i].cell_len for r in cells))
                      for i in range(len(COLUMNS) - 1)]
            room = (table.size.width or self.app.size.width) - sum(w + 2 * table.cell_padding for w in widths) - 3
            for r in cells:
                r[-1].truncate(max(room, 12), overflow="ellipsis")
        for s, r in zip(rows, cells):
            table.add_row(*r, key=s.id)
        ids = [s.id for s in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self._show_status(len(everything), len(rows))

    def _show_status(self, total: int, shown: int) -> None:
        parts = [("gipr-tui 报告列表", "bold"), (f"共 {total} 份", "")]
        if self._filter:
            parts.append((f"筛选后 {shown} 份", "#ffd75f"))
        col, rev = self._sort
        parts.append((f"按{COLUMNS[col][1]}{'倒序' if rev else '排序'}", "dim", 2))
        saved = "只读，不保存" if self.store.read_only else "已保存"
        self.query_one(StatusBar).show(parts=parts, db=self.store.path, saved=saved)

    def current_id(self) -> str | None:
        table = self.query_one(LibraryTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # --- actions -------------------------------------------------------------
    def action_open(self) -> None:
        report_id = self.current_id()
        if report_id is not None:
            self.app.open_report(report_id)

    @on(DataTable.RowSelected, "#reports")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_report(event.row_key.value)

    def action_sort_column(self, index: int) -> None:
        col, rev = self._sort
        self._sort = (index, not rev if index == col else index in MOST_FIRST)
        self.refresh_reports()

    def action_sort(self) -> None:
        """Sort by the next column (the digits 1-8 pick one directly)."""
        self.action_sort_column((self._sort[0] + 1) % len(COLUMNS))

    @on(DataTable.HeaderSelected, "#reports")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.action_sort_column(event.column_index)

    async def action_filter(self) -> None:
        box = await self._lazy("filter", lambda: Input(placeholder="筛选：机关、年度或文件名（Esc 清除）", id="filter"))
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value.strip()
        self.refresh_reports()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LibraryTable).focus()

    def action_clear_filter(self) -> None:
        found = self.query("#filter")
        if not (found and found.first().display) and self._cancel_import():
            return
        if found and found.first().display:
            box = found.first()
            box.value = ""
            box.display = False
            self.query_one(LibraryTable).focus()

    def action_export(self) -> None:
        self.app.action_export()

    def action_compare(self) -> None:
        from .compare import open_from_library

        open_from_library(self.app, self.current_id())

    def action_overview(self) -> None:
        from .overview import OverviewScreen

        self.app.push_screen(OverviewScreen())

    def action_import(self) -> None:
        async def chosen(chosen_paths: list[str] | None) -> None:
            if chosen_paths:
                await self.start_import(list(chosen_paths))

        self.app.push_screen(ImportDialog(), chosen)

    # --- importing -------------------------------------------------------------
    def _cancel_import(self) -> bool:
        """Esc while a scan is being recognised: stop the import (the scan stays unimported)."""
        label = self.query("#ocr-progress")
        if not (label and label.first().display):
            return False
        self.workers.cancel_group(self, "import")
        label.first().update(Text("正在取消识别……", style="#ffd75f"))
        return True

    async def start_import(self, paths: list[str]) -> None:
        if self.store.read_only:
            self.app.notify_error("数据库只读，无法导入")
            return
        self._tally = {}
        self._failures = []
        self._last_imported = None
        self.query_one("#import-failures", Static).update("")
        label = await self._lazy("import-count", lambda: Static("", id="import-count", markup=False))
        bar = await self._lazy("import-progress", lambda: ProgressBar(id="import-progress", show_eta=False))
        await self._lazy("ocr-progress", lambda: Static("", id="ocr-progress", markup=False))
        label.display = bar.display = True
        label.update("正在查找报告文件…")
        bar.update(total=None, progress=0)
        self._parse_worker(list(paths))

    @work(thread=True, group="import")
    def _parse_worker(self, paths: list[str]) -> None:
        from textual.worker import get_current_worker

        from parsing import OcrCancelled as Cancelled
        from parsing import ocr_reporting as reporting
        from store import FILE_TIME_BUDGET, parse_one

        worker = get_current_worker()
        files, missing = report_files(paths)
        for path, message in missing:
            self.post_message(self.Failed(path, message))
        self.post_message(self.Progress(0, len(files)))
        for i, f in enumerate(files, 1):

            def pages(done: int, total: int, f=f) -> None:  # a scan being recognised; Esc cancels
                if worker.is_cancelled:
                    raise Cancelled()
                self.post_message(self.Pages(str(f), done, total))

            try:
                if self.store.known_file(f):  # imported before (by content): not parsed (or recognised) again
                    self.post_message(self.Parsed(str(f), None))
                else:  # as `gipr-tui check` reads it: within the same time budget a file
                    with reporting(pages):
                        result = parse_one(str(f), budget=FILE_TIME_BUDGET)
                    if result.message is None:
                        self.post_message(self.Parsed(str(f), result.parsed))
                    else:
                        self.post_message(self.Failed(str(f), result.message))
            except OSError as e:  # unreadable: the operating system's reason, in Chinese
                from ..os_errors import describe

                self.post_message(self.Failed(str(f), describe(e)))
            if worker.is_cancelled:  # the rest is not imported either
                self.post_message(self.Progress(len(files), len(files)))
                return
            self.post_message(self.Progress(i, len(files), f.name))

    def on_library_screen_pages(self, message: Pages) -> None:
        label = self.query("#ocr-progress")
        if not label:
            return
        text = "" if message.done >= message.total else (
            f"正在识别扫描件 {Path(message.path).name}：第 {message.done + 1}/{message.total} 页（Esc 取消）")
        label.first().update(Text(text, style="#ffd75f"))
        label.first().display = bool(text)

    def on_library_screen_parsed(self, message: Parsed) -> None:
        try:
            if message.parsed is None:
                result = self.store.import_file(message.path)
            else:
                result = self.store.import_parsed(message.parsed, message.path)
        except StoreError as e:
            self._fail(message.path, str(e))
            return
        self._tally[result.status] = self._tally.get(result.status, 0) + 1
        self._last_imported = result.report_id
        if result.status == "new_version":
            self.app.say(result.message)

    def on_library_screen_failed(self, message: Failed) -> None:
        self._fail(message.path, message.message)

    def _fail(self, path: str, message: str) -> None:
        """Every file not imported is listed under the table as ``check`` lists it: the path, then why."""
        self._failures.append((path, message))
        self._tally["failed"] = self._tally.get("failed", 0) + 1
        self.app.notify_error(f"{Path(path).name}：{message}")
        t = Text(f"未导入的文件 {len(self._failures)} 个：\n", style="bold #ff5f5f")
        for p, m in self._failures:
            t.append(safe(p), style="bold")
            t.append("\n  无法读取：", style="#ff5f5f")
            t.append(safe(m) + "\n")
        t.rstrip()
        self.query_one("#import-failures", Static).update(t)

    def on_library_screen_progress(self, message: Progress) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        count = self.query_one("#import-count", Static)
        count.update(f"正在导入 {message.done}/{message.total}" + (f"：{message.name}" if message.name else ""))
        if message.done < message.total:
            return
        bar.display = count.display = False
        for label in self.query("#ocr-progress"):
            label.display = False
        self.refresh_reports()
        if self._last_imported:
            self.move_to_report(self._last_imported)
        self.app.import_finished(dict(self._tally))

    def move_to_report(self, report_id: str) -> bool:
        """Put the cursor on a report (after an import: the one just imported)."""
        table = self.query_one(LibraryTable)
        try:
            row = table.get_row_index(report_id)
        except Exception:  # filtered out
            return False
        table.move_cursor(row=row, animate=False)
        return True

    # --- reading again with a newer parser -------------------------------------------
    @dataclass
    class Reparsed(Message):
        report_id: str
        parsed: object = None
        message: str = ""
        done: int = 0
        total: int = 0

    def action_reread(self) -> None:
        """Read again every report an older parser read (a worker parses, the handler writes)."""
        if self.store.read_only:
            self.app.say("只读打开的数据库不能重新读取报告", severity="warning")
            return
        stale = self.store.stale_reports()
        if not stale:
            self.app.say("所有报告都已由当前版本的解析器读取，无需重新读取")
            return
        self._reread_tally = {"reread": 0, "changed": 0, "under": 0, "kept": 0}
        self.app.say(f"正在用新版解析器重新读取 {len(stale)} 份报告…")
        self._reread_worker(stale)

    @work(thread=True, group="reread", exclusive=True)
    def _reread_worker(self, ids: list[str]) -> None:
        from parsing import ParseError, parse_bytes

        for i, rid in enumerate(ids, 1):
            data = self.store.source_bytes(rid)
            if data is None:
                self.post_message(self.Reparsed(rid, None, "no_source", i, len(ids)))
                continue
            try:
                self.post_message(self.Reparsed(rid, parse_bytes(data, name=rid), "", i, len(ids)))
            except ParseError as e:
                self.post_message(self.Reparsed(rid, None, str(e), i, len(ids)))

    def on_library_screen_reparsed(self, message: Reparsed) -> None:
        tally = self._reread_tally
        try:
            if message.parsed is None:
                tally["kept"] += 1
            else:
                result = self.store.reread(message.report_id, parsed=message.parsed)
                tally["reread"] += 1
                tally["changed"] += bool(result.changed)
                tally["under"] += len(result.under_corrections)
        except (StoreError, ValueError) as e:
            tally["kept"] += 1
            self.app.notify_error(str(e))
        if message.done == message.total:
            self.refresh_reports()
            parts = [f"重新读取 {tally['reread']} 份", f"其中 {tally['changed']} 份解析值有变化"]
            if tally["under"]:
                parts.append(f"{tally['under']} 处更正下的解析值变了，请复核")
            if tally["kept"]:
                parts.append(f"{tally['kept']} 份无法重新读取（保留原读取结果）")
            self.app.say("，".join(parts), timeout=10)

    # --- versions ------------------------------------------------------------------
    def action_versions(self) -> None:
        """What changed between the highlighted report and its previous version."""
        from .versions import VersionsDialog, version_chain

        report_id = self.current_id()
        if report_id is None:
            return
        chain = version_chain(self.store, report_id)
        if len(chain) < 2:
            self.app.say("这份报告只有一个版本")
            return
        self.app.push_screen(VersionsDialog(self.store, chain, report_id))


def _row(s) -> list[Text]:
    dim = "dim" if s.superseded else ""
    status = s.status or ""
    return [
        Text(safe(s.organ or "（未识别机关）"), style=dim),
        Text(str(s.year or "-"), style=dim),
        Text(safe(s.format or "-"), style=dim),
        Text(str(s.errors), style=dim or ("bold #ff5f5f" if s.errors else "green"), justify="right"),
        Text(str(s.warnings), style=dim or ("#ffd75f" if s.warnings else ""), justify="right"),
        Text(str(s.corrections), style=dim or ("#5fd7ff" if s.corrections else ""), justify="right"),
        Text(safe(status), style=dim or STATUS_STYLES.get(status, "")),
        Text(f"第 {s.version or 1} 版" + ("（旧）" if s.superseded else ""),
             style=dim or ("#5fd7ff" if (s.version or 1) > 1 else "")),
        Text(safe(Path(s.source_path or "").name), style="dim"),
    ]
