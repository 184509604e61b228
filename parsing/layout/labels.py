"""Row labels of the three tables → row keys, robustly.

Owns how a label cell as printed (numbering variants ``4 .``, ``3、``,
``(=)`` for ``(二)``, full-width brackets, stray spaces, OCR typos, brackets
with instructions, labels wrapped over lines) is recognised as a row of
``parsing.model.schema``. Matching is by distinctive keywords first (containment,
not equality), then by group + sub-number (``3.`` under ``（六）其他处理`` is
``other_other``), then by a small fuzzy score against the schema labels.

A label that matches nothing is a header, a wrapped label's continuation or
noise: the caller decides what that means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..model.schema import ACTIVE_2019, ACTIVE_2021, FORMAT_2019, OUTCOME_GROUPS, REQUESTS

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SUBNUM = re.compile(r"^(\d)[.、,:;．]")
_GROUP_MARK = re.compile(r"\(([一二三四五六七])\)")
# "一、" "（二）": a numbered row of its own (a wrapped label's continuation never is)
_TOP_NUMBER = re.compile(r"^(?:[一二三四五六七八九十][、.]|\([一二三四五六七八九十]\))")
_CORE_GROUP = re.compile(r"^.*?\([一二三四五六七]\)(不予公开|无法提供|不予处理|其他处理)?")
_CORE_TOP = re.compile(r"^[一二三四五六七八九十]、")
_CORE_SUB = re.compile(r"^\d[.、]")
_CORE_BRACKETS = re.compile(r"\(.*?\)")
_NUMBERED_TOTAL = re.compile(r"(?:\([一二三四五六七八九十]\)|[一二三四五六七八九十][、.])(?:总计|合计)[:：]?")

GROUP_WORDS = {"不予公开": "denied", "无法提供": "unable", "不予处理": "rejected", "其他处理": "other"}
GROUP_NUMERALS = {"三": "denied", "四": "unable", "五": "rejected", "六": "other"}

REQUEST_KEYWORDS: dict[str, tuple[str, ...]] = {
    "new_received": ("本年新收",),
    "carried_over": ("上年结转",),
    "granted": ("予以公开",),
    "partially_granted": ("部分公开",),
    "denied_state_secret": ("国家秘密",),
    "denied_prohibited_by_law": ("禁止公开", "法律行政法规"),
    "denied_security_stability": ("三安全一稳定", "三安全", "一稳定"),
    "denied_third_party": ("第三方",),
    "denied_internal_affairs": ("内部事务",),
    "denied_process_info": ("过程性",),
    "denied_enforcement_files": ("执法案卷",),
    "denied_query_matters": ("查询事项",),
    "unable_not_held": ("不掌握",),
    "unable_needs_creation": ("另行制作", "没有现成"),
    "unable_unclear": ("仍不明确", "补正后"),
    "rejected_complaint": ("信访", "举报投诉"),
    "rejected_duplicate": ("重复申请",),
    "rejected_publication": ("出版物",),
    "rejected_excessive": ("大量反复",),
    "rejected_confirmation": ("重新出具", "确认或"),
    "other_no_correction": ("不补正", "申请人无正当理由", "无正当理由逾"),  # the label may wrap after 逾 or 逾期不
    "other_unpaid_fee": ("缴纳费用", "收费通知"),
    "carried_forward": ("结转下年度", "下年度继续"),
}
ACTIVE_KEYWORDS_2021: dict[str, tuple[str, ...]] = {
    "rules": ("规章",),
    "normative_documents": ("规范性文件",),
    "licensing": ("行政许可",),
    "punishment": ("行政处罚",),
    "enforcement": ("行政强制",),
    "fees": ("事业性收费",),
}
ACTIVE_KEYWORDS_2019: dict[str, tuple[str, ...]] = {
    **ACTIVE_KEYWORDS_2021,
    "other_services": ("对外管理服务", "其他对外管理"),
    "procurement": ("集中采购", "政府采购"),
}

FUZZY_THRESHOLD = 0.6
FUZZY_MARGIN = 0.2
GROUP_FALLBACK_MIN = 0.3


@dataclass(frozen=True)
class LabelMatch:
    """What a label cell says: a row (``row``), and/or the group it opens."""

    row: str | None = None
    group: str | None = None
    fuzzy: bool = False  # matched by similarity or position, not by its words


NO_MATCH = LabelMatch()


# Traditional forms (and OCR's favourite confusions) of characters in the labels.
_VARIANTS = str.maketrans(
    "強許處罰規範開無與請謂國內務過濟執詢項閱覆複議訴訟結維糾審總計數釐費繳現製後類處條單據實據號爲為則辦應證",
    "强许处罚规范开无与请谓国内务过济执询项阅复复议诉讼结维纠审总计数厘费缴现制后类处条单据实据号为为则办应证",
)


def norm_label(text: str) -> str:
    """Canonical form for matching: NFKC, no spaces, ``(=)`` → ``(二)``,
    traditional characters → simplified."""
    t = unicodedata.normalize("NFKC", text).translate(_VARIANTS)
    t = "".join(t.split())
    t = t.replace("(=)", "(二)").replace("(-)", "(一)").replace("[", "(").replace("]", ")")
    t = t.replace("“", '"').replace("”", '"').replace("|", "")
    return t


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _core(label: str) -> str:
    """A schema label without group prefix and numbering: the words to compare."""
    t = norm_label(label)
    t = _CORE_GROUP.sub("", t)
    t = _CORE_TOP.sub("", t)
    t = _CORE_SUB.sub("", t)
    t = _CORE_BRACKETS.sub("", t)
    return t


def _bigrams(t: str) -> set[str]:
    return {t[i : i + 2] for i in range(len(t) - 1)}


_REQUEST_CORES = {r.key: _bigrams(_core(r.label)) for r in REQUESTS.rows}
_REQUEST_UNIQUE = {
    k: g - set().union(*(o for k2, o in _REQUEST_CORES.items() if k2 != k)) for k, g in _REQUEST_CORES.items()
}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _keyword_index(keywords: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for all keywords (longest first) and keyword → row."""
    row_of = {w: row for row, words in keywords.items() for w in words}
    return re.compile("|".join(re.escape(w) for w in sorted(row_of, key=len, reverse=True))), row_of


