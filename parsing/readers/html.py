"""HTML → Document: the article of a (government) web page, as readable text.

Contract: ``read_html(html: str) -> Document`` with kind "html": the article
only (navigation, scripts, footers left out), block elements on their own
lines, each table row on one line with cells joined by ``CELL_SEP``,
``structured_tables=True``, and ``hints`` from <meta name="ArticleTitle">,
"PubDate", "ContentSource" (and <title>) where present.

This module owns three steps:
- finding the article: after dropping scripts, styles and form controls, the
  deepest element that still holds most of the page's non-link text
  (navigation is mostly links; footers and sidebars are small); of two copies
  of one article (a hidden print copy) the visible one; then share bars,
  "related links" and the like inside it are dropped;
- rendering it: inline text joined, whitespace collapsed, a data table's rows
  one per line (a cell spanned down from a row above is not repeated, a
  colspan cell is written once, an empty cell stays visible between two
  separators), a blank line around each table; layout tables (tables holding
  tables or long text) are rendered as ordinary blocks;
- the metadata hints (title, organ, published) from meta tags or the page's
  own "来源：… 发布时间：…" line.
Anything the page cannot give is left out; the only exception raised is
``ParseError``.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from ..model.document import CELL_SEP, Document
from ..model.errors import ParseError

# --- element classes ---------------------------------------------------------------

# Dropped with everything inside them (their tail text stays).
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "button", "input", "textarea", "map", "audio", "video", "head", "title",
)
# Page chrome by its HTML5 tag or by class/id words (English and the pinyin
# initials Chinese CMSs use).
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_CHROME_WORDS = frozenset(
    "nav navbar menu submenu footer foot header banner breadcrumb breadcrumbs crumb crumbs share bdshare "
    "fenxiang sidebar side related xgxx xglj xgwz link links friendlink yqlj copyright login search toolbar "
    "tools print qrcode ewm erweima position location dqwz weizhi pager pagination comment comments".split()
)
_NAME_SPLIT = re.compile(r"[\s_-]+")
# Blocks that are mostly links (at least this many) are navigation.
_LINK_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "div", "p", "td", "table", "span", "section"})
_LINK_LIST_MIN = 3
_LINK_LIST_SHARE = 0.8
_MENU_SEPARATORS = re.compile(r"[\s|｜/·•,，、>»]+")
# Never strip an element holding this share of the article's text as "chrome".
_CHROME_MAX_SHARE = 0.3
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", "br",
    }
)
_CELL_TAGS = ("td", "th")
# Two children each holding this share of the text and starting alike are copies.
_COPY_SHARE = 0.3
_COPY_PREFIX = 200
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# The article is the deepest element still holding this share of the text.
_ARTICLE_SHARE = 0.7
# A table whose cells hold this many characters on average is a layout table.
_LAYOUT_CELL_CHARS = 60
_CELL_COUNT = etree.XPath("count(.//td | .//th)")
_TEXT = etree.XPath("string(.)", smart_strings=False)
_TEXT_LEN = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_XML_DECL = re.compile(r"\s*<\?xml[^>]*>")
# Zero-width characters web editors leave inside words and numbers.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def read_html(html: str) -> Document:
    """The article of an HTML page as a Document (see the module doc)."""
    root = _parse(html)
    body = root.find("body")
    if body is None:
        body = root
    etree.strip_elements(body, *_DROP_TAGS, with_tail=False)
    hints = _hints(root, body)
    article = _find_article(body)
    _strip_chrome(article)
    text = _INVISIBLE.sub("", _render(article))
    if not text.strip():
        raise ParseError("网页中没有可读的正文文字", kind="empty")
    title = hints.get("title")
    if title and _squash(title) not in _squash(text[: len(title) * 4 + 200]):
        text = f"{title}\n\n{text}"
    return Document(text=text, kind="html", hints=hints, structured_tables=True)


def _parse(html: str):
    if html[:512].lstrip().startswith("<?xml"):  # lxml refuses str input declaring an encoding
        html = _XML_DECL.sub("", html, count=1)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(html, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(f"网页无法解析（{e}）", kind="damaged") from None
    if root is None:
        raise ParseError("网页中没有可读的内容", kind="empty")
    return root


# --- finding the article ------------------------------------------------------------


def _weight(el, text_len: float | None = None) -> float:
    """Characters of ``el``'s text (whitespace collapsed) that are not link
    text; ``text_len`` is its whole text's length when already counted."""
    total = _TEXT_LEN(el) if text_len is None else text_len
    if total:
        total -= sum(len(t.strip()) for t in _LINK_TEXTS(el))
    return total


