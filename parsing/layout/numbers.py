"""One table cell's text → its value (or "no value"), with doubts.

Owns how a table cell's text is read: digits (full-width too),
thousands separators, annotated cells (``22（其中修订16件）`` → 22), the
"no value" markers (``—``, ``-``, ``/``, ``无``, ``不适用``: null, never 0),
OCR look-alike letters read as digits (``C`` → 0, flagged), money cells kept
as the decimal string printed, and signed cells (2019 ``本年增/减``).

Which cells are money and which may be negative is the format's
(``parsing.model.format.value_rule``: the caller passes ``money``/``signed``); what is
read is what is printed, judged later by the checks against the same rule.

Pure functions; no knowledge of layouts or labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters OCR produces for digits. "|" only ever reaches a cell in
# tab-separated text (elsewhere it separates cells).
OCR_LOOKALIKES = {
    "O": "0", "o": "0", "C": "0", "D": "0", "Q": "0",
    "l": "1", "I": "1", "|": "1",
    "Z": "2", "z": "2",
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "B": "8",
    "g": "9", "q": "9",
}
NULL_MARKERS = frozenset({"-", "—", "–", "——", "--", "/", "无", "不适用", "空", "—/—", "\\", "_", "－"})

_INT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_MONEY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_SIGNED = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)")
_NOTE = re.compile(r"^(?P<num>[+-]?[\d,]+(?:\.\d+)?)\s*[(\[](?P<note>[^)\]]*)[)\]]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OCR = re.compile(r"[0-9" + re.escape("".join(OCR_LOOKALIKES)) + r"]{1,7}")
_UNIT = re.compile(r"^(?P<num>[+-]?[\d,]+(?:\.\d+)?)\s*(?:件|项|个|次|条|人次|万元|元)$")
# A token that is plausibly a number cell, for tokenising (cheap pre-check).
_NUMERIC_START = re.compile(r"^[+-]?[0-9]")


@dataclass(frozen=True)
class Value:
    """A cell's reading: ``kind`` is "number", "null" (a no-value marker or
    blank: flagged missing) or "junk" (not a value at all)."""

    kind: str
    value: object = None  # int, or str for money; None for null/junk
    ocr: bool = False  # look-alike letters were read as digits


JUNK = Value("junk")
NULL = Value("null")


def normalize(text: str) -> str:
    """Full-width → half-width, outer spaces off, Chinese comma → comma.

    Spaces inside stay: "0 0 0" is three cells, never the number 000."""
    t = unicodedata.normalize("NFKC", text)
    return t.strip().replace("，", ",")


def parse_value(text: str, *, money: bool = False, signed: bool = False) -> Value:
    """Read one cell's text. Never raises."""
    if not money and text.isascii() and text.isdigit() and (len(text) == 1 or text[0] != "0"):
        return Value("number", int(text))
    t = normalize(text)
    if not t or t in NULL_MARKERS or set(t) <= set("-—–_/"):
        return NULL
    m = _NOTE.match(t)
    if m and _CJK.search(m.group("note")):
        t = m.group("num")
    unit = _UNIT.match(t)
    if unit:  # "15889件", "204.92万元": the number with its unit
        t = unit.group("num")
    if money:
        if _MONEY.fullmatch(t):
            return Value("number", t.replace(",", ""))
        return _ocr_value(t, money=True)
    if signed and _SIGNED.fullmatch(t):
        return Value("number", int(t.replace(",", "")))
    if _INT.fullmatch(t):
        # "000", "0120": no count is printed so; cells glued together, or OCR
        return Value("number", int(t.replace(",", "")), ocr=len(t) > 1 and t[0] == "0")
    return _ocr_value(t, money=False)


def _ocr_value(t: str, *, money: bool) -> Value:
    if not _OCR.fullmatch(t) or t.isdigit():
        return JUNK
    if not any(ch.isdigit() for ch in t) and len(t) > 2:
        return JUNK  # "DOC", "SOS": words, not numbers
    digits = "".join(OCR_LOOKALIKES.get(ch, ch) for ch in t)
    if len(digits) > 1 and digits[0] == "0":
        return JUNK
    return Value("number", digits if money else int(digits), ocr=True)


_PLAIN = re.compile(r"\s*\d{1,12}\s*")
_CJK_OR_SPACE_INSIDE = re.compile(r"\S\s+\S|[\u4e00-\u9fff]")


def is_value_text(text: str) -> bool:
    """True when ``text`` reads as a number or a no-value marker (not junk)."""
    if _PLAIN.fullmatch(text):
        return True
    if len(text) > 40 or (
        _CJK_OR_SPACE_INSIDE.search(text)
        and not _NOTE_HINT.search(text)
        and not _UNIT.match(normalize(text))
        and text.strip() not in NULL_MARKERS
    ):
        return False
    return parse_value(text, money=True).kind != "junk" or parse_value(text, signed=True).kind != "junk"


_NOTE_HINT = re.compile(r"^\s*[0-9０-９][0-9０-９,，.]*\s*[（(]")


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def run_digits(text: str) -> str:
    """A glued run's digits: normalised, thousands separators dropped
    (``00001,164`` → ``000011164``; a separator never splits a cell)."""
    return _THOUSANDS.sub("", normalize(text))


def is_plain_number(text: str) -> bool:
    """Digits only (after normalising, thousands separators aside), as glued runs are made of."""
    t = run_digits(text)
    return bool(t) and t.isascii() and t.isdigit()
