"""The store's words: a report's review status, a finding's review decision
and the Chinese names of both, and what "an open finding" is.

The one place these are written down (issue 12): the database, the exports,
the CLI and the app read them from here (through the ``store`` face). Colours
are presentation and stay in the app, keyed by these constants. Light on
purpose (nothing but ``checks``' severities): the app reads it at start-up.
"""

from __future__ import annotations

from checks import ERROR, WARNING
from checks import rule_name as _checks_rule_name

# --- the store's own rule --------------------------------------------------------------
# A finding the store raises itself, not the checks: after a re-read, a
# corrected cell whose parsed value changed under the correction.
REPARSED_RULE = "store.reparsed"
STORE_RULE_NAMES = {REPARSED_RULE: "更正后解析值已变"}


def rule_name(rule: str | None) -> str:
    """The Chinese name of any rule a stored finding can carry (the checks' and the store's own)."""
    return STORE_RULE_NAMES.get(str(rule or "")) or _checks_rule_name(rule)

# --- a report's review status (set by the auditor) ----------------------------------
STATUSES = ("未审核", "审核中", "已完成")
STATUS_NEW, STATUS_IN_PROGRESS, STATUS_DONE = STATUSES

# --- a finding's review decision ----------------------------------------------------
# The stored codes. A finding nobody has reviewed (or whose review was revoked)
# has no decision (None). RESOLVED is recorded by the store itself when a
# correction makes a confirmed finding disappear.
CONFIRMED, WAIVED, RESOLVED = "confirmed", "waived", "resolved"
DECISIONS = (CONFIRMED, WAIVED, RESOLVED)

# What a finding IS now, by its current decision (None: 待审, still to be reviewed).
REVIEW_STATE_LABELS = {None: "待审", CONFIRMED: "已确认", WAIVED: "已豁免", RESOLVED: "已解决"}

# An entry of the review log: what the auditor (or the store) DID. The same words,
# but None there is the act of revoking a review, and a resolution says why.
REVIEW_EVENT_LABELS = {
    **REVIEW_STATE_LABELS,
    RESOLVED: REVIEW_STATE_LABELS[RESOLVED] + "（更正后不再出现）",
    None: "已撤销复核",
}


def decision_of(finding: dict) -> str | None:
    """The current review decision of a finding as the store hands it out (``finding["review"]``)."""
    return (finding.get("review") or {}).get("decision")


def review_state_label(decision: str | None) -> str:
    """A finding's state in Chinese, by its current decision (an unknown code is shown as it is)."""
    return REVIEW_STATE_LABELS.get(decision, str(decision))


def review_event_label(decision: str | None) -> str:
    """A review-log entry in Chinese, by the decision it recorded (None: a review revoked)."""
    return REVIEW_EVENT_LABELS.get(decision, str(decision))


def is_pending(finding: dict) -> bool:
    """Not reviewed yet: neither confirmed, waived nor resolved (a revoked review is pending again)."""
    return decision_of(finding) is None


def is_open(finding: dict) -> bool:
    """A finding that still counts against the report: every finding an auditor has
    not waived. A confirmed one is a real problem of the report and still counts; a
    resolved one no longer appears (if a correction brings it back the store marks it
    confirmed again). The library's and the overview's counts, the audit screen's
    highlighted cells and the CLI's exit codes all use this one rule."""
    return decision_of(finding) != WAIVED


def open_counts(findings) -> tuple[int, int]:
    """(errors, warnings) among the open findings."""
    errors = warnings = 0
    for f in findings:
        if is_open(f):
            errors += f.get("severity") == ERROR
            warnings += f.get("severity") == WARNING
    return errors, warnings


def has_open_error(findings) -> bool:
    """An error nobody waived: what makes `gipr-tui check` and `compare` exit with "errors found"."""
    return any(f.get("severity") == ERROR and is_open(f) for f in findings)
