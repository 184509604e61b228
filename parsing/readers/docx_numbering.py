"""Word's automatic list numbers, as the reader of the document sees them.

A heading typed as "总体情况" in a list numbered "%1、" in Chinese counting
shows as "一、总体情况"; the number is not in the paragraph's text but in
``word/numbering.xml`` (and, for headings, in the paragraph style of
``word/styles.xml``). ``Numbering.label(p)`` gives a paragraph's number text
("一、", "（二）", "3.") and advances the list's counters, so paragraphs must
be asked in document order.
"""

from __future__ import annotations

from dataclasses import dataclass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el, tag: str) -> str | None:
    child = el.find(_w(tag)) if el is not None else None
    return child.get(_w("val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class Level:
    start: int
    fmt: str
    text: str
    suffix: str  # "tab", "space" or "nothing"


_CN = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _CN, ten: str = "十") -> str:
    if not 0 < n < 100:
        return str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return digits[units]
    return ("" if tens == 1 else digits[tens]) + ten + (digits[units] if units else "")


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's number format ``fmt`` (w:numFmt); decimal for formats not known here."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographTraditional"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt == "ideographDigital":
        return "".join(_CN[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    return str(n)


class Numbering:
    def __init__(self, numbering_root, styles_root=None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.level_styles: dict[str, dict[str, int]] = {}  # abstractNumId → {styleId: ilvl}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → (numId, ilvl, basedOn)
        if numbering_root is not None:
            self._read_numbering(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_numbering(self, root) -> None:
        for a in root.iter(_w("abstractNum")):
            aid = a.get(_w("abstractNumId"))
            levels, styles = {}, {}
            for lvl in a.iter(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")), 0)
                levels[ilvl] = Level(
                    start=_int(_val(lvl, "start"), 1),
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    suffix=_val(lvl, "suff") or "tab",
                )
                if _val(lvl, "pStyle"):
                    styles[_val(lvl, "pStyle")] = ilvl
            self.abstract[aid] = levels
            self.level_styles[aid] = styles
        for num in root.iter(_w("num")):
            overrides = {}
            for o in num.iter(_w("lvlOverride")):
                start = _val(o, "startOverride")
                if start is not None:
                    overrides[_int(o.get(_w("ilvl")), 0)] = _int(start, 1)
            self.nums[num.get(_w("numId"))] = (_val(num, "abstractNumId"), overrides)

    def _read_styles(self, root) -> None:
        for style in root.iter(_w("style")):
            ppr = style.find(_w("pPr"))
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            self.styles[style.get(_w("styleId"))] = (_val(numpr, "numId"), _val(numpr, "ilvl"), _val(style, "basedOn"))

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles.get(style_id, (None, None, None))
            if num_id is not None:
                aid = self.nums.get(num_id, (None, {}))[0]
                level = _int(ilvl, self.level_styles.get(aid, {}).get(style_id, 0))
                return num_id, level
            style_id = based_on
        return None, None

    def label(self, p) -> str:
        """The paragraph's list number as shown ("一、"), or "" when it has none."""
        ppr = p.find(_w("pPr"))
        if ppr is None:
            return ""
        numpr = ppr.find(_w("numPr"))
        style_num, style_lvl = self._style_numbering(_val(ppr, "pStyle"))
        num_id = _val(numpr, "numId") if numpr is not None else None
        num_id = num_id if num_id is not None else style_num
        ilvl = _int(_val(numpr, "ilvl"), style_lvl if style_lvl is not None else 0)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.abstract.get(aid, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else overrides.get(ilvl, level.start)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lv = levels.get(k)
                n = counters.get(k, overrides.get(k, lv.start if lv else 1))
                text = text.replace(f"%{k + 1}", format_number(n, lv.fmt if lv else "decimal"))
        if text and level.suffix != "nothing" and text[-1].isalnum():
            text += " "
        return text
