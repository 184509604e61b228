"""The overview sheet at scale (issue 14), inside the app (``App.run_test``).

- ``overview.open_sort_2000``: in a database of 2,000 reports (the samples
  parsed for real, disguised as ~670 organs over three years), from opening
  the overview sheet to the sheet shown and sorted by 行政许可, then sorted
  again (reversed), every row in the table and painted. Target ≤ 1 s median (a
  ratio to the bare Textual app floor); the note gives the ratio to listing the
  library (``LibraryScreen.refresh_reports``, all 2,000 rows) in the same app,
  and the first opening after the import (the figures not cached yet).
- ``overview.compare_pair``: the comparison of two consecutive reports
  (``checks.compare.compare_reports``, tables and text reuse), in ms.
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import hashlib
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
N = 2000
OPENS = 7
_TMP = Path(tempfile.mkdtemp(prefix="gipr-bench-overview-"))
atexit.register(shutil.rmtree, _TMP, True)


def build_db(n: int = N) -> Path:
    from parsing import ParsedReport, parse_file
    from store import AuditStore

    path = _TMP / f"audit-{n}.json"
    if path.exists():
        return path
    samples = [parse_file(p) for p in sorted((ROOT / "sample_reports").glob("*.txt"))]
    with AuditStore.open(path, auditor="bench") as s, s.batch():
        for i in range(n):
            base = samples[i % len(samples)]
            report = copy.deepcopy(base.report)
            meta = report["meta"]
            meta["organ"] = f"{meta.get('organ') or '机关'}{i // 3}"
            meta["year"] = 2022 + i % 3
            report["source"]["sha256"] = hashlib.sha256(f"{i}|{report['source']['sha256']}".encode()).hexdigest()
            s.import_parsed(ParsedReport(report, base.text), f"/bench/{i}/report.txt")
        s.list_reports()  # fills the cached counts, as after using the app
    return path


@benchmark("overview.open_sort_2000", floor="textual", ratio=20, repeat=1, unit="s", target=1.0,
           note="open the overview sheet of 2,000 reports and sort it twice, inside the app")
def open_sort_2000():
    from store import AuditStore
    from tui.app import GiprApp
    from tui.screens.library import LibraryScreen
    from tui.screens.overview import OverviewScreen

    path = build_db()

    async def run(store):
        app = GiprApp(store)
        overview_times, library_times = [], []
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, LibraryScreen):
                await pilot.pause()
            await pilot.pause()
            library = app.screen
            first = None
            for _ in range(OPENS + 1):
                t0 = time.perf_counter()
                library.refresh_reports()
                await pilot.pause()
                library_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                screen = OverviewScreen()
                await app.push_screen(screen)
                await pilot.pause()
                assert len(screen.shown) == N
                screen.sort_by("licensing")
                screen.sort_by("licensing")
                await pilot.pause()
                elapsed = time.perf_counter() - t0
                assert screen.query_one("#overview-table").row_count == N
                if first is None:
                    first = elapsed
                else:
                    overview_times.append(elapsed)
                app.pop_screen()
                await pilot.pause()
        return overview_times, library_times[1:], first

    with AuditStore.open(path, auditor="bench") as store:
        ours, library, first = asyncio.run(run(store))
    ratio = statistics.median(ours) / statistics.median(library)
    return ours, {"reports": N, "library_list_s": round(statistics.median(library), 3),
                  "ratio_to_library": round(ratio, 2), "first_open_s": round(first, 3)}


@benchmark("overview.compare_pair", repeat=20, unit="ms", note="compare_reports on two consecutive years (luding fixtures)")
def compare_pair():
    from checks.compare import compare_reports
    from parsing import parse_file

    series = ROOT / "tests" / "fixtures" / "compare"
    a, b = (parse_file(series / f"luding-{y}.txt") for y in (2023, 2024))
    return lambda: compare_reports((a.report, a.text), (b.report, b.text))
