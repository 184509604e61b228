"""Hostile files made on the spot (issue 13): small zips that expand a lot,
zips that lie about a member's size, reports carrying terminal escape
sequences. Used by the hostile tests and by ``benchmarks`` measurements
(``python -m tests.hostile_files DIR`` writes them all to DIR)."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

from tests.conftest import FIXTURES, sample_path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LUDING = sample_path("2024-luding-county")

# What a hostile report line may carry: OSC 52 (write the clipboard), OSC 2
# (window title), CSI 2J (clear the screen), a colour, BEL, a C1 CSI, and a
# right-to-left override.
ESCAPES = "\x1b]52;c;SGVsbG8=\x1b\\\x1b]2;pwned\x07\x1b[2J\x1b[31m\x07\x9b1m\u202e"


def _document_xml(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}</w:body></w:document>')


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_with_alt_chunks(references: int, chunk: bytes, chunk_name: str = "chunk.html") -> bytes:
    """A .docx whose body holds ``references`` altChunk elements, each with its
    own relationship id, all pointing at one part (``chunk``, deflated)."""
    body = _paragraph("政府信息公开工作年度报告") + "".join(
        f'<w:altChunk r:id="rId{i}"/>' for i in range(1, references + 1))
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/aFChunk" Target="{chunk_name}"/>' for i in range(1, references + 1))
            + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", _document_xml(body))
        zf.writestr("word/_rels/document.xml.rels", rels)
        zf.writestr(f"word/{chunk_name}", chunk)
    return buf.getvalue()


def big_html(megabytes: float) -> bytes:
    """An HTML page of about ``megabytes`` MB that deflates to almost nothing."""
    row = "<tr><td>一、本年新收政府信息公开申请数量</td><td>31</td></tr>\n".encode()
    n = int(megabytes * 1024 * 1024 / len(row)) + 1
    return b"<html><body><table>" + row * n + b"</table></body></html>"


def docx_lying_about_size(real_megabytes: int, claimed: int = 1000) -> bytes:
    """A .docx whose ``word/document.xml`` inflates to ``real_megabytes`` MB
    while its zip headers (local and central) claim ``claimed`` bytes."""
    payload = _document_xml(_paragraph("报告") + " " * (real_megabytes * 1024 * 1024)).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("word/document.xml", payload)
    data = bytearray(buf.getvalue())
    real = struct.pack("<I", len(payload))
    lie = struct.pack("<I", claimed)
    local = data.find(b"PK\x03\x04")
    assert data[local + 22:local + 26] == real
    data[local + 22:local + 26] = lie
    central = data.find(b"PK\x01\x02")
    assert data[central + 24:central + 28] == real
    data[central + 24:central + 28] = lie
    return bytes(data)


def report_with_escapes(escapes: str = ESCAPES) -> str:
    """The luding sample with escape sequences in a text line and in a table
    label line (the organ's name line too)."""
    text = LUDING.read_text(encoding="utf-8")
    text = text.replace("泸定县人民政府", "泸定县人民政府" + escapes, 1)
    return text.replace("今年", "今年" + escapes, 1)


def html_with_char_refs() -> str:
    """A government page whose text carries escape sequences as character
    references (``&#27;``, ``&#x9b;``, ``&#8238;``)."""
    page = (FIXTURES / "html" / "luding-2024-gov-page.html").read_text(encoding="utf-8")
    evil = "&#27;]52;c;SGVsbG8=&#7;&#27;[2J&#x1b;]2;pwned&#x07;&#155;31m&#8238;"
    return page.replace("泸定县人民政府", "泸定县人民政府" + evil, 2)


def write_all(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "altchunk-bomb.docx").write_bytes(docx_with_alt_chunks(80, big_html(50)))
    (folder / "lying-size.docx").write_bytes(docx_lying_about_size(1900))
    (folder / "escapes.txt").write_text(report_with_escapes(), encoding="utf-8")
    (folder / "char-refs.html").write_text(html_with_char_refs(), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a measurement helper
    write_all(Path(sys.argv[1]))
