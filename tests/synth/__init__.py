"""Synthetic reports for measuring the parser on layouts it has not seen.

``tables`` makes random balanced ``gipr/1`` tables, ``render`` writes a whole
report around them in one of the layouts real reports arrive in, and
``score`` parses the bytes back and classifies every cell as correct, flagged
or SILENT (wrong and unflagged), with the semantics of
``../shared/tools/score_extraction.py``.
"""

from .pdf_layouts import PDF_LAYOUTS  # noqa: E402  (PDFs written by hand, registered as layouts)
from .render import LAYOUTS  # noqa: E402

LAYOUTS.update(PDF_LAYOUTS)