def _find_article(body):
    """The deepest element holding most of the page's non-link text; a data
    table is never the article itself (its parent is)."""
    node, weight = body, _weight(body)
    threshold = _ARTICLE_SHARE * weight
    while True:
        if node.tag == "table" and not _is_layout_table(node):
            return node.getparent() if node.getparent() is not None else node
        children = list(node.iterchildren(etree.Element))
        if len(children) == 1:  # a wrapper: its child's weight needs no new count
            best = children[0]
            best_weight = weight - _ink(node.text) - _ink(best.tail)
            if best_weight < threshold or best_weight <= 0:
                return node
        else:
            sized = [(child, _TEXT_LEN(child)) for child in children]
            best, best_weight = _heaviest(sized, threshold)
            if best is None:
                copy = _one_of_two_copies(sized, weight)
                return node if copy is None else _find_article(copy)
        node, weight = best, best_weight


def _heaviest(sized: list, at_least: float):
    """Of (child, text length) pairs, the child holding at least ``at_least``
    non-link text (more than half of the parent's, so at most one child
    qualifies), and its weight; (None, 0) if none does."""
    for child, raw in sized:
        if raw >= at_least > 0:
            w = _weight(child, raw)
            if w >= at_least:
                return child, w
    return None, 0.0


def _one_of_two_copies(sized: list, weight: float):
    """When the text is split between two copies of one article (a print copy,
    a hidden duplicate), the visible copy; else None."""
    big = [child for child, raw in sized if raw >= _COPY_SHARE * weight > 0]
    if len(big) != 2:
        return None
    first, second = (_squash(_TEXT(el))[:_COPY_PREFIX] for el in big)
    if first != second:
        return None
    visible = [el for el in big if not _HIDDEN.search(el.get("style", ""))]
    return (visible or big)[0]


def _ink(text: str | None) -> int:
    """Length of ``text`` with whitespace collapsed (as XPath normalize-space)."""
    return len(" ".join(text.split())) if text else 0


def _strip_chrome(article) -> None:
    """Drop share bars, related links, navigation and the like inside the
    article (small elements only: never a large part of the text). Statistics
    tables are not searched: they hold no chrome."""
    doomed = []
    walker = etree.iterwalk(article, events=("start",))
    for _, el in walker:
        if el.tag == "table" and el.find(".//table") is None:
            walker.skip_subtree()
        elif el is not article and (
            el.tag in _CHROME_TAGS
            or _is_chrome_name(f"{el.get('class', '')} {el.get('id', '')}")
            or el.tag in _LINK_BLOCK_TAGS and _is_link_list(el)
        ):
            doomed.append(el)
            walker.skip_subtree()
    if not doomed:
        return
    limit = _CHROME_MAX_SHARE * max(_weight(article), 1)
    for el in doomed:
        # A table inside is more likely the report's than the page's.
        if _weight(el) < limit and el.find(".//table") is None:
            _drop(el)


def _drop(el) -> None:
    """Remove ``el`` and its content, keeping the text that follows it."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _is_link_list(el) -> bool:
    """A block that is (almost) only links: a menu, a list of related pages."""
    links = el.findall(".//a")
    if len(links) < _LINK_LIST_MIN:
        return False
    link_chars = sum(_letters(_TEXT(a)) for a in links)
    return link_chars >= _LINK_LIST_SHARE * _letters(_TEXT(el))


def _letters(text: str) -> int:
    """Characters of ``text`` other than whitespace and menu separators."""
    return len(_MENU_SEPARATORS.sub("", text))


@functools.lru_cache(maxsize=4096)
def _is_chrome_name(name: str) -> bool:
    return not _CHROME_WORDS.isdisjoint(_NAME_SPLIT.split(name.lower()))


def _is_layout_table(table) -> bool:
    """A table used for page layout (holding tables, or long text per cell)
    rather than a statistics table."""
    if table.find(".//table") is not None:
        return True
    cells = _CELL_COUNT(table)
    return cells > 0 and _TEXT_LEN(table) > _LAYOUT_CELL_CHARS * cells


# --- rendering ------------------------------------------------------------------------


class _Lines:
    """Accumulates display lines: inline text joins, blocks break lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._pieces: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._pieces.append(text)

    def flush(self) -> None:
        if self._pieces:
            line = " ".join("".join(self._pieces).split())
            self._pieces.clear()
            if line:
                self.lines.append(line)

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")


