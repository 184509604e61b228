"""Scanned reports read offline (parsing.readers.ocr, parsing.readers.ocr_grid): what an auditor
handing over a scan gets: the tables read, every doubtful number flagged, no
network, the scan recognised once.

The tests marked ``slow`` run the OCR engine on the committed scan-like
fixtures (tests/fixtures/scans, made by make_scans.py) and on a render of the
real report in ../shared/corpus; they run in ``make test`` (together well
under three minutes on two cores)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parsing import ParseError, parse_bytes
from parsing.readers import ocr
from parsing.layout.assemble import assemble
from parsing.model.document import CELL_SEP, Document
from parsing.readers.pdf import read_pdf
from parsing.model.schema import FLAG_OCR, FORMAT_2021
from tests.conftest import FIXTURES

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")
from parsing.readers import ocr_grid as G  # noqa: E402  (needs the ocr extra)

SCANS = FIXTURES / "scans"
PDF = FIXTURES / "pdf"
ROOT = Path(__file__).resolve().parents[2]
needs_engine = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")


def _cells(report: dict) -> dict:
    return {f"{t}.{r}.{c}": v for t, rows in report["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


@pytest.fixture(scope="module")
def luding_truth() -> dict:
    """The text-layer PDF of the same report, read by the PDF reader: what the scan must give."""
    return _cells(parse_bytes((PDF / "luding-2024.pdf").read_bytes(), name="luding-2024.pdf").report)


# --- numbers: look-alikes mapped only inside number cells ------------------------------------


@pytest.mark.parametrize(
    "read, want",
    [("34", ("34", False)), ("204.92", ("204.92", False)), ("O", ("0", True)), ("D", ("0", True)),
     ("l5", ("15", True)), ("0.", ("0", True)), ("10-", ("10", True)), ("0:", ("0", True)), ("·21", ("21", True)), ("21·", ("21", True)),
     ("'o", ("0", True)), ("2 1", ("21", False))],
)
def test_a_number_cell_maps_look_alikes_and_says_so(read, want):
    assert ocr.number_text(read) == want


@pytest.mark.parametrize("read", ["其他", "行政许可", "OD其他", "Total", "第二十条第（一）项", ""])
def test_a_label_is_never_turned_into_a_number(read):
    assert ocr.number_text(read) is None


# --- the image side: deskew, grid, cell ink -----------------------------------------------------


def _ruled_page(angle: float) -> np.ndarray:
    """A white page with a 3×4 ruled table whose top row is one merged cell, rotated by ``angle``."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (1400, 2000), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [200, 500, 800, 1100, 1300], [300, 380, 460, 540]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        d.line([(x, ys[1] if x not in (xs[0], xs[-1]) else ys[0]), (x, ys[-1])], fill=0, width=3)
    for x in xs[:-1]:
        d.rectangle([x + 40, ys[1] + 25, x + 70, ys[1] + 55], fill=0)  # a blob of "text" per cell
    d.rectangle([200, 1000, 1200, 1030], fill=0)  # a line of prose
    return np.array(img.rotate(angle, fillcolor=255))


@pytest.mark.parametrize("angle", [-1.0, 0.4, 0.8])
def test_a_rotated_page_is_straightened(angle):
    ink = G.binarize(_ruled_page(angle))
    assert abs(G.estimate_skew(ink) - angle) <= 0.1


def test_the_grid_is_found_from_ruling_lines_with_merged_cells():
    ink = G.binarize(_ruled_page(0.0))
    (grid,) = G.find_grids(ink)
    assert len(grid.xs) == 5 and len(grid.ys) == 4
    rows = grid.rows()
    assert [len(r) for r in rows] == [1, 4, 4]  # the merged top row is one cell
    assert rows[0][0].cols == 4
    mask, origin = G.clean_ink(ink, rows[1][0].box)
    (box,) = G.ink_lines(mask)
    assert box[2] - box[0] in range(28, 36) and box[3] - box[1] in range(28, 36)


