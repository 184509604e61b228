"""What the parser hands to the rest of the program."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParsedReport:
    """A parsed report.

    ``report`` is the ``gipr/1`` dict of docs/REPORT_SCHEMA.md without
    ``findings`` (the checks add those): ``schema``, ``source``, ``meta``,
    ``tables``, ``provenance`` and these additions, always present:

    - ``extra_cells``: ``{path: value}`` for cells outside the standard keys
      that some reports print and that are checkable, e.g. subtotal rows
      ``requests.subtotal_denied.<col>`` (also ``subtotal_unable``,
      ``subtotal_rejected``, ``subtotal_other``) and the 8th column
      ``requests.<row>.legal_entity_subtotal`` (法人或其他组织小计). Each has a
      ``provenance`` entry like a standard cell.
    - ``notes``: ``[{"table": "reviews", "text": "注：…", "span": [a, b]}]``,
      notes printed with a table that change its meaning.
    - ``sections``: ``[{"key": "overview"|"active"|"requests"|"reviews"|
      "problems"|"other", "title": "一、总体情况", "span": [a, b]}]``, the
      six statutory sections as found in the display text (``span`` covers the
      section from its heading to the next section), in order of appearance.
    - ``warnings``: ``["…"]``, one-line messages about the document as a whole
      (e.g. "表格在申请情况表中被截断").

    ``text`` is the display text: what the app's source pane shows, and what
    every provenance ``span`` indexes into.
    """

    report: dict
    text: str
    # Paged sources (PDF): [(page_number, offset in text)], so the app can jump to a page.
    pages: list[tuple[int, int]] = field(default_factory=list)
