"""Both readings of a PDF against PDFium's text extraction alone (issue 11).

The reader reads every PDF twice (text-page order and geometry) and compares
the two readings cell by cell. Its cost is measured as a ratio to the
cheapest thing any PDF tool does, PDFium extracting the text of the same file
(open, every page's text page, close), both timed in the same run, pair by
pair, so the machine's speed cancels out. Samples are the ratio × 100 (unit
"%": 300 = three times as long). Files: the 6-page report (LibreOffice) and
the real 5-page WPS export.
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


@benchmark("pdf.readings_vs_pdfium_6_pages", unit="%", target=300,
           note="parse_bytes (both readings compared, assembled) / PDFium text extraction, same 6-page PDF, ×100")
def readings_vs_pdfium_6_pages():
    return _ratios(PDF_6_PAGES)


@benchmark("pdf.readings_vs_pdfium_wps", unit="%", target=300,
           note="the same ratio on the real WPS export (5 pages)")
def readings_vs_pdfium_wps():
    return _ratios(WPS)
