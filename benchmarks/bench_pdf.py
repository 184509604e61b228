"""PDF and Word reading speed: a 6-page report PDF (tables over a page break)
through the reader alone and through the whole parser."""

from __future__ import annotations

from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
PDF_6_PAGES = ROOT / "tests" / "fixtures" / "pdf" / "luding-2024-long.pdf"
DOCX = ROOT / "tests" / "fixtures" / "docx" / "luding-2024.docx"


@benchmark("pdf.parse_6_pages", floor="pdfium", ratio=8, repeat=15, unit="ms", target=300, note="read_pdf on a 6-page report PDF")
def parse_6_pages():
    from parsing.readers.pdf import read_pdf

    data = PDF_6_PAGES.read_bytes()
    return lambda: read_pdf(data)


@benchmark("pdf.parse_bytes_6_pages", floor="pdfium", ratio=8, repeat=15, unit="ms", target=300, note="parse_bytes (reader + assembler + meta) on the 6-page PDF")
def parse_bytes_6_pages():
    from parsing import parse_bytes

    data = PDF_6_PAGES.read_bytes()
    return lambda: parse_bytes(data, name=str(PDF_6_PAGES))


@benchmark("docx.parse_bytes", floor="lxml", ratio=20, repeat=20, unit="ms", note="parse_bytes on the sample-derived .docx")
def docx_parse_bytes():
    from parsing import parse_bytes

    data = DOCX.read_bytes()
    return lambda: parse_bytes(data, name=str(DOCX))
