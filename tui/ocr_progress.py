"""Pages recognised so far, for a scan read by OCR (``parsing.ocr_reporting``):
on a terminal's standard error for ``extract`` and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Callable


def terminal_progress(path, stream=None) -> Callable[[int, int], None] | None:
    """A progress callback writing "正在识别扫描件 NAME：第 d/t 页" on one
    line of ``stream`` (standard error), or None when that is no terminal."""
    out = stream or sys.stderr
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    name = Path(str(path)).name
    last: list[tuple[int, int]] = []

    def show(done: int, total: int) -> None:
        if last and last[-1] == (done, total):
            return
        last.append((done, total))
        if done >= total:
            out.write("\r\x1b[K")
        else:
            out.write(f"\r\x1b[K正在识别扫描件 {name}：第 {done + 1}/{total} 页（Ctrl+C 取消）")
        out.flush()

    return show
