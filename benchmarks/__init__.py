"""Named benchmarks: `make bench` (or `python -m benchmarks [NAME-SUBSTRING ...]`).

Each ``bench_*.py`` module here registers functions with ``@benchmark``. A
benchmark function returns a callable to time (set-up happens outside the
timing), or a list of ``(name, seconds)`` samples when it measures itself
(e.g. inside a running app). The harness prints a table of median/min/max and
one JSON line per benchmark so results can be compared across commits.
"""

from .harness import benchmark, run_all  # noqa: F401
