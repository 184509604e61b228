"""Publication deadline (条例第四十九条).

A department of a government at county level or above publishes by 31
January of the following year; a local people's government at county level
or above by 31 March. Township and street offices are not named by the
article: the common local rule (31 January) is used, and the message says so.
"""

from __future__ import annotations

import re
from datetime import date

from .base import INFO, WARNING, Context, finding

RULES = {
    "meta.deadline": (
        WARNING,
        "《政府信息公开条例》第四十九条：县级以上人民政府部门应于每年 1 月 31 日前公布本部门上一年度年报；"
        "县级以上地方人民政府应于每年 3 月 31 日前公布本级政府上一年度年报。乡镇人民政府、街道办事处条例未作规定，"
        "按各地通行做法以 1 月 31 日为限。仅在发布日期已知时核对。",
    ),
}

_TOWNSHIP = re.compile(r"街道|街$|(?:乡|镇)(?:人民政府|政府|党群服务中心|便民服务中心|综合服务中心|党委)?$")
_GOVERNMENT = re.compile(r"(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|自治旗)人民政府$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办公厅|厅|中心|院|署|所|站|队|办|人民政府[^街乡镇]+)$")
_UNCLEAR = re.compile(r"管委会|管理委员会")
# A bare place name (平潭综合实验区, 泸定县): the region's own report, i.e. its government's.
_REGION = re.compile(r"(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗)$")

# organ type → (deadline month, day, wording)
_TYPES = {
    "township": (1, 31, "乡镇人民政府或街道办事处（条例未作规定，按各地通行做法以 1 月 31 日为限）"),
    "government": (3, 31, "县级以上地方人民政府（条例第四十九条：3 月 31 日前；机关名称为地名时按本级政府报告处理）"),
    "department": (1, 31, "县级以上人民政府部门（条例第四十九条：1 月 31 日前）"),
}


def organ_type(organ: str | None) -> str | None:
    """"township", "government", "department", or None when it cannot be told."""
    name = re.sub(r"[（(].*?[)）]", "", organ or "").strip()
    if not name or _UNCLEAR.search(name):
        return None
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    if _DEPARTMENT.search(name):
        return "department"
    if _REGION.search(name):
        return "government"
    return None


def _published(value) -> date | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def check(ctx: Context) -> list[dict]:
    year, published = ctx.meta.get("year"), _published(ctx.meta.get("published"))
    if not isinstance(year, int) or published is None:
        return []
    kind = organ_type(ctx.meta.get("organ"))
    late_for = {k: published > date(year + 1, m, d) for k, (m, d, _) in _TYPES.items()}
    if kind is None:
        if late_for["government"]:  # late whatever the organ is
            return [finding("meta.deadline", WARNING, [],
                            f"发布于 {published.isoformat()}，晚于任何机关的法定期限（最迟 {year + 1}-03-31）；"
                            f"发布机关类型未能识别（{ctx.meta.get('organ') or '未知'}）", expected=f"{year + 1}-03-31",
                            actual=published.isoformat())]
        if late_for["department"]:
            return [finding("meta.deadline", INFO, [],
                            f"无法判断是否逾期：发布于 {published.isoformat()}，若为政府部门则晚于 {year + 1}-01-31，"
                            f"若为县级以上地方人民政府则未逾期；发布机关类型未能识别（{ctx.meta.get('organ') or '未知'}）",
                            expected=None, actual=published.isoformat())]
        return []
    month, day, wording = _TYPES[kind]
    if late_for[kind]:
        due = date(year + 1, month, day)
        return [finding("meta.deadline", WARNING, [],
                        f"发布于 {published.isoformat()}，晚于期限 {due.isoformat()}（{(published - due).days} 天）；"
                        f"按{wording}核对（{ctx.meta.get('organ')}）", expected=due.isoformat(), actual=published.isoformat())]
    return []
