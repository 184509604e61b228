"""Which files are reports: the one list of report file suffixes, and folders
walked for them. ``gipr-tui check`` and the app's import both find files here,
so they pick exactly the same files from the same folder.

- ``REPORT_SUFFIXES``: the names of files this parser reads (``parse_file``
  decides by content; the name only decides which files of a folder are
  tried). Old Word (.doc/.wps) is included so that the user hears what to do
  with it; pictures of pages are recognised by OCR (``parsing.readers.ocr``), slowly.
- ``find_reports(paths)``: a file named explicitly is always tried; a folder
  is walked recursively, in a stable (sorted) order, for files with a report
  suffix. Skipped: hidden files and folders, README/LICENSE and the like, and
  the ``NAME_files`` folder a browser saves beside ``NAME.html`` (its logos
  and banners are not reports). Symlinked folders are not followed (no loop,
  no walk out of the folder); a symlinked file is tried. Nothing is opened
  here, only listed: a FIFO or a device named like a report is listed and
  then refused by ``read_source`` without waiting on it.
"""

from __future__ import annotations

import os
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
WEB_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
WORD_SUFFIXES = (".docx", ".doc", ".wps")
# Pictures of a page, read by OCR (readers.decode.sniff knows them by content; GIF,
# which it also knows, is left out: in a folder it is a logo or an animation).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
REPORT_SUFFIXES = frozenset(TEXT_SUFFIXES + WEB_SUFFIXES + (".pdf",) + WORD_SUFFIXES + IMAGE_SUFFIXES)
# Names that sit beside reports in a folder and are never reports themselves.
NOT_REPORTS = frozenset({"readme", "license", "licence", "changelog", "notice"})
# What a browser's "save page" puts beside NAME.html: NAME_files/ (Chrome,
# Firefox, Edge) or NAME.files/ (some Chinese browsers).
_SAVED_PAGE_FOLDERS = ("_files", ".files")

NOT_FOUND = "文件或文件夹不存在"
NOT_REGULAR = "不是普通文件"


def is_report_name(name: str) -> bool:
    """True when a file of this name in a folder is taken for a report."""
    stem, suffix = os.path.splitext(name)
    return not name.startswith(".") and suffix.lower() in REPORT_SUFFIXES and stem.lower() not in NOT_REPORTS


def find_reports(paths) -> tuple[list[str], list[tuple[str, str]]]:
    """(report files in a stable order, each once; [(path, why)] for what cannot
    be used: a path that does not exist, one that is neither a file nor a
    folder, a folder that cannot be listed)."""
    files: list[str] = []
    bad: list[tuple[str, str]] = []
    for arg in paths:
        arg = os.fspath(arg)
        p = Path(arg)
        try:
            if p.is_dir():
                files += _walk(str(p), bad)
            elif p.is_file():
                files.append(str(p))
            elif p.exists():
                bad.append((arg, NOT_REGULAR))
            else:
                bad.append((arg, NOT_FOUND))
        except (OSError, ValueError) as e:  # a name too long, holding a NUL byte …
            bad.append((arg, _why(e)))
    return list(dict.fromkeys(files)), bad


def _walk(folder: str, bad: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []

    def unlistable(e: OSError) -> None:  # a folder not readable is said, not silently passed over
        bad.append((e.filename or folder, _why(e)))

    for root, dirs, names in os.walk(folder, onerror=unlistable):  # symlinked folders not followed
        pages = {os.path.splitext(n)[0] for n in names if os.path.splitext(n)[1].lower() in WEB_SUFFIXES}
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _saved_page_assets(d, pages))
        out += [os.path.join(root, name) for name in sorted(names) if is_report_name(name)]
    return out


def _saved_page_assets(folder: str, pages: set[str]) -> bool:
    return any(folder.endswith(tail) and folder[: -len(tail)] in pages for tail in _SAVED_PAGE_FOLDERS)


def _why(e: Exception) -> str:
    if isinstance(e, PermissionError):
        return "无法读取文件夹：没有权限"
    if isinstance(e, ValueError):
        return "路径中含有空字符，无法打开"
    return f"无法读取：{getattr(e, 'strerror', None) or e}"