def test_dust_in_a_cell_is_not_text_but_a_decimal_point_is():
    ink = np.zeros((60, 200), np.uint8)
    cv2.putText(ink, "7.5", (60, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 255, 3)
    ink[8:10, 10:12] = 255  # a speck far from the text
    mask, _ = G.clean_ink(ink, (0, 0, 200, 60), inset=0, min_stroke=8)
    ys, xs = np.nonzero(mask)
    assert xs.min() >= 55  # the speck is gone
    assert mask.sum() > 0.95 * (ink[:, 40:].sum())  # the digits and the point are all kept


# --- flags: every OCR number suspect unless a balance rule confirms it --------------------------


def _as_ocr(doc: Document) -> ocr.OcrDocument:
    import re

    cells = [ocr.OcrCell(m.start(), m.end(), 0.99, m.group(), False) for m in re.finditer(r"(?<= \| )[\d.]+", doc.text)]
    return ocr.OcrDocument(text=doc.text, kind="pdf", structured_tables=True, pages=doc.pages,
                           ocr_ranges=[(0, len(doc.text))], ocr_cells=cells)


def test_ocr_values_are_suspect_unless_a_balance_rule_confirms_them():
    doc = read_pdf((PDF / "luding-2024.pdf").read_bytes())
    row = "7.属于行政执法案卷 | 3 | 0 | 0 | 0 | 0 | 0 | 3"
    assert row in doc.text
    broken = _as_ocr(doc)
    broken = _as_ocr(Document(text=doc.text.replace(row, row.replace("| 3 | 0", "| 8 | 0")), pages=doc.pages))  # 3 read as 8
    asm = assemble(broken, FORMAT_2021)
    ocr.annotate(asm, broken)
    flags = {p: v["flags"] for p, v in asm.provenance.items()}
    # nothing balances the active table: all its values are doubtful
    assert all(FLAG_OCR in flags[p] for p in flags if p.startswith("active.") and asm.tables["active"])
    # the misread cell: neither its row nor its column balances any more
    assert FLAG_OCR in flags["requests.denied_enforcement_files.natural_person"]
    # cells that a rule still confirms are not
    assert flags["requests.new_received.commercial"] == []
    assert flags["requests.denied_enforcement_files.total"] == []
    assert any("OCR" in w for w in asm.warnings)


def test_a_text_document_is_not_touched():
    doc = read_pdf((PDF / "luding-2024.pdf").read_bytes())
    asm = assemble(doc, FORMAT_2021)
    before = json.dumps(asm.provenance, sort_keys=True)
    ocr.annotate(asm, doc)
    assert json.dumps(asm.provenance, sort_keys=True) == before


def test_confidence_and_what_was_read_go_into_the_provenance():
    doc = read_pdf((PDF / "luding-2024.pdf").read_bytes())
    o = _as_ocr(doc)
    at = o.text.index("行政强制 | 76") + len("行政强制 | ")
    o.ocr_cells = [ocr.OcrCell(at, at + 2, 0.61, "7b", True)]
    asm = assemble(o, FORMAT_2021)
    ocr.annotate(asm, o)
    prov = asm.provenance["active.enforcement.decisions"]
    assert prov["confidence"] == 0.61 and prov["ocr_read"] == "7b" and FLAG_OCR in prov["flags"]


# --- without the extra -----------------------------------------------------------------------------


def test_without_the_extra_a_scan_says_which_extra_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ParseError) as exc:
        parse_bytes((PDF / "scan.pdf").read_bytes(), name="scan.pdf")
    assert "gipr-tui[ocr]" in str(exc.value) and "\n" not in str(exc.value)
    with pytest.raises(ParseError) as exc:
        parse_bytes((SCANS / "luding-2024-p2.png").read_bytes(), name="p2.png")
    assert "gipr-tui[ocr]" in str(exc.value) and "图片" in str(exc.value)


