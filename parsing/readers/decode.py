"""bytes → what kind of file this is, and → text. (Issue 3: helper-owned.)

Contract:
- ``sniff(data: bytes) -> str``: one of "pdf", "docx", "doc" (legacy Word /
  WPS / other OLE2), "zip" (a zip that is not a Word document), "html",
  "text", "image", "binary". From the content, never the file name.
- ``decode_text(data: bytes) -> str``: the Unicode text, with BOMs removed and
  line endings normalised to "\n". Raises ``ParseError(kind="undecodable")``.

Decoding trusts the bytes over any declaration: a BOM decides; then UTF-8 if
the bytes are UTF-8 (whatever a page's ``<meta charset>`` claims); then the
declared charset; then GB18030 (a superset of GB2312/GBK, the usual encoding
of Chinese government files that are not UTF-8); charset-normalizer only as
the last resort. A file cut off inside a multi-byte character loses only that
partial character.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from ..model.errors import ParseError

# --- sniffing ------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)

_SNIFF_BYTES = 8192
# Control bytes a text file may legitimately hold: tab, newlines, vertical tab,
# form feed (pdftotext page breaks), ESC, and the DOS end-of-file mark.
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1a\x1b")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_MAX_CONTROL_SHARE = 0.01

# Markup a page opens with (after a BOM, whitespace, <?xml …?> and comments).
_LEADING_NOISE = re.compile(r"(?:\s+|<\?xml[^>]*>|<!--.*?(?:-->|$))*", re.S)
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|section|article|"
    r"center|font|h[1-6]|link|script|style|base|form|ul|ol|tbody|tr|td)[\s>/]",
    re.I,
)
# Near the start of a page even when a line of junk precedes it.
_HTML_EARLY = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)
_HTML_EARLY_CHARS = 1024
# A fragment of markup without a page around it: many closing block tags.
_CLOSING_TAGS = re.compile(r"</(?:p|td|tr|div|span|table|li|h[1-6])\s*>", re.I)
_MIN_CLOSING_TAGS = 10


def sniff(data: bytes) -> str:
    """What kind of file ``data`` is, from its content alone."""
    magic = _binary_kind(data)
    if magic:
        return magic
    head = _head_text(data[:_SNIFF_BYTES])
    if head is None:
        return "binary"
    return "html" if _looks_like_html(head) else "text"


def _binary_kind(data: bytes) -> str | None:
    """The kind of a file recognised by its magic number, or None."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(_IMAGE_MAGIC) or _is_webp(data) or _is_bmp(data):
        return "image"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        # A damaged zip: its local headers still name its members; let the Word
        # reader report the damage rather than calling it "some zip".
        return "docx" if b"word/document.xml" in data else "zip"
    return "docx" if "word/document.xml" in names else "zip"


def _is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _is_bmp(data: bytes) -> bool:
    # "BM", 4-byte size, 4 reserved zero bytes: a text starting "BM" is not one.
    return data[:2] == b"BM" and len(data) >= 14 and data[6:10] == b"\x00\x00\x00\x00"


def _head_text(head: bytes) -> str | None:
    """The start of a text file as str (enough to look for markup), or None
    when these bytes are not text at all."""
    bom = _bom(head)
    if bom is not None:
        enc, skip = bom
        return codecs.getincrementaldecoder(enc)("replace").decode(head[skip:])
    utf16 = _bomless_utf16(head)
    if utf16 is not None:
        return codecs.getincrementaldecoder(utf16)("replace").decode(head)
    if b"\x00" in head:
        return None
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(head):
        return None
    return head.decode("latin-1")  # markup is ASCII in every encoding left


def _looks_like_html(head: str) -> bool:
    start = _LEADING_NOISE.match(head).end()
    if _HTML_START.match(head, start):
        return True
    if _HTML_EARLY.search(head, 0, _HTML_EARLY_CHARS):
        return True
    return len(_CLOSING_TAGS.findall(head)) >= _MIN_CLOSING_TAGS


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


