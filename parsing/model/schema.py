"""The `gipr/1` vocabulary: tables, rows, columns, labels and cell paths.

Every package speaks these names (see docs/REPORT_SCHEMA.md). Nothing here
parses anything; it only says what a report's tables look like, so that the
parser, the checks, the store and the app agree on one set of keys.

A cell path is ``table.row.column`` (``requests.new_received.total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator

SCHEMA = "gipr/1"

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMAT_PRE2019 = "pre-2019"
FORMAT_UNKNOWN = "unknown"
FORMATS = (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019, FORMAT_UNKNOWN)

# Provenance flags (CLI.md).
FLAG_MISSING = "missing"
FLAG_OCR = "ocr_suspect"
FLAG_SPLIT = "split_ambiguous"
FLAG_INFERRED = "inferred"
FLAG_CORRECTED = "corrected"
FLAGS = (FLAG_MISSING, FLAG_OCR, FLAG_SPLIT, FLAG_INFERRED, FLAG_CORRECTED)
# Flags that make a value doubtful until an auditor confirms or corrects it.
DOUBT_FLAGS = (FLAG_MISSING, FLAG_OCR, FLAG_SPLIT, FLAG_INFERRED)


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # the label as the national format prints it
    short: str  # a short label for narrow table views


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    short: str


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: tuple[Row, ...]
    # Columns shared by every row, or None where each row has its own (``active``).
    columns: tuple[Column, ...] | None
    row_columns: dict[str, tuple[Column, ...]] | None = None

    def columns_of(self, row: str) -> tuple[Column, ...]:
        if self.row_columns is not None:
            return self.row_columns[row]
        assert self.columns is not None
        return self.columns

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Every column key used by any row, in first-seen order."""
        if self.columns is not None:
            return self.columns
        seen: dict[str, Column] = {}
        for r in self.rows:
            for c in self.columns_of(r.key):
                seen.setdefault(c.key, c)
        return tuple(seen.values())


# --- active (2021 format) -------------------------------------------------
_C_ISSUED = Column("issued", "本年制发件数", "制发")
_C_REPEALED = Column("repealed", "本年废止件数", "废止")
_C_IN_FORCE = Column("in_force", "现行有效件数", "现行有效")
_C_DECISIONS = Column("decisions", "本年处理决定数量", "处理决定")
_C_AMOUNT = Column("amount", "本年收费金额（万元）", "收费金额(万元)")

ACTIVE_2021 = Table(
    key="active",
    title="二、主动公开政府信息情况",
    rows=(
        Row("rules", "第二十条第（一）项 规章", "规章"),
        Row("normative_documents", "第二十条第（一）项 行政规范性文件", "行政规范性文件"),
        Row("licensing", "第二十条第（五）项 行政许可", "行政许可"),
        Row("punishment", "第二十条第（六）项 行政处罚", "行政处罚"),
        Row("enforcement", "第二十条第（六）项 行政强制", "行政强制"),
        Row("fees", "第二十条第（八）项 行政事业性收费", "行政事业性收费"),
    ),
    columns=None,
    row_columns={
        "rules": (_C_ISSUED, _C_REPEALED, _C_IN_FORCE),
        "normative_documents": (_C_ISSUED, _C_REPEALED, _C_IN_FORCE),
        "licensing": (_C_DECISIONS,),
        "punishment": (_C_DECISIONS,),
        "enforcement": (_C_DECISIONS,),
        "fees": (_C_AMOUNT,),
    },
)

# --- active (2019 format) -------------------------------------------------
_C_MADE = Column("made", "本年新制作数量", "新制作")
_C_PUBLISHED = Column("published", "本年新公开数量", "新公开")
_C_TOTAL_PUBLIC = Column("total_public", "对外公开总数量", "公开总数")
_C_PREV = Column("previous_items", "上一年项目数量", "上年项目")
_C_CHANGE = Column("change", "本年增/减", "增/减")
_C_DECISIONS19 = Column("decisions", "处理决定数量", "处理决定")
_C_ITEMS = Column("items", "采购项目数量", "采购项目")
_C_PROC_AMOUNT = Column("amount", "采购总金额", "采购金额")

