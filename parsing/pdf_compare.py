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

import re
from dataclasses import dataclass, field

from .assemble import Assembly, assemble
from .document import Document
from .schema import (
    APPLICANT_COLUMNS,
    FLAG_MISSING,
    FLAG_OCR,
    FLAG_SPLIT,
    OUTCOME_ROWS,
    REQUEST_COLUMNS,
    REQUESTS,
    REVIEWS,
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
_MARKER_RE = re.compile(r"^=== 第 \d+ 页 ===$", re.M)


def readability(text: str) -> float:
    """How much of ``text`` reads as words: characters inside common report
    words per Chinese character (0 for a page of interleaved lines, about 0.3
    or more for a readable report page)."""
    cjk = len(_CJK_RE.findall(text))
    if cjk == 0:
        return 0.0
    hits = sum(text.count(w) * len(w) for w in _COMMON)
    return hits / cjk


@dataclass
class Reading:
    """One reading: its display text and where each page starts in it."""

    name: str
    text: str
    pages: list[tuple[int, int]]  # (page number, offset of its marker line)
    doc: Document | None = None
    assembly: Assembly | None = None

    def page_index(self, pos: int) -> int:
        """The index (into ``pages``) of the page holding offset ``pos``."""
        idx = 0
        for i, (_, start) in enumerate(self.pages):
            if start <= pos:
                idx = i
            else:
                break
        return idx

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
    def choose(cls, readings: list[Reading]) -> "Display":
        """Per page the readable reading: the first of ``readings`` unless its
        page is clearly more scrambled than another's."""
        first = readings[0]
        parts: list[str] = []
        pages: list[tuple[int, int]] = []
        chosen: list[str] = []
        pos = 0
        for i, (number, _) in enumerate(first.pages):
            best, best_score = first, readability(first.page_text(i))
            for other in readings[1:]:
                if i >= len(other.pages):
                    continue
                score = readability(other.page_text(i))
                if score > max(1.5 * best_score, best_score + 0.1):
                    best, best_score = other, score
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


# --- the balance rules ---------------------------------------------------------------------


def _equations() -> list[tuple[list[str], list[str]]]:
    eqs = []
    for r in REQUESTS.rows:
        eqs.append(([f"requests.{r.key}.{c.key}" for c in APPLICANT_COLUMNS], [f"requests.{r.key}.total"]))
    for c in (c.key for c in REQUEST_COLUMNS):
        eqs.append(([f"requests.{r}.{c}" for r in OUTCOME_ROWS], [f"requests.total.{c}"]))
        eqs.append(
            ([f"requests.new_received.{c}", f"requests.carried_over.{c}"], [f"requests.total.{c}", f"requests.carried_forward.{c}"])
        )
    for r in REVIEWS.rows:
        eqs.append(([f"reviews.{r.key}.{c}" for c in ("upheld", "corrected", "other", "pending")], [f"reviews.{r.key}.total"]))
    return eqs


_EQUATIONS = _equations()


def confirmed(values: dict) -> set[str]:
    """Cells taking part in at least one balance equation that holds with
    every one of its cells read."""
    ok: set[str] = set()
    for lhs, rhs in _EQUATIONS:
        vals = [values.get(p) for p in lhs + rhs]
        if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
            if sum(values[p] for p in lhs) == sum(values[p] for p in rhs):
                ok.update(lhs + rhs)
    return ok


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


def _plain(asm: Assembly, table: str) -> int:
    """How many cells of ``table`` a reading read with a value and no doubt."""
    vals = _values(asm)
    return sum(
        1
        for p, prov in asm.provenance.items()
        if p.startswith(table + ".") and vals.get(p) is not None and not prov.get("flags")
    )


def assemble_readings(display: Display, readings: list[Reading], fmt: str, ocr_layer: bool = False) -> Assembly:
    """Both readings assembled and compared: see the module docstring.

    ``ocr_layer``: the PDF's text is an OCR layer (invisible text over page
    images); otherwise its characters are the producer's own, and a value both
    readings read from plain digits is no OCR look-alike, whatever the
    assembler suspects of the document as a whole."""
    for r in readings:
        if r.assembly is None:
            r.doc = Document(text=r.text, kind="pdf", structured_tables=r.name == GEOMETRY, pages=r.pages)
            r.assembly = assemble(r.doc, fmt)
    a, b = readings[0], readings[1]
    va, vb = _values(a.assembly), _values(b.assembly)
    found_a, found_b = _found(va), _found(vb)
    conf_a, conf_b = confirmed(va), confirmed(vb)
    # Per table the reading that read it more plainly (ties: the first).
    primary = {t: (a if _plain(a.assembly, t) >= _plain(b.assembly, t) else b) for t in TABLES}

    tables = {t: {r: dict(cols) for r, cols in rows.items()} for t, rows in a.assembly.tables.items()}
    extra: dict = {}
    prov: dict = {}
    readings_of: dict[str, str | None] = {}
    disagreed: dict[str, int] = {t: 0 for t in TABLES}
    one_sided: list[str] = []
    paths = list(dict.fromkeys(list(a.assembly.provenance) + list(b.assembly.provenance)))
    for path in paths:
        t = path.split(".", 1)[0]
        pa, pb = a.assembly.provenance.get(path), b.assembly.provenance.get(path)
        xa, xb = va.get(path), vb.get(path)
        if found_a.get(t) and found_b.get(t):
            readings_of[t] = BOTH
            if xa is not None and xb is not None and _same(xa, xb):
                value, entry = _agreed(display, a, pa, b, pb, xa, ocr_layer)
            elif xa is not None and xb is not None:
                disagreed[t] += 1
                keep = a if (path in conf_a) > (path in conf_b) else b if (path in conf_b) > (path in conf_a) else primary[t]
                other = b if keep is a else a
                value = xa if keep is a else xb
                entry = _entry(display, keep, keep.assembly.provenance[path], other, other.assembly.provenance.get(path))
                entry["flags"] = _with(entry["flags"], FLAG_SPLIT)
                seen = (other.assembly.provenance.get(path) or {}).get("raw") or ("空白" if (xb if keep is a else xa) is None else "")
                entry["note"] = f"{READING_NAMES[other.name]}读作 {seen}"
            elif xa is not None or xb is not None:
                keep, other = (a, b) if xa is not None else (b, a)
                value = xa if xa is not None else xb
                entry = _entry(display, keep, keep.assembly.provenance[path], other, other.assembly.provenance.get(path))
                entry["note"] = f"{READING_NAMES[other.name]}未读到此格"
                one_sided.append(path)
            else:
                value = None
                keep = primary[t]
                other = b if keep is a else a
                entry = _entry(display, keep, keep.assembly.provenance.get(path), other, other.assembly.provenance.get(path))
        else:
            keep = a if found_a.get(t) else b if found_b.get(t) else primary.get(t, a)
            other = b if keep is a else a
            if found_a.get(t) or found_b.get(t):
                readings_of[t] = keep.name
            else:
                readings_of.setdefault(t, None)
            value = (va if keep is a else vb).get(path)
            entry = _entry(display, keep, keep.assembly.provenance.get(path), other, other.assembly.provenance.get(path))
        prov[path] = entry
        _store(tables, extra, path, value, keep_extra=path in a.assembly.extra_cells or path in b.assembly.extra_cells)

    # A value only one reading saw stands when a balance rule confirms it in the merged tables.
    merged = {**{f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}, **extra}
    ok = confirmed(merged)
    for path in one_sided:
        if path not in ok:
            prov[path]["flags"] = _with(prov[path]["flags"], FLAG_SPLIT)

    main = max(readings, key=lambda r: sum(_found(_values(r.assembly)).values()))
    warnings = list(main.assembly.warnings)
    names = {"active": "主动公开情况表", "requests": "申请情况表", "reviews": "复议诉讼情况表"}
    for t, n in disagreed.items():
        if n:
            warnings.append(f"PDF 的两种读法在{names[t]}中有 {n} 格读数不一致，已标记（见各格说明）")
    notes = _notes(display, readings)
    asm = Assembly(tables, prov, extra, notes, warnings, sum(1 for v in merged.values() if v is not None))
    asm.readings = {t: readings_of.get(t) for t in TABLES}
    return asm


def _with(flags: list, flag: str) -> list:
    return flags if flag in flags else [*flags, flag]


_DIGITS_RE = re.compile(r"[0-9][0-9,.]*")


def _agreed(display: Display, a: Reading, pa: dict, b: Reading, pb: dict, value, ocr_layer: bool):
    """Both readings read ``value``: plain unless both doubt it."""
    fa, fb = list(pa.get("flags") or []), list(pb.get("flags") or [])
    if not ocr_layer and all(_DIGITS_RE.fullmatch(str(p.get("raw") or "").strip()) for p in (pa, pb)):
        fa, fb = [f for f in fa if f != FLAG_OCR], [f for f in fb if f != FLAG_OCR]
    shown_first = a if display.map_span(a, pa.get("span")) is not None else b
    keep, other = (a, b) if shown_first is a else (b, a)
    entry = _entry(display, keep, pa if keep is a else pb, other, pb if keep is a else pa)
    entry["flags"] = [f for f in fa if f in fb] if (fa and fb) else []
    return value, entry


def _entry(display: Display, keep: Reading, p: dict | None, other: Reading, q: dict | None) -> dict:
    """``keep``'s provenance entry with its span in the display text: its own
    span when its page is shown, else where the other reading saw this cell,
    else the start of the page."""
    p = dict(p or {"raw": "", "span": None, "flags": [FLAG_MISSING]})
    span = display.map_span(keep, p.get("span"))
    if span is None and q is not None:
        span = display.map_span(other, q.get("span"))
    if span is None:
        span = display.page_start(keep, p.get("span"))
    return {"raw": p.get("raw", ""), "span": span, "flags": list(p.get("flags") or [])}


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
    from .meta_fields import find_signature_date

    date = find_signature_date(text)
    return {"published": date} if date else {}
