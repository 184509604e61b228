"""Speed of format detection, metadata, sections and classification (parsing/meta*.py).

These run on every parse, so each should take a fraction of a millisecond on a
sample, and stay linear on a 100 KB single-line (crawler) text.
"""

from __future__ import annotations

from pathlib import Path

from parsing.meta import metadata as meta
from parsing.model.document import Document

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "sample_reports" / "2024-linzi-jixia-street.txt").read_text(encoding="utf-8")
CRAWLER = (ROOT / "tests" / "fixtures" / "corpus" / "pingtan-2023-crawler-glued.txt").read_text(encoding="utf-8")


def _all_meta(text: str):
    doc = Document(text=text)

    def go():
        fmt = meta.detect_format(text)
        meta.classify(doc, fmt, 100)
        meta.extract_meta(doc, fmt)
        meta.find_sections(text)

    return go


@benchmark("meta.all_on_sample", floor="python", ratio=0.25, repeat=200, unit="ms", target=1.0,
           note="detect_format + classify + extract_meta + find_sections, linzi sample (7.6 KB)")
def all_on_sample():
    return _all_meta(SAMPLE)


@benchmark("meta.detect_format_sample", floor="python", ratio=0.045, repeat=500, unit="us", target=200, note="linzi sample")
def detect_format_sample():
    return lambda: meta.detect_format(SAMPLE)


@benchmark("meta.find_sections_sample", floor="python", ratio=0.07, repeat=500, unit="us", target=300, note="linzi sample")
def find_sections_sample():
    return lambda: meta.find_sections(SAMPLE)


@benchmark("meta.all_on_100kb_crawler_line", floor="python", ratio=4.5, repeat=20, unit="ms", target=20,
           note="the pingtan crawler text with newlines removed, repeated to 100 KB on one line")
def all_on_100kb_line():
    line = CRAWLER.replace("\n", "")
    return _all_meta((line * (100_000 // len(line) + 1))[:100_000])


@benchmark("meta.all_on_100kb_markerless", floor="python", ratio=4.5, repeat=20, unit="ms", target=20,
           note="100 KB of Chinese text with no marker at all (every search scans to the end)")
def all_on_100kb_markerless():
    text = ("本单位认真贯彻落实各项工作要求，" * 7000)[:100_000]
    doc = Document(text=text)

    def go():
        fmt = meta.detect_format(text)
        meta.extract_meta(doc, fmt)
        meta.find_sections(text)

    return go
