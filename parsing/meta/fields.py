"""Reading a report's metadata fields out of its display text.

Owns the rules for the title (…政府信息公开工作年度报告), the issuing organ, the
reporting year and the publication date. Every function is pure and looks
only at the text (and the reader's hints); anything not stated plainly comes
back ``None``: a metadata guess would mislead an auditor as much as a wrong
number.
"""

from __future__ import annotations

import re
from collections import Counter

_D = "[0-9０-９]"  # a digit, half or full width
_Y = "[12１２][09０９][0-9０-９]{2}"  # a year 1900-2099, half or full width
# …or in Chinese numerals in a title or a statistics period: 二〇二三 (2010-2029).
_YEAR = f"(?:{_Y}|二[〇○零][一二][〇○零一二三四五六七八九])"
_TO_DIGITS = str.maketrans("０１２３４５６７８９〇○零一二三四五六七八九", "0123456789000123456789")
_HEAD_CHARS = 4000  # titles and header fields live near the top
_TAIL_CHARS = 300  # …or right at the end of the article

# "…2024年（度）政府信息公开工作年度报告" and close variants (年报, 政务公开).
_TITLE_TAIL = r"(?:政府)?(?:信息|政务)公开(?:工作)?(?:年度)?(?:报告|年报)"
_TITLE_CELL_RE = re.compile(rf"^[^|｜。；;！!？?]{{0,80}}?{_TITLE_TAIL}(?:[（(][^）)]{{0,20}}[）)])?$")
# A title glued to the text after it (crawler text): stop at the tail.
# (Anchored on the year: a pattern opening with an optional run would be
# tried at every character; the organ before the year is taken separately.)
_TITLE_INLINE_RE = re.compile(rf"{_YEAR}\s*年度?[^\s|｜:：，,。；;《》“”\"]{{0,30}}?{_TITLE_TAIL}(?![的编》])")
_TITLE_PREFIX_RE = re.compile(r"[^\s|｜:：，,。；;《》“”\"]{0,40}$")
# A line holding only an organ's name (a PDF title's first line).
_ORGAN_LINE_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(?:政府|办事处|委员会|委|局|办公室|办|中心|院|所|厅|部|署|会|处|站|队|街道|镇|乡|区|县|市|旗)$"
)
# Table cells, breadcrumbs ("首页 > 年度报告 > …") and tab stops part a line.
_CELL_SPLIT_RE = re.compile(r"[|｜>＞»\t]")
_TITLE_LABEL_RE = re.compile(r"^\s*(?:标\s*题|题\s*名|名\s*称)\s*[:：]\s*")
_TITLE_PARTS_RE = re.compile(rf"^(?P<organ>.*?)(?P<year>{_YEAR})\s*年\s*度?\s*(?P<mid>.*?)(?:政府|信息|政务)")
_TITLE_NOYEAR_RE = re.compile(r"^(?P<organ>.+?)(?:政府信息公开|政务公开)")

# The statistics period: "统计期限自2024年1月1日起", "数据统计期限为2024年1月1日至…".
_YEAR_PERIOD_RE = re.compile(rf"统计[^。\n]{{0,16}}?({_YEAR})\s*年\s*(?:[0０]?[1１]|一)\s*月\s*(?:[0０]?[1１]|一)\s*日")
# "统计期限为2023年度" / "统计时段：2023年全年".
_YEAR_PERIOD_LOOSE_RE = re.compile(rf"统计(?:期限|时限|时段|区间|周期|范围)[^。\n\d]{{0,6}}?({_YEAR})\s*年(?:度|全年)")
_YEAR_RANGE_RE = re.compile(rf"({_Y})\s*年\s*[0０]?[1１]\s*月\s*[0０]?[1１]\s*日\s*(?:起\s*)?(?:至|到|—|-|~)")
_YEAR_END_RE = re.compile(rf"截[至止]\s*({_Y})\s*年\s*(?:12|１２)\s*月\s*(?:31|３１)\s*日")

