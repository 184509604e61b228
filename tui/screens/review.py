"""Confirming or waiving one finding, or taking that back: the one flow the
audit screen and the comparison screen share.

A waiver always needs a justification; a confirmation needs one when the
auditor's settings ask for reasons (``--require-reason`` or the saved
setting). Pressing the same key on a finding already so reviewed clears the
review. ``write(call, *args, **kwargs)`` performs the store call the way the
screen does (refreshing what it shows; falsy when the store refused).
"""

from __future__ import annotations

from collections.abc import Callable

from store import CONFIRMED, WAIVED, decision_of, review_state_label, rule_name

from .dialogs import PromptDialog

_DONE = {CONFIRMED: "已确认问题（报告有误）", WAIVED: review_state_label(WAIVED)}
_UNDONE = {CONFIRMED: "已取消确认", WAIVED: "已取消豁免"}
_ASK = {CONFIRMED: "确认问题：请写明理由（必填，已设置为必须填写理由）", WAIVED: "豁免问题：请写明理由（必填）"}


def review_one(app, store, report_id: str, finding: dict, decision: str, write: Callable[..., object], *,
               require_reason: bool, example: str) -> None:
    """Confirm (``CONFIRMED``) or waive (``WAIVED``) ``finding`` of ``report_id``, or
    clear that review when it is already the finding's; ``example`` is the
    justification box's placeholder."""
    name = rule_name(finding.get("rule"))
    key = finding["key"]
    if decision_of(finding) == decision:
        if write(store.clear_review, report_id, key):
            app.say(f"{_UNDONE[decision]}：{name}")
        return
    if decision == CONFIRMED and not require_reason:
        if write(store.review_finding, report_id, key, CONFIRMED):
            app.say(f"{_DONE[decision]}：{name}")
        return

    def with_reason(justification: str | None) -> None:
        if justification and write(store.review_finding, report_id, key, decision, justification=justification):
            app.say(f"{_DONE[decision]}：{name}")

    app.push_screen(PromptDialog(_ASK[decision], " ".join(str(finding.get("message", "")).split()),
                                 placeholder=example, required=True), with_reason)