# Built once per keyword table (they are module constants), keyed by identity.
_KEYWORD_INDEXES: dict[int, tuple[dict, re.Pattern, dict[str, str]]] = {}


def _by_keywords(t: str, keywords: dict[str, tuple[str, ...]]) -> str | None:
    """The row whose keyword occurs last in ``t`` (the label nearest its values)."""
    built = _KEYWORD_INDEXES.get(id(keywords))
    if built is None or built[0] is not keywords:
        built = _KEYWORD_INDEXES[id(keywords)] = (keywords, *_keyword_index(keywords))
    _, pattern, row_of = built
    last = None
    for m in pattern.finditer(t):
        last = m
    return row_of[last.group()] if last else None


def group_of(t: str) -> str | None:
    """The outcome group a (normalised) label opens: "denied", "unable", …"""
    found, found_pos = None, -1
    for word, group in GROUP_WORDS.items():
        pos = t.rfind(word)
        if pos > found_pos:
            found, found_pos = group, pos
    if found is None:
        m = _GROUP_MARK.search(t)
        if m and m.group(1) in GROUP_NUMERALS and len(t) <= 6:
            found = GROUP_NUMERALS[m.group(1)]
    return found


def _strip_group(t: str) -> str:
    """The label after its group heading: "(三)不予公开1.属于…" → "1.属于…"."""
    cut = 0
    for word in GROUP_WORDS:
        pos = t.rfind(word)
        if pos >= 0:
            cut = max(cut, pos + len(word))
    return t[cut:]


def sub_number(t: str) -> int | None:
    m = _SUBNUM.match(_strip_group(t))
    return int(m.group(1)) if m else None


def is_total_label(t: str, *, plain_ok: bool) -> bool:
    """(七)总计; a bare 总计/合计 only where the caller says a total row may come."""
    if _NUMBERED_TOTAL.fullmatch(t):
        return True  # (七)总计, numbered however the report numbers it
    return plain_ok and t in ("总计", "合计", "总计:", "合计:")


