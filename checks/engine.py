"""Runs every rule family over one report and orders the findings.

Order is deterministic: findings about the document as a whole (no cells)
first, then by the table of their first cell (active, requests, reviews),
then by rule (in the order of ``RULES``), then in the order each rule
produced them (table order of its rows/columns).
"""

from __future__ import annotations

from . import balance, cells, deadline, formatting, history, narrative, sections, values
from .base import Context

FAMILIES = (formatting, deadline, sections, values, balance, cells, narrative, history)

RULES: dict[str, tuple[str, str]] = {}
for _family in FAMILIES:
    RULES.update(_family.RULES)
_RULE_RANK = {rule: i for i, rule in enumerate(RULES)}
_TABLE_RANK = {"active": 1, "requests": 2, "reviews": 3}


def _order(f: dict) -> tuple[int, int]:
    cells = f.get("cells") or ()
    table = _TABLE_RANK.get(cells[0].split(".", 1)[0], 4) if cells else 0
    return table, _RULE_RANK.get(f["rule"], len(_RULE_RANK))


def run_checks(report: dict, text: str, *, previous=None) -> list[dict]:
    ctx = Context.of(report, text, previous)
    found: list[dict] = []
    for family in FAMILIES:
        found += family.check(ctx)
    found.sort(key=_order)
    return found


def rule_docs() -> dict[str, dict]:
    """Per rule id: its severity and a one-paragraph Chinese explanation (for the help screen)."""
    return {rule: {"severity": sev, "doc": doc} for rule, (sev, doc) in RULES.items()}