_DATE_LABEL = r"(?:发文日期|发布日期|发布时间|成文日期|印发日期|发布于)"
_PUBLISHED_RE = re.compile(
    rf"{_DATE_LABEL}[ \t　]*[:：]?[ \t　|｜]*({_Y})\s*[-/.年]\s*({_D}{{1,2}})\s*[-/.月]\s*({_D}{{1,2}})"
)
# A web page's header line printed with it: "来源：某某办公室 时间：2024-03-08 15:34".
_SOURCE_TIME_RE = re.compile(
    rf"来\s*源\s*[:：][^\n]{{0,40}}?(?:时\s*间|日\s*期)\s*[:：]\s*({_Y})\s*[-/.年]\s*({_D}{{1,2}})\s*[-/.月]\s*({_D}{{1,2}})"
)
_ISSUER_RE = re.compile(r"(?:发布机构|发文机关|发布单位)[ \t　]*[:：][ \t　|｜]*([^\s|｜:：，,。]{2,40})")

# Organ inference when no title names it. Abbreviations an organ uses for
# itself in its own report, with their full names.
_ORGAN_ABBREVIATIONS = {
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "卫健委": "卫生健康委员会",
    "教育局": "教育局",
    "教体局": "教育体育局",
    "住建局": "住房和城乡建设局",
    "人社局": "人力资源和社会保障局",
    "市场监管局": "市场监督管理局",
    "自然资源局": "自然资源局",
    "生态环境局": "生态环境局",
    "交通局": "交通运输局",
    "交通运输局": "交通运输局",
    "文旅局": "文化和旅游局",
    "文广旅局": "文化广电和旅游局",
    "应急局": "应急管理局",
    "应急管理局": "应急管理局",
    "医保局": "医疗保障局",
    "财政局": "财政局",
    "民政局": "民政局",
    "司法局": "司法局",
    "审计局": "审计局",
    "统计局": "统计局",
    "水利局": "水利局",
    "林业局": "林业局",
    "商务局": "商务局",
    "农业农村局": "农业农村局",
    "退役军人事务局": "退役军人事务局",
    "城管局": "城市管理局",
    "行政审批局": "行政审批服务局",
}
_ABBR_ALT = "|".join(sorted(map(re.escape, _ORGAN_ABBREVIATIONS), key=len, reverse=True))
_ABBR_AFTER_PLACE_RE = re.compile(rf"(?<=[省市区县旗州])(?:{_ABBR_ALT})")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]+")
# "我县"/"全县" + "县政府": the report is the county government's own.
_LEVELS = {
    "县": "人民政府", "区": "人民政府", "市": "人民政府", "旗": "人民政府", "街道": "办事处", "镇": "人民政府", "乡": "人民政府"
}
_DEPARTMENT_VOICE_RE = re.compile(r"[我本](?:委|局|厅|署|中心|办(?!法|理|事))")
_PLACE_RES: dict[str, re.Pattern] = {}
_NOT_A_NAME = set("我全本该各此今在于对向由和与及等县区市乡镇村街州省旗年是的了为将把经")


def norm_digits(s: str) -> str:
    """Full-width and Chinese-numeral digits as ASCII digits (for years and dates)."""
    return s.translate(_TO_DIGITS)


def _clean_cell(cell: str) -> str:
    return _TITLE_LABEL_RE.sub("", cell).strip(" \t　*#")


def find_title(text: str) -> str | None:
    """The report's title: a header line or table cell that is a title (a PDF
    may print the organ, or the end of the title, on a line of its own), else
    a title glued into the first part of the text (crawler text)."""
    head = text[:_HEAD_CHARS]
    lines = [ln.strip() for ln in head.splitlines()[:40]]
    lines = [ln for ln in lines if ln]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        for cell in _CELL_SPLIT_RE.split(_TITLE_LABEL_RE.sub("", line)):
            title = _title_cell(_clean_cell(cell)) or (len(line) <= 40 and _title_cell(_clean_cell(cell) + nxt))
            if title:
                prev = lines[i - 1] if i else ""
                if title_parts(title)[0] is None and _ORGAN_LINE_RE.match(prev):
                    return prev + title
                return title
    return _inline_title(head)


