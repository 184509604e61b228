"""A writing process killed with SIGKILL at random moments loses no saved correction."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from store import AuditStore
from tests.conftest import ROOT

CHILD = r"""
import sys
from store import AuditStore
from tests.store.helpers import parsed
store = AuditStore.open(sys.argv[1], auditor="crash")
assert not store.read_only, "lock not released by the killed process"
rid = store.import_parsed(parsed(), "/r/luding.txt").report_id
paths = ["requests.new_received.total", "requests.granted.total", "active.fees.amount"]
i = int(sys.argv[2])
while True:
    i += 1
    path = paths[i % 3]
    value = str(i) if path == "active.fees.amount" else i
    entry = store.correct(rid, path, value, reason=f"save {i}")
    print(entry["id"], path, entry["after"], flush=True)
    if i % 7 == 0:
        note = store.add_note(rid, f"note {i}")
        print("note", note["id"], flush=True)
"""


def _run_and_kill(db, start: int, rng: random.Random) -> list[str]:
    """Start a saving child, let it save for a random moment, SIGKILL it; its output lines."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(start)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    first = threading.Event()

    def read():
        for line in child.stdout:
            lines.append(line)
            first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    first.wait(timeout=10)  # the child is saving
    time.sleep(rng.uniform(0.0, 0.4))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reader.join(timeout=5)
    err = child.stderr.read()
    assert "Traceback" not in err, err
    return [line for line in lines if line.endswith("\n")]


@pytest.mark.slow
def test_sigkill_during_saves_loses_nothing_that_was_acknowledged(tmp_path):
    db = tmp_path / "audit.json"
    rng = random.Random(5)
    acknowledged: list[tuple[int, str, str]] = []
    notes: list[int] = []
    deadline = time.monotonic() + 18
    rounds = 0
    while rounds < 8 and time.monotonic() < deadline:
        for line in _run_and_kill(db, rounds * 10_000, rng):
            parts = line.split()
            if parts[0] == "note":
                notes.append(int(parts[1]))
            else:
                acknowledged.append((int(parts[0]), parts[1], parts[2]))
        rounds += 1
    assert rounds >= 3 and len(acknowledged) >= rounds, (rounds, len(acknowledged))
    with AuditStore.open(db) as s:
        assert not s.read_only
        [summary] = s.list_reports()
        saved = {c["id"]: (c["path"], str(c["after"])) for c in s.corrections(summary.id)}
        for cid, path, after in acknowledged:
            assert saved.get(cid) == (path, after), f"correction {cid} was acknowledged but is lost"
        assert set(notes) <= {n["id"] for n in s.notes(summary.id)}
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]  # temporaries cleaned on open
