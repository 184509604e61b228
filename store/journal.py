"""The corrections log of one report, replayed (pure functions).

The log is append-only. Entry kinds:

- ``edit``: the auditor sets a cell (``after``); the cell counts as corrected,
  also when the value equals the current one (it confirms the cell);
- ``revert``: the cell goes back to its parsed value, no longer corrected;
- ``undo``: compensates entry ``undoes`` (the top of the undo stack),
  restoring the cell as it was before that entry;
- ``redo``: re-applies the latest undone entry (``redoes``), cancelling the
  undo entry ``undoes``.

A new edit or revert clears the redo stack, as in every editor. The current
value of a cell is its parsed value with every entry for it applied in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

EDIT, REVERT, UNDO, REDO = "edit", "revert", "undo", "redo"
KINDS = (EDIT, REVERT, UNDO, REDO)


@dataclass(frozen=True)
class CellState:
    value: object
    corrected: bool


@dataclass
class Replay:
    cells: dict[str, CellState] = field(default_factory=dict)  # only cells the log touched
    undo_stack: list[dict] = field(default_factory=list)  # applying entries, oldest first
    redo_stack: list[tuple[dict, dict]] = field(default_factory=list)  # (undo entry, entry to re-apply)

    def corrected_paths(self) -> list[str]:
        return [p for p, s in self.cells.items() if s.corrected]


def replay(entries: Iterable[dict], parsed_value: Callable[[str], object]) -> Replay:
    """Apply ``entries`` (one report's log, in id order) to the parsed values."""
    r = Replay()
    by_id: dict[int, dict] = {}
    before: dict[int, CellState] = {}
    after: dict[int, CellState] = {}
    for e in entries:
        path, kind = e["path"], e["kind"]
        cur = r.cells.get(path) or CellState(parsed_value(path), False)
        if kind == EDIT:
            new = CellState(e["after"], True)
        elif kind == REVERT:
            new = CellState(parsed_value(path), False)
        elif kind == UNDO:
            new = before.get(e["undoes"], cur)
            r.undo_stack = [x for x in r.undo_stack if x["id"] != e["undoes"]]
            if e["undoes"] in by_id:
                r.redo_stack.append((e, by_id[e["undoes"]]))
        elif kind == REDO:
            new = after.get(e["redoes"], CellState(e["after"], True))
            r.redo_stack = [x for x in r.redo_stack if x[0]["id"] != e["undoes"]]
        else:  # a kind written by a newer program: keep its value
            new = CellState(e.get("after"), True)
        if kind in (EDIT, REVERT):
            r.redo_stack.clear()
        if kind in (EDIT, REVERT, REDO):
            r.undo_stack.append(e)
        by_id[e["id"]] = e
        before[e["id"]], after[e["id"]] = cur, new
        r.cells[path] = new
    return r
