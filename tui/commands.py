"""The command palette (Ctrl+P): every described key binding of the current
screen and of the app, by its Chinese name (and its key)."""

from __future__ import annotations

from functools import partial
from collections.abc import Iterable

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from . import keys


class BindingCommands(Provider):
    def _commands(self):
        """(name, help, callback) for the screen's and the app's described bindings."""
        screen = self.screen
        sources = [(screen, getattr(type(screen), "BINDINGS", [])), (self.app, type(self.app).BINDINGS)]
        seen = set()
        for node, bindings in sources:
            for b in keys.described(b for b in bindings if hasattr(b, "action")):
                action = b.action.removeprefix("app.")
                if action in seen:
                    continue
                seen.add(action)
                yield keys.long_description(b), f"按键 {keys.key_label(b)}", partial(self.app.run_action, b.action, node)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class GiprPalette(CommandPalette):
    """Textual's command palette, in Chinese (its placeholder and its "no matches" line)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("placeholder", "搜索命令…（输入命令名称或按键）")
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text("没有匹配的命令", style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


def system_commands(app, screen) -> Iterable[SystemCommand]:
    """Textual's own palette commands, named in Chinese (the screenshot one is left out:
    it would write a file into the current folder without asking)."""
    yield SystemCommand("更换配色主题", "选择界面的配色主题", app.action_change_theme)
    yield SystemCommand("退出", "退出 gipr-tui（所有更改都已保存）", app.action_quit)
    yield SystemCommand("帮助：全部按键与校验规则", "打开帮助页（F1）", app.action_help)
    state = "开" if app.require_reason else "关"
    yield SystemCommand(f"设置：更正、还原和审核必须填写理由（当前：{state}）", "保存在审核数据库中，对所有审核人生效",
                        app.action_toggle_require_reason)
    if screen.maximized is not None:
        yield SystemCommand("还原窗格", "把最大化的窗格还原为正常大小", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand("最大化当前窗格", "让有焦点的窗格占满屏幕（Esc 还原）", screen.action_maximize)