@lru_cache(maxsize=2048)
def match_request_label(text: str, group: str | None, *, total_ok: bool) -> LabelMatch:
    """Match a label cell of the requests table. ``group`` is the outcome group
    in force (from an earlier label); ``total_ok`` allows a bare 总计 row."""
    t = norm_label(text)
    if not has_cjk(t):
        return NO_MATCH
    new_group = group_of(t)
    if "小计" in t and "法人" not in t:
        g = new_group or group
        return LabelMatch(row=f"subtotal_{g}" if g else None, group=g)
    if is_total_label(t, plain_ok=total_ok):
        return LabelMatch(row="total")
    row = _by_keywords(t, REQUEST_KEYWORDS)
    g = new_group or group
    n = sub_number(t)
    rest = _SUBNUM.sub("", _strip_group(t))
    if row is None and rest in ("其他", "其它") and (n is not None or (g == "other" and new_group is None)):
        row = "other_other"  # the only sub-row called 其他 (unnumbered: only inside (六))
    if row is not None:
        row_group = _row_group(row)
        return LabelMatch(row=row, group=row_group or new_group)
    if n is not None or _TOP_NUMBER.match(t):
        fuzzy = _fuzzy_request(t, g)
        if fuzzy is not None:
            # Every word pair found in the schema label: a wrapped label, not a typo.
            exact = _containment(_bigrams(_core(t)), _REQUEST_CORES[fuzzy]) == 1.0
            return LabelMatch(row=fuzzy, group=_row_group(fuzzy) or g, fuzzy=not exact)
        if n is not None and g is not None and 1 <= n <= len(OUTCOME_GROUPS[g]):
            # OCR-damaged words, but the group and the number say which row
            key = OUTCOME_GROUPS[g][n - 1]
            grams = _bigrams(_core(t))
            share = _containment(grams, _REQUEST_CORES[key])
            if new_group is not None or share >= GROUP_FALLBACK_MIN:
                # a label wrapped after its first words ("5.要求行政机关", "（三）不予公开1.") is exact
                return LabelMatch(row=key, group=g, fuzzy=bool(grams) and share < 1.0)
    return LabelMatch(group=new_group)


def _row_group(row: str) -> str | None:
    for g, rows in OUTCOME_GROUPS.items():
        if row in rows:
            return g
    return None


def _containment(cell: set[str], canonical: set[str]) -> float:
    """How much of a (possibly wrapped, truncated) label occurs in a schema label."""
    return len(cell & canonical) / len(cell) if cell else 0.0


def _fuzzy_request(t: str, group: str | None) -> str | None:
    grams = _bigrams(_core(t))
    if len(grams) < 4:
        return None
    scored = sorted(((_containment(grams, g), k) for k, g in _REQUEST_CORES.items()), reverse=True)
    (best, key), (second, other) = scored[0], scored[1]
    # Labels share their tails (…政府信息公开申请数量): the pairs only one label has decide close calls.
    distinct = len(grams & _REQUEST_UNIQUE[key]) >= 2 and not grams & _REQUEST_UNIQUE[other]
    if best >= FUZZY_THRESHOLD and (best - second >= FUZZY_MARGIN or distinct):
        if group is None or _row_group(key) in (None, group):
            return key
    return None


@lru_cache(maxsize=1024)
def match_active_label(text: str, fmt: str) -> LabelMatch:
    """Match a label cell of the active table (2021 or 2019 rows)."""
    t = norm_label(text)
    if not has_cjk(t):
        return NO_MATCH
    keywords = ACTIVE_KEYWORDS_2019 if fmt == FORMAT_2019 else ACTIVE_KEYWORDS_2021
    row = _by_keywords(t, keywords)
    if row is not None:
        return LabelMatch(row=row)
    chars = set(t)
    if len(t) < 3 or len(t) > 12:
        return NO_MATCH
    # Characters, not pairs: active labels are short, one typo breaks half the pairs.
    scored = sorted(((_dice(chars, row_chars), key) for key, row_chars in _ACTIVE_CHARS[fmt == FORMAT_2019]), reverse=True)
    (best, key), (second, _) = scored[0], scored[1]
    if best >= FUZZY_THRESHOLD and best - second >= FUZZY_MARGIN:
        return LabelMatch(row=key, fuzzy=True)
    return NO_MATCH


def _active_chars(table) -> tuple[tuple[str, set[str]], ...]:
    """Each active row's characters after its item words (for fuzzy matching)."""
    return tuple((r.key, set(_core(r.label).split("项")[-1])) for r in table.rows)


_ACTIVE_CHARS = {False: _active_chars(ACTIVE_2021), True: _active_chars(ACTIVE_2019)}
