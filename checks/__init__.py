"""report → findings: the auditor's rule book, as pure functions. (Issue 4.)

Public surface (contract; the rule modules are helper-owned):

- ``run_checks(report: dict, text: str, *, previous: tuple[dict, str] | None = None) -> list[dict]``
  ``report`` is a gipr/1 report dict with the *current* values (an auditor's
  corrections applied; a corrected cell's provenance flags include
  "corrected"); ``text`` its display text; ``previous`` the same organ's
  previous-year report and text, when known (enables ``history.*`` rules).
  Returns findings, each ``{"rule", "severity", "cells", "message",
  "expected", "actual"}`` (docs/CLI.md), in a stable order.
- ``finding_key(finding) -> str``: the identity of a finding that survives a
  re-check (rule + sorted cells); reviews in the store are keyed by it.
- ``rule_docs() -> dict``: per rule id ``{"severity", "doc"}`` (a Chinese
  paragraph for the help screen); ``RULES`` the same as ``{rule: (severity, doc)}``.
- ``rule_name(rule) -> str``: a rule's short Chinese name (``RULE_NAMES``; an
  unknown rule keeps its id).

Rule families: ``formatting`` (format.*), ``deadline`` (meta.deadline),
``sections`` (sections.*), ``values`` (values.*), ``balance`` (requests.*,
reviews.row_sum), ``cells`` (cells.*), ``narrative`` (narrative.*),
``history`` (history.*); ``engine`` runs them in order.

Severities (``checks.severities``, the one definition): ``ERROR``, ``WARNING``,
``INFO``; ``SEVERITIES`` worst first; ``SEVERITY_LABELS`` their Chinese names;
``severity_label(s)``, ``severity_rank(s)`` (sort key, worst first).

This package never imports textual, rich or the tui package.
"""

from __future__ import annotations

from .rule_names import RULE_NAMES, rule_name
from .severities import ERROR, INFO, SEVERITIES, SEVERITY_LABELS, WARNING, severity_label, severity_rank


def finding_key(finding: dict) -> str:
    cells = ",".join(sorted(finding.get("cells") or []))
    return f"{finding['rule']}|{cells}"


def run_checks(report: dict, text: str, *, previous: tuple[dict, str] | None = None) -> list[dict]:
    from .engine import run_checks as _run

    return _run(report, text, previous=previous)


def label(path: str, fmt: str | None = "2021") -> str:
    """A short Chinese name for a cell (also the extra cells some reports print)."""
    from .base import label as _label

    return _label(path, fmt)


def rule_docs() -> dict[str, dict]:
    from .engine import rule_docs as _docs

    return _docs()


def __getattr__(name: str):
    if name == "RULES":
        from .engine import RULES

        return RULES
    raise AttributeError(name)


__all__ = [
    "run_checks", "finding_key", "rule_docs", "label", "RULES",
    "ERROR", "WARNING", "INFO", "SEVERITIES", "SEVERITY_LABELS", "severity_label", "severity_rank",
    "RULE_NAMES", "rule_name",
]
