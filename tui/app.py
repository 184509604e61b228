"""The Textual audit app: library → audit screen, dialogs, help, command palette.

``GiprApp`` gets an open ``AuditStore`` (``cmd_app.run`` opens it before Textual
starts, so a database that cannot be used is one line on stderr) and the paths
to import once it is up. Everything shown is read from the store; every
correction, note and review is written to it the moment it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from textual import work
from textual.app import App
from textual.message import Message

from . import keys
from .commands import BindingCommands, GiprPalette, system_commands
from .safe_text import safe

IMPORT_STATUS_NAMES = {"new": "新增", "unchanged": "未变", "new_version": "新版本", "repaired": "已修复", "failed": "失败"}


class GiprApp(App):
    TITLE = "gipr-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = keys.APP
    COMMANDS = App.COMMANDS | {BindingCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    @dataclass
    class Exported(Message):
        path: str
        error: str | None

    def __init__(self, store, import_paths: list[str] | None = None, require_reason: bool = False) -> None:
        super().__init__()
        self.store = store
        self._require_reason_flag = require_reason  # --require-reason: this run only
        self.import_paths = list(import_paths or [])
        self._open_after_import = False

    @property
    def require_reason(self) -> bool:
        """Whether corrections, confirmations and waivers need a reason: --require-reason, or the database's setting."""
        if self._require_reason_flag:
            return True
        try:
            return bool(self.store.setting("require_reason", False))
        except Exception:  # an older store without settings: the flag alone decides
            return False

    def action_toggle_require_reason(self) -> None:
        if self._require_reason_flag:
            self.say("本次运行使用了 --require-reason：理由始终必填")
            return
        try:
            self.store.set_setting("require_reason", not self.require_reason)
        except Exception as e:
            self.notify_error(f"无法保存设置：{e}")
            return
        self.say("已设置：更正、还原、确认和豁免必须填写理由" if self.require_reason else "已设置：理由可不填（豁免仍须写明理由）")

    def get_system_commands(self, screen):
        yield from system_commands(self, screen)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not GiprPalette.is_open(self):
            self.push_screen(GiprPalette(id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's "Do you want to quit?"), in Chinese."""
        self.notify("按 q 或 Ctrl+Q 退出 gipr-tui（更改都已保存）", title="要退出吗？", markup=False)

    def get_default_screen(self):
        """The library is the bottom screen; a report opens on top of it."""
        from .screens.library import LibraryScreen

        return LibraryScreen(self.import_paths)

    def on_mount(self) -> None:
        self._open_after_import = bool(self.import_paths)
        if not self.import_paths:
            self.open_single_report()

    def current_reports(self) -> list:
        return [s for s in self.store.list_reports() if not s.superseded]

    def open_single_report(self) -> None:
        """With exactly one (current) report in the database, go straight to it."""
        reports = self.current_reports()
        if len(reports) == 1:
            self.open_report(reports[0].id)

    def open_report(self, report_id: str) -> None:
        from .screens.audit import AuditScreen

        self.reread_if_stale(report_id)
        self.push_screen(AuditScreen(report_id))

    def reread_if_stale(self, report_id: str) -> None:
        """A report read by an older parser is read again before it is shown
        (corrections, reviews and notes kept; what changed goes to the log)."""
        from store import StoreError

        try:
            if self.store.read_only or not self.store.is_stale(report_id):
                return
            prov = (self.store.get(report_id).parsed_report.get("provenance") or {}).values()
            if any(isinstance(p, dict) and "confidence" in p for p in prov):
                # a scan: reading it again means OCR (seconds a page), never on the screen's thread
                self.say("解析器已更新：这份扫描件可在报告列表中按 R 在后台重新识别（更正保留）", timeout=8)
                return
            result = self.store.reread(report_id)
        except StoreError as e:
            self.notify_error(str(e))
            return
        if result.status == "reread":
            extra = f"，其中 {len(result.under_corrections)} 处已有更正，请复核" if result.under_corrections else ""
            self.say(f"解析器已更新：已按原文件重新读取本报告，{len(result.changed)} 个单元格的解析值有变化{extra}（详见备注）",
                     timeout=8)
        elif result.status in ("no_source", "failed"):
            self.say(result.message, severity="warning", timeout=10)

    def import_finished(self, tally: dict[str, int]) -> None:
        summary = "，".join(f"{IMPORT_STATUS_NAMES.get(k, k)} {v}" for k, v in tally.items() if v)
        self.say(f"导入完成：{summary or '没有找到报告文件'}")
        if self._open_after_import:
            self._open_after_import = False
            self.open_single_report()

    # --- messages to the auditor: never markup -------------------------------------------
    def say(self, message: str, *, severity: str = "information", timeout: float | None = None) -> None:
        from .os_errors import localise

        self.notify(safe(localise(" ".join(str(message).split("\n")))), severity=severity, timeout=timeout, markup=False)

    def notify_error(self, message: str) -> None:
        self.say(message, severity="error", timeout=10)

    # --- app-wide actions ------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_export(self, report_id: str | None = None) -> None:
        """The export dialog: every report, or with ``report_id`` that report only."""
        from .screens.dialogs import ExportDialog

        report = next((s for s in self.store.list_reports() if s.id == report_id), None) if report_id else None

        def chosen(answer) -> None:
            if answer:
                fmt, path = answer
                self._show_working(f"正在导出到 {safe(path)}")
                self._export_worker(fmt, path, report_id)

        self.push_screen(ExportDialog(report), chosen)

    @work(thread=True, group="export", exclusive=True)
    def _export_worker(self, fmt: str, path: str, report_id: str | None = None) -> None:
        error = None
        try:
            from pathlib import Path

            from store import export_folder

            if Path(path).parent == export_folder():  # the default folder is made on first use
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            path = str(self.store.export_to(path, fmt, report=report_id))
        except Exception as e:  # any failure is a message for the auditor, not a traceback
            from .os_errors import describe

            error = f"导出失败：{describe(e)}"
        self.post_message(self.Exported(path, error))

    def _show_working(self, text: str) -> None:
        """A working indicator (spinner and what is being done) at the bottom of the current screen."""
        from .widgets.working import Working

        self._hide_working()
        self.screen.mount(Working(text, id="working"))

    def _hide_working(self) -> None:
        for screen in self.screen_stack:
            for widget in screen.query("#working"):
                widget.remove()

    def on_gipr_app_exported(self, message: Exported) -> None:
        self._hide_working()
        if message.error:
            self.notify_error(message.error)
        else:
            self.say(f"审核记录已导出：{message.path}")
