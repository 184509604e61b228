"""Parse a rendered report and classify every cell of its truth.

Same semantics as ``../shared/tools/score_extraction.py``: a cell is
``correct`` (equal to the truth; a cell the source leaves blank, or an
undecidable one, may also be null or flagged), ``flagged`` (wrong or null, but a provenance flag or a finding of
``checks.run_checks`` names it) or ``SILENT`` (a wrong value nothing flags).
A report the parser refuses counts every cell as flagged (the auditor sees
the refusal).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import checks
import parsing
from parsing.model.errors import ParseError

from .render import Rendered, render
from .tables import random_tables


def cells(tables: dict):
    for t, rows in tables.items():
        for r, cols in rows.items():
            for c, v in cols.items():
                yield f"{t}.{r}.{c}", v


def norm(v):
    if v is None:
        return None
    try:
        return format(float(str(v).strip().replace(",", "")), "g")
    except ValueError:
        return str(v).strip()


def flagged_paths(report: dict, findings: list[dict]) -> set[str]:
    out = {p for p, prov in (report.get("provenance") or {}).items() if isinstance(prov, dict) and prov.get("flags")}
    for f in findings:
        out.update(c for c in f.get("cells") or [] if isinstance(c, str))
    return out


@dataclass
class Score:
    counts: Counter = field(default_factory=Counter)  # correct / flagged / SILENT
    bad: list[str] = field(default_factory=list)  # "SILENT requests.granted.total: truth 5, got 50"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, other: Score) -> None:
        self.counts.update(other.counts)
        self.bad += other.bad


def score(rendered: Rendered) -> Score:
    s = Score()
    try:
        parsed = parsing.parse_bytes(rendered.data, rendered.name)
    except ParseError as e:
        n = sum(1 for _ in cells(rendered.tables))
        s.counts["flagged"] = n
        s.bad.append(f"refused: {e}")
        return s
    report = parsed.report
    got = dict(cells(report.get("tables") or {}))
    flagged = flagged_paths(report, checks.run_checks(report, parsed.text))
    for path, want in cells(rendered.tables):
        have = got.get(path)
        doubtful = want is None or path in rendered.undecidable  # blank in the source, or unsplittable
        if (path in got and norm(have) == norm(want)) or (doubtful and (have is None or path in flagged)):
            s.counts["correct"] += 1
            continue
        kind = "flagged" if (have is None or path in flagged) else "SILENT"
        s.counts[kind] += 1
        s.bad.append(f"{kind} {path}: truth {want!r}, got {have!r}")
    return s


def run(layout: str, seed: int, big: bool | None = None) -> tuple[Rendered, Score]:
    """Render report number ``seed`` of ``layout`` and score it."""
    rng = random.Random(f"{layout}:{seed}")
    rendered = render(layout, random_tables(rng, big), rng)
    return rendered, score(rendered)


def survey(layout: str, seeds) -> tuple[Score, dict[int, Score]]:
    """Scores over many seeds: the sum, and each failing seed's own score."""
    total, failing = Score(), {}
    for seed in seeds:
        _, s = run(layout, seed)
        total.add(s)
        if s.counts["correct"] != s.total:
            failing[seed] = s
    return total, failing