def test_a_broken_picture_is_a_clear_error():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
    with pytest.raises(ParseError) as exc:
        parse_bytes(png, name="broken.png")
    assert "图片" in str(exc.value)


def test_a_user_can_cancel_between_pages(monkeypatch):
    def cancel(done, total):
        if done >= 1:
            raise ocr.Cancelled()

    read = []
    monkeypatch.setattr(ocr, "recognise_page", lambda grey, n: read.append(n) or ocr._Page(n, 2000, 1400, []))
    imgs = [(1, _ruled_page(0.0)), (2, _ruled_page(0.0))]
    calls = []
    with ocr.reporting(lambda d, t: calls.append((d, t))):
        ocr._report(0, 2)
    assert calls == [(0, 2)]
    with ocr.reporting(cancel), pytest.raises(ParseError) as exc:
        ocr._recognise_all(imgs)
    assert exc.value.kind == "cancelled" and read == [1]  # page 2 never started


# --- the engine on scans ---------------------------------------------------------------------------


@needs_engine
@pytest.mark.slow
def test_an_image_only_pdf_reads_like_its_text_version(luding_truth):
    """Pages 3-4 of the luding PDF as a 200 dpi scan: tables 三 (over the page
    break) and 四 read as the text-layer PDF reads them; progress reported."""
    seen = []
    with ocr.reporting(lambda d, t: seen.append((d, t))):
        parsed = parse_bytes((SCANS / "luding-2024-scan.pdf").read_bytes(), name="scan.pdf")
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    report = parsed.report
    got = _cells(report)
    paths = [p for p in got if p.startswith(("requests.", "reviews."))]
    wrong = [p for p in paths if got[p] != luding_truth[p]]
    assert not wrong, wrong
    for p in paths:
        assert 0 < report["provenance"][p]["confidence"] <= 1
        span = report["provenance"][p]["span"]
        assert parsed.text[span[0]:span[1]] == str(got[p])
    assert "=== 第 2 页 ===" in parsed.text and CELL_SEP in parsed.text


def _no_network_prelude() -> str:
    return (
        "import socket\n"
        "def _refuse(*a, **k):\n"
        "    raise OSError('network access refused by the test')\n"
        "socket.socket.connect = _refuse\n"
        "socket.socket.connect_ex = _refuse\n"
        "socket.create_connection = _refuse\n"
        "socket.getaddrinfo = _refuse\n"
    )


