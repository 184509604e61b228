"""Two independent readings of a PDF, compared cell by cell.

A PDF is read twice:

- the **text reading** (``TEXT``): the characters in the PDF's own text order
  (PDFium's text page, broken into lines where PDFium breaks them), read by the
  text assembler like any copied text. Real producers (WPS, Word, Chromium)
  write their text in reading order; this reading survives odd fonts, odd
  font sizes and tables whose ruling lines do not make clean cells;
- the **geometry reading** (``GEOMETRY``): characters placed by their
  position, tables from their ruling lines (``pdf_geometry``), rows rendered
  with cell separators. It survives PDFs whose text objects are written out of
  reading order (glyph by glyph, in any order).

Each reading's display text is assembled on its own; then, cell by cell:
both give the same value → the value, plain (unless both readings doubt it);
they give different values → the value a balance rule confirms (else the
value of the reading that read the table more plainly), flagged
``split_ambiguous``, the provenance's ``note`` saying what the other reading
saw; only one gives a value → that value, flagged unless a balance rule
confirms it; only one reading finds a table at all → that reading's table.
``Assembly.readings`` records, per table, which reading it came from.

The display text (what the source pane shows, what every span indexes) is
chosen page by page: the geometry reading (its table rows show their cells),
unless its text is scrambled where the text reading's is not (``readability``).
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass, field

from ..layout.assemble import Assembly, assemble
from ..model.document import Document
from ..model.format import confirmed_cells
from ..model.schema import (
    FLAG_MISSING,
    FLAG_OCR,
    FLAG_SPLIT,
)

TEXT = "text"
GEOMETRY = "geometry"
BOTH = "both"
READING_NAMES = {TEXT: "文字顺序读法", GEOMETRY: "版面读法"}
TABLES = ("active", "requests", "reviews")

# Words every annual report uses over and over: in a scrambled page (characters
# of several lines interleaved) they are torn apart.
_COMMON = (
    "政府", "信息", "公开", "申请", "工作", "情况", "年度", "报告", "行政", "处理", "本年", "办理", "结果",
    "复议", "诉讼", "数量", "主动", "依申请", "网站", "政务", "机关", "其他", "总计", "法律", "机构", "组织",
    "自然人", "企业", "规范", "文件", "许可", "处罚", "强制", "收费", "不予", "无法", "提供", "维持", "纠正",
    "审结", "加强", "进一步", "推进", "制度", "平台", "建设", "管理", "服务", "落实", "开展",
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_START = operator.itemgetter(1)
_MARKER_RE = re.compile(r"^=== 第 \d+ 页 ===$", re.M)


def readability(text: str) -> float:
    """How much of ``text`` reads as words: characters inside common report
    words per Chinese character (0 for a page of interleaved lines, about 0.3
    or more for a readable report page)."""
    hits, cjk = _word_counts(text)
    return hits / cjk if cjk else 0.0


def _word_counts(text: str) -> tuple[int, int]:
    """(characters inside common report words, Chinese characters) of ``text``."""
    cjk = len(_CJK_RE.findall(text))
    if cjk == 0:
        return 0, 0
    return sum(text.count(w) * len(w) for w in _COMMON), cjk


@dataclass
class Reading:
    """One reading: its display text and where each page starts in it."""

    name: str
    text: str
    pages: list[tuple[int, int]]  # (page number, offset of its marker line)
    doc: Document | None = None
    assembly: Assembly | None = None
    fmt: str | None = None  # the format the assembly was made for

    # Per page index: ``_word_counts`` of its text (each page is scored several times).
    _counts: dict = field(default_factory=dict, repr=False, compare=False)

    def page_index(self, pos: int) -> int:
        """The index (into ``pages``) of the page holding offset ``pos``."""
        return max(0, bisect.bisect_right(self.pages, pos, key=_START) - 1)

    def page_readability(self, i: int) -> float:
        """``readability`` of page ``i``'s text."""
        hits, cjk = self._page_counts(i)
        return hits / cjk if cjk else 0.0

    def readability(self) -> float:
        """``readability`` of the whole text: the pages' counts added up (a
        common word never runs over a page's marker line)."""
        hits = cjk = 0
        for i in range(len(self.pages)):
            h, c = self._page_counts(i)
            hits, cjk = hits + h, cjk + c
        return hits / cjk if cjk else 0.0

    def _page_counts(self, i: int) -> tuple[int, int]:
        if i not in self._counts:
            self._counts[i] = _word_counts(self.page_text(i))
        return self._counts[i]

    def page_text(self, i: int) -> str:
        end = self.pages[i + 1][1] if i + 1 < len(self.pages) else len(self.text)
        return self.text[self.pages[i][1] : end]


