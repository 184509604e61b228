"""Random but realistic 2021-format tables that satisfy every balance rule.

Two profiles, as real reports come: a street office or small bureau (mostly
zeros, a handful of natural-person requests) and a county or city level
organ (hundreds or thousands of requests, several applicant columns in use).
Everything is drawn from a ``random.Random`` the caller seeds, so a failing
case is reproduced by its seed alone.
"""

from __future__ import annotations

import random

from parsing.model.schema import APPLICANT_COLUMNS, OUTCOME_GROUPS, OUTCOME_ROWS, REVIEWS, empty_tables

APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS)
# How likely each applicant column is to be in use at all (natural persons nearly always).
_COLUMN_USE = {"natural_person": 0.95, "commercial": 0.5, "research": 0.1,
               "social_welfare": 0.1, "legal_services": 0.3, "other_org": 0.25}
# Outcome rows that real reports fill most often, with a relative weight.
_COMMON_OUTCOMES = {"granted": 8, "partially_granted": 3, "unable_not_held": 4, "rejected_complaint": 1,
                    "rejected_duplicate": 1, "other_other": 1, "denied_third_party": 1,
                    "denied_process_info": 1, "unable_unclear": 1, "other_no_correction": 1}


def _count(rng: random.Random, big: bool) -> int:
    """A count for a busy cell: small for street offices, up to thousands for counties."""
    if big:
        return int(rng.choice((rng.randint(1, 30), rng.randint(10, 400), rng.randint(100, 4000))))
    return rng.randint(1, 12)


def _outcomes(rng: random.Random, big: bool) -> dict[str, dict[str, int]]:
    rows = {r: {c: 0 for c in APPLICANTS} for r in OUTCOME_ROWS}
    for col in APPLICANTS:
        if rng.random() > _COLUMN_USE[col] * (1.0 if big else 0.4):
            continue
        weights = {r: _COMMON_OUTCOMES.get(r, 0.15 if big else 0.05) for r in OUTCOME_ROWS}
        for row in rng.choices(list(weights), weights=list(weights.values()), k=rng.randint(1, 6 if big else 2)):
            rows[row][col] += _count(rng, big and col in ("natural_person", "commercial"))
    return rows


def _requests(rng: random.Random, big: bool) -> dict[str, dict[str, int]]:
    table = _outcomes(rng, big)
    total = {c: sum(table[r][c] for r in OUTCOME_ROWS) for c in APPLICANTS}
    forward = {c: rng.randint(0, total[c] // 5) if total[c] and rng.random() < 0.4 else 0 for c in APPLICANTS}
    carried = {}
    for c in APPLICANTS:
        room = total[c] + forward[c]
        carried[c] = rng.randint(0, room // 4) if room and rng.random() < 0.4 else 0
    new = {c: total[c] + forward[c] - carried[c] for c in APPLICANTS}
    table.update(new_received=new, carried_over=carried, total=total, carried_forward=forward)
    for row in table.values():
        row["total"] = sum(row[c] for c in APPLICANTS)
    return table


def _reviews(rng: random.Random, big: bool) -> dict[str, dict[str, int]]:
    out = {}
    for r in REVIEWS.rows:
        busy = rng.random() < (0.7 if big else 0.15)
        vals = {c: (rng.randint(0, 25 if big else 2) if busy else 0) for c in ("upheld", "corrected", "other", "pending")}
        vals["total"] = sum(vals.values())
        out[r.key] = vals
    return out


def _fee(rng: random.Random, big: bool) -> str:
    kind = rng.random()
    if kind < (0.3 if big else 0.8):
        return "0"
    places = rng.choice((1, 2, 2, 4))
    return f"{rng.uniform(0.1, 9000 if big else 50):.{places}f}"


def _active(rng: random.Random, big: bool) -> dict[str, dict]:
    def docs(scale: int) -> dict[str, int]:
        issued = rng.randint(0, scale)
        return {"issued": issued, "repealed": rng.randint(0, scale), "in_force": issued + rng.randint(0, scale * 8)}

    def decisions(scale: int) -> dict[str, int]:
        return {"decisions": rng.choice((0, rng.randint(0, scale)))}

    return {
        "rules": docs(2 if big else 0) if rng.random() < 0.3 else {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": docs(40 if big else 3),
        "licensing": decisions(99999 if big else 300),
        "punishment": decisions(30000 if big else 50),
        "enforcement": decisions(800 if big else 5),
        "fees": {"amount": _fee(rng, big)},
    }


def random_tables(rng: random.Random, big: bool | None = None) -> dict:
    """The three tables of one random 2021-format report (``big``: a county-level organ)."""
    if big is None:
        big = rng.random() < 0.35
    tables = empty_tables()
    tables["active"] = _active(rng, big)
    tables["requests"] = _requests(rng, big)
    tables["reviews"] = _reviews(rng, big)
    return tables


def subtotals(requests: dict) -> dict[str, dict[str, int]]:
    """The 小计 rows some reports print for (三)(四)(五)(六): ``subtotal_<group>`` → column → sum."""
    cols = APPLICANTS + ("total",)
    return {f"subtotal_{g}": {c: sum(requests[r][c] for r in rows) for c in cols} for g, rows in OUTCOME_GROUPS.items()}


def legal_entity_subtotal(row: dict[str, int]) -> int:
    """The 8th column 法人或其他组织小计: every applicant column except natural persons."""
    return sum(row[c] for c in APPLICANTS[1:])


def check_balanced(tables: dict) -> None:
    """Assert every balance rule of REPORT_SCHEMA.md (a generator self-check)."""
    req = tables["requests"]
    for row in req.values():
        assert row["total"] == sum(row[c] for c in APPLICANTS)
    for c in APPLICANTS + ("total",):
        assert req["total"][c] == sum(req[r][c] for r in OUTCOME_ROWS)
        assert req["new_received"][c] + req["carried_over"][c] == req["total"][c] + req["carried_forward"][c]
        assert req["new_received"][c] >= 0
    for row in tables["reviews"].values():
        assert row["total"] == row["upheld"] + row["corrected"] + row["other"] + row["pending"]
