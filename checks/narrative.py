"""What the body text says, against the tables.

The text is read once per text (``statements`` is cached: the text does not
change while an auditor edits cells) into ``Statement``s: a number the text
states about something a table also counts, or a claim (``均已办结``, no
复议/诉讼 occurred, a fee was or was not charged). The rules then compare
those with the current table values, which is cheap.

Every pattern requires a count with its unit (``N件``) right after the thing
counted, so table rows rendered into the text (numbers without 件) never
match. Numbers may be written in Chinese (三件, 十二件).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsing import schema

from .balance import single_other
from .base import WARNING, Context, finding, not_assessable, quote, read_with_rule
from .sections import section_text

RULES = {
    "narrative.requests": (
        WARNING,
        "正文所述收到（受理）政府信息公开申请件数应与表三“本年新收”总计一致（正文写明含上年结转的，与“新收 + 结转”比）；"
        "所述办结件数应与“(七)总计”一致。",
    ),
    "narrative.reviews": (
        WARNING,
        "正文所述因政府信息公开引起的行政复议、行政诉讼件数应与表四的总计一致（行政诉讼为未经复议直接起诉与复议后起诉之和）。",
    ),
    "narrative.active": (
        WARNING,
        "正文所述制发、废止、现行有效的规章和行政规范性文件件数，以及行政许可、行政处罚决定数量，应与表二一致。",
    ),
    "narrative.aggregates": (
        WARNING,
        "正文概括办理结果的句子（如“予以公开及部分公开208件（17.46%）、不予公开20件”）应与表三各类结果的合计一致，"
        "所述百分比应与件数相符（分母为办结总数或受理数，以正文所指为准）。",
    ),
    "narrative.contradiction": (
        WARNING,
        "正文与表格或正文自身相矛盾：称申请“均已办结”而表三仍有结转下年度办理的申请；称未发生行政复议、行政诉讼而表四有案件；"
        "第六部分既称未收取信息处理费又称收取了（表二的行政事业性收费不是信息处理费）。",
    ),
    "narrative.wrong_year": (
        WARNING,
        "正文在描述本机关本年度工作时写成了其他年份（如 2024 年度报告中写“2023年，我局共收到…”），多为套用旧稿所致。",
    ),
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_NUM = r"(\d+|[零〇一二两三四五六七八九十百千万]+)"
_NOT_NUM = r"[^。；;，,！？\d零〇一二两三四五六七八九十百千万]"


def cn_number(s: str) -> int | None:
    """``34`` → 34, ``十二`` → 12, ``三百零五`` → 305; None when not a number."""
    if s.isdigit():
        return int(s)
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(frozen=True)
class Statement:
    kind: str  # received, completed, review, litigation, active, decisions, group, all_done, no_cases, fee
    key: str  # what is counted (a cell path, group name, …), or "" for claims
    value: int | None
    sentence: str
    pct: str | None = None  # a stated percentage, as written
    detail: str = ""  # received: "carry" when the text counts carried-over applications too


_SENTENCE = re.compile(r"[^。；;！？!?\n|]+")
_EXCLUDE_REQUEST = re.compile(r"复议|诉讼|投诉|举报|信访|留言|咨询")
_RECEIVED = re.compile(rf"(?:收到|受理|接收|接到|新收)([^。；;，,！？]{{0,40}}?)申请({_NOT_NUM}{{0,12}}?){_NUM}\s*件")
_RECEIVED_NONE = re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:任何)?([^。；;，,]{0,12}?)(?:依申请公开|公开申请|申请)")
_COMPLETED = re.compile(rf"办结([^。；;，,！？]{{0,20}}?)申请({_NOT_NUM}{{0,8}}?){_NUM}\s*件")
_REVIEW = re.compile(rf"行政(复议|诉讼)(?:案件|申请)?(?:共计|共)?\s*{_NUM}\s*(?:件|起|宗|次)")
_ACTIVE = re.compile(
    rf"(制发|印发|制定|出台|废止|现行有效)(?:的|了)?(行政规范性文件|规范性文件|规章)(?:共计|共)?\s*{_NUM}\s*件"
)
_ACTIVE_NONE = re.compile(r"(?:未|没有)(?:制发|印发|制定|出台)(?:任何)?(?:行政)?(规范性文件|规章)")
_DECISIONS = re.compile(
    rf"(?:(?:作出|办理|办结|实施|处理)[^，,。；;]{{0,6}}?行政(许可|处罚)(?:决定|案件|事项)?|行政(许可|处罚)决定书?)"
    rf"(?:共计|共)?\s*{_NUM}\s*(?:件|起|个|项|份)"
)
_GROUP = re.compile(
    rf"(予以公开(?:及|和|与|、)部分公开|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:的|类)?(?:申请)?(?:共计|共)?\s*"
    rf"{_NUM}\s*件(?:\s*[，,]?\s*[（(]?\s*(?:占比|占)?\s*(\d+(?:\.\d+)?)\s*[%％])?"
)
_ALL_DONE = re.compile(r"(?:均|全部|都)(?:已|已经)?(?:按时|按期|依法|及时)?(?:办结|办理完毕|处理完毕|答复完毕)")
_NO_CASES = re.compile(r"(?:未|没有|无)(?:发生|出现|收到|产生|有|涉及)?[^。；;，,]{0,25}?行政(?:复议|诉讼)")
_DISCLOSURE = re.compile(r"信息公开|依申请|申请公开")
_CASE_EXCLUDE = re.compile(r"纠错|纠正|败诉|撤销|确认违法")
_FEE_NONE = re.compile(
    r"(?:未|无|不|没有|均未|未曾)(?:收取|产生|收)[^。；;，,]{0,12}?(?:信息)?处理费|信息处理费[^。；;]{0,6}?(?:为0|为零|0元|零元)"
)
_FEE_CHARGED = re.compile(
    r"(?<![未无不没])收取(?:了)?[^。；;，,]{0,12}?信息处理费[^。；;]{0,12}?\d|信息处理费(?:共计|合计|共)?\s*\d+(?:\.\d+)?\s*(?:万元|元)"
)

_ACTIVE_COL = {"制发": "issued", "印发": "issued", "制定": "issued", "出台": "issued", "废止": "repealed",
               "现行有效": "in_force"}
_GROUP_KEY = {"予以公开": "granted", "部分公开": "partially_granted", "不予公开": "denied", "无法提供": "unable",
              "不予处理": "rejected", "其他处理": "other"}


def _sentences(text: str):
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if len(s) >= 4:
            yield s


_WITH_CARRIED = re.compile(r"(?:含|包括|包含|连同|加上)[^。；;，,]{0,12}?结转")


def _counts_carried(s: str, m: re.Match) -> bool:
    """Whether the number stated includes the carried-over applications: 结转
    between the verb and the number, or "（含上年结转…）" with it. A clause of
    its own ("…申请34件，上年结转申请2件") is a separate number."""
    if "结转" in m.group(1) + m.group(2):
        return True
    return bool(_WITH_CARRIED.search(s[max(0, m.start() - 12): m.end() + 20]))


def _request_statements(s: str):
    for m in _RECEIVED.finditer(s):
        if not _EXCLUDE_REQUEST.search(m.group(1) + m.group(2)):
            carry = "carry" if _counts_carried(s, m) else ""
            yield Statement("received", "", cn_number(m.group(3)), s, detail=carry)
            break
    else:
        m = _RECEIVED_NONE.search(s)
        if m and not _EXCLUDE_REQUEST.search(m.group()):
            yield Statement("received", "", 0, s)
    for m in _COMPLETED.finditer(s):
        if not _EXCLUDE_REQUEST.search(m.group(1) + m.group(2)):
            yield Statement("completed", "", cn_number(m.group(3)), s)
            break


def _other_statements(s: str):
    # Only cases about information disclosure: a county's report may also
    # count all its administrative reconsiderations elsewhere.
    reviews = _REVIEW.finditer(s) if _DISCLOSURE.search(s) else ()
    for m in reviews:
        yield Statement("review" if m.group(1) == "复议" else "litigation", "", cn_number(m.group(2)), s)
    for m in _ACTIVE.finditer(s):
        row = "rules" if m.group(2) == "规章" else "normative_documents"
        yield Statement("active", f"active.{row}.{_ACTIVE_COL[m.group(1)]}", cn_number(m.group(3)), s)
    for m in _ACTIVE_NONE.finditer(s):
        row = "rules" if m.group(1) == "规章" else "normative_documents"
        yield Statement("active", f"active.{row}.issued", 0, s)
    for m in _DECISIONS.finditer(s):
        row = "licensing" if (m.group(1) or m.group(2)) == "许可" else "punishment"
        yield Statement("decisions", f"active.{row}.decisions", cn_number(m.group(3)), s)
    for m in _GROUP.finditer(s):
        name = m.group(1)
        key = "granted_partial" if len(name) > 4 else _GROUP_KEY[name]
        yield Statement("group", key, cn_number(m.group(2)), s, pct=m.group(3))
    if "申请" in s and "结转" not in s and _ALL_DONE.search(s):  # "上年结转的均已办结" is about last year
        yield Statement("all_done", "", None, s)
    m = _NO_CASES.search(s)
    if m and not _CASE_EXCLUDE.search(s) and not _REVIEW.search(s):
        tail = s[m.start():]
        for which in ("复议", "诉讼"):
            if which in tail:
                yield Statement("no_cases", "review" if which == "复议" else "litigation", 0, s)


@lru_cache(maxsize=256)
def statements(text: str) -> tuple[Statement, ...]:
    """Every checkable statement of the text, in text order."""
    out: list[Statement] = []
    for s in _sentences(text):
        if "件" in s or "申请" in s or "复议" in s or "诉讼" in s:
            out += _request_statements(s)
            out += _other_statements(s)
    return tuple(out)


def _value_findings(ctx: Context, rule: str, st: Statement, paths: list[str], what: str, detail: str = "") -> list:
    vals = [ctx.count(p) for p in paths]
    if any(v is None for v in vals):
        return [not_assessable(rule, ctx, [p for p, v in zip(paths, vals) if v is None], f"正文所述{what}")]
    chosen = [p for p in paths if rule in ctx.read_with(p)]
    if chosen:  # the body text chose this split of a glued row: it cannot confirm it too
        return [read_with_rule(rule, ctx, chosen, "正文所述数字")]
    actual = sum(vals)
    if st.value == actual:
        return []
    table = detail or (f"{ctx.label(paths[0])} {actual}" if len(paths) == 1 else
                       " + ".join(f"{ctx.label(p)} {v}" for p, v in zip(paths, vals)) + f" = {actual}")
    return [finding(rule, WARNING, paths, f"正文称{what} {st.value} 件{quote(st.sentence)}，表中为 {table}",
                    expected=st.value, actual=actual)]


_NEW = "requests.new_received.total"
_CARRIED = "requests.carried_over.total"


def _requests(ctx: Context, st: Statement) -> list:
    rule = "narrative.requests"
    if st.kind == "completed":
        return _value_findings(ctx, rule, st, ["requests.total.total"], "办结申请")
    paths = [_NEW, _CARRIED] if st.detail == "carry" else [_NEW]
    return _value_findings(ctx, rule, st, paths, "收到申请")


def _reviews(ctx: Context, st: Statement) -> list:
    if st.kind == "review":
        return _value_findings(ctx, "narrative.reviews", st, ["reviews.review.total"], "行政复议")
    paths = ["reviews.litigation_direct.total", "reviews.litigation_after_review.total"]
    return _value_findings(ctx, "narrative.reviews", st, paths, "行政诉讼")


def _active(ctx: Context, st: Statement) -> list:
    if ctx.fmt == schema.FORMAT_2019:
        return []  # the 2019 active table counts other things
    return _value_findings(ctx, "narrative.active", st, [st.key], ctx.label(st.key))


_GROUP_ROWS = {
    "granted": ("granted",),
    "partially_granted": ("partially_granted",),
    "granted_partial": ("granted", "partially_granted"),
    **schema.OUTCOME_GROUPS,
}
_GROUP_NAMES = {"granted": "予以公开", "partially_granted": "部分公开", "granted_partial": "予以公开及部分公开",
                "denied": "不予公开", "unable": "无法提供", "rejected": "不予处理", "other": "其他处理"}


def _pct_matches(pct: str, count: int, denominator: int) -> bool:
    if denominator <= 0:
        return False
    places = len(pct.split(".")[1]) if "." in pct else 0
    return abs(float(pct) - 100 * count / denominator) <= 10 ** -places + 1e-9


def _aggregate(ctx: Context, st: Statement) -> list:
    rule = "narrative.aggregates"
    rows = _GROUP_ROWS[st.key]
    if st.key == "other" and single_other(ctx):
        rows = (schema.OTHER_SINGLE.key,)  # the undivided (六)其他处理 row the report printed
    paths = [f"requests.{r}.total" for r in rows]
    name = _GROUP_NAMES[st.key]
    out = _value_findings(ctx, rule, st, paths, name)
    if st.pct is None or out:
        return out
    done, new = ctx.count("requests.total.total"), ctx.count(_NEW)
    if done is None or new is None:
        return [not_assessable(rule, ctx, [p for p, v in (("requests.total.total", done), (_NEW, new)) if v is None],
                               f"正文所述{name}百分比")]
    says_new = "受理" in st.sentence or "收到" in st.sentence
    denominators = [new] if says_new and "办结" not in st.sentence else [done, new]
    if any(_pct_matches(st.pct, st.value, d) for d in denominators):
        return []
    shown = "；".join(f"{st.value}/{d} = {100 * st.value / d:.2f}%" for d in dict.fromkeys(denominators) if d)
    return [finding(rule, WARNING, paths + ["requests.total.total"],
                    f"正文称{name} {st.value} 件占 {st.pct}%{quote(st.sentence)}，按表中办结 {done} 件、新收 {new} 件计算应为"
                    f" {shown or '（分母为 0）'}", expected=shown, actual=f"{st.pct}%")]


def _contradiction(ctx: Context, st: Statement) -> list:
    rule = "narrative.contradiction"
    if st.kind == "all_done":
        path = "requests.carried_forward.total"
        v = ctx.count(path)
        if v is None:
            return [not_assessable(rule, ctx, [path], "正文“均已办结”的说法")]
        if v > 0:
            return [finding(rule, WARNING, [path], f"正文称申请均已办结{quote(st.sentence)}，但表三结转下年度继续办理为 {v} 件",
                            expected=0, actual=v)]
        return []
    paths = (["reviews.review.total"] if st.key == "review" else
             ["reviews.litigation_direct.total", "reviews.litigation_after_review.total"])
    vals = [ctx.count(p) for p in paths]
    if any(v is None for v in vals):
        return [not_assessable(rule, ctx, [p for p, v in zip(paths, vals) if v is None], "正文“未发生复议/诉讼”的说法")]
    if sum(vals) > 0:
        what = "行政复议" if st.key == "review" else "行政诉讼"
        return [finding(rule, WARNING, paths, f"正文称未发生{what}{quote(st.sentence)}，但表四{what}总计为 {sum(vals)} 件",
                        expected=0, actual=sum(vals))]
    return []


def _fee_contradiction(ctx: Context) -> list:
    text = section_text(ctx, "other")
    if text is None:
        return []
    none = _FEE_NONE.search(text)
    # "收取…信息处理费0元" says none was charged: only a non-zero amount contradicts
    charged = next((m for m in _FEE_CHARGED.finditer(text)
                    if any(float(n) > 0 for n in re.findall(r"\d+(?:\.\d+)?", m.group()))), None)
    if none and charged:
        return [finding("narrative.contradiction", WARNING, [],
                        f"第六部分既称未收取信息处理费{quote(none.group(), 40)}，又称收取了{quote(charged.group(), 40)}")]
    return []


_YEAR_START = re.compile(r"^[（(]?[一二三四五六七八九十\d]*[)）、.]?\s*(\d{4})\s*年(?:度)?(?!\d|以来|底|初|末)")
_OWN_WORK = re.compile(r"(?:我|全|本)(?:局|委|区|县|镇|乡|街道|街|市|办|厅|中心|单位|部门|院|省|州|旗|机关)")
_WORK_VERB = re.compile(r"共|收到|受理|主动公开|发布|完成|办结|制发|公开")
_FUTURE = re.compile(r"将|计划|拟|下一步|继续|力争|预计|同比|相比|较")


@lru_cache(maxsize=256)
def _other_year_sentences(text: str, year: int) -> tuple[str, ...]:
    """Sentences opening with a year other than ``year`` that describe the organ's own work."""
    hits = []
    for s in _sentences(text):
        m = _YEAR_START.match(s)
        if not m or int(m.group(1)) == year:
            continue
        rest = s[m.end():]
        if _OWN_WORK.search(rest[:20]) and _WORK_VERB.search(rest) and not _FUTURE.search(s):
            hits.append(s)
    return tuple(hits)


