"""Two reports side by side (issue 14): pure functions, no I/O.

``compare_reports((a_report, a_text), (b_report, b_text), continuity=...)``
returns one plain, JSON-ready dict (``schema: gipr-compare/1``). ``a`` is the
base (last year, or the first organ), ``b`` the report under review (this
year). Nothing here judges twice what ``history`` already judges: the verdicts
(carry-over, the 规范性文件 stock chain, jumps, verbatim reuse of 一 and 五) are
``checks.history``'s findings and its ``is_jump``; this module lays the values
out beside each other and adds what a reader needs to see them:

- ``cells``: every cell of either report's tables (standard and extra cells),
  ``a`` and ``b`` as stored, ``diff`` (b − a; money as a decimal string) and
  ``relative`` (``"+25.0%"``; ``null`` when a is 0 or either side has no value),
  ``jump`` (``history.is_jump``), ``changed`` and the two source ``spans``
  (character ranges in each report's display text, ``null`` when unknown).
- ``carry_over``: per column of 表三, last year's 四、结转下年度继续办理 beside this
  year's 二、上年结转, ``status`` ``ok`` / ``mismatch`` / ``unknown`` (a blank on
  either side) / ``not_checked`` (not consecutive years of one organ).
- ``stock``: 规章 and 行政规范性文件, last year's 现行有效 + this year's 制发 −
  废止 beside this year's 现行有效 (2021 format on both sides only).
- ``reuse``: per section of ``b``, how much of its text repeats ``a``.
- ``findings``: ``history.check`` of ``b`` with ``a`` as its previous year,
  when ``continuity`` (consecutive years of the same organ), else none.

Text reuse, the measure (also in docs/CLI.md): both texts are cut into
sentences by ``history.sentence_spans`` (at 。；！？, line breaks and ``|``; at
least 8 characters). Sentences inside a table (between the first and the last
cell value of 表二/表三/表四 as the parser located them), the tables' printed
instructions and headings standing alone (``一、总体情况``, ``（二）…情况``, at
most 20 characters) are left out on both sides. A sentence is *normalised*:
NFKC, whitespace and punctuation removed, every run of digits replaced by one
``#``. A sentence of ``b`` is **verbatim** when last year's text holds the same
sentence character for character (whitespace aside), **nearly the same** when
the Jaccard similarity of the sets of character 3-grams of the two normalised
sentences is at least ``SIMILARITY`` (0.8), with its best match in ``a`` (any
section: moved text still counts). A section's ``share`` is the characters of
its repeated sentences (verbatim or nearly) over the characters of all its
sentences; ``verbatim_share`` counts verbatim ones only (what ``history.reuse``
counts for sections 一 and 五).

This module never imports textual, rich, store or tui.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from parsing import is_money, is_signed, report_format, schema

from . import history
from .base import Context, label, to_decimal
from .sections import SECTION_TITLES, find_sections

CARRY_OVER, STOCK_CHAIN = report_format.CARRY_OVER, report_format.STOCK_CHAIN  # the cross-year rules (ids in the format data)

COMPARE_SCHEMA = "gipr-compare/1"
SIMILARITY = Decimal("0.8")  # 3-gram Jaccard at or above which two sentences are "nearly the same"
NGRAM = 3
PREAMBLE = "preamble"
SECTION_NAMES = {PREAMBLE: "标题及前言", **SECTION_TITLES}

_PUNCT_CATEGORIES = ("P", "S", "Z", "C")
_DIGITS = re.compile(r"\d+")
# Printed instructions of the tables: template text every report repeats.
_TEMPLATE = re.compile(r"第二十条第|勾稽关系|本年度办理结果|申请人情况|区分处理的，只计这一情形|信息内容")
# A heading on its own (一、总体情况, （二）依申请公开情况): the format's words, not the organ's.
_HEADING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+\s*[、.．])")
_HEADING_MAX = 20


# --- text reuse -------------------------------------------------------------------
def normalise(sentence: str) -> str:
    """NFKC; whitespace, punctuation and symbols dropped; each run of digits → ``#``."""
    s = unicodedata.normalize("NFKC", sentence)
    s = "".join(c for c in s if not unicodedata.category(c).startswith(_PUNCT_CATEGORIES))
    return _DIGITS.sub("#", s)


