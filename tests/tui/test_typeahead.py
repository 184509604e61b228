"""Keys typed faster than a dialog opens: ``e 1 2 Enter`` in one burst (as a
fast typist or a terminal multiplexer sends it) must save 12, not lose the
digits, switch tables with them, or save the old value."""

from __future__ import annotations

import pytest
from textual import events

from parsing.model.schema import get_cell
from tui.screens.audit import AuditScreen
from tui.screens.edit import EditDialog

from .conftest import SIZE, import_one, make_app, run_async, sample_path, settle


def burst(app, keys: list[str]) -> None:
    """Queue every key at once, before the app has handled the first (no pause between them)."""
    for key in keys:
        app.post_message(events.Key(key, {"enter": "\r"}.get(key, key)))


@pytest.mark.parametrize("opener", ["e", "enter"])
@run_async
async def test_a_burst_of_keys_after_e_edits_the_cell_with_all_of_them(store, opener):
    import_one(store, sample_path("2024-luding-county"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        path = screen.tables.current_path()
        assert get_cell(screen.report, path) == 0
        burst(app, [opener, "1", "2", "enter"])
        await settle(pilot, 5)
        assert app.screen is screen, "the dialog saved and closed"
        assert get_cell(screen.report, path) == 12
        assert screen.tables.current_path() == path  # the digits did not move the cursor or switch tables


@run_async
async def test_a_burst_that_stops_before_enter_leaves_the_typed_value_in_the_open_dialog(store):
    import_one(store, sample_path("2024-luding-county"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        path = screen.tables.current_path()
        burst(app, ["e", "3", "4"])
        await settle(pilot, 5)
        dialog = app.screen
        assert isinstance(dialog, EditDialog) and dialog.info.path == path
        assert dialog.query_one("#edit-value").value == "34"
        assert get_cell(screen.report, path) == 0  # nothing saved before Enter
