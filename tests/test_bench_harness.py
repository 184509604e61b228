"""`make bench` judges a benchmark by its ratio to a floor measured in the same run."""

from __future__ import annotations

import benchmarks.floors as floors
import benchmarks.harness as harness


def _run_one(monkeypatch, capsys, seconds: float, floor_seconds: float, ratio: float) -> tuple[int, str]:
    monkeypatch.setattr(harness, "REGISTRY", [])
    monkeypatch.setattr(harness, "discover", lambda: None)
    monkeypatch.setattr(floors, "_measured", {"python": floor_seconds})
    harness.benchmark("fake.work", repeat=3, unit="ms", floor="python", ratio=ratio)(lambda: [seconds] * 3)
    code = harness.run_all(["fake"])
    return code, capsys.readouterr().out


def test_a_benchmark_within_its_ratio_passes_whatever_the_machine(monkeypatch, capsys):
    # a slow machine: everything takes 10× longer, floor included
    code, out = _run_one(monkeypatch, capsys, seconds=0.030, floor_seconds=0.010, ratio=4)
    assert code == 0 and "3.00× python" in out and '"ratio": 3.0' in out


def test_a_benchmark_over_its_ratio_fails(monkeypatch, capsys):
    code, out = _run_one(monkeypatch, capsys, seconds=0.050, floor_seconds=0.010, ratio=4)
    assert code == 1 and "OVER" in out
