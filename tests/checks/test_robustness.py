"""Whatever a report holds (an auditor's odd correction, a parser's partial
reading, strange metadata), checking never raises and findings are well formed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checks import finding_key, run_checks
from parsing import schema
from tests.checks.reports import load

BASE, BASE_TEXT = load("2024-luding-county")
PATHS = [p for p in schema.cell_paths(schema.FORMAT_2021)]
VALUES = st.one_of(st.none(), st.integers(-5, 10**6), st.floats(allow_nan=True), st.text(max_size=6), st.booleans(),
                   st.decimals(allow_nan=False, allow_infinity=False).map(str))


@settings(max_examples=60, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from(PATHS), VALUES, max_size=12),
    year=st.one_of(st.none(), st.integers(1990, 2100), st.text(max_size=4)),
    published=st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)),
    organ=st.one_of(st.none(), st.text(max_size=12)),
    fmt=st.sampled_from(schema.FORMATS + (None, "x")),
    text_tail=st.text(max_size=200),
)
def test_checks_never_raise(changes, year, published, organ, fmt, text_tail):
    import copy

    report = copy.deepcopy(BASE)
    for path, value in changes.items():
        t, r, c = schema.split_path(path)
        report["tables"][t][r][c] = value
    report["meta"].update(year=year, published=published, organ=organ, format=fmt)
    text = BASE_TEXT + text_tail
    found = run_checks(report, text, previous=(BASE, BASE_TEXT))
    for f in found:
        assert set(f) == {"rule", "severity", "cells", "message", "expected", "actual"}
        assert f["severity"] in ("error", "warning", "info") and f["message"]
        finding_key(f)
    assert found == run_checks(report, text, previous=(BASE, BASE_TEXT))
