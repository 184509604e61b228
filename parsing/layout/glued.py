"""Glued-digit split solver: cut a run of digits back into a table row's cells.

Crawlers and some PDF text layers lose the separators between table cells, so
the row 一、本年新收…数量 80|1|0|0|0|0|81 arrives as ``801000081``. This module
owns turning such runs back into counts, using only the report format's own
arithmetic:

- requests rows: 总计 (the 7th value) = the sum of the six applicant columns;
- requests columns: the column relations of the report's format
  (``parsing.model.format``: the outcome rows sum to (七)总计, and 本年新收 +
  上年结转 = (七)总计 + 结转下年度);
- reviews rows: 总计 (the 5th value) = the sum of the first four.

A number has no leading zero unless it is exactly ``0``. It never guesses:
where the splits that satisfy the rules disagree, the value is ``None`` and the
column is reported ambiguous (the caller flags it ``split_ambiguous``). Where
no split satisfies the rules (the report does not balance, or an OCR error),
the candidates of weaker rules are used (the column rules dropped, then the
row rule) and the solution says ``consistent=False``. Every search is
bounded: past its bounds a row falls back on what the digits alone say (a
value only where every possible cut agrees, found without listing the cuts),
so the answer is never a hang and never a guess.

Pure functions; the only imports from the project are ``parsing.model.schema`` and ``parsing.model.format``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable, Iterator

from ..model.format import COLUMN, format_of, layout_of_rows
from ..model.schema import REQUEST_COLUMNS, REVIEWS

MAX_LEN = 7  # digits of one count
MAX_DIGITS = 40  # longer runs are not split at all (all columns ambiguous)
MAX_REPORTED = 50  # candidates kept in RowSolution.candidates
MAX_ROW_CANDIDATES = 5000  # more balanced cuts than this: the digits alone decide
MAX_JOINT_DOMAIN = 50  # rows with more candidates sit out the joint search
MAX_STEPS = 20_000  # search nodes per enumeration or flat table
JOINT_STEPS = 5_000  # candidates tried by the joint search of the requests table

REQUEST_WIDTH = len(REQUEST_COLUMNS)  # 7
REVIEW_WIDTH = len(REVIEWS.columns or ())  # 5
REVIEW_ROWS = len(REVIEWS.rows)  # 3


@dataclass
class RowSolution:
    values: list[int | None]  # None where the consistent candidates disagree
    ambiguous: set[int]  # column indexes whose value differs between candidates
    candidates: list[tuple[int, ...]]  # the consistent splits (capped at MAX_REPORTED)
    consistent: bool = True  # False when no split satisfied the constraints (fallback used),
    # or the search was too large to finish (then values are what every cut agrees on)
    inferred: set[int] = field(default_factory=set)  # columns the row alone left open and something else settled
    by_text: bool = False  # ``inferred`` settled by numbers the body text states (else by other rows' rules)


class _Exhausted(Exception):
    """A search went past its step budget."""


@dataclass
class _Budget:
    steps: int = MAX_STEPS

    def tick(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _Exhausted


# --- one row -----------------------------------------------------------------


def _is_digit_run(digits: object) -> bool:
    return isinstance(digits, str) and digits.isascii() and digits.isdigit()


def _splittable(digits: object, n: int) -> bool:
    """Whether a cut of ``digits`` into ``n`` numbers is worth looking for."""
    return _is_digit_run(digits) and 1 <= n <= len(digits) <= MAX_DIGITS  # type: ignore[arg-type]


def _max_len(digits: str, n: int) -> int:
    return len(digits) if n == 1 else MAX_LEN  # a lone value needs no cut


def _ends(digits: str, start: int, max_len: int) -> range:
    """Where a valid number starting at ``start`` can end (a 0 stands alone)."""
    if start >= len(digits):
        return range(0)
    if digits[start] == "0":
        return range(start + 1, start + 2)
    return range(start + 1, min(len(digits), start + max_len) + 1)


def _cuts(
    digits: str, n: int, max_len: int, budget: _Budget, target: int | None = None, fixed: dict[int, int] | None = None
) -> Iterator[tuple[int, ...]]:
    """Every cut of ``digits`` into ``n`` valid numbers, in cut order.

    ``target``: only cuts whose numbers sum to exactly it. ``fixed``: column →
    the only value that column may take.
    """
    size = len(digits)
    parts: list[int] = []
    dead: set[tuple[int, int, int | None]] = set()  # states that lead to no cut
    bounds = _SumBounds(digits, n, max_len) if target is not None else None

    def walk(pos: int, left: int, room: int | None) -> Iterator[tuple[int, ...]]:
        budget.tick()
        rest = size - pos
        if left == 0:
            if rest == 0 and (room is None or room == 0):
                yield tuple(parts)
            return
        if rest < left or rest > left * max_len or (pos, left, room) in dead:
            return
        if room is not None and not bounds.reachable(pos, left, room):
            return
        want = fixed.get(len(parts)) if fixed else None
        found = False
        for end in _ends(digits, pos, min(max_len, rest - left + 1)):
            value = int(digits[pos:end])
            if room is not None and value > room:
                break  # longer numbers are larger still
            if want is not None and value != want:
                continue
            parts.append(value)
            for cut in walk(end, left - 1, None if room is None else room - value):
                found = True
                yield cut
            parts.pop()
        if not found:
            dead.add((pos, left, room))

    yield from walk(0, n, target)


class _SumBounds:
    """The least and greatest sum of cutting ``digits[pos:]`` into ``left``
    numbers, to prune a search for cuts with a given sum.

    Short runs get a cheap estimate (the longest number has at least
    ⌈rest/left⌉ digits, none more than allowed); long ones, where the search
    could otherwise wander, exact bounds by dynamic programming."""

    EXACT_FROM = 13  # digits

    def __init__(self, digits: str, n: int, max_len: int):
        self.max_len = max_len
        self.size = len(digits)
        self.lo: list[list[float]] | None = None
        if len(digits) >= self.EXACT_FROM:
            self._exact(digits, n)

    def _exact(self, digits: str, n: int) -> None:
        inf = float("inf")
        lo = [[inf] * (n + 1) for _ in range(self.size + 1)]
        hi = [[-inf] * (n + 1) for _ in range(self.size + 1)]
        lo[self.size][0] = hi[self.size][0] = 0
        for pos in range(self.size - 1, -1, -1):
            for end in _ends(digits, pos, self.max_len):
                value = int(digits[pos:end])
                for left in range(1, n + 1):
                    if lo[end][left - 1] != inf:
                        lo[pos][left] = min(lo[pos][left], value + lo[end][left - 1])
                        hi[pos][left] = max(hi[pos][left], value + hi[end][left - 1])
        self.lo, self.hi = lo, hi

    def reachable(self, pos: int, left: int, room: int) -> bool:
        if self.lo is not None:
            return self.lo[pos][left] <= room <= self.hi[pos][left]
        rest = self.size - pos
        longest_min = -(-rest // left)
        low = 10 ** (longest_min - 1) if longest_min > 1 else 0
        return low <= room < left * 10 ** min(self.max_len, rest - left + 1)


def _total_last_cuts(digits: str, n: int, budget: _Budget) -> Iterator[tuple[int, ...]]:
    """Cuts into ``n`` numbers whose last is the sum of the others (the total first)."""
    for width in range(1, min(MAX_LEN, len(digits) - n + 1) + 1):
        head, tail = digits[:-width], digits[-width:]
        if tail[0] == "0" and width > 1:
            continue
        total = int(tail)
        for parts in _cuts(head, n - 1, width, budget, target=total):
            yield parts + (total,)


def _collect(cuts: Iterable[tuple[int, ...]], limit: int = MAX_ROW_CANDIDATES) -> list[tuple[int, ...]] | None:
    """The cuts as a list, or None when there are more than ``limit`` or the budget ran out."""
    found: list[tuple[int, ...]] = []
    try:
        for cut in cuts:
            found.append(cut)
            if len(found) > limit:
                return None
    except _Exhausted:
        return None
    return found


def _first(cuts: Iterable[tuple[int, ...]], limit: int) -> list[tuple[int, ...]]:
    """Up to ``limit`` cuts, as many as the budget allows."""
    found: list[tuple[int, ...]] = []
    try:
        for cut in cuts:
            found.append(cut)
            if len(found) >= limit:
                break
    except _Exhausted:
        pass
    return found


def _column_values(digits: str, n: int, max_len: int, fixed: dict[int, int]) -> list[set[int]] | None:
    """Per column, every value some cut gives it (``fixed`` columns held to
    their value), without listing the cuts; None when there is no cut.

    Dynamic programming over positions: a number is on some full cut iff its
    start is reachable from the left and its end can still finish the run.
    """
    size = len(digits)

    def numbers(col: int, start: int) -> Iterator[tuple[int, int]]:
        for end in _ends(digits, start, max_len):
            value = int(digits[start:end])
            if fixed.get(col, value) == value:
                yield end, value

    finish = [{size}]  # finish[j]: positions from which the last j columns end the run
    for j in range(1, n + 1):
        col = n - j
        finish.append({s for s in range(size) if any(e in finish[j - 1] for e, _ in numbers(col, s))})
    starts = {0} & finish[n]
    found: list[set[int]] = []
    for col in range(n):
        ahead = finish[n - col - 1]
        values = {v for s in starts for e, v in numbers(col, s) if e in ahead}
        starts = {e for s in starts for e, _ in numbers(col, s) if e in ahead}
        if not values:
            return None
        found.append(values)
    return found


def _usable_hints(digits: str, n: int, max_len: int, hints: dict[int, int] | None) -> dict[int, int]:
    """The hints some cut agrees with; none if together they leave no cut."""
    usable = {
        col: v for col, v in (hints or {}).items()
        if 0 <= col < n and _column_values(digits, n, max_len, {col: v}) is not None
    }
    return usable if _column_values(digits, n, max_len, usable) is not None else {}


def _hopeless(n: int) -> RowSolution:
    return RowSolution([None] * max(n, 0), set(range(max(n, 0))), [], False)


def _summarize(n: int, cands: list[tuple[int, ...]], consistent: bool) -> RowSolution:
    """Values all candidates agree on; the other columns ambiguous."""
    if not cands:
        return _hopeless(n)
    sets = [{c[col] for c in cands} for col in range(n)]
    return _from_sets(sets, cands[:MAX_REPORTED], consistent)


def _from_sets(sets: list[set[int]], candidates: list[tuple[int, ...]], consistent: bool) -> RowSolution:
    values = [next(iter(s)) if len(s) == 1 else None for s in sets]
    ambiguous = {col for col, s in enumerate(sets) if len(s) > 1}
    return RowSolution(values, ambiguous, candidates, consistent)


def _apply_hints(cands: list[tuple[int, ...]], hints: dict[int, int] | None) -> list[tuple[int, ...]]:
    """Keep the candidates that agree with the hints.

    A hint no candidate agrees with is ignored (it describes something else);
    if the remaining hints together leave nothing, all are ignored.
    """
    if not hints or not cands:
        return cands
    usable = {col: v for col, v in hints.items() if any(0 <= col < len(c) and c[col] == v for c in cands)}
    kept = [c for c in cands if all(c[col] == v for col, v in usable.items())]
    return kept or cands


def _plain_solution(digits: str, n: int, hints: dict[int, int] | None, consistent: bool) -> RowSolution:
    """What the digits alone say: a value where every cut agrees, exactly, at
    any length of run (the cuts themselves are listed only up to the cap)."""
    max_len = _max_len(digits, n)
    usable = _usable_hints(digits, n, max_len, hints)
    sets = _column_values(digits, n, max_len, usable)
    if sets is None:
        return _hopeless(n)
    shown = _first(_cuts(digits, n, max_len, _Budget(), fixed=usable), MAX_REPORTED)
    return _from_sets(sets, shown, consistent)


def _solve(digits: str, n: int, total_last: bool, hints: dict[int, int] | None) -> tuple[RowSolution, list | None]:
    """The row's solution and, when some cut satisfies the row rule, every such cut."""
    if not _splittable(digits, n):
        return _hopeless(n), None
    if not (total_last and n >= 2):
        return _plain_solution(digits, n, hints, consistent=True), None
    cands = _collect(_total_last_cuts(digits, n, _Budget()))
    if cands:
        return _summarize(n, _apply_hints(cands, hints), True), cands
    # no cut balances (or too many to tell): fall back on the digits alone
    return _plain_solution(digits, n, hints, consistent=False), None


