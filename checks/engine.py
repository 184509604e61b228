"""Runs every rule family over one report and orders the findings.

Order is deterministic: findings about the document as a whole (no cells)
first, then by the table of their first cell (active, requests, reviews),
then by rule (in the order of ``RULES``), then in the order each rule
produced them (table order of its rows/columns).
"""

from __future__ import annotations

from . import balance, cells, deadline, formatting, history, narrative, sections, values
from .base import Context
from .severities import ERROR

FAMILIES = (formatting, deadline, sections, values, balance, cells, narrative, history)

RULES: dict[str, tuple[str, str]] = {}
for _family in FAMILIES:
    RULES.update(_family.RULES)
# A rule family that crashes (a bug, or a report damaged on disk) must not pass
# silently, nor take the other families down with it: it becomes a finding.
FAILED_RULE = "checks.failed"
RULES[FAILED_RULE] = (
    ERROR,
    "某一组规则在本报告上运行失败（程序错误或报告数据损坏），该组规则涉及的内容未经检查，"
    "不能视为通过。请将报告文件与错误信息一并反馈。",
)
_RULE_RANK = {rule: i for i, rule in enumerate(RULES)}
_TABLE_RANK = {"active": 1, "requests": 2, "reviews": 3}


def _order(f: dict) -> tuple[int, int]:
    cells = f.get("cells") or ()
    table = _TABLE_RANK.get(cells[0].split(".", 1)[0], 4) if cells else 0
    return table, _RULE_RANK.get(f["rule"], len(_RULE_RANK))


def _failed(what: str, exc: Exception) -> dict:
    return {
        "rule": FAILED_RULE,
        "severity": ERROR,
        "cells": [],
        "message": f"{what}运行失败（{type(exc).__name__}: {exc}），相关内容未经检查，不能视为通过",
        "expected": None,
        "actual": None,
    }


def run_checks(report: dict, text: str, *, previous=None) -> list[dict]:
    try:
        ctx = Context.of(report, text, previous)
    except Exception as e:  # a report too damaged to read at all
        return [_failed("全部规则", e)]
    found: list[dict] = []
    for family in FAMILIES:
        try:
            found += family.check(ctx)
        except Exception as e:
            found.append(_failed(f"规则组 {family.__name__.rsplit('.', 1)[-1]} ", e))
    found.sort(key=_order)
    return found


def rule_docs() -> dict[str, dict]:
    """Per rule id: its severity and a one-paragraph Chinese explanation (for the help screen)."""
    return {rule: {"severity": sev, "doc": doc} for rule, (sev, doc) in RULES.items()}
