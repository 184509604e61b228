"""Snapshots of the four screens at 120×40 (``make snapshot-update`` to
regenerate after a deliberate UI change; look at the SVGs before committing).

Deterministic: the database is opened by a relative name from a fixed working
folder (the header shows ``audit.json``), no clock is shown, no cursor blinks."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from store import AuditStore
from tui.app import GiprApp

from .conftest import SIZE, write_broken_luding


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def samples_store(here):
    s = AuditStore.open("audit.json", auditor="tester")
    s.import_samples()
    yield s
    s.close()


@pytest.fixture
def broken_store(here):
    s = AuditStore.open("audit.json", auditor="tester")
    s.import_file(write_broken_luding(here))
    yield s
    s.close()


async def _no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_library_snapshot(samples_store, snap_compare):
    assert snap_compare(GiprApp(samples_store), terminal_size=SIZE)


def test_audit_snapshot(broken_store, snap_compare):
    async def to_finding(pilot):
        await pilot.press("right_square_bracket")
        await pilot.pause()

    assert snap_compare(GiprApp(broken_store), terminal_size=SIZE, run_before=to_finding)


def test_edit_dialog_snapshot(broken_store, snap_compare):
    async def edit(pilot):
        await pilot.press("right_square_bracket", "e")
        await pilot.pause()
        await _no_blink(pilot)

    assert snap_compare(GiprApp(broken_store), terminal_size=SIZE, run_before=edit)


def test_help_snapshot(broken_store, snap_compare):
    async def help_screen(pilot):
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(GiprApp(broken_store), terminal_size=SIZE, run_before=help_screen)