@dataclass
class Display:
    """The display text spliced from the readings page by page."""

    text: str
    pages: list[tuple[int, int]]
    chosen: list[str]  # per page index: the reading shown
    starts: dict[str, list[int]] = field(default_factory=dict)  # per reading: its page starts

    @classmethod
    def choose(cls, readings: list[Reading], supplied: dict[tuple[str, int], int] | None = None) -> Display:
        """Per page the readable reading: the first of ``readings`` unless its
        page is clearly more scrambled than another's. ``supplied``: (reading,
        page index) → values only that reading gave there; a page whose kept
        values come from the other reading shows that one if it is readable
        too, so that those values' spans point at them."""
        first = readings[0]
        supplied = supplied or {}
        parts: list[str] = []
        pages: list[tuple[int, int]] = []
        chosen: list[str] = []
        pos = 0
        for i, (number, _) in enumerate(first.pages):
            scores = {r.name: r.page_readability(i) for r in readings if i < len(r.pages)}
            best = first
            for other in readings[1:]:
                if other.name in scores and scores[other.name] > max(1.5 * scores[best.name], scores[best.name] + 0.1):
                    best = other
            for other in readings:
                if other is best or other.name not in scores:
                    continue
                if supplied.get((other.name, i), 0) > supplied.get((best.name, i), 0) and scores[other.name] >= 0.8 * scores[best.name]:
                    best = other
            segment = best.page_text(i)
            if not segment.endswith("\n"):
                segment += "\n"
            pages.append((number, pos))
            chosen.append(best.name)
            parts.append(segment)
            pos += len(segment)
        starts = {r.name: [start for _, start in r.pages] for r in readings}
        return cls("".join(parts), pages, chosen, starts)

    def map_span(self, reading: Reading, span) -> list[int] | None:
        """``span`` in ``reading``'s text → the same characters in the display
        text, or None when that page shows the other reading."""
        if not span:
            return None
        start, end = span
        i = reading.page_index(start)
        if i >= len(self.chosen) or self.chosen[i] != reading.name:
            return None
        shift = self.pages[i][1] - reading.pages[i][1]
        return [start + shift, end + shift]

    def page_start(self, reading: Reading, span) -> list[int] | None:
        """An empty span at the start of the display page that ``span`` is on."""
        if not span:
            return None
        i = min(reading.page_index(span[0]), len(self.pages) - 1)
        at = self.pages[i][1]
        return [at, at]


# --- comparing ------------------------------------------------------------------------------------


def _same(a, b) -> bool:
    return str(a).strip() == str(b).strip()


def _values(asm: Assembly) -> dict:
    vals = {}
    for t, rows in asm.tables.items():
        for r, cols in rows.items():
            for c, v in cols.items():
                vals[f"{t}.{r}.{c}"] = v
    vals.update(asm.extra_cells)
    return vals


def _found(vals: dict) -> dict[str, int]:
    """Per table, how many cells a reading gave a value."""
    out = {t: 0 for t in TABLES}
    for path, v in vals.items():
        t = path.split(".", 1)[0]
        if v is not None and t in out:
            out[t] += 1
    return out


def _plain(asm: Assembly, vals: dict) -> dict[str, int]:
    """Per table, how many cells a reading read with a value and no doubt."""
    out = {t: 0 for t in TABLES}
    for p, prov in asm.provenance.items():
        t = p.split(".", 1)[0]
        if t in out and vals.get(p) is not None and not prov.get("flags"):
            out[t] += 1
    return out


@dataclass
class _Decision:
    """What the comparison decided for one cell, before spans are placed."""

    value: object
    keep: Reading  # the reading whose value (and raw) is used
    other: Reading
    flags: list
    note: str | None = None
    agreed: bool = False