def grams(normalised: str) -> frozenset[str]:
    """The set of character ``NGRAM``-grams (a shorter string is its own gram)."""
    if len(normalised) < NGRAM:
        return frozenset((normalised,)) if normalised else frozenset()
    return frozenset(normalised[i:i + NGRAM] for i in range(len(normalised) - NGRAM + 1))


def similarity(a: str, b: str) -> Decimal:
    """Jaccard similarity of the 3-gram sets of two sentences (normalised first), 0..1."""
    ga, gb = grams(normalise(a)), grams(normalise(b))
    if not ga or not gb:
        return Decimal(0)
    return _ratio(len(ga & gb), len(ga | gb))


def _ratio(num: int, den: int) -> Decimal:
    return (Decimal(num) / Decimal(den)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if den else Decimal(0)


def _table_regions(report: dict) -> list[tuple[int, int]]:
    """Per table, from its first to its last located cell value (the table's text)."""
    by_table: dict[str, list[int]] = defaultdict(list)
    for path, prov in (report.get("provenance") or {}).items():
        span = (prov or {}).get("span")
        if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
            by_table[path.split(".", 1)[0]] += [span[0], span[1]]
    return [(min(v), max(v)) for v in by_table.values() if v]


def _sections(report: dict, text: str) -> list[tuple[str, str, int, int]]:
    given = [(s.get("key"), s.get("title") or "", *s["span"]) for s in report.get("sections") or []
             if s.get("key") in SECTION_TITLES and isinstance(s.get("span"), (list, tuple)) and len(s["span"]) == 2]
    return sorted(given, key=lambda s: s[2]) if given else list(find_sections(text))


def text_sentences(report: dict, text: str) -> list[dict]:
    """The sentences of a report that count for reuse: ``{start, end, text, norm, section}``."""
    regions = _table_regions(report)
    sections = _sections(report, text)
    out = []
    for start, end, s in history.sentence_spans(text or ""):
        if any(start < hi and end > lo for lo, hi in regions) or _TEMPLATE.search(s) or (
                len(s) <= _HEADING_MAX and _HEADING.match(s)):
            continue
        norm = normalise(s)
        if len(norm) < history.MIN_SENTENCE // 2:
            continue
        section = PREAMBLE
        for key, _title, a, b in sections:
            if a <= start < b:
                section = key
                break
        out.append({"start": start, "end": end, "text": s, "norm": norm, "section": section})
    return out


def text_reuse(a: tuple[dict, str], b: tuple[dict, str]) -> dict:
    """Per section of ``b``: sentences, how many repeat ``a`` (verbatim, nearly) and the shares;
    ``pairs``: every repeated sentence with its span in ``b`` and its best match's span in ``a``."""
    a_sents, b_sents = text_sentences(*a), text_sentences(*b)
    exact = {}
    for i, s in enumerate(a_sents):
        exact.setdefault(" ".join(s["text"].split()), i)
    a_grams = [grams(s["norm"]) for s in a_sents]
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(a_grams):
        for gram in g:
            index[gram].append(i)
    pairs = []
    stats: dict[str, dict] = {}
    for s in b_sents:
        st = stats.setdefault(s["section"], {"sentences": 0, "chars": 0, "verbatim": 0, "near": 0,
                                              "verbatim_chars": 0, "repeated_chars": 0})
        st["sentences"] += 1
        st["chars"] += len(s["text"])
        match, sim, verbatim = None, Decimal(0), False
        key = " ".join(s["text"].split())
        if key in exact:
            match, sim, verbatim = exact[key], Decimal(1), True
        else:
            g = grams(s["norm"])
            shared: dict[int, int] = defaultdict(int)
            for gram in g:
                for i in index.get(gram, ()):
                    shared[i] += 1
            best = max(shared.items(), key=lambda kv: (_ratio(kv[1], len(g) + len(a_grams[kv[0]]) - kv[1]), -kv[0]),
                       default=None)
            if best is not None:
                i, n = best
                sim = _ratio(n, len(g) + len(a_grams[i]) - n)
                if sim >= SIMILARITY:
                    match = i
        if match is None:
            continue
        m = a_sents[match]
        st["verbatim" if verbatim else "near"] += 1
        st["repeated_chars"] += len(s["text"])
        if verbatim:
            st["verbatim_chars"] += len(s["text"])
        pairs.append({"section": s["section"], "b_span": [s["start"], s["end"]], "a_span": [m["start"], m["end"]],
                      "a_section": m["section"], "similarity": str(sim), "verbatim": verbatim, "text": s["text"]})
    order = [PREAMBLE, *SECTION_TITLES]
    sections = []
    total = {"sentences": 0, "chars": 0, "verbatim": 0, "near": 0, "verbatim_chars": 0, "repeated_chars": 0}
    for key in sorted(stats, key=order.index):
        st = stats[key]
        for k in total:
            total[k] += st[k]
        sections.append({"key": key, "title": SECTION_NAMES[key], **_shares(st)})
    return {
        "measure": f"句子级：规范化（NFKC，去空白和标点，连续数字记为 #）后字符 {NGRAM}-gram 集合的 Jaccard 相似度 ≥ {SIMILARITY} 为“基本相同”；"
                   "逐字相同另计；表格内文字不计",
        "threshold": str(SIMILARITY),
        "sections": sections,
        "overall": _shares(total),
        "pairs": pairs,
    }


def _shares(st: dict) -> dict:
    return {
        "sentences": st["sentences"], "verbatim": st["verbatim"], "near": st["near"], "chars": st["chars"],
        "share": _percent(st["repeated_chars"], st["chars"]),
        "verbatim_share": _percent(st["verbatim_chars"], st["chars"]),
    }


def _percent(num: int, den: int) -> str | None:
    if not den:
        return None
    return str((Decimal(100 * num) / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"


# --- tables ------------------------------------------------------------------------
def _paths(a: dict, b: dict) -> list[str]:
    fa, fb = ((r.get("meta") or {}).get("format") for r in (a, b))
    paths = list(schema.cell_paths(fb))
    seen = set(paths)
    for p in list(schema.cell_paths(fa)) + sorted(b.get("extra_cells") or {}) + sorted(a.get("extra_cells") or {}):
        if p not in seen:
            seen.add(p)
            paths.append(p)
    return paths


def _span(report: dict, path: str):
    span = ((report.get("provenance") or {}).get(path) or {}).get("span")
    return list(span) if isinstance(span, (list, tuple)) and len(span) == 2 else None


def _number(path: str, value):
    if is_money(path):
        return to_decimal(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def relative(a, b) -> str | None:
    """``"+25.0%"``: (b − a) / a, one decimal; None when a is 0 or either is not a number."""
    if a is None or b is None or a == 0:
        return None
    r = (Decimal(b) - Decimal(a)) * 100 / Decimal(a)
    r = r.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'+' if r > 0 else ''}{r}%"


def cell_rows(a: dict, b: dict) -> list[dict]:
    """One row per cell of either report: values, difference, jump mark and both spans."""
    fb = (b.get("meta") or {}).get("format")
    fa = (a.get("meta") or {}).get("format")
    rows = []
    for path in _paths(a, b):
        va, vb = schema.get_cell(a, path), schema.get_cell(b, path)
        na, nb = _number(path, va), _number(path, vb)
        diff = None
        if na is not None and nb is not None:
            diff = str(nb - na) if is_money(path) else nb - na
        jump = (not is_money(path) and not is_signed(path, fb) and not is_signed(path, fa)
                and history.is_jump(na, nb))
        rows.append({
            "path": path, "label": label(path, fb if path in set(schema.cell_paths(fb)) else fa),
            "a": va, "b": vb, "diff": diff, "relative": relative(na, nb), "jump": bool(jump),
            "changed": (na != nb) if (na is not None and nb is not None) else (va != vb),
            "spans": {"a": _span(a, path), "b": _span(b, path)},
        })
    return rows


def _has(findings: list[dict], rule: str, path: str, severity: str | None = None) -> bool:
    return any(f["rule"] == rule and path in (f.get("cells") or ()) and (severity is None or f["severity"] == severity)
               for f in findings)


def carry_over(a: dict, b: dict, findings: list[dict], continuity: bool) -> list[dict]:
    out = []
    ctx_a, ctx_b = Context.of(a, ""), Context.of(b, "")
    labels = {c.key: c.label for c in schema.REQUEST_COLUMNS}
    for link in report_format.CARRY_OVERS:
        this_path, last_path = link.this, link.last
        last, this = ctx_a.count(last_path), ctx_b.count(this_path)
        if not continuity:
            status = "not_checked"
        elif last is None or this is None:
            status = "unknown"
        elif _has(findings, CARRY_OVER, this_path, "error"):
            status = "mismatch"
        else:
            status = "ok"
        out.append({"column": link.column, "label": labels[link.column], "a_carried_forward": last, "b_carried_over": this,
                    "status": status, "spans": {"a": _span(a, last_path), "b": _span(b, this_path)},
                    "cells": {"a": last_path, "b": this_path}})
    return out


def stock_chain(a: dict, b: dict, findings: list[dict], continuity: bool) -> list[dict]:
    """规章 and 行政规范性文件: last year's 现行有效 + 制发 − 废止 against this year's 现行有效."""
    fa, fb = ((r.get("meta") or {}).get("format") for r in (a, b))
    out = []
    ctx_a, ctx_b = Context.of(a, ""), Context.of(b, "")
    chains = {c.row: c for c in report_format.stock_chains(fa, fb)}
    for row in report_format.STOCK_ROWS:
        name = schema.ACTIVE_2021.row(row).short
        chain = chains.get(row)
        if chain is None:
            out.append({"row": row, "label": name, "status": "not_checked", "a_in_force": None, "b_issued": None,
                        "b_repealed": None, "b_in_force": None, "expected": None,
                        "note": "2019 年格式没有现行有效件数，不核对"})
            continue
        last = ctx_a.count(chain.last)
        issued, repealed, in_force = (ctx_b.count(p) for p in chain.paths)
        known = None not in (last, issued, repealed, in_force)
        expected = chain.expected(last, issued, repealed) if known else None
        if not continuity:
            status = "not_checked"
        elif not known:
            status = "unknown"
        elif any(f["rule"] == STOCK_CHAIN and f["severity"] != "info"
                 and any(p.startswith(f"active.{row}.") for p in f.get("cells") or ()) for f in findings):
            status = "mismatch"
        else:
            status = "ok"
        out.append({"row": row, "label": name, "a_in_force": last, "b_issued": issued, "b_repealed": repealed,
                    "b_in_force": in_force, "expected": expected, "status": status,
                    "spans": {"a": _span(a, chain.last), "b": _span(b, chain.in_force)}})
    return out


# --- the whole comparison ------------------------------------------------------------
def _side(report: dict) -> dict:
    meta = report.get("meta") or {}
    source = report.get("source") or {}
    return {"organ": meta.get("organ"), "year": meta.get("year"), "format": meta.get("format"),
            "title": meta.get("title"), "path": source.get("path"), "sha256": source.get("sha256")}


def consecutive(a: dict, b: dict) -> bool:
    ya, yb = ((r.get("meta") or {}).get("year") for r in (a, b))
    return isinstance(ya, int) and isinstance(yb, int) and yb == ya + 1


def order(x: tuple[dict, str], y: tuple[dict, str]) -> tuple[tuple[dict, str], tuple[dict, str]]:
    """(earlier, later) by reporting year; as given when a year is unknown or equal."""
    yx, yy = ((r[0].get("meta") or {}).get("year") for r in (x, y))
    if isinstance(yx, int) and isinstance(yy, int) and yy < yx:
        return y, x
    return x, y


def compare_reports(a: tuple[dict, str], b: tuple[dict, str], *, continuity: bool | None = None) -> dict:
    """Compare report ``a`` (base: last year) with ``b`` (this year); see the module doc.

    ``continuity``: whether the cross-year rules apply (the same organ, consecutive
    years). ``None``: consecutive years and the same organ name as printed."""
    (ra, ta), (rb, tb) = a, b
    if continuity is None:
        same = (ra.get("meta") or {}).get("organ") == (rb.get("meta") or {}).get("organ")
        continuity = same and consecutive(ra, rb)
    findings = history.check(Context.of(rb, tb or "", previous=(ra, ta or ""))) if continuity else []
    for f in findings:
        f["links"] = [{"b": path, "a": (last := report_format.last_year_cell(path)), "b_span": _span(rb, path),
                       "a_span": _span(ra, last)}
                      for path in f.get("cells") or ()]
    cells = cell_rows(ra, rb)
    return {
        "schema": COMPARE_SCHEMA,
        "a": _side(ra),
        "b": _side(rb),
        "continuity": bool(continuity),
        "consecutive": consecutive(ra, rb),
        "cells": cells,
        "changed": sum(1 for c in cells if c["changed"]),
        "jumps": sum(1 for c in cells if c["jump"]),
        "carry_over": carry_over(ra, rb, findings, continuity),
        "stock": stock_chain(ra, rb, findings, continuity),
        "reuse": text_reuse(a, b),
        "findings": findings,
    }

