"""Organ pairing remembered in the store, and the overview sheet (issue 14)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from store import AuditStore, StoreError
from store import organs, overview

SERIES = Path(__file__).resolve().parent.parent / "fixtures" / "compare"
OFFICE, GOVERNMENT = "泸定县人民政府办公室", "泸定县人民政府"


@pytest.fixture
def series(tmp_path):
    s = AuditStore.open(tmp_path / "audit.json")
    ids = {y: s.import_file(SERIES / f"luding-{y}.txt").report_id for y in (2022, 2023, 2024)}
    yield s, ids
    s.close()


def test_names_and_levels():
    assert organs.normalise_organ(" 平潭综合实验区 管委会 ") == "平潭综合实验区管委会"
    assert organs.related("平潭综合实验区管委会", "平潭综合实验区管委会办公室")
    assert not organs.related("泸定县人民政府", "康定市人民政府")
    assert not organs.related(GOVERNMENT, GOVERNMENT)
    assert organs.organ_level(GOVERNMENT) == "县级"
    assert organs.organ_level("临淄区人民政府稷下街道办事处") == "乡级"
    assert organs.organ_level("四川省人民政府") == "省级"
    assert organs.organ_level("平潭综合实验区市场监督管理局") == "县级"
    assert organs.organ_level(None) is None


def test_asked_once_then_remembered(series, tmp_path):
    s, ids = series
    assert organs.same_organ(s, GOVERNMENT, OFFICE) is None  # ask the auditor
    assert s.previous_report_id(ids[2023]) is None
    organs.remember(s, OFFICE, GOVERNMENT, True)
    assert organs.same_organ(s, GOVERNMENT, OFFICE) is True
    # the answer makes 2022 the previous year of 2023: the cross-year rules run on the pair
    assert s.previous_report_id(ids[2023]) == ids[2022]
    assert any(f["rule"].startswith("history.") for f in s.findings(ids[2023]))
    s.close()
    with AuditStore.open(tmp_path / "audit.json") as again:  # on disk
        assert organs.same_organ(again, OFFICE, GOVERNMENT) is True
        organs.remember(again, OFFICE, GOVERNMENT, False)  # changed mind: the latest answer counts
        assert organs.same_organ(again, OFFICE, GOVERNMENT) is False
        assert again.previous_report_id(ids[2023]) is None


def test_read_only_store_refuses_to_remember(series, tmp_path):
    s, _ = series
    with AuditStore.open(tmp_path / "audit.json", read_only=True) as ro:
        with pytest.raises(StoreError):
            organs.remember(ro, OFFICE, GOVERNMENT, True)
    with pytest.raises(ValueError):
        organs.remember(s, GOVERNMENT, GOVERNMENT, True)


def test_overview_rows_figures_and_outliers(series):
    s, ids = series
    organs.remember(s, OFFICE, GOVERNMENT, True)
    rows = {r.year: r for r in overview.overview_rows(s)}
    r24 = rows[2024]
    assert r24.level == "县级" and r24.status == "未审核"
    assert r24.figures == {"received": 34, "granted": 15, "licensing": 15889, "punishment": 19480,
                           "enforcement": 76, "reviews": 6, "lawsuits": 1}
    assert r24.errors == 2  # the carry-over break against 2023
    # 15889 is far from both other years; 1500 and 1400 are not outliers
    assert set(r24.outliers) == {"licensing"} and "1400" in r24.outliers["licensing"]
    assert rows[2023].outliers == {} and rows[2022].outliers == {}
    # a correction changes the figure (cached figures follow the corrections log)
    s.correct(ids[2024], "active.licensing.decisions", 1600, "核对原文")
    rows = {r.year: r for r in overview.overview_rows(s)}
    assert rows[2024].figures["licensing"] == 1600 and rows[2024].outliers == {}


def test_sort_filter_and_exports(series, tmp_path):
    s, _ = series
    rows = overview.overview_rows(s)
    by_lic = overview.sort_rows(rows, "licensing", reverse=True)
    assert [r.figures["licensing"] for r in by_lic] == [15889, 1500, 1400]
    assert [r.year for r in overview.sort_rows(rows, "year")] == [2022, 2023, 2024]
    assert [r.organ for r in overview.filter_rows(rows, "办公室")] == [OFFICE]
    assert len(overview.filter_rows(rows, "异常")) == sum(1 for r in rows if r.outliers)
    text = overview.to_csv(rows)
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:3] == ["机关", "级别", "年度"] and "异常说明" in table[0]
    assert len(table) == 4
    out = tmp_path / "overview.xlsx"
    overview.write_xlsx(rows, out)
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == table[0]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert sorted(v[5] for v in values) == [1400, 1500, 15889]  # numbers stay numbers


def _row(i, organ, year, received, licensing, level="县级"):
    figures = dict.fromkeys(overview.FIGURE_KEYS)
    figures.update(received=received, licensing=licensing)
    return overview.OverviewRow(id=str(i), organ=organ, level=level, year=year, figures=figures, errors=0, warnings=0,
                                status="未审核", group=organs.normalise_organ(organ))


def test_outliers_against_peers_and_zero_streaks():
    rows = [_row(i, f"甲{i}县人民政府", 2024, 10 + i, 100 + i) for i in range(6)]
    rows.append(_row(6, "乙县人民政府", 2024, 12, 2000))  # twenty times its peers' median
    rows += [_row(7 + k, "丙县人民政府", 2022 + k, 0, 100) for k in range(3)]  # no application three years running
    overview.mark_outliers(rows)
    far = rows[6].outliers
    assert set(far) == {"licensing"} and "同级（县级）同年" in far["licensing"] and "中位数 102，本机关 2000" in far["licensing"]
    assert not any(r.outliers for r in rows[:6])
    assert rows[-1].outliers.get("received") == "连续 3 年本年新收申请为 0"
    assert "received" not in rows[-2].outliers  # two years are not yet a streak
    # peers of another level or year are not peers
    alone = [_row(20, "丁镇人民政府", 2024, 5, 2000, level="乡级")] + rows[:6]
    overview.mark_outliers(alone)
    assert alone[0].outliers == {}
    assert overview.median_without([1, 2, 3, 4], [4]) == 2 and overview.median_without([1, 2, 3, 4], [1]) == 3
