"""Operating-system errors in Chinese: ``[Errno 2] No such file or directory: 'x'``
becomes ``x：文件或文件夹不存在``."""

from __future__ import annotations

import errno

REASONS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "文件已存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.EIO: "读写出错（输入/输出错误）",
    errno.EBUSY: "文件正被占用",
    errno.EINVAL: "参数无效",
    errno.ELOOP: "符号链接循环",
    errno.EXDEV: "不能跨文件系统移动",
}
if hasattr(errno, "EDQUOT"):
    REASONS[errno.EDQUOT] = "超出磁盘配额"


def describe(e: BaseException) -> str:
    """One Chinese line for an OSError (its file name kept); other errors as they are."""
    if not isinstance(e, OSError):
        return str(e)
    reason = REASONS.get(e.errno or -1)
    if reason is None:
        reason = f"系统错误（{e.strerror or type(e).__name__}）" if e.strerror else f"系统错误（{e}）"
    name = e.filename
    if name is not None and e.filename2 is not None:
        return f"{name} → {e.filename2}：{reason}"
    return f"{name}：{reason}" if name is not None else reason


def _english_reasons() -> list[tuple[str, str]]:
    """(the C library's English text, Chinese) for every errno we name, longest first."""
    import os

    pairs = []
    for code, chinese in REASONS.items():
        try:
            english = os.strerror(code)
        except ValueError:  # pragma: no cover
            continue
        if english and not english.startswith("Unknown error"):
            pairs.append((english, chinese))
    return sorted(pairs, key=lambda p: -len(p[0]))


_PAIRS: list[tuple[str, str]] | None = None


def localise(message: str) -> str:
    """A message that quotes an operating-system error in English (``无法读取文件：Permission
    denied``) with the reason in Chinese; ``[Errno N]`` prefixes dropped."""
    global _PAIRS
    if _PAIRS is None:
        _PAIRS = _english_reasons()
    import re

    text = re.sub(r"\[Errno -?\d+\]\s*", "", str(message))
    for english, chinese in _PAIRS:
        if english in text:
            text = text.replace(english, chinese)
    return text
