"""The benchmark harness: registry, timing, report."""

from __future__ import annotations

import importlib
import json
import pkgutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from collections.abc import Callable


@dataclass
class Bench:
    name: str
    func: Callable
    repeat: int
    unit: str
    target: float | None  # in `unit`, median must be <= target (an absolute bound, for reference)
    note: str = ""
    extra: dict = field(default_factory=dict)
    floor: str | None = None  # a floor of benchmarks/floors.py measured in the same run
    ratio: float | None = None  # the verdict: median / floor's median must be <= ratio


REGISTRY: list[Bench] = []
_SCALE = {"s": 1.0, "ms": 1e3, "us": 1e6, "%": 1.0}  # "%": samples are already percentages


def benchmark(name: str, *, repeat: int = 20, unit: str = "ms", target: float | None = None, note: str = "",
              floor: str | None = None, ratio: float | None = None):
    """Register a benchmark. With ``floor`` and ``ratio`` the verdict is the
    ratio of its median to the floor's, measured in the same run (the same on
    any machine); ``target`` alone judges the absolute median (this machine)."""
    def deco(func):
        REGISTRY.append(Bench(name, func, repeat, unit, target, note, floor=floor, ratio=ratio))
        return func

    return deco


def _time(bench: Bench) -> tuple[list[float], dict]:
    """Samples in seconds, plus extra fields the benchmark reports."""
    made = bench.func()
    extra: dict = {}
    if isinstance(made, tuple) and len(made) == 2 and isinstance(made[1], dict):
        made, extra = made
    if callable(made):
        made()  # warm-up
        samples = []
        for _ in range(bench.repeat):
            t0 = time.perf_counter()
            made()
            samples.append(time.perf_counter() - t0)
        return samples, extra
    return list(made), extra


def discover() -> None:
    import benchmarks

    for mod in pkgutil.iter_modules(benchmarks.__path__):
        if mod.name.startswith("bench_"):
            importlib.import_module(f"benchmarks.{mod.name}")


def run_all(selectors: list[str] | None = None) -> int:
    discover()
    chosen = [b for b in REGISTRY if not selectors or any(s in b.name for s in selectors)]
    rows = []
    lines = []
    failed = 0
    for b in chosen:
        try:
            samples, extra = _time(b)
        except Exception as e:  # a broken benchmark is reported, the others still run
            rows.append((b.name, "ERROR", "", "", "", f"{type(e).__name__}: {e}"))
            failed += 1
            continue
        k = _SCALE[b.unit]
        med, lo, hi = statistics.median(samples) * k, min(samples) * k, max(samples) * k
        verdict = ""
        if b.floor is not None and b.ratio is not None and b.unit != "%":
            from .floors import floor_seconds

            base = floor_seconds(b.floor)
            r = statistics.median(samples) / base
            ok = r <= b.ratio
            failed += not ok
            extra = {**extra, "floor": b.floor, "floor_ms": round(base * 1e3, 3), "ratio": round(r, 2),
                     "ratio_target": b.ratio}
            verdict = f"{'ok' if ok else 'OVER'} ({r:.2f}× {b.floor}, target ≤ {b.ratio:g}×)"
        elif b.target is not None:
            ok = med <= b.target
            failed += not ok
            verdict = f"{'ok' if ok else 'OVER'} (target ≤ {b.target:g} {b.unit})"
        note = " ".join(filter(None, [verdict, b.note, " ".join(f"{k2}={v}" for k2, v in extra.items())]))
        rows.append((b.name, f"{med:.3f}", f"{lo:.3f}", f"{hi:.3f}", b.unit, note))
        lines.append(
            json.dumps({"name": b.name, "median": round(med, 4), "min": round(lo, 4), "max": round(hi, 4),
                        "unit": b.unit, "n": len(samples), "target": b.target, **extra}, ensure_ascii=False)
        )
    widths = [max(len(str(r[i])) for r in rows + [("benchmark", "median", "min", "max", "unit", "")]) for i in range(5)]
    head = ("benchmark", "median", "min", "max", "unit")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))) + "  note")
    for r in rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r[:5], widths))) + "  " + r[5])
    print()
    for line in lines:
        print(line)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    return run_all(list(sys.argv[1:] if argv is None else argv))
