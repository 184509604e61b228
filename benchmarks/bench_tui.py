"""The audit app's speed, measured headless inside the app (``App.run_test``).

- ``tui.edit_to_findings``: from a correction submitted to the findings pane,
  counts and cell styles updated (``AuditScreen.save_correction``, timed in
  the handler: store write, re-check, widget updates), on a report whose
  balance rules break and heal with each edit. Target ≤ 50 ms median.
- ``tui.startup_samples``: from opening the database holding the sample
  reports to the first screen (the library) shown. Target ≤ 1.5 s; the note
  gives the ratio to a minimal Textual app's start-up (target ≤ 2×).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_reports" / "2024-luding-county.txt"
CELL = "requests.new_received.natural_person"
EDITS = 40
STARTS = 7


def _broken_copy(folder: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量 | 31 |", "一、本年新收政府信息公开申请数量 | 32 |")
    out = folder / "luding-broken.txt"
    out.write_text(text, encoding="utf-8")
    return out


@benchmark("tui.edit_to_findings", floor="textual", ratio=0.7, unit="ms", target=50,
           note="edit submitted → findings pane updated, inside the app")
def edit_to_findings():
    from store import AuditStore
    from tui.app import GiprApp

    async def run(store) -> list[float]:
        app = GiprApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            for i in range(EDITS):
                error = screen.save_correction(CELL, 31 if i % 2 == 0 else 32)
                assert error is None, error
                await pilot.pause()
            return list(screen.timings)

    with tempfile.TemporaryDirectory() as d:
        with AuditStore.open(Path(d) / "audit.json", auditor="bench") as store:
            store.import_file(_broken_copy(Path(d)))
            samples = asyncio.run(run(store))
    return samples[2:]  # the first edits warm caches


async def _time_to_first_screen(make_app, ready) -> float:
    started = time.perf_counter()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        while not ready(app):
            await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - started


@benchmark("tui.startup_samples", floor="textual", ratio=5, unit="s", target=1.5,
           note="open the database with the samples → library shown")
def startup_samples():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    from store import AuditStore
    from tui.app import GiprApp
    from tui.screens.library import LibraryScreen

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "audit.json"
        with AuditStore.open(db, auditor="bench") as store:
            store.import_samples()
        stores = []

        def make_gipr():
            stores.append(AuditStore.open(db, auditor="bench"))
            return GiprApp(stores[-1])

        def library_ready(app) -> bool:
            return isinstance(app.screen, LibraryScreen) and app.screen.is_mounted

        asyncio.run(_time_to_first_screen(Minimal, lambda app: app.screen.is_mounted))  # warm imports
        asyncio.run(_time_to_first_screen(make_gipr, library_ready))
        ours, minimal = [], []
        for _ in range(STARTS):
            minimal.append(asyncio.run(_time_to_first_screen(Minimal, lambda app: app.screen.is_mounted)))
            ours.append(asyncio.run(_time_to_first_screen(make_gipr, library_ready)))
            stores[-1].close()
    ratio = statistics.median(ours) / statistics.median(minimal)
    return ours, {"minimal_app_s": round(statistics.median(minimal), 3), "ratio_to_minimal": round(ratio, 2)}
