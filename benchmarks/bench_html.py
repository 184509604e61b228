"""Reading a ~100 KB government web page (tests/fixtures/html/luding-2024-gov-page.html:
navigation, scripts, footer and the report's three tables)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import lxml.html

from parsing.api import parse_bytes
from parsing.readers.decode import decode_text
from parsing.readers.html import read_html

from .harness import benchmark

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "html" / "luding-2024-gov-page.html"
_BASELINE_RUNS = 60


def _ratios(func, baseline, runs: int = _BASELINE_RUNS) -> dict:
    """func's time over baseline's, timed alternately so that load on the
    machine weighs on both alike: of the minima (the work itself, least
    disturbed by other processes) and of the medians."""
    func(), baseline()
    ours, theirs = [], []
    for _ in range(runs):
        for fn, samples in ((func, ours), (baseline, theirs)):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
    return {
        "ratio_to_lxml": round(min(ours) / min(theirs), 2),
        "ratio_medians": round(statistics.median(ours) / statistics.median(theirs), 2),
    }


@benchmark("html.read_100kb", floor="lxml", ratio=4, repeat=30, unit="ms", target=20,
           note="decode + read_html on a 114 KB page; ratio_to_lxml = this / lxml.html.fromstring(bytes), best runs (target ≤ 3)")
def read_100kb():
    data = PAGE.read_bytes()

    def go():
        read_html(decode_text(data))

    return go, {**_ratios(go, lambda: lxml.html.fromstring(data)), "kb": len(data) // 1024}


@benchmark("html.parse_bytes_100kb", floor="lxml", ratio=10, repeat=20, unit="ms", target=20,
           note="full parse_bytes (sniff, decode, read, assemble, meta) on the same page")
def parse_bytes_100kb():
    data = PAGE.read_bytes()
    return lambda: parse_bytes(data, name=str(PAGE))
