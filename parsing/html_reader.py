"""HTML → Document: the article of a (government) web page, as readable text.

Contract: ``read_html(html: str) -> Document`` with kind "html": the article
only (navigation, scripts, footers left out), block elements on their own
lines, each table row on one line with cells joined by ``CELL_SEP``,
``structured_tables=True``, and ``hints`` from <meta name="ArticleTitle">,
"PubDate", "ContentSource" (and <title>) where present.

This module owns three steps:
- finding the article: the deepest element that still holds most of the
  page's non-link text (navigation is mostly links; footers and sidebars are
  small), after dropping scripts, styles, forms and obvious page chrome;
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

import re

from lxml import etree
from lxml import html as lxml_html

from .document import CELL_SEP, Document
from .errors import ParseError

# --- element classes ---------------------------------------------------------------

# Dropped with everything inside them (their tail text stays).
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "button", "input", "textarea", "map", "audio", "video", "head", "title",
)
# Page chrome by its HTML5 tag.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu"})
# Page chrome by class/id words (English and the pinyin initials Chinese CMSs use).
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|submenu|footer|foot|header|banner|breadcrumbs?|crumbs?|"
    r"share|bdshare|fenxiang|sidebar|side|related|xgxx|xglj|xgwz|links?|friendlink|yqlj|"
    r"copyright|login|search|toolbar|tools|print|qrcode|ewm|erweima|position|location|dqwz|"
    r"weizhi|pager|pagination|comments?)(?:$|[\s_-])",
    re.I,
)
# Never strip an element holding this share of the page's text as "chrome".
_CHROME_MAX_SHARE = 0.3
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)
_CELL_TAGS = ("td", "th")
# The article is the deepest element still holding this share of the text.
_ARTICLE_SHARE = 0.7
# A table with a cell this long is a layout table, not a statistics table.
_LAYOUT_CELL_CHARS = 300

_WS = re.compile(r"\s+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
# Characters lxml refuses (NUL and other C0 controls).
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def read_html(html: str) -> Document:
    """The article of an HTML page as a Document (see the module doc)."""
    root = _parse(html)
    body = root.find("body") if root.tag != "body" else root
    if body is None:
        body = root
    etree.strip_elements(body, *_DROP_TAGS, with_tail=False)
    hints = _hints(root, body)
    _strip_chrome(body)
    if "title" not in hints:
        title = _heading_title(body) or _page_title(root)
        if title:
            hints["title"] = title
    article = _find_article(body)
    text = _render(article)
    if not text.strip():
        raise ParseError("网页中没有可读的正文文字", kind="empty")
    title = hints.get("title")
    if title and _squash(title) not in _squash(text[: len(title) * 4 + 200]):
        text = f"{title}\n\n{text}"
    return Document(text=text, kind="html", hints=hints, structured_tables=True)


def _parse(html: str):
    html = _BAD_CHARS.sub("", _XML_DECL.sub("", html, count=1))
    if not html.strip():
        raise ParseError("网页是空的", kind="empty")
    try:
        root = lxml_html.document_fromstring(html)
    except etree.ParserError:  # lxml's "Document is empty"
        raise ParseError("网页中没有可读的内容", kind="empty") from None
    except ValueError as e:
        raise ParseError(f"网页无法解析（{e}）", kind="damaged") from None
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


# --- finding the article ------------------------------------------------------------


def _weight(el) -> int:
    """Non-blank characters of ``el``'s text that are not link text."""
    total = _ink(el.text_content())
    if total:
        total -= sum(_ink(a.text_content()) for a in el.iter("a"))
    return total


def _ink(s: str) -> int:
    return len("".join(s.split()))


def _strip_chrome(body) -> None:
    """Drop navigation, headers, footers, sidebars, share bars (small ones only)."""
    limit = _CHROME_MAX_SHARE * max(_weight(body), 1)
    doomed = []
    for el in body.iter(etree.Element):
        if el.tag in _CHROME_TAGS or _CHROME_NAME.search(f"{el.get('class', '')} {el.get('id', '')}"):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and _weight(el) < limit:
            el.drop_tree()


