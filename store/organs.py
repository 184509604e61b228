"""Organ names: normalisation, administrative level, and the auditor's answers
to "are these two the same organ?" (issue 14).

Reports of one organ pair up by year. Names are compared after
``normalise_organ`` (NFKC, whitespace and brackets' width ignored). Two names
that differ but look related (``related``: one is the other plus a short
suffix such as 办公室, or the other way round) are a question for the auditor,
asked once: the answer is kept in the audit database, table ``organ_pairs``
(append-only: ``{"a", "b", "same", "auditor", "time"}``, the names sorted; the
latest answer for a pair counts). ``same_organ`` answers ``True``/``False``,
or ``None`` when the auditor has to be asked.

``organ_level`` guesses the administrative level from the name (documented
rule, ``None`` when the name does not say): 省级 (省, 自治区, and the
municipalities 北京/天津/上海/重庆 市 itself), 市级 (…市, 州, 盟, 地区), 县级 (…县,
…区, 旗, 县级市 named inside a 市/州, 综合实验区), 乡级 (…乡, …镇, …街道, 苏木,
办事处), judged by the last level word of the name's organ part (a department
of a county government is 县级).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .clock import now_utc

TABLE = "organ_pairs"
# Suffixes that make another name for (a part of) the same organ.
_SUFFIX_MAX = 6


def normalise_organ(name: str | None) -> str:
    """The name for comparisons: NFKC (full-width brackets and letters → ASCII), no whitespace."""
    if not name:
        return ""
    return "".join(unicodedata.normalize("NFKC", name).split())


def related(a: str | None, b: str | None) -> bool:
    """Two different names that may be one organ: one is the other plus at most six characters
    (平潭综合实验区管委会 / 平潭综合实验区管委会办公室)."""
    na, nb = normalise_organ(a), normalise_organ(b)
    if not na or not nb or na == nb:
        return False
    short, long = sorted((na, nb), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= _SUFFIX_MAX


def _key(a: str, b: str) -> tuple[str, str]:
    return tuple(sorted((normalise_organ(a), normalise_organ(b))))  # type: ignore[return-value]


def _entries(store) -> list[dict]:
    with store._mutex:
        store._ix()
        raw = store._storage.read().get(TABLE) or {}
    return [dict(raw[k], id=int(k)) for k in sorted(raw, key=int)]


def decisions(store) -> dict[tuple[str, str], bool]:
    """The latest answer per pair of (normalised, sorted) names."""
    out: dict[tuple[str, str], bool] = {}
    for e in _entries(store):
        out[(e["a"], e["b"])] = bool(e["same"])
    return out


def decision(store, a: str | None, b: str | None) -> bool | None:
    return decisions(store).get(_key(a or "", b or ""))


def remember(store, a: str, b: str, same: bool) -> dict:
    """Record the auditor's answer (a new entry; the database is on disk when this returns)."""
    na, nb = _key(a, b)
    if not na or not nb or na == nb:
        raise ValueError("需要两个不同的机关名称")
    store._require_writable()
    doc = {"a": na, "b": nb, "same": bool(same), "auditor": store.auditor, "time": now_utc()}
    with store._write():
        doc_id = store._db.table(TABLE).insert(doc)
    return {**doc, "id": doc_id}


def same_organ(store, a: str | None, b: str | None) -> bool | None:
    """True/False, or None: related names nobody has answered for yet (ask the auditor)."""
    na, nb = normalise_organ(a), normalise_organ(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    known = decision(store, na, nb) if store is not None else None
    if known is not None:
        return known
    return None if related(na, nb) else False


def aliases(store, name: str | None) -> set[str]:
    """The other organ names (as stored on reports) the auditor said are the same organ as ``name``."""
    if not name:
        return set()
    generation = store._storage.generation
    cached = getattr(store, "_organ_groups", None)
    if cached is None or cached[0] != generation:  # once per database state, not once per report
        names = {d.get("organ") for d in store._ix().reports.values() if d.get("organ")}
        groups = organ_groups(names, decisions(store))
        members: dict[str, set[str]] = {}
        for n, g in groups.items():
            members.setdefault(g, set()).add(n)
        cached = store._organ_groups = (generation, groups, members)
    _, groups, members = cached
    mine = groups.get(name) or normalise_organ(name)
    return members.get(mine, set()) - {name}


def organ_groups(names, answers: dict[tuple[str, str], bool]) -> dict[str, str]:
    """Each name → the name that stands for its organ (names answered "same" join, transitively)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for name in names:
        find(normalise_organ(name))
    for (a, b), same in answers.items():
        if same:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {name: find(normalise_organ(name)) for name in names if name}


# --- administrative level ---------------------------------------------------------
_LEVELS = (
    ("乡级", re.compile(r"(?:乡|镇|街道|苏木|街道办事处|街道办)")),
    ("县级", re.compile(r"(?:县|区|旗|综合实验区)")),
    ("市级", re.compile(r"(?:市|州|盟|地区)")),
    ("省级", re.compile(r"(?:省|自治区)")),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_LEVEL_WORD = re.compile(r"(?:街道办事处|街道办|街道|苏木|综合实验区|自治区|地区|[乡镇县区旗市州盟省])")
LEVELS = ("省级", "市级", "县级", "乡级")


@functools.lru_cache(maxsize=4096)
def organ_level(name: str | None) -> str | None:
    """省级 / 市级 / 县级 / 乡级 from the name's last level word, else None."""
    n = normalise_organ(name)
    if not n:
        return None
    words = list(_LEVEL_WORD.finditer(n))
    # A level word inside an ordinary word (区 of 社区 or 小区, 市 of 市场监督) is not a level.
    words = [m for m in words if not (m.group() == "区" and n[max(0, m.start() - 1):m.start()] in ("社", "小", "园", "景", "街", "校"))
             and not (m.group() == "市" and n[m.end():m.end() + 2] in ("场监", "场管", "政管", "政工", "民服"))]
    if not words:
        return None
    last = words[-1].group()
    if last == "市" and n.startswith(_MUNICIPALITIES) and len(words) == 1:
        return "省级"
    for level, pattern in _LEVELS:
        if pattern.fullmatch(last):
            return level
    return None
