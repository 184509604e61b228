"""What the help screen says: the keys (from ``keys``), the cell legend (from
``widgets.cells``) and each rule's explanation (``checks.rule_docs()``)."""

from __future__ import annotations

import checks

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
    for flag, marker in cells.MARKERS.items():
        rows.append((f"12{marker}", cells.FLAG_STYLES[flag], f"{cells.FLAG_NAMES[flag]}：{cells.FLAG_MEANINGS[flag]}"))
    rows.append((cells.EMPTY, "", "空值：原文中没有可读的数值（不当作 0）"))
    return rows


def rule_rows() -> list[tuple[str, str]]:
    """(rule id, its explanation on one line) for every rule, from ``checks.rule_docs()``."""
    return [(rule, " ".join(entry["doc"].split())) for rule, entry in checks.rule_docs().items()]


def source_notes() -> list[str]:
    """What the source pane shows differently from the stored text (for the help screen)."""
    from .widgets.source import UNKNOWN_WIDE

    return [
        "原文窗格中，宽度不确定的字符（中文引号、破折号、省略号、间隔号、带圈数字、参考号等，不同终端显示为 1 格或 2 格）"
        f"按一对一换成全角或宽度确定的相似字符显示（引号显示为 ＂ ＇，破折号为 －，省略号为 ⋯，带圈数字为 ㊀ ㊁ ⋯），"
        f"没有相似字符的显示为 {UNKNOWN_WIDE}。只影响显示：数据库中的原文、搜索、位置和导出都不变。",
        "PDF 报告的原文中有分页标记行「=== 第 N 页 ===」，按 p 输入页码可转到该页。",
    ]