def _find_article(body):
    total = _weight(body)
    node = body
    while True:
        if node.tag == "table" and not _is_layout_table(node):
            return node.getparent() if node.getparent() is not None else node
        best, best_w = None, -1
        for child in node.iterchildren(etree.Element):
            w = _weight(child)
            if w > best_w:
                best, best_w = child, w
        if best is None or best_w < _ARTICLE_SHARE * total:
            return node
        node = best


def _is_layout_table(table) -> bool:
    if table.find(".//table") is not None:
        return True
    return any(_ink(cell.text_content()) > _LAYOUT_CELL_CHARS for cell in table.iter(*_CELL_TAGS))


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
            line = _WS.sub(" ", "".join(self._pieces)).strip()
            self._pieces.clear()
            if line:
                self.lines.append(line)

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")


def _render(article) -> str:
    out = _Lines()
    _render_into(article, out, tables=True)
    out.flush()
    while out.lines and not out.lines[-1]:
        out.lines.pop()
    return "\n".join(out.lines) + "\n" if out.lines else ""


def _render_into(root, out: _Lines, *, tables: bool) -> None:
    """Render ``root``'s content (not its tail) into ``out``. With ``tables``
    False (inside a table cell) nested tables are flattened as blocks."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag == "br":
                out.flush()
            elif tag == "table" and tables and not _is_layout_table(el):
                _render_table(el, out)
                walker.skip_subtree()
                continue
            elif tag in _BLOCK_TAGS:
                out.flush()
            out.add(el.text)
        else:
            if tag in _BLOCK_TAGS:
                out.flush()
            if el is not root:
                out.add(el.tail)


def _render_table(table, out: _Lines) -> None:
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
    out.add(table.tail)


def _cell_text(cell) -> str:
    """A cell's text on one line: blocks inside it joined by a space, spaces
    between CJK characters (stray source line breaks) removed."""
    inner = _Lines()
    _render_into(cell, inner, tables=False)
    inner.flush()
    text = _CJK_GAP.sub("", " ".join(inner.lines))
    return text.replace("|", "｜")


def _squash(s: str) -> str:
    return "".join(s.split())


# --- metadata hints ---------------------------------------------------------------------

_META_KEYS = {
    "title": ("articletitle", "dc.title", "og:title"),
    "organ": ("contentsource", "source", "dc.publisher"),
    "published": ("pubdate", "publishdate", "firstpublishedtime", "dc.date", "article:published_time"),
}
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PUBLISHED_LINE = re.compile(
    r"(?:发布日期|发布时间|成文日期|发文日期|日期|时间)\s*[:：]\s*((?:19|20)\d\d\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})"
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
    line often sits in a tool bar). The title falls back later, see read_html."""
    metas = _meta_map(root)
    page_text = body.text_content()
    hints: dict = {}
    if metas.get("title"):
        hints["title"] = metas["title"]
    organ = metas.get("organ") or _first_group(_ORGAN_LINE, page_text)
    if organ:
        hints["organ"] = organ
    published = _iso_date(metas.get("published")) or _iso_date(_first_group(_PUBLISHED_LINE, page_text))
    if published:
        hints["published"] = published
    return hints


def _meta_map(root) -> dict:
    found: dict = {}
    names = {n: key for key, ns in _META_KEYS.items() for n in ns}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = _WS.sub(" ", meta.get("content") or "").strip()
        key = names.get(name)
        if key and content and key not in found:
            found[key] = content
    return found


def _heading_title(body) -> str | None:
    """A short element naming the report (a heading preferred), page chrome
    already stripped."""
    candidates = []
    for chunk in body.xpath(".//text()[contains(., '报告')]"):
        el = chunk.getparent()
        if chunk.is_tail and el is not None:
            el = el.getparent()
        if el is None:
            continue
        text = _WS.sub(" ", el.text_content()).strip()
        if len(text) <= _MAX_TITLE_CHARS and _REPORT_TITLE.search(_squash(text)):
            if el.tag in ("h1", "h2", "h3"):
                return text
            candidates.append(text)
    return candidates[0] if candidates else None


def _page_title(root) -> str | None:
    title = root.find(".//title")
    if title is None:
        return None
    text = _WS.sub(" ", title.text_content()).strip()
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
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
