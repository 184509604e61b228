"""Layouts of real text reports (issue 17), drawn around the harness's random tables.

Each is a class of real report seen in the corpus, written from the same
``Grid`` the other layouts use:

- ``glued_stray_spaces``: crawler text with stray spaces at cell boundaries
  (``1400000 14``, ``3700000 37 ``, ``000000 0``) and a 表四 run with irregular
  spaces (``10 0 1 200 0 0 0 0 0 0 00``), its header words parted by spaces;
- ``glued_empty_rows``: rows the source leaves empty, their label running
  straight into the next label (truth: null);
- ``glued_prose_table2``: 表二 inside the prose of section 二, Word conditional
  comments (``<!--[if !supportLists]-->``) left in the text, and a body sentence
  that states the 行政规范性文件 numbers;
- ``glued_2019``: a 2019-format report glued: its own 表二 (signed changes,
  政府集中采购 with its unit) and the single （六）其他处理 row;
- ``plain_cell_lines``: ``pdftotext`` without ``-layout``: one cell per line,
  labels broken over lines;
- ``markdown_fragments``: a PDF-to-Markdown converter's output: the requests
  table broken into fragments, row labels listed apart from their value rows,
  a stray number line among them.

``LAYOUTS`` here is merged into ``render.LAYOUTS``.
"""

from __future__ import annotations

import random

from parsing.model.schema import ACTIVE_2019, OUTCOME_GROUPS, REQUESTS, REVIEWS

from .render import (
    Cell,
    Grid,
    Options,
    Values,
    _grids,
    expand,
    glued_undecidable,
    narrative,
    request_label,
    write_glued,
)
from .tables import APPLICANTS

_REVIEWS = "四、政府信息公开行政复议、行政诉讼情况"
_REQUESTS = "三、收到和处理政府信息公开申请情况"
_ACTIVE = "二、主动公开政府信息情况"


def _head(story) -> list[str]:
    return [f"标题: {story.title}\n发布机构: {story.organ}\n==================== 正文 ====================\n", story.intro()]


