"""Speed of the glued-digit split solver (parsing/layout/glued.py)."""

from __future__ import annotations

from parsing.layout.glued import solve_requests, solve_reviews_flat
from parsing.model.schema import REQUESTS
from tests.parsing.test_glued import AMBIG_A, AMBIG_B, PINGTAN_REVIEWS_RUN, PINGTAN_RUNS, build_table, glue

from .harness import benchmark


@benchmark("glued.solve_requests_pingtan", floor="python", ratio=2, repeat=50, unit="ms", target=10,
           note="all 25 real pingtan requests rows glued, rows + column rules")
def solve_requests_pingtan():
    return lambda: solve_requests({}, PINGTAN_RUNS)


@benchmark("glued.solve_reviews_pingtan", floor="python", ratio=2, repeat=50, unit="ms", target=10, note="the real flat reviews run")
def solve_reviews_pingtan():
    return lambda: solve_reviews_flat(PINGTAN_REVIEWS_RUN)


@benchmark("glued.solve_requests_ambiguous", floor="python", ratio=4.5, repeat=20, unit="ms", target=20,
           note="constructed table, two rows whose cuts can swap, all rows glued")
def solve_requests_ambiguous():
    table = build_table({"granted": AMBIG_A, "partially_granted": AMBIG_B}, [3, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    glued = {row: glue(vals) for row, vals in table.items()}
    return lambda: solve_requests({}, glued)


@benchmark("glued.worst_case_long_runs", repeat=3, unit="ms",
           note="25 rows of forty 1s: every search hits its bound")
def worst_case_long_runs():
    glued = {r.key: "1" * 40 for r in REQUESTS.rows}
    return lambda: solve_requests({}, glued)


@benchmark("glued.adversarial_table", repeat=5, unit="ms",
           note="every outcome row cut-ambiguous: the joint search hits its budget")
def adversarial_table():
    from tests.parsing.test_glued import adversarial_table as table

    glued = {row: glue(vals) for row, vals in table().items()}
    return lambda: solve_requests({}, glued)
