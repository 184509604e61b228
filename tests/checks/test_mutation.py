"""The issue's mutation test: change one cell of `requests` or `reviews` of a
seed report by +1, −1 or +10, and at least one `error` finding must name that
cell. The same through the source text (edit the number, re-parse) once the
parser fills tables."""

from __future__ import annotations

import re

import pytest

from checks import run_checks
from parsing import schema
from tests.checks.reports import SAMPLE_STEMS, errors, load
from tests.conftest import sample_path

DELTAS = (1, -1, 10)
# In the text: +1 on every number, and +10 (a digit more) on the non-zero
# ones; −1 and the rest are covered cell by cell (re-parsing is the slow part).
def _text_deltas(old: int) -> tuple[int, ...]:
    return (1, 10) if old else (1,)


def _table_paths(report: dict):
    for p in schema.cell_paths(report["meta"]["format"]):
        if p.startswith(("requests.", "reviews.")) and schema.get_cell(report, p) is not None:
            yield p


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_every_single_cell_change_is_caught(stem):
    report, text = load(stem)
    assert not errors(run_checks(report, text))
    missed = []
    for path in list(_table_paths(report)):
        table, row, col = schema.split_path(path)
        original = report["tables"][table][row][col]
        for delta in DELTAS:
            report["tables"][table][row][col] = original + delta  # changed in place: fast
            named = {c for f in errors(run_checks(report, text)) for c in f["cells"]}
            if path not in named:
                missed.append((path, delta))
        report["tables"][table][row][col] = original
    assert not missed, missed[:10]


def _parsed_values(path):
    from parsing import parse_file

    parsed = parse_file(path)
    prov = parsed.report["provenance"]
    return parsed, [
        (p, e["span"]) for p, e in prov.items()
        if p.startswith(("requests.", "reviews.")) and e.get("span") and schema.get_cell(parsed.report, p) is not None
        and re.fullmatch(r"\d+", parsed.text[e["span"][0]:e["span"][1]] or "")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_every_number_edited_in_the_text_is_caught(stem):
    parsed, cells = _parsed_values(sample_path(stem))
    assert cells, f"the parser reads no count of {stem} at its place in the text"
    assert not errors(run_checks(parsed.report, parsed.text)), f"the parser's reading of {stem} does not balance"
    from parsing.api import parse_bytes

    missed = []
    for path, (a, b) in cells:
        old = int(parsed.text[a:b])
        for delta in _text_deltas(old):
            edited = parsed.text[:a] + str(old + delta) + parsed.text[b:]
            again = parse_bytes(edited.encode("utf-8"), name=f"{stem}.txt")
            if not errors(run_checks(again.report, again.text)):
                missed.append((path, delta))
    assert not missed, missed[:10]