def compare(
    readings: list[Reading], fmt: str, ocr_layer: bool = False, display: Display | None = None, notes: list[str] | None = None
) -> tuple[Assembly, Display]:
    """Both readings assembled and compared (see the module docstring), and the
    display text: per page the readable reading, preferring on a page the
    reading whose values were kept where the readings differ.

    ``ocr_layer``: the PDF's text is an OCR layer (invisible text over page
    images); otherwise its characters are the producer's own, and a value both
    readings read from plain digits is no OCR look-alike, whatever the
    assembler suspects of the document as a whole."""
    for r in readings:
        if r.assembly is None or r.fmt != fmt:
            r.doc = Document(text=r.text, kind="pdf", pages=r.pages)
            r.assembly, r.fmt = assemble(r.doc, fmt), fmt
    a, b = readings[0], readings[1]
    va, vb = _values(a.assembly), _values(b.assembly)
    found_a, found_b = _found(va), _found(vb)
    # A table read from pages where a reading is scrambled is not found by it:
    # the fragments it picks out of interleaved lines are noise, not a reading.
    scrambled = _scrambled(readings)
    for r, vals, found in ((a, va, found_a), (b, vb, found_b)):
        for t in TABLES:
            if found[t] and _mostly_on(r, vals, t, scrambled[r.name]):
                found[t] = 0
    conf_a, conf_b = confirmed_cells(va, fmt), confirmed_cells(vb, fmt)
    # Per table the reading that read it more plainly (ties: the first).
    plain_a, plain_b = _plain(a.assembly, va), _plain(b.assembly, vb)
    primary = {t: (a if plain_a[t] >= plain_b[t] else b) for t in TABLES}

    # A reading that picks out less than half of what the other reads of a
    # table has fragments of it (lines out of order, a table it cannot see):
    # the table comes from the other reading; the fragments only raise doubts
    # where they give a different value.
    fragment: dict[str, Reading] = {}
    for t in TABLES:
        if found_a[t] and found_b[t] and min(found_a[t], found_b[t]) * 2 < max(found_a[t], found_b[t]):
            fragment[t] = a if found_a[t] < found_b[t] else b
    readings_of: dict[str, str | None] = {}
    for t in TABLES:
        if t in fragment:
            readings_of[t] = (b if fragment[t] is a else a).name
        elif found_a[t] and found_b[t]:
            readings_of[t] = BOTH
        elif found_a[t] or found_b[t]:
            readings_of[t] = a.name if found_a[t] else b.name
        else:
            readings_of[t] = None
    disagreed: dict[str, int] = {t: 0 for t in TABLES}
    decisions: dict[str, _Decision] = {}
    one_sided: list[str] = []
    paths = list(dict.fromkeys(list(a.assembly.provenance) + list(b.assembly.provenance)))
    for path in paths:
        t = path.split(".", 1)[0]
        pa, pb = a.assembly.provenance.get(path), b.assembly.provenance.get(path)
        xa, xb = va.get(path), vb.get(path)
        if t in fragment and (va if fragment[t] is a else vb).get(path) is None:
            keep = b if fragment[t] is a else a  # the fragments say nothing of this cell
            if path in keep.assembly.provenance:
                decisions[path] = _Decision((va if keep is a else vb).get(path), keep, fragment[t], _flags(keep, path))
            continue
        if readings_of.get(t) != BOTH and t not in fragment:
            keep = a if readings_of.get(t) == a.name else b if readings_of.get(t) == b.name else primary.get(t, a)
            other = b if keep is a else a
            if path not in keep.assembly.provenance:
                continue  # a cell only the reading that did not find this table names
            decisions[path] = _Decision((va if keep is a else vb).get(path), keep, other, _flags(keep, path))
            continue
        if xa is not None and xb is not None and _same(xa, xb):
            fa, fb = _flags(a, path), _flags(b, path)
            if not ocr_layer and all(_DIGITS_RE.fullmatch(str(p.get("raw") or "").strip()) for p in (pa, pb)):
                fa, fb = [f for f in fa if f != FLAG_OCR], [f for f in fb if f != FLAG_OCR]
            flags = [f for f in fa if f in fb] if (fa and fb) else []
            decisions[path] = _Decision(xa, a, b, flags, agreed=True)
        elif xa is not None and xb is not None:
            disagreed[t] += 1
            in_a, in_b = path in conf_a, path in conf_b
            default = (b if fragment[t] is a else a) if t in fragment else primary[t]
            keep = a if in_a > in_b else b if in_b > in_a else default
            other = b if keep is a else a
            seen = (other.assembly.provenance.get(path) or {}).get("raw") or ""
            decisions[path] = _Decision(
                xa if keep is a else xb, keep, other, _with(_flags(keep, path), FLAG_SPLIT), f"{READING_NAMES[other.name]}读作 {seen}"
            )
        elif xa is not None or xb is not None:
            keep, other = (a, b) if xa is not None else (b, a)
            decisions[path] = _Decision(
                xa if xa is not None else xb, keep, other, _flags(keep, path), f"{READING_NAMES[other.name]}未读到此格"
            )
            one_sided.append(path)
        else:
            keep = primary[t]
            decisions[path] = _Decision(None, keep, b if keep is a else a, _flags(keep, path))

    tables = {t: {r: dict(cols) for r, cols in rows.items()} for t, rows in a.assembly.tables.items()}
    extra: dict = {}
    for path, d in decisions.items():
        _store(tables, extra, path, d.value, keep_extra=path in a.assembly.extra_cells or path in b.assembly.extra_cells)
    # A value only one reading saw stands plain when a balance rule confirms it in the merged tables.
    merged = {**{f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}, **extra}
    ok = confirmed_cells(merged, fmt)
    for path in one_sided:
        if path not in ok:
            decisions[path].flags = _with(decisions[path].flags, FLAG_SPLIT)

    if display is None:
        display = Display.choose(readings, _supplied(decisions))
    prov = {path: _entry(display, path, d) for path, d in decisions.items()}

    main = a if sum(found_a.values()) >= sum(found_b.values()) else b
    warnings = list(notes or []) + list(main.assembly.warnings)
    names = {"active": "主动公开情况表", "requests": "申请情况表", "reviews": "复议诉讼情况表"}
    for t, n in disagreed.items():
        if n:
            warnings.append(f"PDF 的两种读法在{names[t]}中有 {n} 格读数不一致，已标记（见各格说明）")
    asm = Assembly(tables, prov, extra, _notes(display, readings), warnings, sum(1 for v in merged.values() if v is not None))
    asm.readings = readings_of
    return asm, display