def _title_cell(cell: str) -> str | None:
    ok = 8 <= len(cell) <= 90 and _TITLE_CELL_RE.match(cell) and "解读" not in cell
    return cell if ok else None


def _inline_title(head: str) -> str | None:
    m = _TITLE_INLINE_RE.search(head)
    if not m:
        return None
    before = head[max(0, m.start() - 40) : m.start()]
    start = m.start() - len(_TITLE_PREFIX_RE.search(before).group(0))
    if start > 0 and head[start - 1] in "《“\"":
        return None  # a document cited by name, not this page's title
    return head[start : m.end()].strip()


def title_parts(title: str | None) -> tuple[str | None, int | None]:
    """(organ, year) as a title states them: "临淄区…办事处2024年政府信息…" →
    ("临淄区…办事处", 2024); the organ may follow the year ("2024年泸定县…")."""
    if not title:
        return None, None
    m = _TITLE_PARTS_RE.match(title)
    if m:
        organ = _strip_organ(m.group("organ")) or _strip_organ(m.group("mid"))
        return organ, int(norm_digits(m.group("year")))
    m = _TITLE_NOYEAR_RE.match(title)
    return (_strip_organ(m.group(1)) if m else None), None


def _strip_organ(s: str) -> str | None:
    s = s.strip(" \t　:：|｜-—")
    if s.startswith("关于"):
        s = s[2:]
    if s.endswith("人民"):  # "…人民政府信息公开…": the 政府 belongs to the organ
        s += "政府"
    return s if len(s) >= 2 and not re.search(r"[0-9０-９]", s) else None


def find_year(text: str) -> int | None:
    """The reporting year from the statistics period, else from "截至YYYY年12月31日"."""
    for rx in (_YEAR_PERIOD_RE, _YEAR_RANGE_RE, _YEAR_END_RE, _YEAR_PERIOD_LOOSE_RE):
        m = rx.search(text)
        if m:
            return int(norm_digits(m.group(1)))
    return None


def find_published(text: str) -> str | None:
    """A labelled publication date (发文日期/发布日期/发布时间/成文日期) as
    YYYY-MM-DD, from the page's header (or a line at its very end): the dates
    of related articles listed below a page are not this report's."""
    tail = max(_HEAD_CHARS, len(text) - _TAIL_CHARS)
    m = (
        _PUBLISHED_RE.search(text, 0, _HEAD_CHARS)
        or _PUBLISHED_RE.search(text, tail)
        or _SOURCE_TIME_RE.search(text, 0, _HEAD_CHARS)
    )
    if not m:
        return None
    return iso_date(*(norm_digits(g) for g in m.groups()))


def iso_date(year: str, month: str, day: str) -> str | None:
    y, mo, d = int(year), int(month), int(day)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_issuer(text: str) -> str | None:
    """The organ a page's header table names (发布机构: …)."""
    m = _ISSUER_RE.search(text[:_HEAD_CHARS])
    return m.group(1) if m else None


def infer_organ(text: str) -> str | None:
    """The organ, from how the report speaks of itself, or None.

    Only two plain cases: a department that calls itself 我委/我局 and names
    itself "<place><known abbreviation>" (东胜区发改委 → 东胜区发展和改革委员会),
    and a government speaking as 我县/我区/我镇… (+ 县政府 + the one county named).
    """
    if _DEPARTMENT_VOICE_RE.search(text):
        # A department's own report: name it only from a known abbreviation,
        # never as the government of the county it works for.
        names: Counter = Counter()
        for m in _ABBR_AFTER_PLACE_RE.finditer(text):
            place = _place_before(text, m.start())
            if place:
                names[place + _ORGAN_ABBREVIATIONS[m.group(0)]] += 1
        return _single_winner(names)
    for level, suffix in _LEVELS.items():
        if f"我{level}" in text and (f"{level}政府" in text or level == "街道"):
            organ = _single_winner(_place_names(text, level))
            if organ:
                return organ + suffix
    return None