ACTIVE_2019 = Table(
    key="active",
    title="二、主动公开政府信息情况（2019年格式）",
    rows=(
        Row("rules", "第二十条第（一）项 规章", "规章"),
        Row("normative_documents", "第二十条第（一）项 规范性文件", "规范性文件"),
        Row("licensing", "第二十条第（五）项 行政许可", "行政许可"),
        Row("other_services", "第二十条第（五）项 其他对外管理服务事项", "其他管理服务"),
        Row("punishment", "第二十条第（六）项 行政处罚", "行政处罚"),
        Row("enforcement", "第二十条第（六）项 行政强制", "行政强制"),
        Row("fees", "第二十条第（八）项 行政事业性收费", "行政事业性收费"),
        Row("procurement", "第二十条第（九）项 政府集中采购", "政府集中采购"),
    ),
    columns=None,
    row_columns={
        "rules": (_C_MADE, _C_PUBLISHED, _C_TOTAL_PUBLIC),
        "normative_documents": (_C_MADE, _C_PUBLISHED, _C_TOTAL_PUBLIC),
        "licensing": (_C_PREV, _C_CHANGE, _C_DECISIONS19),
        "other_services": (_C_PREV, _C_CHANGE, _C_DECISIONS19),
        "punishment": (_C_PREV, _C_CHANGE, _C_DECISIONS19),
        "enforcement": (_C_PREV, _C_CHANGE, _C_DECISIONS19),
        "fees": (_C_PREV, _C_CHANGE),
        "procurement": (_C_ITEMS, _C_PROC_AMOUNT),
    },
)

# --- requests ---------------------------------------------------------------
APPLICANT_COLUMNS = (
    Column("natural_person", "自然人", "自然人"),
    Column("commercial", "商业企业", "商业企业"),
    Column("research", "科研机构", "科研机构"),
    Column("social_welfare", "社会公益组织", "公益组织"),
    Column("legal_services", "法律服务机构", "法律服务"),
    Column("other_org", "其他", "其他"),
)
REQUEST_COLUMNS = APPLICANT_COLUMNS + (Column("total", "总计", "总计"),)

