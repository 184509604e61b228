"""Shared fixtures. Every test runs with GIPR_DB pointing into its own temporary
folder, so no test ever touches a person's real audit database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = FIXTURES / "golden"
CORPUS = FIXTURES / "corpus"

SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    monkeypatch.setenv("GIPR_DB", str(tmp_path / "audit-test.json"))
    monkeypatch.setenv("GIPR_AUDITOR", "tester")


@pytest.fixture
def ocr_engine():
    """For tests that run the OCR engine. ``make install`` always installs the
    ``ocr`` extra, so an engine that does not load is a broken install: the test
    fails saying so (a skip would turn it green)."""
    from parsing.readers import ocr

    if not ocr.available():
        pytest.fail("the OCR engine does not load: run `make install` (it installs the ocr extra); "
                    "OpenCV also needs the system's libGL (libgl1)")


def sample_path(name: str) -> Path:
    return SAMPLES / f"{name}.txt"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
