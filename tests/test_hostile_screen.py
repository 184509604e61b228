"""Issue 13, item 1: nothing from a report, a file name, the database or a
lock file reaches the terminal as something it would obey — in the app
(Textual pilot: the bytes the screen would write to the terminal are
rendered and inspected) and in the CLI. Property tests feed random control
characters and bidi marks through every path to the screen."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from parsing import parse_bytes
from store import AuditStore
from store.lock import LockHolder
from tests.hostile_files import ESCAPES, LUDING, report_with_escapes
from tests.tui.conftest import SIZE, make_app, run_async, settle
from tui.cli import main as cli_main
from tui.safe_text import BIDI_CONTROLS, is_safe, safe, safe_block, safe_json
from tui.screens.audit import AuditScreen
from tui.screens.library import LibraryScreen

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)] + list(BIDI_CONTROLS) + ["\u2028", "\u2029"]
SEQUENCES = ["\x1b]52;c;SGVsbG8=\x07", "\x1b]2;pwned\x1b\\", "\x1b[2J", "\x1b[31m", "\x9b1m", "\x1bP+q\x1b\\"]
hostile = st.lists(
    st.one_of(st.sampled_from(CONTROLS), st.sampled_from(SEQUENCES), st.sampled_from(list("机关ab1 "))),
    min_size=1, max_size=12,
).map("".join)

# What Textual itself writes: colours (SGR) and cursor moves (CUP). Anything
# else that a terminal would act on came from the data.
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H")
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")


def terminal_bytes(app) -> str:
    """The text the app would write to a real terminal for its current screen."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(console)


def leaks(app) -> list[str]:
    return sorted({hex(ord(c)) for c in UNSAFE.findall(OWN_SEQUENCES.sub("", terminal_bytes(app)))})


# --- the sanitising functions ------------------------------------------------------------

@given(hostile)
def test_safe_keeps_length_and_leaves_nothing_to_obey(s):
    assert len(safe(s)) == len(s) and len(safe_block(s)) == len(s)
    assert is_safe(safe(s), lines=False) and is_safe(safe_block(s))
    assert not UNSAFE.search(safe(s))


@given(st.dictionaries(hostile, hostile, max_size=3))
def test_safe_json_is_the_same_json_value_with_nothing_raw(d):
    line = safe_json(json.dumps(d, ensure_ascii=False))
    assert json.loads(line) == d
    assert not UNSAFE.search(line)


# --- the app ------------------------------------------------------------------------------------

def _hostile_store(tmp_path: Path, evil: str, *, bypass_parser: bool) -> AuditStore:
    """A database holding the luding report with ``evil`` in its organ, its
    text (a line and the organ line), its file name and a note; with
    ``bypass_parser`` the text is stored uncleaned (a database written before
    the parser cleaned text, or a reader that forgets)."""
    store = AuditStore.open(tmp_path / "audit.json")
    name = "evil" + evil.replace("/", "") + ".txt"
    if bypass_parser:
        parsed = parse_bytes(LUDING.read_bytes(), name=name)
        parsed.text = parsed.text.replace("泸定县人民政府", "泸定县人民政府" + evil, 1)
        parsed.report["meta"]["organ"] = "泸定" + evil
        rid = store.import_parsed(parsed, str(tmp_path / name)).report_id
    else:
        f = tmp_path / name
        f.write_text(report_with_escapes(evil), encoding="utf-8")
        rid = store.import_file(f).report_id
    store.add_note(rid, "备注" + evil, target="requests.new_received.total")
    return store, rid


