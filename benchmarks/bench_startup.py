"""Start-up time of the command line (a new process each run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("gipr-tui"))
SAMPLE = str(ROOT / "sample_reports" / "2024-luding-county.txt")


def _runner(*args: str):
    env = dict(os.environ, GIPR_DB=os.devnull)

    def go():
        subprocess.run([EXE, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return go


@benchmark("cli.version_startup", floor="process", ratio=2.5, repeat=10, unit="ms", note="gipr-tui --version, new process")
def version_startup():
    return _runner("--version")


@benchmark("cli.extract_sample", floor="process", ratio=8, repeat=10, unit="ms", note="gipr-tui extract --json on a sample, new process")
def extract_sample():
    return _runner("extract", "--json", SAMPLE)
