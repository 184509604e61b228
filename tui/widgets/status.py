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
    """``机关 · 年度 · 格式 · 错误 N · 警告 M ｜ 数据库 … ｜ 已保存 hh:mm:ss``.

    ``parts`` are ``(text, style)``, or ``(text, style, level)`` for a part
    that may be dropped (level 2 goes before level 1). When the line is wider
    than the bar it degrades in this order: the database path goes first, then
    the droppable parts, then the first part (the organ) is shortened; the
    error/warning counts and the saved state always stay.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self._parts: list[tuple] = []
        self._db: str = ""
        self._saved: str = ""

    def show(self, *, parts: list[tuple], db: Path | str, saved: str) -> None:
        self._parts, self._db, self._saved = list(parts), display_path(db), saved
        self._refresh_line()

    def on_resize(self, event) -> None:
        self._refresh_line()

    def _refresh_line(self) -> None:
        width = self.content_size.width or self.app.size.width - 2
        self.update(fit_line(self._parts, self._db, self._saved, width))


def _line(parts: list[tuple], db: str | None, saved: str) -> Text:
    t = Text()
    for i, (text, style, *_) in enumerate(parts):
        if i:
            t.append("  ")
        t.append(text, style=style)
    if db is not None:
        t.append("  ｜ 数据库 ", style="dim")
        t.append(db)
    t.append("  ｜ ", style="dim")
    t.append(saved, style="green")
    return t


def _level(part: tuple) -> int:
    return part[2] if len(part) > 2 else 0


def fit_line(parts: list[tuple], db: str, saved: str, width: int) -> Text:
    """The status line that fits ``width`` cells, dropping the least useful pieces first:
    the database path, then the parts of the highest drop level, then the next level;
    then the first part (the organ) is shortened."""
    candidates = [_line(parts, db, saved)]
    for level in sorted({_level(p) for p in parts if _level(p)}, reverse=True):
        candidates.append(_line([p for p in parts if not 0 < level <= _level(p)], None, saved))
    candidates.insert(1, _line(parts, None, saved))
    for line in candidates:
        if line.cell_len <= width:
            return line
    kept = [p for p in parts if not _level(p)]
    head, rest = (kept[0], kept[1:]) if kept else (("", ""), [])
    tail = _line([("", "")] + rest, None, saved)
    room = max(width - tail.cell_len, 0)
    text = head[0]
    if Text(text).cell_len > room:
        shortened = Text(text)
        shortened.truncate(max(room - 1, 0))
        text = shortened.plain + ("⋯" if room else "")  # ⋯: not East-Asian ambiguous width
    line = Text(text, style=head[1]) + tail
    line.truncate(width)
    return line


class ReadOnlyBanner(Static):
    DEFAULT_CSS = """
    ReadOnlyBanner { height: auto; background: $error; color: $text; padding: 0 1; text-style: bold; }
    """

    def __init__(self, holder, **kwargs) -> None:
        who = describe_holder(holder)
        who = f"（{who}）" if who else ""
        super().__init__(
            f"只读：数据库正被另一个 gipr-tui 使用{who}，此处的更正、备注和审核不会保存。请关闭另一个窗口后重新打开。",
            markup=False,
            **kwargs,
        )


def describe_holder(holder) -> str:
    """Who holds the database, in words (``pid 123，主机 x，自 …``): never a Python repr."""
    if holder is None:
        return ""
    if isinstance(holder, str):
        return holder
    describe = getattr(holder, "describe", None)
    if callable(describe):
        return str(describe())
    return ""
