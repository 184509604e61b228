"""A writing process killed with SIGKILL at random moments loses no saved correction."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
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


@pytest.mark.slow
def test_sigkill_during_saves_loses_nothing_that_was_acknowledged(tmp_path):
    db = tmp_path / "audit.json"
    rng = random.Random(5)
    acknowledged: list[tuple[int, str, str]] = []
    notes: list[int] = []
    start = 0
    deadline = time.monotonic() + 15
    rounds = 0
    while rounds < 8 and time.monotonic() < deadline:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(start)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.4, 1.2))
        os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        assert "Traceback" not in err, err
        for line in out.splitlines():
            parts = line.split()
            if parts[0] == "note" and len(parts) == 2:
                notes.append(int(parts[1]))
            elif len(parts) == 3:
                acknowledged.append((int(parts[0]), parts[1], parts[2]))
        start += 10_000
        rounds += 1
    assert rounds >= 4 and len(acknowledged) >= 20, (rounds, len(acknowledged))
    with AuditStore.open(db) as s:
        assert not s.read_only
        [summary] = s.list_reports()
        saved = {c["id"]: (c["path"], str(c["after"])) for c in s.corrections(summary.id)}
        for cid, path, after in acknowledged:
            assert saved.get(cid) == (path, after), f"correction {cid} was acknowledged but is lost"
        assert set(notes) <= {n["id"] for n in s.notes(summary.id)}
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]  # temporaries cleaned on open
