"""What the help screen says: the keys (from ``keys``), the cell legend (from
``widgets.cells``) and each rule's explanation (from the checks package, when it
documents its rules: ``checks.rule_docs()`` or ``checks.RULES``)."""

from __future__ import annotations

from . import keys
from .widgets import cells


def key_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(keys, what they do)]) for every screen."""
    return [
        ("通用", [(keys.key_label(b), keys.long_description(b)) for b in keys.described(keys.APP)] + keys.MOVEMENT),
        ("报告列表", [(keys.key_label(b), keys.long_description(b)) for b in keys.described(keys.LIBRARY)]
         + [("1-9", "按第 N 列排序（再按一次倒序）")]),
        ("审核界面", [(keys.key_label(b), keys.long_description(b)) for b in keys.described(keys.AUDIT)
                   if not b.action.startswith("app.")]),
        ("对比界面", [(keys.key_label(b), keys.long_description(b)) for b in keys.described(keys.COMPARE)]),
        ("总览表", [(keys.key_label(b), keys.long_description(b)) for b in keys.described(keys.OVERVIEW)]),
    ]


def legend_rows() -> list[tuple[str, str, str]]:
    """(sample, style, meaning) for each cell look."""
    rows = [
        (" 12 ", cells.SEVERITY_BACKGROUNDS[cells.ERROR], "红底：该单元格参与了一条未通过的校验（错误），豁免后不再标红"),
        (" 12 ", cells.SEVERITY_BACKGROUNDS[cells.WARNING], "黄褐底：参与了一条警告"),
    ]
    meanings = {
        "corrected": "审核人员已更正（数据库中有记录，可撤销或还原）",
        "missing": "原文没有这个数，值为空或由校验关系推出",
        "ocr_suspect": "原文中有形似数字的字符（如 O、l），可能识别错误",
        "split_ambiguous": "原文中几个数粘连在一起，拆分方式不唯一",
        "inferred": "数值是推算出来的，不是从原文读到的",
    }
    for flag, marker in cells.MARKERS.items():
        rows.append((f"12{marker}", cells.FLAG_STYLES[flag], f"{cells.FLAG_NAMES[flag]}：{meanings[flag]}"))
    rows.append((cells.EMPTY, "", "空值：原文中没有可读的数值（不当作 0）"))
    return rows


def rule_rows() -> list[tuple[str, str]]:
    """(rule id, explanation), from the checks package; rule ids alone if it has no docs."""
    import checks

    docs = None
    if callable(getattr(checks, "rule_docs", None)):
        docs = checks.rule_docs()
    elif getattr(checks, "RULES", None) is not None:
        docs = checks.RULES
    return _normalise(docs)


def _normalise(docs) -> list[tuple[str, str]]:
    if not docs:
        return []
    items = docs.items() if isinstance(docs, dict) else docs
    out = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2:
            rule, doc = item
        elif isinstance(item, dict):
            rule, doc = item.get("rule") or item.get("id"), item.get("doc") or item.get("description") or ""
        else:
            rule = getattr(item, "rule", None) or getattr(item, "id", None) or str(item)
            doc = getattr(item, "doc", None) or getattr(item, "description", None) or ""
        if isinstance(doc, dict):
            doc = doc.get("doc") or doc.get("description") or doc.get("title") or ""
        elif not isinstance(doc, str):
            doc = getattr(doc, "doc", None) or getattr(doc, "description", None) or getattr(doc, "title", None) or ""
        out.append((str(rule), " ".join(str(doc).split())))
    return out


def source_notes() -> list[str]:
    """What the source pane shows differently from the stored text (for the help screen)."""
    from .widgets.source import UNKNOWN_WIDE

    return [
        "原文窗格中，宽度不确定的字符（中文引号、破折号、省略号、间隔号、带圈数字、参考号等，不同终端显示为 1 格或 2 格）"
        f"按一对一换成全角或宽度确定的相似字符显示（引号显示为 ＂ ＇，破折号为 －，省略号为 ⋯，带圈数字为 ㊀ ㊁ ⋯），"
        f"没有相似字符的显示为 {UNKNOWN_WIDE}。只影响显示：数据库中的原文、搜索、位置和导出都不变。",
        "PDF 报告的原文中有分页标记行「=== 第 N 页 ===」，按 p 输入页码可转到该页。",
    ]
