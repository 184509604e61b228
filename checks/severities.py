"""How bad a finding is: the three severities, worst first, and their Chinese names.

The one place these are written down (issue 12): the rule families, the store's
export, the CLI's output and the app all read them from here (through the
``checks`` face). Colours are presentation and stay in the app, keyed by these
constants. No imports: the app and the CLI read this at start-up.
"""

from __future__ import annotations

ERROR, WARNING, INFO = "error", "warning", "info"

# Worst first: the order findings are listed and tallied in.
SEVERITIES = (ERROR, WARNING, INFO)

SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


def severity_label(severity) -> str:
    """A severity's Chinese name (an unknown one is shown as it is)."""
    return SEVERITY_LABELS.get(severity, "" if severity is None else str(severity))


def severity_rank(severity) -> int:
    """0 for an error, 1 a warning, 2 a note; anything else after them."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
