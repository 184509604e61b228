"""What a cell shows and what an auditor may type: pure functions, no app."""

from __future__ import annotations

import pytest

from store import open_counts
from tui.screens.dialogs import complete_path
from tui.widgets import cells
from tui.widgets.source import SourceView, display_text


@pytest.mark.parametrize(
    "text, path, fmt, expected",
    [
        ("34", "requests.total.total", "2021", (34, None)),
        (" ３４ ", "requests.total.total", "2021", (34, None)),  # full-width digits from a Chinese IME
        ("1,204", "active.licensing.decisions", "2021", (1204, None)),
        ("", "requests.total.total", "2021", (None, None)),  # blank = unknown, never 0
        ("-1", "requests.total.total", "2021", (None, "须为不小于 0 的整数")),
        ("3.5", "requests.total.total", "2021", (None, "须为不小于 0 的整数")),
        ("-3", "active.licensing.change", "2019", (-3, None)),  # 2019 本年增/减 may be negative
        ("204.92", "active.fees.amount", "2021", ("204.92", None)),
        ("204.9200", "active.fees.amount", "2021", ("204.9200", None)),
        ("0", "active.fees.amount", "2021", ("0", None)),
        # the store's rule: the 2019 procurement amount is kept as written, unit included
        ("123.5万元", "active.procurement.amount", "2019", ("123.5万元", None)),
    ],
)
def test_parse_input(text, path, fmt, expected):
    assert cells.parse_input(text, path, fmt) == expected


@pytest.mark.parametrize("text", ["204.1234567", "-1.5", "abc", "1e3"])
def test_money_refuses_more_than_six_places_and_junk(text):
    value, error = cells.parse_input(text, "active.fees.amount", "2021")
    assert value is None and "6 位小数" in error


def test_money_to_the_fen_in_wan_yuan_is_accepted():
    # real reports print 万元 to 6 decimals (5949.088667): an auditor can re-enter it
    assert cells.parse_input("5949.088667", "active.fees.amount", "2021") == ("5949.088667", None)


def test_cell_text_markers_and_styles_are_distinct():
    plain = cells.cell_text(12)
    corrected = cells.cell_text(12, ["corrected"])
    ocr = cells.cell_text(12, ["ocr_suspect"])
    missing = cells.cell_text(None, ["missing"])
    failing = cells.cell_text(12, [], cells.ERROR)
    warned = cells.cell_text(12, [], cells.WARNING)
    assert [t.plain for t in (plain, corrected, ocr, missing, failing)] == ["12", "12*", "12~", "-?", "12"]
    styles = {str(t.style) for t in (plain, corrected, ocr, missing, failing, warned)}
    assert len(styles) == 6  # every kind of cell looks different
    assert cells.cell_text(3, ["corrected", "split_ambiguous"], cells.ERROR).plain == "3*|"


def test_waived_findings_do_not_colour_cells_or_count():
    findings = [
        {"key": "a", "rule": "r1", "severity": "error", "cells": ["x.y.z"], "review": None},
        {"key": "b", "rule": "r2", "severity": "warning", "cells": ["x.y.z", "x.y.w"], "review": None},
        {"key": "c", "rule": "r3", "severity": "error", "cells": ["x.y.v"], "review": {"decision": "waived"}},
        {"key": "d", "rule": "r4", "severity": "info", "cells": ["x.y.u"], "review": None},
    ]
    assert cells.cell_severities(findings) == {"x.y.z": "error", "x.y.w": "warning"}
    assert open_counts(findings) == (1, 1)
    assert cells.open_problem_keys(findings) == {"a", "b"}


def test_change_message():
    assert cells.change_message("(七)总计·总计", 35, 34, 2, 0) == "(七)总计·总计 35 → 34；2 项问题已解决"
    assert cells.change_message("x", None, 3, 0, 1) == "x - → 3；新增 1 项问题"


def test_source_offsets_survive_odd_line_breaks():
    text = "第一行\r\n第二行\x0c34\u2028尾"
    view = SourceView(text)
    assert display_text(text).count("\n") == text.count("\n") and len(display_text(text)) == len(text)
    start = text.index("34")
    row, col = view.location(start)
    assert row == 1 and display_text(text).split("\n")[row][col:col + 2] == "34"


def test_path_completion(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "report-2024.txt").write_text("x")
    assert complete_path(str(tmp_path / "reports")) == str(tmp_path / "reports") + "/"
    assert complete_path(str(tmp_path / "report-")) == str(tmp_path / "report-2024.txt")
    assert complete_path(str(tmp_path / "nothing")) is None


@pytest.mark.parametrize(
    "path, fmt, words",
    [
        ("active.licensing.change", "2019", "可为负数"),  # the 2019 format's 本年增/减
        ("active.licensing.decisions", "2021", "不小于 0 的整数"),
        ("active.licensing.change", "2021", "不小于 0 的整数"),  # no 增/减 outside the 2019 format
        ("active.fees.amount", "2021", "6 位小数"),
        ("active.procurement.amount", "2019", "6 位小数"),
    ],
)
def test_edit_dialog_says_what_the_format_lets_a_cell_hold(path, fmt, words):
    from tui.screens.edit import CellInfo

    info = CellInfo(path=path, fmt=fmt, value=None, parsed=None, raw=None, flags=())
    assert words in info.hint
    _, error = cells.parse_input("x", path, fmt)  # what it refuses is said in the same terms
    assert error and words in error
