"""Undo/redo/revert against a simple reference model (snapshots on two stacks),
over random sequences of an auditor's actions; and the storage's cached
encoding against plain JSON."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import AuditStore
from store.storage import dumps
from tests.store.helpers import parsed

CELLS = ("requests.new_received.total", "requests.granted.total", "reviews.review.total")

actions = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(CELLS), st.integers(0, 5)),
        st.tuples(st.just("revert"), st.sampled_from(CELLS), st.none()),
        st.tuples(st.just("undo"), st.none(), st.none()),
        st.tuples(st.just("redo"), st.none(), st.none()),
    ),
    max_size=25,
)


class Model:
    """What an editor does: every action that changes something can be undone, then redone."""

    def __init__(self, parsed_values: dict):
        self.parsed = dict(parsed_values)
        self.state = {c: (v, False) for c, v in parsed_values.items()}
        self.undo: list[dict] = []
        self.redo: list[dict] = []

    def _change(self, cell, new):
        self.undo.append(dict(self.state))
        self.redo.clear()
        self.state[cell] = new

    def apply(self, kind, cell, value) -> bool:
        """Apply; whether the store should have written an entry."""
        if kind == "edit":
            self._change(cell, (value, True))
        elif kind == "revert":
            if not self.state[cell][1]:
                return False
            self._change(cell, (self.parsed[cell], False))
        elif kind == "undo":
            if not self.undo:
                return False
            self.redo.append(dict(self.state))
            self.state = self.undo.pop()
        else:
            if not self.redo:
                return False
            self.undo.append(dict(self.state))
            self.state = self.redo.pop()
        return True


def _observed(store, rid) -> dict:
    cur = store.current_report(rid)
    out = {}
    for c in CELLS:
        t, r, col = c.split(".")
        out[c] = (cur["tables"][t][r][col], "corrected" in (cur["provenance"].get(c) or {}).get("flags", []))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_undo_redo_revert_behave_like_an_editor(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("model") / "audit.json"
    with AuditStore.open(path) as s:
        rid = s.import_parsed(parsed(), "/r/a.txt").report_id
        model = Model({c: s.value(rid, c) for c in CELLS})
        for kind, cell, value in steps:
            n = len(s.corrections(rid))
            wrote = model.apply(kind, cell, value)
            # bound now, not when called (a closure over the loop variables would see later values)
            result = {"edit": lambda c=cell, v=value: s.correct(rid, c, v), "revert": lambda c=cell: s.revert(rid, c),
                      "undo": lambda: s.undo(rid), "redo": lambda: s.redo(rid)}[kind]()
            assert (result is not None) == wrote and len(s.corrections(rid)) == n + wrote
            assert _observed(s, rid) == model.state
    with AuditStore.open(path) as s:  # the same after reopening from disk
        assert _observed(s, rid) == model.state
        assert sum(flag for _, flag in model.state.values()) == s.list_reports()[0].corrections


def test_cached_encoding_equals_plain_json(tmp_path):
    path = tmp_path / "audit.json"
    with AuditStore.open(path) as s:
        a = s.import_parsed(parsed(), "/r/a.txt").report_id
        b = s.import_parsed(parsed(year=2023), "/r/b.txt").report_id
        for i in range(3):
            s.correct(a, CELLS[0], i)
            s.add_note(b, f"备注 {i}")
            s.set_status(a, ("审核中", "已完成", "未审核")[i])
            on_disk = path.read_bytes()
            assert on_disk == dumps(json.loads(on_disk))
            assert json.loads(on_disk) == s._storage.read()