# Characters a Chinese report consists of: ASCII text, CJK ideographs and
# punctuation, full-width forms. Binary data read as UTF-16 is mostly not these.
_TEXT_LIKE = re.compile(r"[\t\n\r\x0c\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _bomless_utf16(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when ``head`` is UTF-16 text without a BOM.

    Only considered when the bytes hold NULs (ASCII in UTF-16 does); accepted
    when decoding gives almost only printable characters.
    """
    if b"\x00" not in head or len(head) < 4:
        return None
    sample = head[: len(head) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if text and len(_TEXT_LIKE.findall(text)) >= 0.95 * len(text):
            return enc
    return None


# --- decoding --------------------------------------------------------------------

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_DECLARATION_BYTES = 4096
# Declared charsets we read as GB18030, the superset that decodes them all.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "ms936", "x-gbk", "euc-cn", "hz-gb-2312"}
_CJK_MULTIBYTE = {"big5", "big5hkscs", "cp950", "euc_jp", "euc_kr", "shift_jis", "cp932", "iso2022_jp"}
# charset-normalizer reads a sample this large to pick an encoding.
_NORMALIZER_SAMPLE = 65536
_MAX_NORMALIZER_CHAOS = 0.2
# Accept a lenient decode that replaced at most this share of the characters.
_MAX_REPLACED_SHARE = 0.005


def decode_text(data: bytes) -> str:
    """``data`` as Unicode text with "\\n" line endings (see the module doc)."""
    text = _decode(data)
    if text is None:
        raise ParseError(
            "无法识别文件的字符编码（不是 UTF-8、GBK/GB18030 或 UTF-16 文本）：请用文本编辑器另存为 UTF-8 后再打开",
            kind="undecodable",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes) -> str | None:
    bom = _bom(data)
    if bom is not None:
        enc, skip = bom
        return _strict(data[skip:], enc) or _lenient(data[skip:], (enc,))
    utf16 = _bomless_utf16(data[:_SNIFF_BYTES])
    if utf16 is not None:
        return _strict(data, utf16) or _lenient(data, (utf16,))
    text = _strict(data, "utf-8")  # the bytes' own evidence first
    if text is not None:
        return text
    for enc in _candidates(_declared_codec(data)):
        text = _strict(data, enc)
        if text is not None:
            return text
    return _lenient(data, ("utf-8", "gb18030")) or _normalizer(data)


def _candidates(declared: str | None) -> list[str]:
    """Codecs to try strictly after UTF-8, in order."""
    order = []
    if declared in _CJK_MULTIBYTE:
        order.append(declared)
    order.append("gb18030")
    if declared and declared not in order and declared != "utf-8":
        order.append(declared)
    return order


def _declared_codec(data: bytes) -> str | None:
    """The codec a page or XML declaration names near the start, normalised."""
    m = _DECLARED.search(data[:_DECLARATION_BYTES])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(data: bytes, enc: str) -> str | None:
    """Decode strictly, tolerating only a character cut off at the very end."""
    try:
        decoder = codecs.getincrementaldecoder(enc)("strict")
        text = decoder.decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return None
    pending = decoder.getstate()[0]
    return text if len(pending) <= 4 else None


def _lenient(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The decode with fewest replacement characters, if they are a handful
    (a few damaged bytes in an otherwise sound file)."""
    best = None
    for enc in encodings:
        text = data.decode(enc, errors="replace")
        replaced = text.count("\ufffd")
        if replaced <= _MAX_REPLACED_SHARE * len(text) and (best is None or replaced < best[0]):
            best = (replaced, text)
    return best[1] if best else None


def _normalizer(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    sample = data[:_NORMALIZER_SAMPLE]
    cut = sample.rfind(b"\n")
    if 0 < cut < len(sample) - 1 and len(data) > len(sample):
        sample = sample[: cut + 1]
    best = from_bytes(sample).best()
    if best is None or best.chaos > _MAX_NORMALIZER_CHAOS:
        return None
    return _strict(data, best.encoding)
