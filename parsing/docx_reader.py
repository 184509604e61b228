"""Word (.docx) → Document, with zipfile and lxml only.

Contract: ``read_docx(data: bytes) -> Document`` with kind "docx":
paragraphs and tables of ``word/document.xml`` in body order; each table row
rendered on one line with ``CELL_SEP`` (see ``pdf_docx_common.render_row``):
a cell spanning columns (``gridSpan``) is rendered once, a cell continuing a
vertical merge (``vMerge``) is not rendered at all, so the rows come out as the
cells each row itself has. A table whose cells hold further tables is a layout
table: its contents are read as body blocks. Hints from ``docProps/core.xml``
(title, an organ as author, creation date) where meaningful.
Raises ``ParseError(kind="damaged")`` for a broken zip or a missing or
malformed ``document.xml`` (encrypted Word files are OLE2 and never get here).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from .document import Document
from .errors import ParseError
from .pdf_docx_common import join_lines, make_hints, render_row

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr"))
# Subtrees whose text is not part of the visible document: deleted revisions,
# field instructions, the VML duplicate of a drawing, text boxes.
_SKIP = {f"{{{W}}}{t}" for t in ("delText", "instrText", "txbxContent", "del")} | {f"{{{MC}}}Fallback"}
# Wrappers whose children are ordinary blocks (content controls, custom XML, inserted runs).
_CONTAINERS = {f"{{{W}}}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "smartTag")}

MAX_XML_BYTES = 50 * 1024 * 1024  # guard against zip bombs
_DAMAGED = "Word 文件已损坏或不完整，无法读取：请用 Word/WPS 打开后重新另存为 .docx"


def read_docx(data: bytes) -> Document:
    body, core = _load(data)
    lines: list[str] = []
    _read_blocks(body, lines)
    text = "\n".join(lines) + ("\n" if lines else "")
    return Document(text=text, kind="docx", hints=_hints(core), structured_tables=True)


def _load(data: bytes):
    """The ``w:body`` element and the core-properties root (or None)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise ParseError("Word 文件内容过大，不像是一份年度报告", kind="too_large")
            doc_xml = zf.read(info)
            core_xml = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else None
    except ParseError:
        raise
    except KeyError:
        raise ParseError("Word 文件缺少正文（word/document.xml），无法读取", kind="damaged") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise ParseError(_DAMAGED, kind="damaged") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(doc_xml, parser)
    except etree.XMLSyntaxError:
        raise ParseError(_DAMAGED, kind="damaged") from None
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise ParseError("Word 文件缺少正文，无法读取", kind="damaged")
    core = None
    if core_xml:
        try:
            core = etree.fromstring(core_xml, parser)
        except etree.XMLSyntaxError:
            core = None  # properties are optional; the text still reads
    return body, core


def _read_blocks(parent, lines: list[str]) -> None:
    """Paragraphs and tables under ``parent`` (a body, cell or content control), in order."""
    for child in parent:
        if child.tag == _P:
            text = _paragraph_text(child)
            lines.extend(line for line in text.split("\n") if line.strip())
        elif child.tag == _TBL:
            _read_table(child, lines)
        elif child.tag in _CONTAINERS:
            _read_blocks(child, lines)



def _paragraph_text(p) -> str:
    """A paragraph's visible text: runs joined, tabs as spaces, breaks as newlines."""
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(el, parts: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append(" ")
        elif tag in (_BR, _CR):
            parts.append("\n")
        else:
            _collect_text(child, parts)


def _read_table(tbl, lines: list[str]) -> None:
    rows = [tr for tr in _iter_rows(tbl)]
    if any(tc.find(f".//{_TBL}") is not None for tr in rows for tc in _iter_cells(tr)):
        for tr in rows:  # a layout table: its cells are containers
            for tc in _iter_cells(tr):
                _read_blocks(tc, lines)
        return
    for tr in rows:
        cells = [_cell_text(tc) for tc in _iter_cells(tr) if not _continues_merge(tc)]
        if cells:
            lines.append(render_row(cells))


def _iter_rows(tbl):
    """The table's rows, looking through content controls around rows."""
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _iter_rows(child)


def _iter_cells(tr):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _iter_cells(child)


def _continues_merge(tc) -> bool:
    """True for a cell covered by the cell above (vMerge continue) or to its
    left (legacy hMerge continue): it has no content of its own."""
    tcpr = tc.find(f"{{{W}}}tcPr")
    if tcpr is None:
        return False
    for name in ("vMerge", "hMerge"):
        m = tcpr.find(f"{{{W}}}{name}")
        if m is not None and m.get(f"{{{W}}}val", "continue") == "continue":
            return True
    return False


def _cell_text(tc) -> str:
    """A cell's paragraphs joined without line breaks (a wrapped label is one label)."""
    lines: list[str] = []
    for p in tc.iter(_P):
        lines.extend(_paragraph_text(p).split("\n"))
    return join_lines(lines)


def _hints(core) -> dict:
    if core is None:
        return {}

    def prop(ns: str, name: str) -> str | None:
        el = core.find(f"{{{ns}}}{name}")
        return el.text if el is not None else None

    dc, dcterms = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
    return make_hints(prop(dc, "title"), prop(dc, "creator"), prop(dcterms, "created"))
