"""Every key of the app, in one place: the screens' BINDINGS, the help screen's
key list and the command palette all come from here.

Each binding has an id (``gipr.<screen>.<action>``) and a Chinese description;
``show`` says whether the footer lists it.
"""

from __future__ import annotations

from textual.binding import Binding

from store import STATUSES

APP = [
    Binding("f1,question_mark", "help", "帮助", id="gipr.app.help"),
    Binding("q", "quit", "退出", id="gipr.app.quit"),
    Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="gipr.app.quit_ctrl"),
    Binding("ctrl+p", "command_palette", "命令", tooltip="打开命令面板（按名称查找并执行任何操作）", show=False, priority=True,
            id="gipr.app.palette"),
]

LIBRARY = [
    Binding("enter", "open", "打开报告", id="gipr.library.open"),
    Binding("slash", "filter", "筛选", id="gipr.library.filter"),
    Binding("o", "import", "导入文件或文件夹", id="gipr.library.import"),
    Binding("s", "sort", "换一列排序", id="gipr.library.sort"),
    Binding("x", "export", "导出审核记录", id="gipr.library.export"),
    Binding("R", "reread", "用新版解析器重新读取", tooltip="解析器更新后，按保存的原文件重新读取以前导入的报告（更正、复核和备注保留）",
            show=False, id="gipr.library.reread"),
    Binding("v", "versions", "版本差异", tooltip="查看所选报告与其上一版本之间的变化（重新导入的修改稿）", id="gipr.library.versions"),
    Binding("escape", "clear_filter", "清除筛选", show=False, id="gipr.library.clear_filter"),
    Binding("c", "compare", "对比上年", tooltip="与同一机关上一年度（或最近一年）的报告对比", id="gipr.library.compare"),
    Binding("z", "overview", "总览", tooltip="全部报告总览表（主要数字、异常标记，可排序筛选、导出 CSV/xlsx）",
            id="gipr.library.overview"),
]

COMPARE = [
    Binding("right_square_bracket", "next_difference", "下个差异", tooltip="转到下一个有变化的单元格（或下一行）",
            key_display="]", id="gipr.compare.next"),
    Binding("left_square_bracket", "previous_difference", "上个差异", key_display="[", show=False,
            id="gipr.compare.previous"),
    Binding("a", "toggle_all", "全部/变化", tooltip="表格差异：显示全部单元格或只显示有变化的", id="gipr.compare.all"),
    Binding("c", "confirm", "确认", tooltip="确认问题（报告确有错误）；再按一次取消", id="gipr.compare.confirm"),
    Binding("w", "waive", "豁免", tooltip="豁免问题（必须写明理由）；再按一次取消", id="gipr.compare.waive"),
    Binding("1", "tab('diff')", "表格差异", show=False, id="gipr.compare.tab_diff"),
    Binding("2", "tab('continuity')", "衔接", show=False, id="gipr.compare.tab_continuity"),
    Binding("3", "tab('reuse')", "文字重复", show=False, id="gipr.compare.tab_reuse"),
    Binding("4", "tab('findings')", "对比问题", show=False, id="gipr.compare.tab_findings"),
    Binding("escape", "back", "返回", id="gipr.compare.back"),
]

OVERVIEW = [
    Binding("enter", "open", "打开报告", id="gipr.overview.open"),
    Binding("slash", "filter", "筛选", tooltip="筛选：机关、级别、年度、状态；输入“异常”只看有异常标记的", id="gipr.overview.filter"),
    Binding("s", "sort", "按本列排序", tooltip="按光标所在列排序（再按一次倒序）", id="gipr.overview.sort"),
    Binding("x", "export", "导出", tooltip="导出总览表（.csv 或 .xlsx）", id="gipr.overview.export"),
    Binding("escape", "back", "返回", id="gipr.overview.back"),
]

