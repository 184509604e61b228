"""Scanned reports (OCR): speed and memory on a 6-page scan beside the
text-layer time of the same report, and accuracy on scan-like renders of the
real report in ../shared/corpus.

- ``ocr.scan_6_pages``: ``tests/fixtures/pdf/luding-2024-long.pdf`` (6 pages)
  rendered as a 200 dpi grey scan (rotated 0.7°, speckle, blur), read by
  ``parse_bytes`` in a fresh process (engine start-up included): seconds per
  page, with the process's peak memory (``peak_mb``) and the text-layer
  parse of the same PDF (``text_layer_ms``) in the note.
- ``ocr.hongze_variants``: every variant of ``make_scans.VARIANTS`` (150-300
  dpi, ±1°): % of the hand-checked cells right (the samples), SILENT cells
  in the note (must be 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
LONG = ROOT / "tests" / "fixtures" / "pdf" / "luding-2024-long.pdf"
SCANS = ROOT / "tests" / "fixtures" / "scans"

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from parsing import parse_bytes
data = open(sys.argv[1], "rb").read()
t0 = time.perf_counter()
parsed = parse_bytes(data, name="scan.pdf")
took = time.perf_counter() - t0
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": took, "peak_mb": round(use.ru_maxrss / 1024), "pages": len(parsed.pages),
                  "cpu_s": round(use.ru_utime + use.ru_stime, 1)}))
"""


def _ocr_ready() -> bool:
    from parsing.readers import ocr

    return ocr.available()


@benchmark("ocr.scan_6_pages", repeat=1, unit="s", note="seconds per page, a 6-page 200 dpi scan (fresh process)")
def scan_6_pages():
    if not _ocr_ready():
        raise RuntimeError("the ocr extra is not installed (pip install -e '.[ocr]')")
    sys.path.insert(0, str(SCANS))
    from make_scans import Variant, image_pdf, scan_pages

    from parsing import parse_bytes

    text_pdf = LONG.read_bytes()
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        parse_bytes(text_pdf, name=str(LONG))
        runs.append(time.perf_counter() - t0)
    text_ms = sorted(runs)[len(runs) // 2] * 1000
    v = Variant("bench", dpi=200, angle=0.7, speckle=0.0006, blur=0.6, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        scan.write_bytes(image_pdf(scan_pages(text_pdf, v), v.dpi, quality=75))
        env = {**os.environ, "ORT_DISABLE_TELEMETRY": "1"}
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(scan), str(ROOT)], capture_output=True, text=True,
                              env=env, timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-300:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    per_page = r["seconds"] / max(1, r["pages"])
    extra = {"pages": r["pages"], "total_s": round(r["seconds"], 1), "cpu_s": r["cpu_s"], "peak_mb": r["peak_mb"],
             "text_layer_ms": round(text_ms, 1)}
    return [per_page], extra


@benchmark("ocr.hongze_variants", repeat=1, unit="%", note="% cells right on scan-like renders of the real report")
def hongze_variants():
    if not _ocr_ready():
        raise RuntimeError("the ocr extra is not installed (pip install -e '.[ocr]')")
    from . import ocr_scans

    if ocr_scans.shared() is None:
        raise RuntimeError("../shared/corpus is not here")
    from make_scans import VARIANTS

    pdf, truth = ocr_scans.hongze()
    samples, silent, parts = [], 0, []
    for v in VARIANTS:
        report, took = ocr_scans.run_variant(v, pdf)
        r = ocr_scans.score(report, truth)
        pct = 100.0 * r["ok"] / r["total"]
        samples.append(pct)
        silent += r["SILENT"]
        m = report["meta"]
        parts.append(f"{v.name}:{pct:.1f}%/{r['flagged']}flagged/{m.get('organ')}/{m.get('year')}/{took:.0f}s")
        print(f"  {v.name:22} {pct:6.2f}% right, {r['flagged']} flagged, {r['SILENT']} SILENT, "
              f"{m.get('organ')} {m.get('year')}, {took:.0f} s")
    return samples, {"SILENT": silent, "variants": " ".join(parts)}
