"""Parser accuracy on random balanced reports in every layout (tests/synth).

Not a timing: for each layout, N random reports are parsed and every cell is
classified correct / flagged / SILENT (wrong with no flag). The table is
printed; the benchmark's samples are the per-report % of cells correct, so
the harness's median/min columns read as accuracy (unit "%").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("GIPR_SYNTH_N", "100"))


def _survey_all() -> list[float]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.synth.render import LAYOUTS
    from tests.synth.score import run

    per_report: list[float] = []
    print(f"{'layout':30} {'reports':>7} {'cells':>7} {'correct':>9} {'flagged':>8} {'SILENT':>7}")
    for layout in LAYOUTS:
        counts = {"correct": 0, "flagged": 0, "SILENT": 0}
        for seed in range(N):
            _, s = run(layout, seed)
            for k in counts:
                counts[k] += s.counts[k]
            per_report.append(100.0 * s.counts["correct"] / s.total)
        cells = sum(counts.values())
        print(f"{layout:30} {N:7d} {cells:7d} {100.0 * counts['correct'] / cells:8.2f}% "
              f"{counts['flagged']:8d} {counts['SILENT']:7d}")
    print()
    return per_report


@benchmark("parse.synth_accuracy", unit="%", note=f"per-report % of cells correct over {N} reports a layout "
           "(GIPR_SYNTH_N sets N)")
def synth_accuracy():
    return _survey_all()
