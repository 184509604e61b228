"""Both readings of a PDF against PDFium's text extraction alone (issue 11).

The reader reads every PDF twice (text-page order and geometry) and compares
the two readings cell by cell. Its cost is judged as a ratio to the cheapest
thing any PDF tool does, PDFium extracting the text of the same file (open,
every page's text page, close), measured in the same run: target ≤ 3×.

- ``pdf.both_readings_6_pages``: the 6-page report against the ``pdfium``
  floor (``benchmarks/floors.py``: the same file's text extraction);
- ``pdf.both_readings_vs_pdfium_wps``: the real 5-page WPS export, timed pair
  by pair against PDFium's extraction of that same file (samples: the ratio
  × 100, unit "%": 300 = three times as long).
"""

from __future__ import annotations

import time
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
PDF_6_PAGES = ROOT / "tests" / "fixtures" / "pdf" / "luding-2024-long.pdf"
WPS = ROOT / "tests" / "fixtures" / "pdf" / "hongze-2023-wps-export.pdf"
PAIRS = 15


def _pdfium_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "".join(out)
    finally:
        pdf.close()


def _ratios(path: Path) -> tuple[list[float], dict]:
    from parsing import parse_bytes

    data = path.read_bytes()
    parse_bytes(data, name=path.name)  # warm-up (imports, caches)
    _pdfium_text(data)
    ratios, both, alone = [], [], []
    for _ in range(PAIRS):
        t0 = time.perf_counter()
        _pdfium_text(data)
        t1 = time.perf_counter()
        parse_bytes(data, name=path.name)
        t2 = time.perf_counter()
        alone.append(t1 - t0)
        both.append(t2 - t1)
        ratios.append(100.0 * (t2 - t1) / (t1 - t0))
    both.sort()
    alone.sort()
    extra = {"both_readings_ms": round(1000 * both[len(both) // 2], 1), "pdfium_text_ms": round(1000 * alone[len(alone) // 2], 1)}
    return ratios, extra


@benchmark("pdf.both_readings_6_pages", floor="pdfium", ratio=3, repeat=15, unit="ms",
           note="parse_bytes: both readings, compared and assembled, on the 6-page PDF")
def both_readings_6_pages():
    from parsing import parse_bytes

    data = PDF_6_PAGES.read_bytes()
    return lambda: parse_bytes(data, name=PDF_6_PAGES.name)


@benchmark("pdf.both_readings_vs_pdfium_wps", unit="%", target=300,
           note="parse_bytes / PDFium text extraction of the same real WPS export, pair by pair, ×100")
def both_readings_vs_pdfium_wps():
    return _ratios(WPS)