def _render(article) -> str:
    out = _Lines()
    walker = etree.iterwalk(article, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag == "table" and not _is_layout_table(el):
                _render_table(el, out)
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                out.flush()
            out.add(el.text)
        else:
            if tag in _BLOCK_TAGS:
                out.flush()
            if el is not article:
                out.add(el.tail)
    out.flush()
    while out.lines and not out.lines[-1]:
        out.lines.pop()
    return "\n".join(out.lines) + "\n" if out.lines else ""


def _render_table(table, out: _Lines) -> None:
    """One line per row: the row's own cells (spanned ones from above are not
    repeated), empty cells visible between separators; blank lines around.
    (The table's tail is added by the caller's walk.)"""
    out.blank()
    caption = table.find("caption")
    if caption is not None:
        out.add(_cell_text(caption))
        out.flush()
    for tr in table.iter("tr"):
        cells = [_cell_text(c) for c in tr.iterchildren(*_CELL_TAGS)]
        if any(cells):
            out.lines.append(CELL_SEP.join(cells))
    out.blank()


def _cell_text(cell) -> str:
    """A cell's text on one line: blocks and line breaks inside it become a
    space, inline pieces join, spaces between CJK characters (stray source line
    breaks) are removed, and a "|" cannot pass for a cell separator."""
    if len(cell) == 0:
        text = cell.text or ""
    elif len(cell) == 1 and len(cell[0]) == 0 and cell[0].tag != "br":
        only = cell[0]
        text = f"{cell.text or ''}{only.text or ''}{only.tail or ''}"
    else:
        text = _flat_text(cell)
    text = " ".join(text.split())
    if " " in text:
        text = _CJK_GAP.sub("", text)
    return text.replace("|", "｜")


def _flat_text(el) -> str:
    pieces: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        block = node.tag in _BLOCK_TAGS
        if event == "start":
            if block:
                pieces.append(" ")
            if node.text:
                pieces.append(node.text)
        else:
            if block:
                pieces.append(" ")
            if node is not el and node.tail:
                pieces.append(node.tail)
    return "".join(pieces)


def _squash(s: str) -> str:
    return "".join(s.split())


# --- metadata hints ---------------------------------------------------------------------

_META_KEYS = {
    "title": ("articletitle", "dc.title", "og:title"),
    "organ": ("contentsource", "source", "dc.publisher"),
    "published": ("pubdate", "publishdate", "firstpublishedtime", "dc.date", "article:published_time"),
}
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})|^\s*((?:19|20)\d\d)(\d\d)(\d\d)\b")
_DATE_TEXT = r"((?:19|20)\d\d\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})"
# Most specific first: a bare "时间：" may also be a statistics period.
_PUBLISHED_LINES = tuple(
    re.compile(rf"(?:{labels})\s*[:：]\s*{_DATE_TEXT}")
    for labels in ("发布日期|发布时间|发文日期|成文日期", "日期|时间")
)
_ORGAN_LINE = re.compile(
    r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*(.+?)(?=\s|[|｜:：【\[]|发布|时间|日期|浏览|字号|点击|$)"
)
_REPORT_TITLE = re.compile(r"(?:19|20)\d\d年.{0,20}?信息公开.{0,6}?报告")
_MAX_TITLE_CHARS = 80
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|--|—|-\s|\s-)\s*")


def _hints(root, body) -> dict:
    """Hints the page states outside the article's prose: meta tags, then its
    "来源：… 发布时间：…" line (read before page chrome is stripped: that
    line often sits in a tool bar); the title from a heading or <title>."""
    metas = _meta_map(root)
    page_text = _TEXT(body)
    hints: dict = {}
    title = metas.get("title") or _heading_title(body) or _page_title(root)
    if title:
        hints["title"] = title
    organ = metas.get("organ") or _first_group(_ORGAN_LINE, page_text)
    if organ:
        hints["organ"] = organ
    published = _iso_date(metas.get("published")) or next(
        filter(None, (_iso_date(_first_group(p, page_text)) for p in _PUBLISHED_LINES)), None
    )
    if published:
        hints["published"] = published
    return hints


def _meta_map(root) -> dict:
    found: dict = {}
    names = {n: key for key, ns in _META_KEYS.items() for n in ns}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        key = names.get(name)
        if key and content and key not in found:
            found[key] = content
    return found


def _heading_title(body) -> str | None:
    """A short element naming the report (a heading preferred), not a link."""
    candidates = []
    for chunk in body.xpath(".//text()[contains(., '报告')]"):
        el = chunk.getparent()
        if chunk.is_tail and el is not None:
            el = el.getparent()
        if el is None:
            continue
        if el.tag == "a" or el.getparent() is not None and el.getparent().tag == "a":
            continue  # link text: navigation, related reports
        text = " ".join(_TEXT(el).split())
        if len(text) <= _MAX_TITLE_CHARS and _REPORT_TITLE.search(_squash(text)):
            if el.tag in ("h1", "h2", "h3"):
                return text
            candidates.append(text)
    return candidates[0] if candidates else None


def _page_title(root) -> str | None:
    title = root.find(".//title")
    if title is None:
        return None
    text = " ".join(_TEXT(title).split())
    parts = [p for p in _TITLE_SEPARATORS.split(text) if p]
    if not parts:
        return None
    return next((p for p in parts if "报告" in p), parts[0])


def _first_group(pattern: re.Pattern, text: str) -> str | None:
    m = pattern.search(text)
    return m.group(1).strip() if m else None


def _iso_date(text: str | None) -> str | None:
    m = _DATE.search(text or "")
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups() if g is not None)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
