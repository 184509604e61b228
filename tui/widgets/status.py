"""The one-line status bar at the top of a screen, and the read-only banner."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.widgets import Static


def display_path(path: Path | str) -> str:
    """The path as short as it is unambiguous: relative under the working folder, ~ under home."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        pass
    home = str(Path.home())
    s = str(p)
    return "~" + s[len(home):] if s.startswith(home + os.sep) else s


class StatusBar(Static):
    """``机关 · 年度 · 格式 · 错误 N · 警告 M ｜ 数据库 … ｜ 已保存 hh:mm:ss``."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def show(self, *, parts: list[tuple[str, str]], db: Path | str, saved: str) -> None:
        t = Text()
        for i, (text, style) in enumerate(parts):
            if i:
                t.append("  ")
            t.append(text, style=style)
        t.append("  ｜ 数据库 ", style="dim")
        t.append(display_path(db))
        t.append("  ｜ ", style="dim")
        t.append(saved, style="green")
        self.update(t)


class ReadOnlyBanner(Static):
    DEFAULT_CSS = """
    ReadOnlyBanner { height: auto; background: $error; color: $text; padding: 0 1; text-style: bold; }
    """

    def __init__(self, holder: str | None, **kwargs) -> None:
        who = f"（{holder}）" if holder else ""
        super().__init__(
            f"只读：数据库正被另一个 gipr-tui 使用{who}，此处的更正、备注和审核不会保存。请关闭另一个窗口后重新打开。",
            markup=False,
            **kwargs,
        )