AUDIT = [
    # Footer order: the most used first; export, help and quit stay visible at 80 columns.
    Binding("e", "edit", "编辑", tooltip="编辑单元格（更正数值）", id="gipr.audit.edit"),
    Binding("right_square_bracket", "next_finding", "下个问题", tooltip="转到下一个问题", key_display="]", id="gipr.audit.next_finding"),
    Binding("c", "confirm", "确认", tooltip="确认问题（报告确有错误）；已选多项时一并确认；再按一次取消", id="gipr.audit.confirm"),
    Binding("w", "waive", "豁免", tooltip="豁免问题（必须写明理由）；已选多项时一并豁免；再按一次取消", id="gipr.audit.waive"),
    Binding("x", "export", "导出", tooltip="导出审核记录（CSV、Excel、JSON 或 Markdown）", id="gipr.audit.export"),
    Binding("f1,question_mark", "app.help", "帮助", id="gipr.audit.help"),
    Binding("q", "app.quit", "退出", id="gipr.audit.quit"),
    Binding("u", "next_unreviewed_error", "待审错误", tooltip="转到下一个待审（未确认、未豁免）的错误", id="gipr.audit.next_unreviewed"),
    Binding("f", "filter_findings", "筛选", tooltip="筛选问题（按级别、审核状态或规则）", id="gipr.audit.filter_findings"),
    Binding("r", "revert", "还原", tooltip="把单元格还原为解析值", id="gipr.audit.revert"),
    Binding("ctrl+z", "undo", "撤销", tooltip="撤销上一次更正", priority=True, id="gipr.audit.undo"),
    Binding("m", "note", "备注", tooltip="给单元格、问题或报告加备注", id="gipr.audit.note"),
    Binding("s", "set_status", "状态", tooltip=f"设置报告审核状态（{'/'.join(STATUSES)}）", id="gipr.audit.status"),
    Binding("ctrl+y", "redo", "重做", tooltip="重做刚撤销的更正", show=False, priority=True, id="gipr.audit.redo"),
    Binding("left_square_bracket", "previous_finding", "上一个问题", tooltip="转到上一个问题", key_display="[", show=False,
            id="gipr.audit.previous_finding"),
    Binding("space", "toggle_selected", "选中问题", tooltip="在问题列表中选中或取消选中当前问题（用于一并确认或豁免）", show=False,
            id="gipr.audit.toggle_selected"),
    Binding("a", "select_shown", "全选问题", tooltip="选中筛选后显示的全部问题（再按一次取消选中）", show=False,
            id="gipr.audit.select_shown"),
    Binding("p", "go_to_page", "转到页", tooltip="原文转到第 N 页（PDF 报告）", show=False, id="gipr.audit.go_to_page"),
    Binding("slash", "search", "搜索原文", show=False, id="gipr.audit.search"),
    Binding("n", "search_next", "下一处匹配", show=False, id="gipr.audit.search_next"),
    Binding("N", "search_previous", "上一处匹配", show=False, id="gipr.audit.search_previous"),
    Binding("escape", "back", "返回报告列表", show=False, id="gipr.audit.back"),
    Binding("1", "tab(1)", "主动公开表", tooltip="切换到表二：主动公开", show=False, id="gipr.audit.tab1"),
    Binding("2", "tab(2)", "依申请公开表", tooltip="切换到表三：依申请公开", show=False, id="gipr.audit.tab2"),
    Binding("3", "tab(3)", "复议诉讼表", tooltip="切换到表四：复议诉讼", show=False, id="gipr.audit.tab3"),
    Binding("4", "tab(4)", "附加单元格表", tooltip="切换到附加单元格（报告在标准表格之外印出的小计等）", show=False,
            id="gipr.audit.tab4"),
]

# Keys handled by widgets rather than screen bindings, for the help screen.
MOVEMENT = [
    ("方向键 / h j k l", "在表格中移动"),
    ("Enter", "编辑单元格（表格）/ 转到问题单元格（问题列表）/ 打开报告（报告列表）"),
    ("Tab / Shift+Tab", "切换窗格：原文、表格、问题列表"),
    ("鼠标", "点击标签页切换表格，点击单元格选中，双击单元格编辑；报告列表中点击列标题排序、点击报告打开"),
    ("Ctrl+P", "命令面板：按名称查找并执行任何操作"),
]


def long_description(b: Binding) -> str:
    """The full name of what a binding does (the footer shows the short one)."""
    return b.tooltip or b.description


def described(bindings) -> list[Binding]:
    """Bindings with a description, one per action."""
    seen, out = set(), []
    for b in bindings:
        action = b.action.removeprefix("app.")
        if b.description and action not in seen:
            seen.add(action)
            out.append(b)
    return out


_KEY_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter", "f1": "F1",
    "ctrl+q": "Ctrl+Q", "ctrl+z": "Ctrl+Z", "ctrl+y": "Ctrl+Y", "N": "Shift+N", "space": "空格",
    "ctrl+p": "Ctrl+P", "ctrl+c": "Ctrl+C",
}


def key_label(b: Binding) -> str:
    """How the help screen and the command palette write a binding's keys."""
    if b.key_display:
        return b.key_display
    return " / ".join(_KEY_NAMES.get(k, k) for k in b.key.split(","))
