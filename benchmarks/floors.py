"""Floors: work whose speed says how fast *this* machine is, measured in the
same run as the benchmarks, so that a target written as a ratio to a floor
means the same on a laptop, a loaded CI runner or a fast workstation.

- ``lxml``: ``lxml.html.fromstring`` on the 114 KB government page (C code
  walking bytes: the floor for reading text and HTML);
- ``pdfium``: PDFium's own text extraction of the 6-page report PDF, every
  page (the floor for reading PDFs: nothing reads a PDF faster than PDFium
  reads it for itself);
- ``textual``: a bare Textual app started headless and stopped (the floor
  for anything the app shows);
- ``python``: a fixed pure-Python workload (dicts, sorting, string joins:
  the floor for the checks and the store);
- ``process``: a new Python process that does nothing (``python -c pass``:
  the floor for the command line's start-up).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "fixtures" / "html" / "luding-2024-gov-page.html"
PDF_6_PAGES = ROOT / "tests" / "fixtures" / "pdf" / "luding-2024-long.pdf"


def _lxml() -> Callable[[], object]:
    import lxml.html

    data = PAGE.read_bytes()
    return lambda: lxml.html.fromstring(data)


def _pdfium() -> Callable[[], object]:
    import pypdfium2 as pdfium

    data = PDF_6_PAGES.read_bytes()

    def go():
        pdf = pdfium.PdfDocument(data)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
        finally:
            pdf.close()

    return go


def _textual() -> Callable[[], object]:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("政府信息公开工作年度报告")

    async def start_stop():
        async with Bare().run_test(size=(120, 40)) as pilot:
            await pilot.pause()

    return lambda: asyncio.run(start_stop())


def _python() -> Callable[[], object]:
    words = [f"行政规范性文件{i}" for i in range(20_000)]

    def go():
        d = {w: i for i, w in enumerate(words)}
        s = sorted(d, key=lambda w: d[w] % 97)
        return "|".join(s[:5000])

    return go


def _process() -> Callable[[], object]:
    return lambda: subprocess.run([sys.executable, "-c", "pass"], check=False)


FLOORS: dict[str, tuple[Callable[[], Callable[[], object]], int]] = {
    "lxml": (_lxml, 40),
    "pdfium": (_pdfium, 15),
    "textual": (_textual, 5),
    "python": (_python, 40),
    "process": (_process, 10),
}

_measured: dict[str, float] = {}


def floor_seconds(name: str) -> float:
    """The floor's median time in seconds (measured once per run)."""
    if name not in _measured:
        make, repeat = FLOORS[name]
        fn = make()
        fn()  # warm-up
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
        _measured[name] = statistics.median(samples)
    return _measured[name]
