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

from ..model.document import Document
from ..model.errors import ParseError
from .docx_numbering import Numbering
from .pdf_docx_common import join_lines, make_hints, no_separator, render_row

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _ALT_CHUNK = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "altChunk"))
_T, _TAB, _BR, _CR = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr"))
# Subtrees whose text is not part of the visible document: deleted revisions,
# field instructions, the VML duplicate of a drawing, text boxes.
_SKIP = {f"{{{W}}}{t}" for t in ("delText", "instrText", "txbxContent", "del")} | {f"{{{MC}}}Fallback"}
# Wrappers whose children are ordinary blocks (content controls, custom XML, inserted runs).
_CONTAINERS = {f"{{{W}}}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "smartTag")}

# Bounds (zip bombs, lying sizes, one part referenced many times): each part is
# decompressed at most once and at most MAX_XML_BYTES of it, counted while
# decompressing (the sizes a zip declares are never trusted); all parts together
# at most MAX_TOTAL_BYTES; the display text at most MAX_TEXT_CHARS.
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_CHUNK_BYTES = 16 * 1024 * 1024  # an embedded HTML/MHT chunk (altChunk): parsed as a web page
MAX_TOTAL_BYTES = 80 * 1024 * 1024
MAX_TEXT_CHARS = 20 * 1024 * 1024
_READ_CHUNK = 256 * 1024
_TOO_LARGE = "Word 文件解压后内容过大（超过 {} MB），不像是一份年度报告"
_DAMAGED = "Word 文件已损坏或不完整，无法读取：请用 Word/WPS 打开后重新另存为 .docx"


def read_docx(data: bytes) -> Document:
    parts = _load(data)
    reader = _BodyReader(Numbering(parts["numbering"], parts["styles"]), parts["chunks"])
    reader.read_blocks(parts["body"])
    lines = reader.lines
    text = "\n".join(lines) + ("\n" if lines else "")
    return Document(text=text, kind="docx", hints=_hints(parts["core"]), structured_tables=True)


_OPTIONAL_PARTS = {
    "core": "docProps/core.xml",
    "numbering": "word/numbering.xml",
    "styles": "word/styles.xml",
    "rels": "word/_rels/document.xml.rels",
}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _load(data: bytes) -> dict:
    """The ``w:body`` element, the roots of the optional parts (core
    properties, numbering, styles; None where absent or unreadable), and the
    alternative-format chunks the body embeds (``w:altChunk``: HTML or MHT
    kept as is by the program that made the file), by relationship id."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise ParseError("Word 文件缺少正文（word/document.xml），无法读取", kind="damaged")
            budget = _Budget()
            root = etree.fromstring(_read_part(zf, "word/document.xml", budget), parser)
            parts = {key: _parse_optional(zf, name, parser, budget) if name in names else None
                     for key, name in _OPTIONAL_PARTS.items()}
            parts["chunks"] = _alt_chunks(zf, root, parts["rels"], names, budget)
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, etree.XMLSyntaxError, KeyError, EOFError, OSError, ValueError, NotImplementedError):
        raise ParseError(_DAMAGED, kind="damaged") from None
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise ParseError("Word 文件缺少正文，无法读取", kind="damaged")
    parts["body"] = body
    return parts


class _Budget:
    """Decompressed bytes left for the whole file."""

    def __init__(self, total: int | None = None):
        self.left = MAX_TOTAL_BYTES if total is None else total


def _read_part(zf: zipfile.ZipFile, name: str, budget: _Budget, most: int | None = None) -> bytes:
    """A member's bytes, decompressed in small steps and counted as they come:
    a member whose header understates its size (``zf.read`` would inflate up
    to 2 GB in one call) or a bomb stops at the bound, not after it."""
    limit = min(MAX_XML_BYTES if most is None else most, budget.left)
    if zf.getinfo(name).file_size > limit:
        raise ParseError(_TOO_LARGE.format(limit // (1024 * 1024)), kind="too_large")
    out = bytearray()
    with zf.open(name) as fh:
        while True:
            block = fh.read(_READ_CHUNK)
            if not block:
                break
            out += block
            if len(out) > limit:
                raise ParseError(_TOO_LARGE.format(limit // (1024 * 1024)), kind="too_large")
    budget.left -= len(out)
    return bytes(out)


def _parse_optional(zf: zipfile.ZipFile, name: str, parser, budget: _Budget):
    try:
        return etree.fromstring(_read_part(zf, name, budget), parser)
    except etree.XMLSyntaxError:
        return None  # optional: the text still reads


def _alt_chunks(zf: zipfile.ZipFile, root, rels, names: set, budget: _Budget) -> dict:
    """Relationship id → (part name, bytes); a part referenced many times is read once."""
    ids = [el.get(f"{{{_REL}}}id") for el in root.iter(f"{{{W}}}altChunk")]
    if not ids or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    chunks, read = {}, {}
    shown = 0  # bytes of chunks as often as the body shows them
    for rid in ids:
        target = targets.get(rid, "")
        name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
        if name in names:
            if name not in read:
                read[name] = _read_part(zf, name, budget, MAX_CHUNK_BYTES)
            chunks[rid] = (name, read[name])
            shown += len(read[name])
            if shown > MAX_TOTAL_BYTES:  # one part shown over and over: refused before rendering it
                raise ParseError(_TOO_LARGE.format(MAX_TOTAL_BYTES // (1024 * 1024)), kind="too_large")
    return chunks


def _chunk_lines(name: str, data: bytes) -> list[str]:
    """The display lines of an embedded HTML or MHT chunk (tables rendered by
    the HTML reader); nothing for other kinds."""
    from .decode import decode_text
    from .html import read_html

    lower = name.lower()
    try:
        if lower.endswith((".mht", ".mhtml")):
            html = _mht_html(data)
        elif lower.endswith((".htm", ".html", ".xhtml")):
            html = decode_text(data)
        else:
            return []
        text = read_html(html).text if html else ""
    except ParseError:  # an undecodable or empty chunk: the rest of the document still reads
        return []
    return [line for line in text.splitlines() if line.strip()]


def _mht_html(data: bytes) -> str | None:
    import email

    for part in email.message_from_bytes(data).walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            try:
                return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
            except LookupError:
                return payload.decode("gb18030", errors="replace")
    return None


class _BodyReader:
    """Reads the body's blocks into display lines, in order (list numbers are
    counted as paragraphs go by, so order matters)."""

    def __init__(self, numbering: Numbering, chunks: dict):
        self.numbering = numbering
        self.chunks = chunks  # relationship id → (part name, bytes)
        self.lines: list[str] = []
        self.chars = 0  # of the lines so far (bounded by MAX_TEXT_CHARS)
        self._chunk_cache: dict[str, list[str]] = {}  # part name → its lines, rendered once

    def read_blocks(self, parent) -> None:
        """Paragraphs and tables under ``parent`` (a body, cell or content control), in order."""
        for child in parent:
            if child.tag == _P:
                text = no_separator(self.paragraph_text(child))
                self.add_lines([line for line in text.split("\n") if line.strip()])
            elif child.tag == _TBL:
                self.read_table(child)
            elif child.tag in _CONTAINERS:
                self.read_blocks(child)
            elif child.tag == _ALT_CHUNK and child.get(f"{{{_REL}}}id") in self.chunks:
                self.add_lines(self.chunk_lines(*self.chunks[child.get(f"{{{_REL}}}id")]))

    def chunk_lines(self, name: str, data: bytes) -> list[str]:
        """An embedded chunk's lines, rendered once however often it is referenced."""
        if name not in self._chunk_cache:
            self._chunk_cache[name] = _chunk_lines(name, data)
        return self._chunk_cache[name]

    def add_lines(self, lines: list[str]) -> None:
        self.chars += sum(len(line) + 1 for line in lines)
        if self.chars > MAX_TEXT_CHARS:
            raise ParseError(f"Word 文件的文字过多（超过 {MAX_TEXT_CHARS // (1024 * 1024)} M 字），不像是一份年度报告",
                             kind="too_large")
        self.lines.extend(lines)

    def paragraph_text(self, p) -> str:
        """A paragraph's visible text: its list number, runs joined, tabs as
        spaces, breaks as newlines."""
        parts = [self.numbering.label(p)]
        _collect_text(p, parts)
        return "".join(parts)

    def read_table(self, tbl) -> None:
        rows = list(_iter_rows(tbl))
        if any(tc.find(f".//{_TBL}") is not None for tr in rows for tc in _iter_cells(tr)):
            for tr in rows:  # a layout table: its cells are containers
                for tc in _iter_cells(tr):
                    self.read_blocks(tc)
            return
        for tr in rows:
            cells = [self.cell_text(tc) for tc in _iter_cells(tr) if not _continues_merge(tc)]
            if cells:
                self.add_lines([render_row(cells)])

    def cell_text(self, tc) -> str:
        """A cell's paragraphs joined without line breaks (a wrapped label is one label)."""
        lines: list[str] = []
        for p in tc.iter(_P):
            lines.extend(self.paragraph_text(p).split("\n"))
        return join_lines(lines)


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


def _hints(core) -> dict:
    if core is None:
        return {}

    def prop(ns: str, name: str) -> str | None:
        el = core.find(f"{{{ns}}}{name}")
        return el.text if el is not None else None

    dc, dcterms = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
    return make_hints(prop(dc, "title"), prop(dc, "creator"), prop(dcterms, "created"))