def _value_cells(row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """A grid row's label cells and its value cells (the trailing cells that are numbers)."""
    k = len(row)
    while k > 0 and (row[k - 1].text.replace(",", "").isdigit() or row[k - 1].text == ""):
        k -= 1
    return row[:k], row[k:]


def _glued_with_spaces(grid: Grid, rng: random.Random) -> str:
    """A glued table where a stray space sometimes stands at a cell boundary."""
    out = []
    for row in grid:
        labels, values = _value_cells(row)
        out.append("".join(c.text for c in labels))
        texts = [c.text for c in values]
        if len(texts) > 1 and rng.random() < 0.6:
            where = rng.choice(("before_total", "after_total", "between"))
            if where == "before_total":
                texts[-1] = " " + texts[-1]
            elif where == "after_total":
                texts[-1] = " " + texts[-1] + " "
            else:
                i = rng.randrange(1, len(texts))
                texts[i] = " " + texts[i]
        out.append("".join(texts))
    return "".join(out)


def _reviews_spaced(tables: dict, rng: random.Random) -> str:
    """表四 with its header words parted by spaces and the 15 values in runs parted by stray spaces."""
    head = " ".join(("行政复议", "行政诉讼", *(c.label for c in REVIEWS.columns), "未经复议直接起诉", "复议后起诉",
                     *[c.label for c in REVIEWS.columns] * 2))
    values = [str(tables["reviews"][r.key][c.key]) for r in REVIEWS.rows for c in REVIEWS.columns]
    text = values[0]
    for v in values[1:]:
        text += (" " if rng.random() < 0.5 else "") + v
    return f" {head} {text} "


def _stray_spaces_report(tables, rng, opts):
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    body = _head(story)
    for heading, prose in story.sections():
        if heading == _REVIEWS:
            body.append(heading + _reviews_spaced(tables, rng))
        elif heading in grids:
            body.append(heading + _glued_with_spaces(grids[heading], rng))
        else:
            body.append(heading + prose)
    return " ".join(body) + "\n"


def _empty_rows_report(tables, rng, opts, emptied: list[str]):
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    requests = grids[_REQUESTS]
    for row in requests:
        labels, values = _value_cells(row)
        if labels and any(request_label(key, opts) == labels[-1].text for key in emptied):
            row[:] = labels  # the label runs straight into the next one
    body = _head(story)
    for heading, prose in story.sections():
        body.append(heading + (write_glued(grids[heading]) if heading in grids else prose))
    return " ".join(body) + "\n"


_COMMENT = "<!--[if !supportLists]-->"


def _prose_report(tables, rng, opts):
    """表二 between two paragraphs of section 二, Word's conditional comments in the text."""
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    nd = tables["active"]["normative_documents"]
    body = _head(story)
    for heading, prose in story.sections():
        if heading == _ACTIVE:
            body.append(
                heading + f"{_COMMENT}（一）主动公开政府信息的数量{_COMMENT}本年度共主动公开政府信息{rng.randint(20, 900)}条。"
                f"本年制发行政规范性文件{nd['issued']}件，废止行政规范性文件{nd['repealed']}件，"
                f"现行有效行政规范性文件共{nd['in_force']}件。"
                + write_glued(grids[heading])
                + f"{_COMMENT}（二）主动公开政府信息的主要类别{_COMMENT}主要包括机构职能、政策文件、财政资金等类别。"
            )
        elif heading in grids:
            body.append(heading + write_glued(grids[heading]).replace("申请人情况", _COMMENT + "申请人情况", 1))
        else:
            body.append(heading + _COMMENT + prose)
    return " ".join(body) + "\n"


def _glued_undecidable_but_normative(tables: dict) -> set[str]:
    """The glued layout's undecidable cells, less the 行政规范性文件 row the body text states."""
    return {p for p in glued_undecidable(tables) if not p.startswith("active.normative_documents.")}


# --- 2019 format ----------------------------------------------------------------------


def _active_2019(rng: random.Random) -> dict:
    def n(hi=40):
        return rng.choice((0, 0, rng.randint(1, hi)))

    out = {}
    for row in ACTIVE_2019.rows:
        cols = [c.key for c in ACTIVE_2019.columns_of(row.key)]
        vals = {}
        for c in cols:
            if c == "change":
                vals[c] = rng.choice((0, rng.randint(-9, -1), rng.randint(1, 15)))
            elif c == "amount":
                vals[c] = rng.choice((f"{rng.randint(1, 90000)}.{rng.randint(0, 9999):04d}万元", f"{rng.randint(1000, 9999999)}元"))
            else:
                vals[c] = n()
        out[row.key] = vals
    return out


def _signed(v: int) -> str:
    return f"+{v}" if v > 0 else str(v)


def _active_2019_glued(active: dict) -> str:
    head3 = "信息内容本年新制作数量本年新公开数量对外公开总数量"
    head_items = "信息内容上一年项目数量本年增/减处理决定数量"
    parts = ["第二十条第（一）项" + head3]
    for row, label in (("rules", "规章"), ("normative_documents", "规范性文件")):
        parts.append(label + "".join(str(active[row][c]) for c in ("made", "published", "total_public")))
    parts.append("第二十条第（五）项" + head_items)
    for row, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")):
        v = active[row]
        parts.append(label + f"{v['previous_items']}{_signed(v['change'])}{v['decisions']}")
    parts.append("第二十条第（六）项" + head_items)
    for row, label in (("punishment", "行政处罚"), ("enforcement", "行政强制")):
        v = active[row]
        parts.append(label + f"{v['previous_items']}{_signed(v['change'])}{v['decisions']}")
    v = active["fees"]
    parts.append("第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费" + f"{v['previous_items']}{_signed(v['change'])}")
    v = active["procurement"]
    parts.append("第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购" + f"{v['items']}{v['amount']}")
    return "".join(parts)


def _requests_2019_grid(grid: Grid, single: list[str]) -> Grid:
    """The 2021 requests grid with its three (六) sub-rows printed as one undivided row."""
    out: Grid = []
    other_rows = {request_label(k, Options()) for k in OUTCOME_GROUPS["other"]}
    for row in grid:
        texts = [c.text for c in row]
        if any(t in other_rows for t in texts):
            if texts[-8:-7] and texts[-8] == request_label("other_no_correction", Options()):
                out.append([Cell("（六）其他处理")] + [Cell(v) for v in single])
            continue
        out.append(row)
    return out


def _report_2019(tables, rng, opts):
    """The tables of ``tables`` become a 2019-format report's: a 2019 表二 and one (六) row."""
    undecidable = {p for p in glued_undecidable(tables) if p.startswith(("requests.", "reviews."))}
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    tables["active"] = _active_2019(rng)
    undecidable |= _undecidable_2019(tables["active"])
    req = tables["requests"]
    single = [str(sum(req[r][c] for r in OUTCOME_GROUPS["other"])) for c in (*APPLICANTS, "total")]
    for r in OUTCOME_GROUPS["other"]:
        req[r] = dict.fromkeys(req[r])  # no such rows in the 2019 format: null
    grids[_REQUESTS] = _requests_2019_grid(grids[_REQUESTS], single)
    body = [story.title.replace(str(story.year), "2020"), story.intro().replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")]
    for heading, prose in story.sections():
        if heading == _ACTIVE:
            body.append(heading + _active_2019_glued(tables["active"]))
        else:
            body.append(heading + (write_glued(grids[heading]) if heading in grids else prose))
    return " ".join(body) + "\n", undecidable


def _undecidable_2019(active: dict) -> set[str]:
    """Glued 2019 表二 rows have no arithmetic: a row is decided only where its
    digits have one cut (a sign parts the cells around it: ``12+3340``)."""
    from parsing.layout.glued import split_candidates

    out: set[str] = set()
    for row in ACTIVE_2019.rows:
        cols = [c.key for c in ACTIVE_2019.columns_of(row.key)]
        vals = active[row.key]
        if row.key == "procurement":
            digits = str(vals["items"]) + vals["amount"].split(".")[0].removesuffix("万元").removesuffix("元")
            if len(split_candidates(digits, 2)) > 1:
                out.update(f"active.procurement.{c}" for c in cols)
            continue
        if "change" in cols:
            if vals["change"] == 0:  # no sign: "120340" glued
                digits = "".join(str(vals[c]) for c in cols)
                if len(split_candidates(digits, len(cols))) > 1:
                    out.update(f"active.{row.key}.{c}" for c in cols)
            elif "decisions" in cols and len(split_candidates(f"{abs(vals['change'])}{vals['decisions']}", 2)) > 1:
                out.update(f"active.{row.key}.{c}" for c in ("change", "decisions"))
            continue
        digits = "".join(str(vals[c]) for c in cols)
        if len(split_candidates(digits, len(cols))) > 1:
            out.update(f"active.{row.key}.{c}" for c in cols)
    return out


# --- one cell per line: pdftotext without -layout ------------------------------------------


def _wrapped(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def write_plain_cell_lines(grid: Grid, rng: random.Random) -> str:
    """Each cell on its own line, long labels broken over lines (as the cells were wide)."""
    lines = []
    for row in grid:
        for c in row:
            if not c.text:
                continue
            if c.text.replace(",", "").replace(".", "").isdigit():
                lines.append(c.text)
            else:
                lines += _wrapped(c.text, rng.choice((8, 10, 12)))
    return "\n".join(lines)


def _plain_lines_report(tables, rng, opts):
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    parts = [story.title, story.intro()]
    for heading, prose in story.sections():
        parts.append(heading)
        if prose:
            parts.append(prose)
        if heading in grids:
            parts.append(write_plain_cell_lines(grids[heading], rng))
    return "\n".join(parts) + "\n"


# --- PDF-to-Markdown fragments -------------------------------------------------------------


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_rule(n: int) -> str:
    return "|" + "---|" * n


def write_markdown_fragments(grid: Grid, rng: random.Random) -> str:
    """The requests table as a converter breaks it: some rows' labels listed as
    plain lines apart from their value rows (which follow, in order, as
    separate one-row tables); the other rows whole."""
    lines: list[str] = []
    rows = expand(grid)
    body_from = next(i for i, r in enumerate(rows) if any(c.startswith("一、") for c in r))
    for r in rows[:body_from]:
        lines.append("".join(c for c in r if c))
    i = body_from
    while i < len(rows):
        if rng.random() < 0.35:
            block = rows[i:i + rng.randint(2, 3)]
            i += len(block)
            for r in block:  # labels first, wrapped, as plain text
                label = "".join(c for c in r if c and not c.isdigit())
                lines += _wrapped(label, rng.choice((9, 11)))
            if rng.random() < 0.3:
                lines.append(str(rng.randint(1, 9)))  # a stray page-number line
            for r in block:
                values = [c for c in r if c.isdigit()]
                lines += ["", _md_row(values), _md_rule(len(values))]
            lines.append("")
            continue
        r = rows[i]
        i += 1
        label = "".join(c for c in r if c and not c.isdigit())
        values = [c for c in r if c.isdigit()]
        lines.append(_md_row([label, *values]))
    return "\n".join(lines)


def _markdown_fragments_report(tables, rng, opts):
    story = narrative(tables, rng)
    grids = _grids(tables, Values(rng, opts), opts)
    parts = [story.title, story.intro()]
    for heading, prose in story.sections():
        parts.append(heading)
        if prose:
            parts.append(prose)
        if heading == _REQUESTS:
            parts.append(write_markdown_fragments(grids[heading], rng))
        elif heading in grids:
            parts.append("\n".join(_md_row([c for c in r]) for r in expand(grids[heading])))
    return "\n".join(parts) + "\n"


# --- the layouts -------------------------------------------------------------------------


def _layout(write, undecidable=lambda tables, fmt: set()):
    opts = Options()

    def make(tables, rng, fmt):
        before = undecidable(tables, fmt)  # the tables as drawn (a layout may drop rows from them)
        text = write(tables, rng, opts, fmt)
        if isinstance(text, tuple):  # the layout says itself which cells it made undecidable
            text, before = text
        return text.encode("utf-8"), before

    return make, opts


def _emptied(tables, rng, opts, fmt):
    """Empty one or two outcome rows (never two in a row): the truth is null there."""
    keys = [k for k in REQUESTS.rows[2:-2]]
    picked = []
    for r in rng.sample(keys, 2):
        if all(abs(keys.index(r) - keys.index(p)) > 1 for p in picked):
            picked.append(r)
    for r in picked:
        fmt.blanked.update(f"requests.{r.key}.{c}" for c in tables["requests"][r.key])
    return _empty_rows_report(tables, rng, opts, [r.key for r in picked])


LAYOUTS = {
    "glued_stray_spaces": (_layout(lambda t, rng, o, f: _stray_spaces_report(t, rng, o),
                                   lambda t, f: glued_undecidable(t)), "txt"),
    "glued_empty_rows": (_layout(_emptied, lambda t, f: glued_undecidable(t)), "txt"),
    "glued_prose_table2": (_layout(lambda t, rng, o, f: _prose_report(t, rng, o),
                                   lambda t, f: _glued_undecidable_but_normative(t)), "txt"),
    "glued_2019": (_layout(lambda t, rng, o, f: _report_2019(t, rng, o)), "txt"),
    "plain_cell_lines": (_layout(lambda t, rng, o, f: _plain_lines_report(t, rng, o)), "txt"),
    "markdown_fragments": (_layout(lambda t, rng, o, f: _markdown_fragments_report(t, rng, o)), "md"),
}