def split_candidates(digits: str, n: int, *, max_len: int = MAX_LEN) -> list[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``n`` valid numbers (no leading zeros, each
    at most ``max_len`` digits), in cut order.

    Bounded like every search here: at most MAX_ROW_CANDIDATES cuts (and as
    many as MAX_STEPS allows), none for input that is not a run of ASCII
    digits or is longer than MAX_DIGITS.
    """
    if not _splittable(digits, n):
        return []
    return _first(_cuts(digits, n, max_len, _Budget()), MAX_ROW_CANDIDATES)


def solve_row(digits: str, n: int, *, total_last: bool, hints: dict[int, int] | None = None) -> RowSolution:
    """One row alone: ``n`` values from ``digits``.

    ``total_last``: the last value is the sum of the others. ``hints``: column
    index → a value stated elsewhere (e.g. the body text), used when it agrees
    with some cut. ``consistent`` is False when no cut satisfies the row rule
    (or there were too many to check): the values are then what every cut
    agrees on, the rest ambiguous.
    """
    return _solve(digits, n, total_last, hints)[0]


def _subtotal_cuts(digits: str, sub_at: int, budget: _Budget) -> Iterator[tuple[int, ...]]:
    """Cuts of an 8-value requests row (with 法人或其他组织小计 at ``sub_at``:
    1, right after 自然人, or 6, after the five organisations) where 总计 (last)
    = 自然人 + 小计 and 小计 = the five organisations."""
    for tw in range(1, min(MAX_LEN, len(digits) - 7) + 1):
        tail = digits[-tw:]
        if tail[0] == "0" and tw > 1:
            continue
        total, head = int(tail), digits[:-tw]
        for nw in _ends(head, 0, MAX_LEN):
            natural = int(head[:nw])
            sub = total - natural
            if sub < 0:
                break
            text = str(sub)
            rest = head[nw:]
            if sub_at == 1 and rest.startswith(text):
                orgs = rest[len(text):]
            elif sub_at != 1 and rest.endswith(text):
                orgs = rest[: len(rest) - len(text)]
            else:
                continue
            for parts in _cuts(orgs, 5, MAX_LEN, budget, target=sub):
                row = [natural, *parts, total]
                row.insert(sub_at, sub)
                yield tuple(row)


def solve_subtotal_row(digits: str, sub_at: int) -> RowSolution:
    """An 8-value requests row alone (the 7 columns and 小计 at ``sub_at``),
    under both row rules; like ``solve_row``, ``consistent=False`` when no cut
    satisfies them (the values are then what every cut agrees on)."""
    n = REQUEST_WIDTH + 1
    if not _splittable(digits, n):
        return _hopeless(n)
    cands = _collect(_subtotal_cuts(digits, sub_at, _Budget()))
    if cands:
        return _summarize(n, cands, True)
    return _plain_solution(digits, n, None, consistent=False)


# --- the requests table: rows and columns together ---------------------------


@dataclass
class _Constraint:
    """``const + Σ coef · candidate[col]`` over the variable rows must be 0."""

    const: int
    terms: list[tuple[int, int]] = field(default_factory=list)  # (variable index, coef)
    col: int = 0


def _padded(values: list[int | None] | None, n: int) -> list[int | None]:
    values = list(values or [])[:n]
    return values + [None] * (n - len(values))


def _request_equations(fmt: str | None, printed, filled) -> list[list[tuple[str, int]]]:
    """The format's column rules of the requests table, each as (row key,
    coefficient) terms: the same for every column."""
    layout = layout_of_rows(fmt, printed, filled)
    return [[(row, 1) for row in rel.lhs] + [(row, -1) for row in rel.rhs]
            for rel in format_of(fmt).relations(layout) if rel.table == "requests" and rel.along == COLUMN]


def _constraints(fixed: dict[str, list[int | None]], variables: list[str], fmt: str | None = None) -> list[_Constraint]:
    """The column rules that involve a variable row and no unknown cell."""
    index = {row: i for i, row in enumerate(variables)}
    out = []
    present = set(variables) | {r for r, vals in fixed.items() if any(v is not None for v in vals)}
    for equation in _request_equations(fmt, set(variables) | set(fixed), present):
        for col in range(REQUEST_WIDTH):
            c = _Constraint(0, col=col)
            for row, coef in equation:
                if row in index:
                    c.terms.append((index[row], coef))
                elif row in fixed and fixed[row][col] is not None:
                    c.const += coef * fixed[row][col]
                else:
                    break  # an unknown cell: this rule says nothing
            else:
                if c.terms:
                    out.append(c)
    return out


class _Joint:
    """Backtracking over the ambiguous rows' candidates under the column rules,
    pruned by interval bounds (each unassigned row's least and greatest
    contribution to each rule). Every candidate tried costs a budget step."""

    def __init__(self, domains: list[list[tuple[int, ...]]], constraints: list[_Constraint]):
        self.cands = domains
        self.domains = [list(range(len(d))) for d in domains]
        self.constraints = constraints
        # per variable: (constraint index, coef, column) of every rule it is in
        self.of_var: list[list[tuple[int, int, int]]] = [[] for _ in domains]
        for ci, c in enumerate(constraints):
            for var, coef in c.terms:
                self.of_var[var].append((ci, coef, c.col))
        self.budget = _Budget(JOINT_STEPS)

    def _contribution(self, var: int, i: int) -> list[int]:
        """What candidate ``i`` of ``var`` adds to each of the rules it is in."""
        cand = self.cands[var][i]
        return [coef * cand[col] for _, coef, col in self.of_var[var]]

    def _spans(self, var: int) -> list[tuple[int, int]]:
        """Per rule of ``var``: its least and greatest contribution."""
        contribs = [self._contribution(var, i) for i in self.domains[var]]
        return [(min(c[k] for c in contribs), max(c[k] for c in contribs)) for k in range(len(self.of_var[var]))]

    def _intervals(self) -> list[list[int]]:
        """Per rule: [least, greatest] value its left side can still take."""
        box = [[c.const, c.const] for c in self.constraints]
        for var in range(len(self.domains)):
            for (ci, _, _), (lo, hi) in zip(self.of_var[var], self._spans(var)):
                box[ci][0] += lo
                box[ci][1] += hi
        return box

    def propagate(self) -> bool:
        """Drop candidates no completion can balance; False if a domain empties."""
        changed = True
        while changed:
            changed = False
            box = self._intervals()
            for var in range(len(self.domains)):
                spans = self._spans(var)
                keep = []
                for i in self.domains[var]:
                    self.budget.tick()
                    contrib = self._contribution(var, i)
                    if all(box[ci][0] - lo + x <= 0 <= box[ci][1] - hi + x
                           for (ci, _, _), (lo, hi), x in zip(self.of_var[var], spans, contrib)):
                        keep.append(i)
                if not keep:
                    return False
                if len(keep) < len(self.domains[var]):
                    self.domains[var] = keep
                    changed = True
                    box = self._intervals()
        return True

    def search(self) -> list[set[int]]:
        """The candidate indexes of each variable used by some full solution.

        One first-solution search per candidate not yet seen in a solution
        (rather than listing every solution, which can be exponential)."""
        used: list[set[int]] = [set() for _ in self.domains]
        for var in range(len(self.domains)):
            for i in self.domains[var]:
                if i not in used[var]:
                    for v, j in enumerate(self._solution_with(var, i) or ()):
                        used[v].add(j)
        return used

    def _solution_with(self, var0: int, i0: int) -> list[int] | None:
        """A full assignment that balances every rule, with ``var0`` on its
        candidate ``i0``; None if there is none."""
        n_vars = len(self.domains)
        order = [var0] + sorted((v for v in range(n_vars) if v != var0), key=lambda v: len(self.domains[v]))
        spans = [self._spans(v) for v in range(n_vars)]
        box = self._intervals()  # per rule: [partial + remaining least, partial + remaining greatest]
        assignment = [0] * n_vars

        def shift(var: int, i: int, sign: int) -> bool:
            """Assign (sign +1) or unassign (-1) candidate i; True if still feasible."""
            ok = True
            for (ci, _, _), (lo, hi), x in zip(self.of_var[var], spans[var], self._contribution(var, i)):
                box[ci][0] += sign * (x - lo)
                box[ci][1] += sign * (x - hi)
                ok = ok and box[ci][0] <= 0 <= box[ci][1]
            return ok

        def walk(depth: int) -> bool:
            if depth == n_vars:
                return True
            var = order[depth]
            for i in [i0] if var == var0 else self.domains[var]:
                self.budget.tick()
                assignment[var] = i
                if shift(var, i, +1) and walk(depth + 1):
                    return True
                shift(var, i, -1)
            return False

        return assignment if walk(0) else None


def _joint_candidates(
    domains: dict[str, list[tuple[int, ...]]], fixed: dict[str, list[int | None]], fmt: str | None = None
) -> tuple[dict[str, list[tuple[int, ...]]], bool]:
    """(narrowed candidates per row, consistent) under the column rules."""
    variables = list(domains)
    joint = _Joint([domains[r] for r in variables], _constraints(fixed, variables, fmt))
    try:
        if not joint.propagate():
            return domains, False
    except _Exhausted:
        return domains, True  # undecided: keep every row-consistent split
    try:
        used = joint.search()
    except _Exhausted:  # the propagated domains still hold every solution
        return {r: [domains[r][i] for i in joint.domains[v]] for v, r in enumerate(variables)}, True
    if not any(used):
        return domains, False
    return {r: [domains[r][i] for i in sorted(used[v])] for v, r in enumerate(variables)}, True


def solve_requests(
    known: dict[str, list[int | None]], glued: dict[str, str], fmt: str | None = None
) -> dict[str, RowSolution]:
    """A RowSolution for every glued requests row.

    ``known``: row key → the 7 values already read (None = missing);
    ``glued``: row key → the digit run of a row whose cells were glued (or its
    runs, when gaps or notes cut it: each run holds whole cells). Each
    run is split under its row rule; rows left with several splits are then
    decided together under the column rules. If no combination balances, the
    rows keep their row-rule candidates and say ``consistent=False``.
    """
    fixed = {row: _padded(vals, REQUEST_WIDTH) for row, vals in known.items() if row not in glued}
    out: dict[str, RowSolution] = {}
    domains: dict[str, list[tuple[int, ...]]] = {}
    for row, digits in glued.items():
        runs = [digits] if isinstance(digits, str) else list(digits)
        sol, cands = _solve_runs(runs, REQUEST_WIDTH, True, None)
        if cands and 2 <= len(cands) <= MAX_JOINT_DOMAIN:
            domains[row] = cands
            continue
        out[row] = sol
        fixed[row] = sol.values
    if domains:
        narrowed, consistent = _joint_candidates(domains, fixed, fmt)
        for row, cands in narrowed.items():
            own = _summarize(REQUEST_WIDTH, domains[row], True)
            out[row] = _summarize(REQUEST_WIDTH, cands, consistent)
            out[row].inferred = own.ambiguous - out[row].ambiguous
    return {row: out[row] for row in glued}


# --- the reviews table as one flat run ----------------------------------------


def _segment_table(digits: str, rules: tuple[bool, ...], budget: _Budget) -> list[set[tuple[int, ...]]]:
    """Per row, the cuts used by some cut of ``digits`` into the review rows
    (row i under the row rule when ``rules[i]``). Raises _Exhausted past the bounds."""
    size, rows = len(digits), len(rules)
    memo: dict[tuple[int, int, bool], list[tuple[int, ...]]] = {}

    def row_cuts(start: int, end: int, rule: bool) -> list[tuple[int, ...]]:
        key = (start, end, rule)
        if key not in memo:
            segment = digits[start:end]
            if rule:
                found = _collect(_total_last_cuts(segment, REVIEW_WIDTH, budget))
            else:
                found = _collect(_cuts(segment, REVIEW_WIDTH, MAX_LEN, budget))
            if found is None:
                raise _Exhausted
            memo[key] = found
        return memo[key]

    used: list[set[tuple[int, ...]]] = [set() for _ in rules]

    def walk(start: int, row: int, picked: list[list[tuple[int, ...]]]) -> None:
        if row == rows:
            if start == size:
                for i, cands in enumerate(picked):
                    used[i].update(cands)
            return
        left = rows - row - 1
        for end in range(start + REVIEW_WIDTH, size - left * REVIEW_WIDTH + 1):
            cands = row_cuts(start, end, rules[row])
            if cands:
                walk(end, row + 1, picked + [cands])

    walk(0, 0, [])
    return used


def _review_levels() -> list[tuple[bool, list[tuple[bool, ...]]]]:
    """(consistent, rule sets whose results are pooled), strongest first: every
    row rule; then any one row exempt (one broken row still lets the other two
    place the cut)."""
    every = (True,) * REVIEW_ROWS
    one_off = [tuple(i != j for i in range(REVIEW_ROWS)) for j in range(REVIEW_ROWS)]
    return [(True, [every]), (False, one_off)]


def _by_rows(sol: RowSolution, rows: int, width: int) -> list[RowSolution]:
    """A solution of the whole flat run, as one solution per table row."""
    out = []
    for r in range(rows):
        cols = range(r * width, (r + 1) * width)
        cands = list(dict.fromkeys(c[cols.start:cols.stop] for c in sol.candidates))
        ambiguous = {col - cols.start for col in sol.ambiguous if col in cols}
        out.append(RowSolution(sol.values[cols.start:cols.stop], ambiguous, cands, sol.consistent))
    return out


def solve_reviews_flat(digits: str) -> list[RowSolution]:
    """The reviews table glued into one run (15 values) → 3 RowSolutions of 5.

    Each row's total must be the sum of its first four; if no cut does that,
    one row at a time is let off the rule, and failing that (or when the run
    is too long to search) the digits alone decide (``consistent=False``).
    """
    budget = _Budget()
    if _splittable(digits, REVIEW_ROWS * REVIEW_WIDTH):
        try:
            for consistent, rule_sets in _review_levels():
                pooled: list[set[tuple[int, ...]]] = [set() for _ in range(REVIEW_ROWS)]
                for rules in rule_sets:
                    for acc, found in zip(pooled, _segment_table(digits, rules, budget)):
                        acc.update(found)
                if all(pooled):
                    return [_summarize(REVIEW_WIDTH, sorted(p), consistent) for p in pooled]
        except _Exhausted:
            pass
    flat = _solve(digits, REVIEW_ROWS * REVIEW_WIDTH, False, None)[0]
    flat.consistent = False
    return _by_rows(flat, REVIEW_ROWS, REVIEW_WIDTH)


# --- rows printed as several runs (a space, an annotation between them) ---------------


def _run_cuts(runs: list[str], n: int, budget: _Budget, limit: int = MAX_ROW_CANDIDATES,
              keep=None) -> list[tuple[int, ...]] | None:
    """Every cut of ``runs`` into ``n`` numbers where each run holds whole numbers
    (a space or a note ends a cell: no number spans two runs). ``keep(prefix)``:
    drop cuts whose values so far it refuses. None past the bounds."""
    if not runs or not all(_is_digit_run(r) for r in runs) or sum(map(len, runs)) > MAX_DIGITS:
        return []
    per_run: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def of(i: int, k: int) -> list[tuple[int, ...]]:
        if (i, k) not in per_run:
            found = _collect(_cuts(runs[i], k, _max_len(runs[i], k) if k == 1 else MAX_LEN, budget), limit)
            if found is None:
                raise _Exhausted
            per_run[(i, k)] = found
        return per_run[(i, k)]

    out: list[tuple[int, ...]] = []

    def walk(i: int, left: int, acc: tuple[int, ...]) -> None:
        if i == len(runs):
            if left == 0:
                out.append(acc)
                if len(out) > limit:
                    raise _Exhausted
            return
        rest = len(runs) - i - 1
        for k in range(1, min(len(runs[i]), left - rest) + 1):
            if left - k > sum(len(r) for r in runs[i + 1:]):
                continue
            for cut in of(i, k):
                budget.tick()
                if keep is None or keep(acc + cut):
                    walk(i + 1, left - k, acc + cut)

    try:
        walk(0, n, ())
    except _Exhausted:
        return None
    return out


def solve_runs(runs: list[str], n: int, *, total_last: bool, hints: dict[int, int] | None = None) -> RowSolution:
    """Like ``solve_row`` for a row printed as several digit runs (``1400000 14``):
    every run holds whole cells, so the gaps settle cuts the digits alone would not."""
    sol, _ = _solve_runs(runs, n, total_last, hints)
    return sol


def _solve_runs(runs: list[str], n: int, total_last: bool, hints: dict[int, int] | None) -> tuple[RowSolution, list | None]:
    if len(runs) == 1:
        return _solve(runs[0], n, total_last, hints)
    cands = _run_cuts(runs, n, _Budget())
    if not cands:
        return _hopeless(n), None
    if total_last and n >= 2:
        balanced = [c for c in cands if sum(c[:-1]) == c[-1]]
        if balanced:
            return _summarize(n, _apply_hints(balanced, hints), True), balanced
        return _summarize(n, _apply_hints(cands, hints), False), None
    return _summarize(n, _apply_hints(cands, hints), True), None


def solve_reviews_runs(runs: list[str]) -> list[RowSolution]:
    """The reviews table printed as several digit runs (``10 0 1 200 0 0 0 0 0 0 00``):
    15 values, each run whole cells; each row's 总计 the sum of its first four
    (failing that, one row let off; failing that, what the cuts agree on)."""
    n = REVIEW_ROWS * REVIEW_WIDTH
    if len(runs) == 1:
        return solve_reviews_flat(runs[0])
    def holds(c: tuple[int, ...], r: int) -> bool:
        row = c[r * REVIEW_WIDTH:(r + 1) * REVIEW_WIDTH]
        return sum(row[:-1]) == row[-1]

    def broken(prefix: tuple[int, ...]) -> int:
        return sum(not holds(prefix, r) for r in range(len(prefix) // REVIEW_WIDTH))

    every = _run_cuts(runs, n, _Budget(), keep=lambda p: broken(p) == 0)
    if every:
        return _by_rows(_summarize(n, every, True), REVIEW_ROWS, REVIEW_WIDTH)
    one_off = _run_cuts(runs, n, _Budget(), keep=lambda p: broken(p) <= 1)
    if one_off:
        return _by_rows(_summarize(n, one_off, False), REVIEW_ROWS, REVIEW_WIDTH)
    cands = _run_cuts(runs, n, _Budget())
    if not cands:
        return [_hopeless(REVIEW_WIDTH) for _ in range(REVIEW_ROWS)]
    return _by_rows(_summarize(n, cands, False), REVIEW_ROWS, REVIEW_WIDTH)