REQUESTS = Table(
    key="requests",
    title="三、收到和处理政府信息公开申请情况",
    rows=(
        Row("new_received", "一、本年新收政府信息公开申请数量", "一、本年新收"),
        Row("carried_over", "二、上年结转政府信息公开申请数量", "二、上年结转"),
        Row("granted", "三、本年度办理结果（一）予以公开", "(一)予以公开"),
        Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(二)部分公开"),
        Row("denied_state_secret", "（三）不予公开 1.属于国家秘密", "(三)1.国家秘密"),
        Row("denied_prohibited_by_law", "（三）不予公开 2.其他法律行政法规禁止公开", "(三)2.法规禁止"),
        Row("denied_security_stability", "（三）不予公开 3.危及“三安全一稳定”", "(三)3.三安全一稳定"),
        Row("denied_third_party", "（三）不予公开 4.保护第三方合法权益", "(三)4.第三方权益"),
        Row("denied_internal_affairs", "（三）不予公开 5.属于三类内部事务信息", "(三)5.内部事务"),
        Row("denied_process_info", "（三）不予公开 6.属于四类过程性信息", "(三)6.过程性信息"),
        Row("denied_enforcement_files", "（三）不予公开 7.属于行政执法案卷", "(三)7.执法案卷"),
        Row("denied_query_matters", "（三）不予公开 8.属于行政查询事项", "(三)8.行政查询"),
        Row("unable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "(四)1.不掌握"),
        Row("unable_needs_creation", "（四）无法提供 2.没有现成信息需要另行制作", "(四)2.需另行制作"),
        Row("unable_unclear", "（四）无法提供 3.补正后申请内容仍不明确", "(四)3.仍不明确"),
        Row("rejected_complaint", "（五）不予处理 1.信访举报投诉类申请", "(五)1.信访举报投诉"),
        Row("rejected_duplicate", "（五）不予处理 2.重复申请", "(五)2.重复申请"),
        Row("rejected_publication", "（五）不予处理 3.要求提供公开出版物", "(五)3.公开出版物"),
        Row("rejected_excessive", "（五）不予处理 4.无正当理由大量反复申请", "(五)4.大量反复申请"),
        Row("rejected_confirmation", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息", "(五)5.确认或重新出具"),
        Row("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "(六)1.逾期不补正"),
        Row("other_unpaid_fee", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "(六)2.逾期未缴费"),
        Row("other_other", "（六）其他处理 3.其他", "(六)3.其他"),
        Row("total", "（七）总计", "(七)总计"),
        Row("carried_forward", "四、结转下年度继续办理", "四、结转下年度"),
    ),
    columns=REQUEST_COLUMNS,
)

# The outcome rows whose sum is (七)总计: 予以公开 … 其他处理·其他. The issue text
# says "22"; the national format has 21 (2 + 8 + 3 + 5 + 3), 25 rows in all.
OUTCOME_ROWS = tuple(r.key for r in REQUESTS.rows[2:-2])
assert len(OUTCOME_ROWS) == 21, OUTCOME_ROWS

# Groups of outcome rows, for subtotal rows some reports print and for
# narrative aggregates (予以公开及部分公开…、不予公开…、无法提供…).
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "denied": tuple(k for k in OUTCOME_ROWS if k.startswith("denied_")),
    "unable": tuple(k for k in OUTCOME_ROWS if k.startswith("unable_")),
    "rejected": tuple(k for k in OUTCOME_ROWS if k.startswith("rejected_")),
    "other": tuple(k for k in OUTCOME_ROWS if k.startswith("other_")),
}

# --- reviews ----------------------------------------------------------------
REVIEWS = Table(
    key="reviews",
    title="四、政府信息公开行政复议、行政诉讼情况",
    rows=(
        Row("review", "行政复议", "行政复议"),
        Row("litigation_direct", "行政诉讼·未经复议直接起诉", "诉讼·直接起诉"),
        Row("litigation_after_review", "行政诉讼·复议后起诉", "诉讼·复议后起诉"),
    ),
    columns=(
        Column("upheld", "结果维持", "维持"),
        Column("corrected", "结果纠正", "纠正"),
        Column("other", "其他结果", "其他"),
        Column("pending", "尚未审结", "未审结"),
        Column("total", "总计", "总计"),
    ),
)


def tables_for(fmt: str | None) -> tuple[Table, Table, Table]:
    """The three tables of a report in format ``fmt`` (2021 shape when unknown)."""
    active = ACTIVE_2019 if fmt == FORMAT_2019 else ACTIVE_2021
    return active, REQUESTS, REVIEWS


def table_for(table_key: str, fmt: str | None) -> Table:
    for t in tables_for(fmt):
        if t.key == table_key:
            return t
    raise KeyError(table_key)


def cell_paths(fmt: str | None = FORMAT_2021) -> Iterator[str]:
    """Every standard cell path of a report in format ``fmt``, in table order."""
    for t in tables_for(fmt):
        for r in t.rows:
            for c in t.columns_of(r.key):
                yield f"{t.key}.{r.key}.{c.key}"


def split_path(path: str) -> tuple[str, str, str]:
    table, row, col = path.split(".", 2)
    return table, row, col


# Cells outside the standard keys that some reports print and that are
# checkable (``report["extra_cells"]``): subtotal rows of the outcome groups,
# the single （六）其他处理 row (below), and the 8th column 法人或其他组织小计
# (on any requests row, subtotal rows too).
SUBTOTAL_ROWS: dict[str, Row] = {
    f"subtotal_{group}": Row(f"subtotal_{group}", f"{long}·小计", f"{short}小计")
    for group, long, short in (
        ("denied", "（三）不予公开", "(三)"),
        ("unable", "（四）无法提供", "(四)"),
        ("rejected", "（五）不予处理", "(五)"),
        ("other", "（六）其他处理", "(六)"),
    )
}
LEGAL_ENTITY_SUBTOTAL = Column("legal_entity_subtotal", "法人或其他组织小计", "法人小计")
# The single undivided （六）其他处理 row that 2019-format reports (and some
# 2021-format ones) print instead of its three sub-rows: an extra row of its
# own (``requests.other_single.<col>``); the three sub-rows stay null.
OTHER_SINGLE = Row("other_single", "（六）其他处理（未分项）", "(六)其他处理")
EXTRA_ROWS: dict[str, Row] = {**SUBTOTAL_ROWS, OTHER_SINGLE.key: OTHER_SINGLE}


def cell_labels(path: str, fmt: str | None = FORMAT_2021, short: bool = False) -> tuple[str, str] | None:
    """(row label, column label) of a standard or extra cell; None when the path is unknown."""
    try:
        table_key, row_key, col_key = split_path(path)
        t = table_for(table_key, fmt)
    except (KeyError, ValueError):
        return None
    row = EXTRA_ROWS.get(row_key) if table_key == REQUESTS.key else None
    if row is None:
        try:
            row = t.row(row_key)
        except KeyError:
            return None
        columns = t.columns_of(row_key)
    else:
        columns = REQUEST_COLUMNS
    if table_key == REQUESTS.key:
        columns = columns + (LEGAL_ENTITY_SUBTOTAL,)
    col = next((c for c in columns if c.key == col_key), None)
    if col is None:
        return None
    return (row.short, col.short) if short else (row.label, col.label)


def cell_label(path: str, fmt: str | None = FORMAT_2021, short: bool = False) -> str:
    """A Chinese label for a cell: ``(七)总计·总计``, extra cells too (``(三)小计·自然人``).
    Unknown paths come back as given."""
    names = cell_labels(path, fmt, short)
    return f"{names[0]}·{names[1]}" if names else path


def empty_tables(fmt: str | None = FORMAT_2021) -> dict:
    """The three tables with every cell ``None`` (no readable value)."""
    return {
        t.key: {r.key: {c.key: None for c in t.columns_of(r.key)} for r in t.rows}
        for t in tables_for(fmt)
    }


def get_cell(report: dict, path: str):
    """A cell's value in a gipr/1 report: an extra cell's from ``extra_cells``,
    else the standard table's; None when absent (or the path is malformed)."""
    extra = report.get("extra_cells") or {}
    if path in extra:
        return extra[path]
    try:
        table, row, col = split_path(path)
    except ValueError:
        return None
    return ((report.get("tables") or {}).get(table) or {}).get(row, {}).get(col)