_DIGITS_RE = re.compile(r"[0-9][0-9,.]*")


def _scrambled(readings: list[Reading]) -> dict[str, set[int]]:
    """Per reading, the pages (indexes) where it is clearly more scrambled than another."""
    out: dict[str, set[int]] = {r.name: set() for r in readings}
    for i in range(min(len(r.pages) for r in readings)):
        scores = {r.name: r.page_readability(i) for r in readings}
        for name, score in scores.items():
            if any(other > max(1.5 * score, score + 0.1) for o, other in scores.items() if o != name):
                out[name].add(i)
    return out


def _mostly_on(r: Reading, vals: dict, table: str, pages: set[int]) -> bool:
    """Whether most of ``table``'s values in reading ``r`` sit on ``pages``."""
    if not pages:
        return False
    at = [
        r.page_index(prov["span"][0])
        for path, prov in r.assembly.provenance.items()
        if path.startswith(table + ".") and vals.get(path) is not None and prov.get("span")
    ]
    return bool(at) and sum(i in pages for i in at) * 2 > len(at)


def _flags(r: Reading, path: str) -> list:
    prov = r.assembly.provenance.get(path)
    return [FLAG_MISSING] if prov is None else list(prov.get("flags") or [])


def _with(flags: list, flag: str) -> list:
    return flags if flag in flags else [*flags, flag]


def _supplied(decisions: dict[str, _Decision]) -> dict[tuple[str, int], int]:
    """(reading, page index) → how many values only that reading gave (or
    gave differently) on that page."""
    out: dict[tuple[str, int], int] = {}
    for path, d in decisions.items():
        if d.agreed or d.value is None:
            continue
        span = (d.keep.assembly.provenance.get(path) or {}).get("span")
        if span:
            key = (d.keep.name, d.keep.page_index(span[0]))
            out[key] = out.get(key, 0) + 1
    return out


def _entry(display: Display, path: str, d: _Decision) -> dict:
    """The decision's provenance entry with its span in the display text: the
    kept reading's own span when its page is shown, else (values agreed, or
    the kept reading has no span) the other reading's, else an empty span at
    the start of the page, the value read named in the note."""
    p = d.keep.assembly.provenance.get(path) or {"raw": "", "span": None}
    q = d.other.assembly.provenance.get(path) or {}
    span = display.map_span(d.keep, p.get("span"))
    if span is None and (d.agreed or not p.get("span")):
        span = display.map_span(d.other, q.get("span"))
    if span is None:
        span = display.page_start(d.keep, p.get("span"))
    entry = {"raw": p.get("raw", ""), "span": span, "flags": list(d.flags)}
    note = d.note
    if span is not None and span[0] == span[1] and entry["raw"]:
        # The page shows the other reading: the value's own characters are not in the display text.
        note = (note + "；" if note else "") + f"{READING_NAMES[d.keep.name]}读作 {entry['raw']}（本页显示另一读法）"
        entry["raw"] = ""
    if note:
        entry["note"] = note
    return entry


def _store(tables: dict, extra: dict, path: str, value, keep_extra: bool) -> None:
    t, r, c = path.split(".", 2)
    if r in tables.get(t, {}) and c in tables[t][r] and not keep_extra:
        tables[t][r][c] = value
    else:
        extra[path] = value


def _notes(display: Display, readings: list[Reading]) -> list[dict]:
    out, seen = [], set()
    for r in readings:
        for note in r.assembly.notes:
            if note["text"] in seen:
                continue
            span = display.map_span(r, note.get("span"))
            if span is None:
                at = display.text.find(note["text"])
                span = [at, at + len(note["text"])] if at >= 0 else None
            if span is None:
                continue
            seen.add(note["text"])
            out.append({**note, "span": span})
    return out


# --- metadata from the page ------------------------------------------------------------------------


def page_hints(text: str) -> dict:
    """Hints the printed pages give when the PDF's own properties are generic:
    the publication date signed at the end of the report (落款)."""
    from ..meta.fields import find_signature_date

    date = find_signature_date(text)
    return {"published": date} if date else {}