def _place_before(text: str, end: int) -> str | None:
    """The place name ending at ``end`` ("…通过东胜区|发改委" → 东胜区): the
    longest run of 3-6 characters that occurs in the text as often as its
    shortest form, so that a verb glued before the name is left out."""
    shortest = text[max(0, end - 3) : end]
    if len(shortest) < 3 or not _CJK_RE.fullmatch(shortest) or _NOT_A_NAME & set(shortest[:-1]):
        return None
    times, best = text.count(shortest), shortest
    for k in range(4, 7):
        longer = text[max(0, end - k) : end]
        if len(longer) < k or not _CJK_RE.fullmatch(longer) or text.count(longer) != times:
            break
        best = longer
    return best


def _place_names(text: str, level: str) -> Counter:
    rx = _PLACE_RES.get(level)
    if rx is None:
        # "…下,泸定县深入…": a name after a boundary, not "推动县政府…" (县政府 is a unit).
        rx = _PLACE_RES[level] = re.compile(
            rf"(?:^|(?<=[\s，,。；;：:、“”\"（(|｜]))([\u4e00-\u9fff]{{2,4}}?){level}(?!政府|委|级|直|乡|域|内|城)", re.M
        )
    names: Counter = Counter()
    for m in rx.finditer(text):
        name = m.group(1)
        if not (_NOT_A_NAME & set(name)):
            names[name + level] += 1
    return names


def _single_winner(counts: Counter) -> str | None:
    """The most frequent candidate when it clearly leads, else None."""
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[1][1] == top[0][1]):
        return None
    return top[0][0]


# The date a report is signed with at its end (落款): "2024年1月20日" on a line
# of its own, after the organ's name; in Chinese numerals "二〇二四年一月二十日".
_CN_NUM = "〇○零一二三四五六七八九十"
_SIGNED_RE = re.compile(
    rf"^\s*(?P<y>{_Y}|二[〇○零][一二三四五六七八九〇○零][〇○零一二三四五六七八九])\s*年\s*"
    rf"(?P<m>{_D}{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月\s*(?P<d>{_D}{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日\s*$"
)
_SIGNATURE_LINES = 6  # the signature is among the last lines of the report
_PAGE_MARKER_RE = re.compile(r"^=== 第 \d+ 页 ===$")


def _cn_number(s: str) -> int:
    """"二十" → 20, "十二" → 12, "三" → 3, "12" → 12."""
    s = norm_digits(s) if not any(ch == "十" for ch in s) else s
    if s.isdigit():
        return int(s)
    digits = {ch: int(norm_digits(ch)) for ch in "〇○零一二三四五六七八九"}
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return int("".join(str(digits[ch]) for ch in s))


def find_signature_date(text: str) -> str | None:
    """The date the report is signed with (落款), YYYY-MM-DD: a line holding
    only a date among the last lines of the text (page markers and page
    numbers aside). None when the report ends without one."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _PAGE_MARKER_RE.match(ln)]
    for line in reversed(lines[-_SIGNATURE_LINES:]):
        m = _SIGNED_RE.match(line)
        if not m:
            continue
        try:
            year = int(norm_digits(m.group("y")))
            month, day = _cn_number(m.group("m")), _cn_number(m.group("d"))
        except (KeyError, ValueError):
            return None
        if 2000 <= year <= 2100:
            return iso_date(str(year), str(month), str(day))
    return None
