"""Display text → the three tables with provenance. (Issue 3: helper-owned placeholder.)

Contract: ``assemble(doc: Document, fmt: str) -> Assembly``.

- ``tables``: the ``gipr/1`` tables for ``fmt`` (schema.empty_tables shape),
  a value where the source states one, ``None`` where it does not (a blank is
  never a zero).
- ``provenance``: one entry per standard cell (and per extra cell):
  ``{"raw": "34", "span": [start, end], "flags": [...]}``; ``span`` indexes
  ``doc.text``. A cell with no value: ``raw`` "" and flag "missing", ``span``
  an empty range where the value should have been (e.g. at the end of its
  row label) or None when its row was not found at all.
- ``extra_cells``, ``notes``, ``warnings``: see ``ParsedReport``.
- ``values_found``: how many table cells got a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document
from .schema import FLAG_MISSING, cell_paths, empty_tables


@dataclass
class Assembly:
    tables: dict
    provenance: dict
    extra_cells: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    values_found: int = 0


def assemble(doc: Document, fmt: str) -> Assembly:
    prov = {p: {"raw": "", "span": None, "flags": [FLAG_MISSING]} for p in cell_paths(fmt)}
    return Assembly(tables=empty_tables(fmt), provenance=prov)
