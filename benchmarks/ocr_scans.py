"""Scan-like renders of the real report in ../shared/corpus, read by OCR and
scored cell by cell against its hand-checked truth (the same truth and the same
rules as ../shared/tools/score_extraction.py: correct / flagged / SILENT).

    .venv/bin/python -m benchmarks.ocr_scans          # every variant, a table
    .venv/bin/python -m benchmarks.ocr_scans -v       # and every cell not correct
    .venv/bin/python -m benchmarks.ocr_scans --all    # also the sample-made PDFs of tests/fixtures/pdf
    .venv/bin/python -m benchmarks.ocr_scans --samples  # only those

Used by ``bench_ocr`` (``make bench``) and the OCR tests.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "scans"))


def shared() -> Path | None:
    for p in (ROOT.parent / "shared", Path("/work/shared")):
        if (p / "corpus").is_dir():
            return p
    return None


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", shared() / "tools" / "score_extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(report: dict, truth: dict) -> dict:
    """Counts of correct / flagged / SILENT cells, and the cells not correct."""
    s = _scorer()
    got, fl = dict(s.cells(report)), s.flagged(report)
    damaged, skip = set(truth.get("damaged") or []), set(truth.get("skip") or [])
    out = {"ok": 0, "flagged": 0, "SILENT": 0, "bad": []}
    for path, want in s.cells(truth):
        if path in skip:
            continue
        have = got.get(path)
        if (path in got and s.norm(have) == s.norm(want)) or (path in damaged and have is None):
            out["ok"] += 1
            continue
        kind = "flagged" if path in fl else "SILENT"
        out[kind] += 1
        out["bad"].append((kind, path, want, have))
    out["total"] = out["ok"] + out["flagged"] + out["SILENT"]
    return out


def hongze() -> tuple[Path, dict]:
    base = shared() / "corpus" / "hongze-2023-wps-export"
    return base.with_suffix(".pdf"), json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))


def run_variant(v, pdf: Path) -> tuple[dict, float]:
    """The report parsed from the scan-like render ``v`` of ``pdf``, and the seconds it took."""
    from make_scans import image_pdf, scan_pages

    from parsing import parse_bytes
    from checks import run_checks

    data = image_pdf(scan_pages(pdf, v), v.dpi, quality=75)
    t0 = time.perf_counter()
    parsed = parse_bytes(data, name=f"{pdf.stem}-{v.name}.pdf")
    took = time.perf_counter() - t0
    report = dict(parsed.report)
    report["findings"] = run_checks(report, parsed.text)
    return report, took


def samples() -> list[tuple[Path, dict]]:
    """The sample-made PDFs (tests/fixtures/pdf) with the hand-checked values of the sample they were made from."""
    truth = json.loads((ROOT / "tests" / "fixtures" / "golden" / "2024-luding-county.json").read_text(encoding="utf-8"))
    pdfs = ROOT / "tests" / "fixtures" / "pdf"
    return [(pdfs / "luding-2024.pdf", truth), (pdfs / "luding-2024-no-borders.pdf", truth)]


def main(argv: list[str]) -> int:
    from make_scans import VARIANTS

    verbose = "-v" in argv
    docs = ([] if "--samples" in argv else [hongze()]) + (samples() if "--all" in argv or "--samples" in argv else [])
    print(f"{'document':32} {'variant':20} {'cells':>6} {'correct':>8} {'flagged':>8} {'SILENT':>7}  organ / year  s")
    for pdf, truth in docs:
        for v in VARIANTS:
            report, took = run_variant(v, pdf)
            r = score(report, truth)
            m = report["meta"]
            print(f"{pdf.name:32} {v.name:20} {r['total']:6} {100 * r['ok'] / r['total']:7.2f}% {r['flagged']:8} "
                  f"{r['SILENT']:7}  {m.get('organ')} {m.get('year')}  {took:.0f}", flush=True)
            if verbose:
                for kind, path, want, have in r["bad"]:
                    print(f"    {kind:8} {path}: truth {want!r}, read {have!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
