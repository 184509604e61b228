"""A crashing rule family is reported as an error finding, never as a clean report,
and the other families still run."""

from __future__ import annotations

from checks import engine, run_checks
from parsing import parse_file
from tests.conftest import sample_path


def test_a_crashing_family_becomes_an_error_finding(monkeypatch):
    parsed = parse_file(sample_path("2024-luding-county"))
    baseline = run_checks(parsed.report, parsed.text)

    def boom(ctx):
        raise TypeError("simulated bug")

    monkeypatch.setattr(engine.narrative, "check", boom)
    found = run_checks(parsed.report, parsed.text)
    failed = [f for f in found if f["rule"] == "checks.failed"]
    assert len(failed) == 1
    assert failed[0]["severity"] == "error"
    assert "narrative" in failed[0]["message"] and "simulated bug" in failed[0]["message"]
    # the other families still ran: every non-narrative finding of the baseline is still there
    others = [f for f in baseline if not f["rule"].startswith("narrative.")]
    assert all(f in found for f in others)


def test_an_unreadable_report_is_not_clean():
    found = run_checks({"tables": "garbage", "meta": None}, None)
    assert [f["rule"] for f in found] == ["checks.failed"]
    assert found[0]["severity"] == "error"
