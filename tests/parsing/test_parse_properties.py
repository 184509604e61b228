"""Whatever bytes arrive, the parser returns a report or raises ParseError:
never another exception, never a value without provenance, never a zero the
source does not print."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsing import ParseError, parse_bytes
from parsing.model.schema import cell_paths
from tests.conftest import CORPUS, SAMPLE_NAMES, sample_path

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCES = [sample_path(n) for n in SAMPLE_NAMES] + [CORPUS / "pingtan-2023-crawler-glued.txt"]
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SOURCES}
TABLE_WORDS = "规章 行政许可 0 12 | \t  1.属于国家秘密 （三）不予公开 总计 本年新收 结果维持 C l 00000002.其他 — 无".split(" ")


def _report_or_parse_error(data: bytes):
    try:
        parsed = parse_bytes(data, name="x.txt")
    except ParseError as e:
        assert str(e) and "\n" not in str(e)
        assert "内部错误" not in str(e), str(e)  # a bug turned into a ParseError is still a bug
        return None
    report = parsed.report
    fmt = report["meta"]["format"]
    if fmt != "pre-2019":
        for path in cell_paths(fmt):
            prov = report["provenance"][path]
            table, row, col = path.split(".")
            value = report["tables"][table][row][col]
            assert value is not None or prov["flags"], path
            if value is not None and prov["span"] and prov["raw"] and "split_ambiguous" not in prov["flags"]:
                a, b = prov["span"]
                assert parsed.text[a:b] == prov["raw"], path
    return report


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    _report_or_parse_error(data)


@SETTINGS
@given(st.text(max_size=3000))
def test_random_unicode(text):
    _report_or_parse_error(text.encode("utf-8"))


@SETTINGS
@given(st.lists(st.sampled_from(TABLE_WORDS), max_size=400))
def test_table_vocabulary_soup(words):
    text = "二、主动公开政府信息情况\n信息内容 本年制发件数\n" + " ".join(words) + "\n三、收到和处理政府信息公开申请情况 申请人情况\n" + "".join(words)
    _report_or_parse_error(text.encode("utf-8"))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_sample_truncated_at_many_points(name):
    text = TEXTS[name]
    full = parse_bytes(text.encode("utf-8")).report
    step = max(1, len(text) // 150)
    for cut in range(0, len(text), step):
        report = _report_or_parse_error(text[:cut].encode("utf-8"))
        if report is None or report["meta"]["format"] != full["meta"]["format"]:
            continue
        # a cut-off document never shows a value the whole one does not, unflagged
        for path in cell_paths(full["meta"]["format"]):
            t, r, c = path.split(".")
            value = report["tables"][t][r][c]
            if value is not None and not report["provenance"][path]["flags"]:
                assert value == full["tables"][t][r][c], (cut, path)


@SETTINGS
@given(st.sampled_from(sorted(TEXTS)), st.randoms(use_true_random=False))
def test_lines_shuffled_or_dropped(name, rnd: random.Random):
    lines = TEXTS[name].split("\n")
    if rnd.random() < 0.5:
        rnd.shuffle(lines)
    else:
        lines = [ln for ln in lines if rnd.random() > 0.3]
    _report_or_parse_error("\n".join(lines).encode("utf-8"))


def test_one_megabyte_input_parses():
    # (its speed is measured in benchmarks/bench_parsing.py)
    text = TEXTS["2024-luding-county.txt"]
    big = (text * (1_000_000 // len(text.encode("utf-8")) + 1)).encode("utf-8")[:1_000_000]
    _report_or_parse_error(big)
    one_line = TEXTS["pingtan-2023-crawler-glued.txt"].replace("\n", "")
    _report_or_parse_error((one_line * (1_000_000 // len(one_line.encode("utf-8")) + 1)).encode("utf-8")[:1_000_000])