@needs_engine
@pytest.mark.slow
def test_a_photo_is_read_with_the_network_refused(tmp_path, luding_truth):
    """`extract --json` on a photo of page 2 (table 二) in a process whose
    sockets all refuse: it works, and nothing tried to connect."""
    script = tmp_path / "run.py"
    script.write_text(
        _no_network_prelude()
        + "import sys\nsys.argv = ['gipr-tui', 'extract', '--json', sys.argv[1]]\n"
        + "from tui.cli import main\nsys.exit(main())\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    proc = subprocess.run([sys.executable, str(script), str(SCANS / "luding-2024-p2.png")], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "refused" not in proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["source"]["format"] == "image"
    got = _cells(report)
    active = [p for p in got if p.startswith("active.")]
    assert [got[p] for p in active] == [luding_truth[p] for p in active]
    # nothing balances table 二: every value is flagged for the auditor to look at
    assert all(FLAG_OCR in report["provenance"][p]["flags"] for p in active)


@needs_engine
@pytest.mark.slow
def test_a_picture_page_inside_a_text_pdf_is_recognised_in_place(luding_truth):
    """luding-2024.pdf with its page 3 replaced by a scan of it."""
    import pypdfium2 as pdfium

    sys.path.insert(0, str(SCANS))
    from make_scans import Variant, scan_pages

    src = (PDF / "luding-2024.pdf").read_bytes()
    (img,) = scan_pages(src, Variant("page", dpi=200, angle=0.5, seed=5), [3])
    jpg = Path(os.environ.get("TMPDIR", "/tmp")) / f"gipr-ocr-page-{os.getpid()}.jpg"
    img.save(jpg, "JPEG", quality=60)
    try:
        original = pdfium.PdfDocument(src)
        w, h = original[2].get_size()
        pdf = pdfium.PdfDocument.new()
        pdf.import_pages(original, [0, 1])
        page = pdf.new_page(w, h)
        pic = pdfium.PdfImage.new(pdf)
        pic.load_jpeg(str(jpg))
        pic.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page.insert_obj(pic)
        page.gen_content()
        pdf.import_pages(original, [3])
        out = io.BytesIO()
        pdf.save(out)
        data = out.getvalue()
    finally:
        jpg.unlink(missing_ok=True)
    parsed = parse_bytes(data, name="mixed.pdf")
    assert ocr.OCR_PAGE in parsed.text
    got = _cells(parsed.report)
    # the active table (page 2, text) is read plainly; table 三 came from the picture
    assert parsed.report["provenance"]["active.licensing.decisions"]["flags"] == []
    assert got["requests.new_received.total"] == luding_truth["requests.new_received.total"]
    assert "confidence" in parsed.report["provenance"]["requests.new_received.total"]


@needs_engine
@pytest.mark.slow
def test_the_real_report_as_a_scan_meets_the_bar():
    """The hongze report (../shared/corpus) rendered as a 200 dpi scan: ≥ 98 %
    of the hand-checked cells right, none silently wrong, organ and year read."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import ocr_scans

    if ocr_scans.shared() is None:
        pytest.skip("../shared/corpus is not here")
    sys.path.insert(0, str(SCANS))
    from make_scans import VARIANTS

    pdf, truth = ocr_scans.hongze()
    v = next(v for v in VARIANTS if v.name == "200dpi-0.8deg")
    report, _took = ocr_scans.run_variant(v, pdf)
    r = ocr_scans.score(report, truth)
    assert r["SILENT"] == 0, r["bad"]
    assert r["ok"] >= 0.98 * r["total"], r["bad"]
    assert report["meta"]["organ"] == "洪泽区人民政府" and report["meta"]["year"] == 2023


@needs_engine
@pytest.mark.slow
def test_a_scan_is_recognised_once(tmp_path, monkeypatch):
    """The store keeps parsed reports by the file's sha256: importing the same
    scan again does not run OCR again."""
    from store import AuditStore

    calls = []
    real = ocr.recognise_page
    monkeypatch.setattr(ocr, "recognise_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    scan = tmp_path / "p2.png"
    scan.write_bytes((SCANS / "luding-2024-p2.png").read_bytes())
    db = AuditStore.open(tmp_path / "audit.json")
    try:
        first = db.import_file(scan)
        assert first.status == "new" and calls == [1]
        copy = tmp_path / "copy of p2.png"
        copy.write_bytes(scan.read_bytes())
        again = db.import_file(copy)
        assert again.status == "unchanged" and calls == [1]
    finally:
        db.close()


def test_a_value_read_from_a_line_of_text_stays_doubtful_even_when_it_balances():
    """A table without ruling lines comes out as lines of text: the assembler
    placed its values, no ruled cell did, so a balance rule cannot clear them."""
    doc = read_pdf((PDF / "luding-2024.pdf").read_bytes())
    o = ocr.OcrDocument(text=doc.text, kind="pdf", pages=doc.pages, ocr_ranges=[(0, len(doc.text))], ocr_cells=[])
    asm = assemble(o, FORMAT_2021)
    ocr.annotate(asm, o)
    read = [p for p, v in _cells({"tables": asm.tables}).items() if v is not None]
    assert read and all(FLAG_OCR in asm.provenance[p]["flags"] for p in read)
