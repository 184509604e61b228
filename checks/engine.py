"""Runs every rule family. (Issue 4: helper-owned placeholder: no rules yet.)"""

from __future__ import annotations


def run_checks(report: dict, text: str, *, previous=None) -> list[dict]:
    return []
