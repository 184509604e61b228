"""Reports for store tests: the golden fixtures with their sample texts, as
``ParsedReport``s, optionally disguised as another organ/year/file."""

from __future__ import annotations

import copy
import hashlib

from parsing import ParsedReport
from tests.conftest import SAMPLE_NAMES, golden, sample_path

LUDING = "2024-luding-county"


def parsed(name: str = LUDING, *, organ: str | None = None, year: int | None = None, salt: str = "") -> ParsedReport:
    """A golden report as the parser would hand it over (distinct sha per salt/organ/year)."""
    g = golden(name)
    text = sample_path(name).read_text(encoding="utf-8")
    meta = dict(g["meta"])
    if organ is not None:
        meta["organ"] = organ
    if year is not None:
        meta["year"] = year
    sha = hashlib.sha256(f"{name}|{meta['organ']}|{meta['year']}|{salt}".encode()).hexdigest()
    report = {
        "schema": "gipr/1",
        "source": {"path": f"{name}.txt", "sha256": sha, "format": "text"},
        "meta": meta,
        "tables": copy.deepcopy(g["tables"]),
        "provenance": {"requests.new_received.total": {"raw": "34", "span": [0, 2], "flags": ["ocr_suspect"]}},
        "extra_cells": {},
        "notes": [],
        "sections": [],
        "warnings": [],
    }
    return ParsedReport(report=report, text=text)


def fake_rule(path: str = "requests.new_received.total", expected=34, severity: str = "error"):
    """A stand-in rule book: one finding while ``path`` differs from ``expected``."""
    calls = []

    def run_checks(report, text, *, previous=None):
        calls.append((report, previous))
        table, row, col = path.split(".")
        value = report["tables"][table][row][col]
        if value == expected:
            return []
        return [{"rule": "test.fixed_value", "severity": severity, "cells": [path],
                 "message": f"应为 {expected}", "expected": expected, "actual": value}]

    run_checks.calls = calls
    return run_checks


__all__ = ["parsed", "fake_rule", "LUDING", "SAMPLE_NAMES"]
