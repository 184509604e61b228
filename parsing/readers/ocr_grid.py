"""Page images → straightened page, ruled table grids and the ink of each cell.

The image side of the OCR reader (``parsing.readers.ocr``), with no OCR engine in it:
numpy and OpenCV only (both come with the ``ocr`` extra).

- ``binarize``: ink as 255 on 0, by a local threshold (scans are never evenly lit).
- ``estimate_skew``/``rotate``: the page straightened by the angle that makes
  its ink rows (text lines and ruling lines) sharpest.
- ``find_grids``: the ruled tables: horizontal and vertical ruling lines,
  the slots between them, slots merged where no line separates them (merged
  cells), each table a ``Grid`` of ``GridCell`` boxes.
- ``ink_lines``: a cell's text as tight boxes, one per printed line (one per
  character in a vertical label), without the dust of the scan.

Coordinates are pixels of the straightened page, ``(x0, y0, x1, y1)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

Box = tuple[int, int, int, int]


@dataclass
class GridCell:
    row: int  # the first grid row the cell covers
    col: int  # the first grid column
    rows: int  # how many grid rows it spans
    cols: int
    box: Box


@dataclass
class Grid:
    box: Box
    xs: list[int]  # the column boundaries, left to right
    ys: list[int]  # the row boundaries, top to bottom
    cells: list[GridCell] = field(default_factory=list)

    def rows(self) -> list[list[GridCell]]:
        """The cells by the grid row they start in, left to right."""
        out: list[list[GridCell]] = [[] for _ in range(len(self.ys) - 1)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out


# --- ink ----------------------------------------------------------------------------


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink (dark on paper) as 255, paper as 0."""
    block = max(15, (min(grey.shape) // 40) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 18)


def estimate_skew(ink: np.ndarray, limit: float = 3.0) -> float:
    """The page's rotation in degrees (counter-clockwise positive, as PIL's
    ``rotate``): the angle whose un-rotation makes the ink's row profile
    sharpest, i.e. text lines and ruling lines horizontal."""
    h, w = ink.shape
    f = 800 / max(h, w)
    small = cv2.resize(ink, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else ink
    small = small.astype(np.float32)

    def score(angle: float) -> float:
        rows = rotate(small, -angle, fill=0).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=score)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    best = max(np.arange(best - 0.05, best + 0.05 + 1e-9, 0.01), key=score)
    return round(float(best), 2)


def rotate(img: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    """``img`` rotated by ``angle`` degrees counter-clockwise about its centre, same size."""
    if abs(angle) < 1e-3:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


# --- ruling lines and grids ----------------------------------------------------------


@dataclass
class _Lines:
    horizontal: np.ndarray  # mask of horizontal ruling lines
    vertical: np.ndarray


def _ruling_lines(ink: np.ndarray) -> _Lines:
    h, w = ink.shape
    # longer than a few characters side by side (their strokes in one row are
    # not a line), shorter than the narrowest cells' borders
    kw = max(20, w // 12)
    kh = max(12, h // 40)
    # close the 1-pixel gaps a blurred, thresholded line may have
    hor = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    hor = cv2.morphologyEx(hor, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kw, 1)))
    ver = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    ver = cv2.morphologyEx(ver, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, kh)))
    return _Lines(hor, ver)


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[int, int, int]]:
    """Connected line pieces as (position across, start, end along)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if horizontal:
            out.append((int(y + bh // 2), int(x), int(x + bw)))
        else:
            out.append((int(x + bw // 2), int(y), int(y + bh)))
    return out


def _cluster(positions: list[tuple[int, int]], tol: int) -> list[tuple[int, int, int]]:
    """Positions (value, weight) within ``tol`` of each other → (weighted
    centre, lowest, highest): one ruling line drawn in pieces a little apart
    (a line of a merged cell drawn a few points off the others) is one line."""
    out: list[tuple[int, int, int]] = []
    group: list[tuple[int, int]] = []

    def close() -> None:
        centre = round(sum(v * wt for v, wt in group) / max(1, sum(wt for _, wt in group)))
        out.append((centre, group[0][0], group[-1][0]))

    for p in sorted(positions):
        if group and p[0] - group[-1][0] > tol:
            close()
            group = []
        group.append(p)
    if group:
        close()
    return out


def _coverage(mask: np.ndarray, horizontal: bool, line: tuple[int, int, int], a: int, b: int, pad: int = 3) -> float:
    """Share of the stretch a..b (along) of the ``line`` (centre, lowest,
    highest position across) that the line mask covers."""
    if b - a < 4:
        return 0.0
    lo, hi = line[1] - pad, line[2] + pad + 1
    if horizontal:
        band = mask[max(0, lo) : hi, a:b]
        return float((band.max(axis=0) > 0).mean()) if band.size else 0.0
    band = mask[a:b, max(0, lo) : hi]
    return float((band.max(axis=1) > 0).mean()) if band.size else 0.0


def find_grids(ink: np.ndarray) -> list[Grid]:
    """The ruled tables on a straightened page, top to bottom."""
    lines = _ruling_lines(ink)
    h, w = ink.shape
    both = cv2.dilate(lines.horizontal | lines.vertical, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, bw, bh, _a = stats[i]
        if bw < w // 5 or bh < max(20, h // 60):
            continue
        grid = _grid(lines, (int(x), int(y), int(x + bw), int(y + bh)))
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.box[1])


def _grid(lines: _Lines, region: Box) -> Grid | None:
    x0, y0, x1, y1 = region
    hor = np.zeros_like(lines.horizontal)
    ver = np.zeros_like(lines.vertical)
    hor[y0:y1, x0:x1] = lines.horizontal[y0:y1, x0:x1]
    ver[y0:y1, x0:x1] = lines.vertical[y0:y1, x0:x1]
    hsegs = _segments(hor, True)
    vsegs = _segments(ver, False)
    if len(hsegs) < 2:
        return None
    tol = max(6, lines.horizontal.shape[0] // 170)
    ycl = _cluster([(s[0], s[2] - s[1]) for s in hsegs], tol=tol)
    xcl = _cluster([(s[0], s[2] - s[1]) for s in vsegs], tol=tol)
    # a table drawn without its outer sides: its edges are where its lines end
    left, right = min(s[1] for s in hsegs), max(s[2] for s in hsegs)
    if not xcl or xcl[0][0] - left > 12:
        xcl.insert(0, (left, left, left))
    if xcl[-1][0] < right - 12:
        xcl.append((right, right, right))
    if vsegs:
        top, bottom = min(s[1] for s in vsegs), max(s[2] for s in vsegs)
        if ycl[0][0] - top > 12:
            ycl.insert(0, (top, top, top))
        if ycl[-1][0] < bottom - 12:
            ycl.append((bottom, bottom, bottom))
    xcl = _drop_close(xcl, 8)
    ycl = _drop_close(ycl, 8)
    if len(xcl) < 2 or len(ycl) < 2:
        return None
    xs, ys = [c[0] for c in xcl], [c[0] for c in ycl]
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(nr):
        ya, yb = ys[r], ys[r + 1]
        m = max(2, (yb - ya) // 5)
        for c in range(nc - 1):
            if _coverage(lines.vertical, False, xcl[c + 1], ya + m, yb - m) < 0.6:
                union(r * nc + c, r * nc + c + 1)
    for c in range(nc):
        xa, xb = xs[c], xs[c + 1]
        m = max(2, (xb - xa) // 5)
        for r in range(nr - 1):
            if _coverage(lines.horizontal, True, ycl[r + 1], xa + m, xb - m) < 0.6:
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        r0, r1 = min(s[0] for s in slots), max(s[0] for s in slots)
        c0, c1 = min(s[1] for s in slots), max(s[1] for s in slots)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return Grid((xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells)


def _drop_close(values: list[tuple[int, int, int]], gap: int) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for v in sorted(values):
        if out and v[0] - out[-1][0] < gap:
            p = out[-1]
            out[-1] = (p[0], min(p[1], v[1]), max(p[2], v[2]))
            continue
        out.append(v)
    return out


# --- the ink of one cell -------------------------------------------------------------


def clean_ink(ink: np.ndarray, box: Box, inset: int = 3, min_stroke: int = 6) -> tuple[np.ndarray, tuple[int, int]]:
    """The ink inside ``box`` (inset past its ruling lines) without dust and
    line remnants; returns the mask and its origin on the page. A stroke is at
    least ``min_stroke`` pixels long (less is dust, unless it sits inside the
    text: a decimal point)."""
    x0, y0, x1, y1 = box
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 3 or y1 - y0 < 3:
        return np.zeros((1, 1), np.uint8), (x0, y0)
    sub = ink[y0:y1, x0:x1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    hh, ww = sub.shape
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        edge = x <= 1 or y <= 1 or x + bw >= ww - 1 or y + bh >= hh - 1
        thin = (bw >= 6 * bh and bh <= 4 and bw >= 0.4 * ww) or (bh >= 6 * bw and bw <= 4 and bh >= 0.7 * hh)
        if edge and (thin or bw >= ww - 3 or bh >= hh - 3):
            continue  # a piece of the ruling line
        keep[i] = area >= 3
    if not keep.any():
        return np.zeros((1, 1), np.uint8), (x0, y0)
    # strokes: components of a size like the cell's largest ones; dust is small
    tall = max(int(stats[i][3]) for i in range(1, n) if keep[i])
    heavy = max(int(stats[i][4]) for i in range(1, n) if keep[i])
    big = np.zeros(n, bool)
    for i in range(1, n):
        if keep[i]:
            _x, _y, bw, bh, area = stats[i]
            big[i] = max(bw, bh) >= max(min_stroke, 0.3 * tall) and area >= max(14, 0.05 * heavy)
    if not big.any():
        return np.zeros((1, 1), np.uint8), (x0, y0)
    # a small mark counts only right beside a stroke on its line (a decimal
    # point, a comma, 、), never on its own in the cell (dust)
    strokes = [stats[i] for i in range(1, n) if big[i]]
    near = max(4, 0.4 * tall)
    for i in range(1, n):
        if keep[i] and not big[i]:
            x, y, bw, bh, _a = stats[i]
            keep[i] = any(
                y + bh >= sy - 2 and y <= sy + sh + 2 and x - (sx + sw) <= near and sx - (x + bw) <= near
                for sx, sy, sw, sh, _sa in strokes
            )
    mask = np.where(keep[labels], 255, 0).astype(np.uint8)
    return mask, (x0, y0)


def ink_lines(mask: np.ndarray) -> list[Box]:
    """The printed lines of a cleaned cell mask, as tight boxes (mask
    coordinates), top to bottom. A tall narrow block of ink is vertical text:
    one box per character."""
    ys = np.flatnonzero(mask.any(axis=1))
    if ys.size == 0:
        return []
    xs = np.flatnonzero(mask.any(axis=0))
    width = int(xs[-1] - xs[0] + 1)
    runs = _runs(mask.any(axis=1))
    heights = [b - a for a, b in runs]
    tallest = max(heights)
    vertical = (ys[-1] - ys[0] + 1) > 2.5 * width and width <= 2 * _typical(heights)
    limit = 1.15 * width if vertical else 1.35 * tallest
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and (b - merged[-1][0]) <= limit and (
            vertical or (b - a) < 0.5 * tallest or (merged[-1][1] - merged[-1][0]) < 0.5 * tallest
        ):
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out = []
    for a, b in merged:
        cols = np.flatnonzero(mask[a:b].any(axis=0))
        out.append((int(cols[0]), int(a), int(cols[-1] + 1), int(b)))
    return out


def _typical(heights: list[int]) -> float:
    return float(np.median(heights)) if heights else 0.0


def _runs(filled: np.ndarray) -> list[tuple[int, int]]:
    out = []
    start = None
    for i, v in enumerate(filled):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(filled)))
    return out


# --- prose ---------------------------------------------------------------------------


def prose_boxes(ink: np.ndarray, min_stroke: int) -> list[Box]:
    """Lines of text outside the tables (``ink`` with the tables already
    blanked), as boxes: a line's pieces far apart (more than one and a half
    line heights: the columns of a table without ruling lines) are separate boxes. Dust does not make a line."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = max(4, int(min_stroke * 0.6))
    big = np.zeros(n, bool)
    big[1:] = (np.maximum(stats[1:, 2], stats[1:, 3]) >= small) & (stats[1:, 4] >= 10)
    strokes = np.where(big[labels], 255, 0).astype(np.uint8)
    boxes = []
    for a, b in _runs(strokes.any(axis=1)):
        if b - a < min_stroke:
            continue
        band = strokes[a:b]
        segs = _runs(band.any(axis=0))
        gap = 1.5 * (b - a)  # wider than a space between words: the next column of a borderless table
        merged: list[list[int]] = []
        for s0, s1 in segs:
            if merged and s0 - merged[-1][1] <= gap:
                merged[-1][1] = s1
            else:
                merged.append([s0, s1])
        for s0, s1 in merged:
            rows = np.flatnonzero(band[:, s0:s1].any(axis=1))
            boxes.append((int(s0), int(a + rows[0]), int(s1), int(a + rows[-1] + 1)))
    return boxes


def ink_crop(grey: np.ndarray, mask: np.ndarray, origin: tuple[int, int], box: Box) -> np.ndarray:
    """The grey pixels of one text box (``box`` in ``mask`` coordinates) with
    everything that is not kept ink painted white, on a white margin: what
    the recogniser reads."""
    ox, oy = origin
    x0, y0, x1, y1 = box
    sub = grey[oy + y0 : oy + y1, ox + x0 : ox + x1]
    keep = cv2.dilate(mask[y0:y1, x0:x1], np.ones((3, 3), np.uint8)) > 0
    out = np.where(keep, sub, 255).astype(np.uint8)
    h = y1 - y0
    pad = max(4, h // 4)
    return cv2.copyMakeBorder(out, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