async def _screens_leak(store, evil: str) -> dict[str, list[str]]:
    """Every screen state that shows data, with what leaked in each."""
    app = make_app(store)
    found = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 2)
        if not isinstance(app.screen, LibraryScreen):
            app.pop_screen()
            await settle(pilot)
        app.say("导入失败：" + evil)  # a folder import's notification of a file name
        await settle(pilot)
        found["library"] = leaks(app)
        app.open_report(store.list_reports()[0].id)
        await settle(pilot, 2)
        assert isinstance(app.screen, AuditScreen)
        found["audit"] = leaks(app)
        app.screen.focus_cell("requests.new_received.total")  # cell info with the note
        await settle(pilot)
        found["cell"] = leaks(app)
        await app.screen.run_action("note")  # the note dialog quotes the cell's earlier notes
        await settle(pilot, 2)
        found["note-dialog"] = leaks(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("#search").value = "泸定县人民政府"
        await pilot.press("enter")  # the search that once set off the clipboard write
        await settle(pilot, 2)
        found["search"] = leaks(app)
    return found


def test_the_escape_sequences_of_the_issue_never_reach_the_terminal_from_the_app(tmp_path):
    for bypass in (False, True):
        folder = tmp_path / str(bypass)
        folder.mkdir()
        store, _ = _hostile_store(folder, ESCAPES, bypass_parser=bypass)
        try:
            found = run_async(_screens_leak)(store, ESCAPES)
        finally:
            store.close()
        assert found == {k: [] for k in found}, (bypass, found)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(evil=hostile)
def test_random_controls_and_bidi_marks_never_reach_the_terminal_from_the_app(tmp_path_factory, evil):
    folder = tmp_path_factory.mktemp("app")
    store, _ = _hostile_store(folder, evil, bypass_parser=True)
    try:
        found = run_async(_screens_leak)(store, evil)
    finally:
        store.close()
    assert found == {k: [] for k in found}, (repr(evil), found)


def test_a_lock_holder_with_escapes_in_its_host_name_shows_them_as_marks(tmp_path):
    store = AuditStore.open(tmp_path / "audit.json")
    store.import_file(LUDING)
    store.read_only, store.lock_holder = True, LockHolder(1, "host" + ESCAPES, "now")

    async def run():
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, 2)
            return leaks(app)

    try:
        assert run_async(run)() == []
    finally:
        store.read_only = False
        store.close()


# --- the CLI -------------------------------------------------------------------------------------

@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(evil=hostile)
def test_random_controls_and_bidi_marks_never_reach_the_terminal_from_the_cli(tmp_path_factory, evil, ):
    import contextlib

    folder = tmp_path_factory.mktemp("cli")
    f = folder / ("evil" + evil.replace("/", "").replace("\x00", "") + ".txt")
    f.write_text(report_with_escapes(evil), encoding="utf-8")
    for argv in (["extract", str(f)], ["extract", "--json", str(f)], ["check", str(f)], ["check", "--json", str(f)],
                 ["extract", str(folder / ("missing" + evil.replace("/", "").replace("\x00", "")))]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli_main(argv)
        for stream in (out.getvalue(), err.getvalue()):
            assert not UNSAFE.search(stream), (argv, repr(evil), sorted({hex(ord(c)) for c in UNSAFE.findall(stream)}))
            assert "\x1b" not in stream


def test_path_completion_never_suggests_a_file_name_with_escape_codes(tmp_path):
    from tui.screens.dialogs import complete_path

    (tmp_path / ("evil" + "\x1b]2;pwned\x07" + ".txt")).write_text("x", encoding="utf-8")
    assert complete_path(str(tmp_path) + "/ev") is None
    (tmp_path / "evening.txt").write_text("x", encoding="utf-8")
    assert complete_path(str(tmp_path) + "/ev") == str(tmp_path) + "/evening.txt"


def test_the_compare_and_overview_screens_show_escape_codes_as_marks(tmp_path):
    from tui.screens.compare import CompareScreen
    from tui.screens.overview import OverviewScreen

    store = AuditStore.open(tmp_path / "audit.json")
    ids = []
    for year in (2023, 2024):
        parsed = parse_bytes(LUDING.read_bytes(), name=f"{year}.txt")
        parsed.text = parsed.text.replace("泸定县人民政府", "泸定县人民政府" + ESCAPES, 1) + f"\n{year}\n"
        parsed.report["meta"]["organ"] = "泸定" + ESCAPES
        parsed.report["meta"]["year"] = year
        parsed.report["source"]["sha256"] = f"{year:064x}"
        ids.append(store.import_parsed(parsed, str(tmp_path / f"evil{ESCAPES}{year}.txt")).report_id)

    async def run():
        app = make_app(store)
        found = {}
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, 2)
            app.push_screen(CompareScreen(ids[0], ids[1], continuity=True))
            await settle(pilot, 3)
            found["compare"] = leaks(app)
            app.pop_screen()
            await settle(pilot)
            app.push_screen(OverviewScreen())
            await settle(pilot, 3)
            found["overview"] = leaks(app)
        return found

    try:
        found = run_async(run)()
    finally:
        store.close()
    assert found == {"compare": [], "overview": []}, found
