"""A slice of display text → lines of cell tokens, for every text layout.

Owns how the layouts of real reports are cut into cells: ``|``-separated rows
(and Markdown tables, and rows the structured readers render), tab-separated
PDF/OCR text, ``pdftotext -layout`` text aligned by runs of spaces (each token
keeps its display column ``x``), one cell per line, and crawler text where a
whole table is glued into one long run (label text and digit runs are cut
apart at their boundaries; sub-row numbers like the ``2`` of ``00000002.其他``
stay with their label). Page footers and Markdown rule lines are dropped.

Every token keeps its character span in the display text, so provenance can
point at it. Tokens do not know which table or row they belong to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .labels import has_cjk
from .numbers import is_value_text, parse_value

LABEL, VALUE, EMPTY, JUNK = "label", "value", "empty", "junk"
WORDS = "words"  # the mode of values parted by single spaces: order known, columns not
GLUED_SCAN_MIN = 60  # cells longer than this are scanned for glued digit runs
CACHED_LINE_MAX = 400  # longer lines (crawler text on one line) are not kept in the shape cache

_FOOTER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|共\s*\d{1,3}\s*页\s*第\s*\d{1,3}\s*页|page\s*\d+)\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_WORD = re.compile(r"\S+")
_ENDS_NUMBERING = re.compile(r"[.、．]\s*$")
_SPACE_SPLIT = re.compile(r"(?:\s{2,}|\u3000)+")
# "32,307" is one number; "…00001,164" one run (a separator before 3 digits never ends a run)
# A sign glued after a digit starts a signed cell (2019 本年增/减: "34-58" is 34 | -5 | 8).
_GLUED_RUN = re.compile(r"(?:(?<=[0-9０-９])[+\-＋－])?[0-9０-９]+(?:[,，](?=[0-9０-９]{3})[0-9０-９]+)*(?:[.．][0-9０-９]+)?")
# 政府集中采购 (2019 format): its amount is printed with its unit, glued to the item count.
_PROCUREMENT = re.compile(r"采购(?:总金额)?\s*$")
# Words only a table prints: a long cell with two of them is a glued table, not prose.
_TABLE_WORDS = ("信息内容", "本年制发件数", "现行有效件数", "本年处理决定数量", "申请人情况", "商业企业", "科研机构",
                "本年新收政府信息公开申请数量", "（七）总计", "(七)总计", "结果维持", "尚未审结", "行政规范性文件",
                "属于国家秘密", "本年新制作数量")
_UNIT_AFTER = "年月日件位%％个条次号万元人家项"
_TRAILING_NUM = re.compile(r"^(?P<label>.*[\u4e00-\u9fff)）\"”])(?P<sp>\s*)(?P<num>[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)$")


@dataclass(slots=True)
class Token:
    kind: str  # LABEL, VALUE, EMPTY (an empty cell between separators), JUNK
    text: str
    start: int  # offsets in the display text
    end: int
    line: int  # index of the line within the slice
    x: int = 0  # display column (wide characters count 2), for space-aligned text
    mode: str = "space"  # how the line was cut: "tab", "pipe", "space" (aligned), WORDS
    glued: bool = False  # a digit run stuck to its label (crawler text)
    col: int = 0  # character index within its line (pdftotext may align by characters, not display columns)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide (W/F) characters count 2."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def is_footer(line: str) -> bool:
    """A page number line: "- 4 -", "— 5 —", "第 4 页", "4/10", "=== 第 3 页 ===" (page markers),
    also written as a cell ("- 4 - |" in one-cell-per-line text)."""
    return bool(_FOOTER.match(line.replace("\f", "").strip("=*#·•_ |")))


def tokenize(text: str, start: int, end: int) -> list[list[Token]]:
    """The lines of ``text[start:end]`` as token lists (footers and rules dropped)."""
    lines: list[list[Token]] = []
    pos = start
    chunk = text[start:end]
    raw_lines = chunk.split("\n")
    for n, line in enumerate(raw_lines):
        line_start = pos
        pos += len(line) + 1
        if _is_page_number(line, raw_lines[n + 1] if n + 1 < len(raw_lines) else ""):
            continue
        shape = line_shape(line)
        if shape:
            lines.append(
                [
                    Token(kind, line[a:b], line_start + a, line_start + b, n, x, mode, glued, a)
                    for kind, a, b, x, mode, glued in shape
                ]
            )
    return lines


def _is_page_number(line: str, next_line: str) -> bool:
    """A bare number just before a page break (pdftotext's form feed)."""
    return ("\f" in next_line or "\f" in line) and line.replace("\f", "").strip().isdigit() and len(line.strip()) <= 3


def line_shape(line: str) -> tuple[tuple, ...]:
    """A line's tokens as (kind, start, end, x, mode, glued), offsets in the line.

    Short lines are cached: tables repeat lines ("| 0 | 0 |", their row
    labels) within a report and across reports."""
    return _cached_shape(line) if len(line) <= CACHED_LINE_MAX else _shape(line)


def _shape(line: str) -> tuple[tuple, ...]:
    if not line.strip() or is_footer(line) or _RULE.match(line):
        return ()
    return tuple(_tokenize_line(line))


_cached_shape = functools.lru_cache(maxsize=4096)(_shape)


def clear_line_cache() -> None:
    """Forget cached line shapes (benchmarks measuring a first parse)."""
    _cached_shape.cache_clear()


def _cells(line: str) -> tuple[str, list[tuple[int, int]]]:
    """(mode, [(start, end) of each cell within the line])."""
    if "\t" in line or "|" in line:
        mode, sep = ("tab", "\t") if "\t" in line else ("pipe", "|")
        spans, last = [], 0
        for part in line.split(sep):
            spans.append((last, last + len(part)))
            last += len(part) + 1
    else:
        mode, spans, last = "space", [], 0
        for m in _SPACE_SPLIT.finditer(line):
            spans.append((last, m.start()))
            last = m.end()
        spans.append((last, len(line)))
    out = []
    for a, b in spans:
        cell = line[a:b]
        stripped = cell.strip()
        if stripped:
            a += len(cell) - len(cell.lstrip())
            b = a + len(stripped)
        else:
            b = a
        out.append((a, b))
    return mode, out


def _tokenize_line(line: str) -> list[tuple]:
    """One line's cells → (kind, start, end, x, mode, glued) shapes."""
    # Separators after the last cell (Markdown pipes, filler tabs) carry no cells.
    if "\t" in line:
        line = line.rstrip(" \t\u3000")
    elif "|" in line:
        if line.strip() == "|":  # " |" alone: a blank cell in one-cell-per-line text
            bar = line.index("|")
            return [(EMPTY, bar, bar, bar, "pipe", False)]
        line = line.rstrip(" |\u3000")
    mode, spans = _cells(line)
    if mode == "pipe" and line.startswith("|"):
        spans = spans[1:]  # a Markdown row's left border, not a cell (" | 0" is: a blank first cell)
    shapes: list[tuple] = []
    # Display columns matter only for space-aligned text (x-positions).
    aligned = mode == "space"
    col, col_at = 0, 0  # display column of line[col_at], advanced token by token (long lines)
    for a, b in spans:
        if a == b:
            if not aligned:
                shapes.append((EMPTY, a, a, a, mode, False))
            continue
        pieces = _refine(line[a:b])
        # Values parted by single spaces inside one cell carry no column alignment.
        piece_mode = WORDS if aligned and sum(k == VALUE for _, _, k, _ in pieces) > 1 else mode
        for ta, tb, kind, glued in pieces:
            s = a + ta
            if aligned:
                col, col_at = col + display_width(line[col_at:s]), s
            shapes.append((kind, s, a + tb, col if aligned else s, piece_mode, glued))
    # Separators around the row (Markdown pipes, trailing fillers) carry no cells.
    while shapes and shapes[-1][0] == EMPTY:
        shapes.pop()
    return shapes


def _refine(cell: str) -> list[tuple[int, int, str, bool]]:
    """One cell → (start, end, kind, glued) pieces within the cell."""
    if cell.isdigit() and cell.isascii():
        return [(0, len(cell), VALUE, len(cell) > 1 and cell[0] == "0")]
    if is_value_text(cell):
        # "000" or "0120" in one cell: several cells whose separators were lost
        glued = len(cell) > 1 and cell[0] in "0０" and cell.isdigit()
        return [(0, len(cell), VALUE, glued)]
    words = [(m.start(), m.end()) for m in _WORD.finditer(cell)]
    if len(words) > 1 and all(is_value_text(cell[a:b]) for a, b in words):
        return [(a, b, VALUE, False) for a, b in words]
    if not has_cjk(cell):
        return [(0, len(cell), JUNK, False)]
    if len(cell) > GLUED_SCAN_MIN and sum(w in cell for w in _TABLE_WORDS) >= 2:
        return _glued_scan(cell)
    # "规章 0 0 0", "行政许可 15889", "规章000" (glued)
    k = len(words)
    # (a cell that is one word is already known not to be a value: no trailing values)
    while k > 1 and is_value_text(cell[words[k - 1][0] : words[k - 1][1]]):
        k -= 1
    if 0 < k < len(words) and has_cjk(cell[: words[k - 1][1]]):
        label_end = words[k - 1][1]
        return [(0, label_end, LABEL, False)] + [(a, b, VALUE, False) for a, b in words[k:]]
    m = _TRAILING_NUM.match(cell)
    if m and not _ENDS_NUMBERING.search(m.group("label")) and not _is_heading_number(m.group("label")):
        num_start = m.start("num")
        return [(0, len(m.group("label")), LABEL, False), (num_start, len(cell), VALUE, not m.group("sp"))]
    return [(0, len(cell), LABEL, False)]


def _is_heading_number(label: str) -> bool:
    """"第二十条第" + digits is never a value; neither is 保留4 (位小数)."""
    return label.endswith(("第", "保留", "共"))


def _glued_scan(cell: str) -> list[tuple[int, int, str, bool]]:
    """Crawler text: label text and digit runs alternate with no separator."""
    out: list[tuple[int, int, str, bool]] = []
    text_start = 0
    for m in _GLUED_RUN.finditer(cell):
        a, b = m.span()
        after = cell[b : b + 2]
        if after[:1] and after[:1] in ".、．" and not after[1:2].isdigit():
            b -= 1  # the last digit numbers the next label: "00000002.其他…"
        elif after[:1] and after[:1] in "万元" and _PROCUREMENT.search(cell[text_start:a]):
            b += 2 if after == "万元" else 1  # "政府集中采购4123.45万元": the amount with its unit
        elif after[:1] and after[:1] in _UNIT_AFTER:
            continue  # "77件", "2023年": narrative, not a cell
        if b <= a:
            continue
        if a > text_start and cell[a - 1 : a] in "第":
            continue
        if a > text_start:
            out.append((text_start, a, LABEL, False))
        out.append((a, b, VALUE, True))
        text_start = b
    if text_start < len(cell):
        out.append((text_start, len(cell), LABEL, False))
    out = [piece for a, b, k, g in out for piece in (_split_labels(cell, a, b) if k == LABEL else [(a, b, k, g)])]
    return [(a, b, k, g) for a, b, k, g in out if cell[a:b].strip()]


# Where a row label starts inside glued label text: "…政府信息公开申请3.其他" (a row
# printed empty runs straight into the next label: each is a label of its own,
# so the next row's values never fall into the empty one).
_LABEL_START = re.compile(
    r"(?<=[\u4e00-\u9fff）)”\"])(?=\d[.、．][\u4e00-\u9fff]|[（(][一二三四五六七][）)][\u4e00-\u9fff](?<!项)|[一二三四]、[\u4e00-\u9fff])"
)


def _split_labels(cell: str, a: int, b: int) -> list[tuple[int, int, str, bool]]:
    cuts = [a] + [m.start() for m in _LABEL_START.finditer(cell, a, b) if a < m.start() < b] + [b]
    return [(x, y, LABEL, False) for x, y in zip(cuts, cuts[1:])]


def value_of(token: Token, *, money: bool = False, signed: bool = False):
    return parse_value(token.text, money=money, signed=signed)