def _wrong_year(ctx: Context) -> list:
    year = ctx.meta.get("year")
    if not isinstance(year, int):
        return []
    text = section_text(ctx, "overview")
    if text is None:
        return []
    hits = _other_year_sentences(text, year)
    if not hits:
        return []
    cited = "；".join(quote(s, 50) for s in hits[:3])
    return [finding("narrative.wrong_year", WARNING, [],
                    f"{year} 年度报告的总体情况中有 {len(hits)} 处以其他年份描述本机关工作：{cited}",
                    expected=year, actual=sorted({int(_YEAR_START.match(s).group(1)) for s in hits}))]


_DISPATCH = {
    "received": _requests, "completed": _requests, "review": _reviews, "litigation": _reviews,
    "active": _active, "decisions": _active, "group": _aggregate, "all_done": _contradiction,
    "no_cases": _contradiction,
}


def check(ctx: Context) -> list[dict]:
    out: list[dict] = []
    if ctx.has_tables():
        seen = set()
        for st in statements(ctx.text):
            for f in _DISPATCH[st.kind](ctx, st):
                key = (f["rule"], tuple(f["cells"]), f["severity"])
                if key not in seen:  # one finding per compared cells: the first statement cited
                    seen.add(key)
                    out.append(f)
    out += _fee_contradiction(ctx)
    out += _wrong_year(ctx)
    return out

