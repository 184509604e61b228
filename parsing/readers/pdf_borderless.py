"""Rows of tables drawn without ruling lines, put back on one line.

Without ruling lines there are no cells to read, so such a table comes out as
lines of text with its columns separated by spaces (the assembler reads those
like any copied text, and flags what it cannot place). One layout breaks that:
a row whose label wraps over several lines has its values centred vertically,
so they land on a line of their own, between or beside the label's lines
("（二）部分公开（区分处理的，只计这一情" / "6 0 0 0 0 0" / "形，不计其他情形）").
Read as text, those values would be taken for a row of their own or joined to
the wrong label. Here a line of nothing but numbers is moved onto the label
line it belongs to, when that is clear: a neighbouring line (within about a
line's height) with text and with no number in the same columns. Of two such
neighbours, the one whose label ends further right is the row's own label
(the cells nearest the values name the row; a label further left is a merged
cell spanning several rows).
"""

from __future__ import annotations

import re

from .pdf_geometry import Line, Word

_NUMBER_RE = re.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?%?$")
MIN_TABULAR_LINES = 3  # lines with three or more separate numbers: a table is there
NEIGHBOUR = 1.2  # font sizes: how far (centre to centre) a row's label line may be


def is_number(word: Word) -> bool:
    return bool(_NUMBER_RE.match(word.text))


def ends_with_value(line: Line) -> bool:
    """True for a line like "规章 0 0 3": its last word is a number standing apart."""
    return len(line.words) > 1 and is_number(line.words[-1])


def _numbers(line: Line) -> list[Word]:
    return [w for w in line.words if is_number(w)]


def _labels(line: Line) -> list[Word]:
    return [w for w in line.words if not is_number(w)]


def _overlaps(a: list[Word], b: list[Word]) -> bool:
    return any(x.x0 < y.x1 and y.x0 < x.x1 for x in a for y in b)


def regroup_rows(lines: list[Line]) -> list[Line]:
    """``lines`` (top to bottom) with value-only lines moved onto their row's label line."""
    if sum(1 for ln in lines if len(_numbers(ln)) >= 3) < MIN_TABULAR_LINES:
        return lines
    out = list(lines)
    i = 0
    while i < len(out):
        line = out[i]
        if line.words and not _labels(line):
            target = _row_label(out, i)
            if target is not None:
                out[target] = _merge(out[target], line)
                del out[i]
                continue
        i += 1
    return out


def _row_label(lines: list[Line], i: int) -> int | None:
    """The index of the label line that the value-only line ``lines[i]`` belongs to, or None."""
    values = lines[i]
    best: tuple[float, float, int] | None = None
    for j in (i - 1, i + 1):
        if not 0 <= j < len(lines):
            continue
        cand = lines[j]
        labels = _labels(cand)
        if not labels or abs(cand.cy - values.cy) > NEIGHBOUR * max(cand.size, values.size):
            continue
        if _overlaps(_numbers(cand), values.words) or max(w.x1 for w in labels) > min(w.x0 for w in values.words):
            continue
        key = (max(w.x1 for w in labels), -abs(cand.cy - values.cy), j)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best is not None else None


def _merge(label: Line, values: Line) -> Line:
    words = sorted(label.words + values.words, key=lambda w: w.x0)
    return Line(
        text=" ".join(w.text for w in words),
        top=label.top,
        bottom=label.bottom,
        x0=min(label.x0, values.x0),
        x1=max(label.x1, values.x1),
        size=label.size,
        words=words,
    )
