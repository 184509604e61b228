"""Fixtures for the app's tests: a real audit database in tmp_path, the real
parser and checks, and helpers to drive the app headless (Textual's pilot)."""

from __future__ import annotations

import asyncio
import csv
import functools
import io
from pathlib import Path

import pytest

from parsing import parse_file
from parsing.model.schema import cell_paths, get_cell
from store import AuditStore
from tests.conftest import SAMPLE_NAMES, sample_path
from tui.app import GiprApp

SIZE = (120, 40)
BROKEN_CELL = "requests.new_received.natural_person"  # 31 in the source; the broken copy says 32


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "audit.json"


@pytest.fixture
def store(db_path):
    s = AuditStore.open(db_path)
    yield s
    s.close()


def reopen(db_path: Path) -> AuditStore:
    return AuditStore.open(db_path)


def write_broken_luding(folder: Path) -> Path:
    """The luding sample with one requests cell changed (31 → 32): balance rules fail."""
    text = sample_path("2024-luding-county").read_text(encoding="utf-8")
    old = "一、本年新收政府信息公开申请数量 | 31 |"
    assert old in text
    out = folder / "luding-broken.txt"
    out.write_text(text.replace(old, "一、本年新收政府信息公开申请数量 | 32 |"), encoding="utf-8")
    return out


def has_values(path: Path) -> bool:
    """Whether the parser reads any cell of this report (else the loop tests cannot run)."""
    report = parse_file(path).report
    fmt = (report.get("meta") or {}).get("format")
    return any(get_cell(report, p) is not None for p in cell_paths(fmt))


def import_one(store, path: Path) -> str:
    return store.import_file(path).report_id


def export_rows(store) -> list[dict]:
    """The CSV export's rows keyed by the machine names (kind, cell, before, after, text …)."""
    from store.export import CSV_FIELDS

    text = store.export("csv").lstrip("\ufeff")
    return [{key: row[header] for header, key in CSV_FIELDS} for row in csv.DictReader(io.StringIO(text))]


def make_app(store, **kwargs) -> GiprApp:
    return GiprApp(store, **kwargs)


def run_async(test):
    """Run an async test function to completion (no asyncio pytest plugin is installed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot, times: int = 1) -> None:
    for _ in range(times):
        await pilot.pause()


async def open_editor(pilot, path: str):
    """Put the cursor on the cell ``path`` and press e: the edit dialog for that cell."""
    from tui.screens.edit import EditDialog

    assert pilot.app.screen.tables.move_to(path, focus=True)
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, EditDialog) and dialog.info.path == path
    return dialog


__all__ = [
    "SAMPLE_NAMES", "SIZE", "BROKEN_CELL", "reopen", "write_broken_luding", "has_values", "import_one",
    "export_rows", "make_app", "settle", "open_editor", "run_async", "sample_path",
]
