"""Terminal safety: every string from a document, a file name, the database or
a lock file passes through here before it reaches Rich or Textual.

Nothing is obeyed, everything stays visible, one character for one (the
source pane's offsets index the text): a C0 control shows as its Unicode
control picture (ESC as ␛, so ``ESC ] 52`` cannot write the clipboard nor
``ESC [ 2J`` clear the screen), DEL as ␡, a C1 control as ⍰, a bidirectional
override, embedding, isolate or mark as ⇄ (a terminal that does bidi would
otherwise reorder what the auditor reads). All of these are of unambiguous
single width. Tab and newline stay in ``safe_block``; ``safe`` is for one-line
places (table cells, notifications, the status bar) and makes them spaces.

The parser already cleans a document's text once (``parsing.model.document``);
this is the second line: databases written before that, file names, user
input, and whatever a future reader forgets.
"""

from __future__ import annotations

import json
import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_MARK = "⇄"
C1_MARK = "⍰"

_BLOCK = {c: 0x2400 + c for c in range(0x20)}
_BLOCK[0x7F] = 0x2421  # ␡
_BLOCK.update({c: ord(C1_MARK) for c in range(0x80, 0xA0)})
_BLOCK.update({ord(c): ord(BIDI_MARK) for c in BIDI_CONTROLS})
# Line breaks other than "\n" would split a line in a widget: one space each.
_BLOCK.update({ord(c): 0x20 for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
del _BLOCK[0x09], _BLOCK[0x0A]

_LINE = dict(_BLOCK)
_LINE.update({0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20})

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029]")


def safe(value) -> str:
    """One line for the screen: controls and bidi overrides as visible marks,
    tab and newline as spaces (same length as ``str(value)``)."""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_LINE) if UNSAFE.search(text) else text


def safe_block(value) -> str:
    """Like ``safe`` but keeps tab and newline (several lines, same length)."""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_BLOCK) if UNSAFE.search(text) else text


def is_safe(text: str, *, lines: bool = True) -> bool:
    """True when ``text`` holds nothing a terminal would obey (tab and newline allowed with ``lines``)."""
    found = UNSAFE.findall(text)
    return all(lines and c in "\t\n" for c in found)


def safe_json(line: str) -> str:
    """JSON text with the characters ``json.dumps(ensure_ascii=False)`` leaves raw
    but a terminal may obey (DEL, C1 controls, bidi overrides, line separators)
    written as ``\\uXXXX`` escapes: the same JSON value, nothing obeyed."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def dumps(value, **kwargs) -> str:
    """``json.dumps(value, ensure_ascii=False)`` made terminal-safe by ``safe_json``."""
    return safe_json(json.dumps(value, ensure_ascii=False, **kwargs))
