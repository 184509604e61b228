"""One owner per vocabulary (issue 12, "Vocabularies once").

Severities, finding review states, report statuses: each is written down once,
in the module that owns it, and every other module reads it from there (the
copies had drifted: a pending finding was 待审 on screen and 未复核 in the
export). A vocabulary is "defined" where a dict, tuple, list or set literal
holds two or more of its words; this test scans the packages' source (not the
tests) and fails when such a literal appears anywhere but in the owner module,
so the next copy is caught when it is written, not when it has drifted. The
Chinese names and the review decision codes may not even be spelled alone
elsewhere (``status != "已完成"``, ``UNREVIEWED = "未复核"``): code reads the
owner's constant. Severity codes ("error", …) are the findings' JSON values
(docs/CLI.md) and may be compared with; only their tables are the owner's.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("parsing", "checks", "store", "tui")

# name → (its words, the one module allowed to spell two or more of them in a literal)
VOCABULARIES = {
    "severity codes": ({"error", "warning", "info"}, "checks/severities.py"),
    "severity labels": ({"错误", "警告", "提示"}, "checks/severities.py"),
    "review decision codes": ({"confirmed", "waived", "resolved"}, "store/vocabulary.py"),
    "review labels": ({"待审", "未复核", "已确认", "已豁免", "已解决", "已撤销复核"}, "store/vocabulary.py"),
    "report statuses": ({"未审核", "审核中", "已完成"}, "store/vocabulary.py"),
    # a cell's provenance flags: codes in the gipr/1 schema, Chinese words in the app's cell module
    "flag codes": ({"corrected", "missing", "ocr_suspect", "split_ambiguous", "inferred"}, "parsing/model/schema.py"),
    "flag names": ({"已更正", "原文缺失", "疑似识别错误", "拆分不确定", "推算得出"}, "tui/widgets/cells.py"),
    "flag short names": ({"更正", "缺失", "疑似误识", "拆分存疑", "推算"}, "tui/widgets/cells.py"),
}


def _strings(node: ast.AST) -> list[str]:
    """The string constants a literal holds directly (a dict's keys and values)."""
    if isinstance(node, ast.Dict):
        items = [*node.keys, *node.values]
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = node.elts
    else:
        return []
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def definitions(source: str, words: set[str]) -> list[int]:
    """Line numbers of the literals in ``source`` holding two or more of ``words``."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if len(words & set(_strings(node))) >= 2]


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


# Owned as named constants (FLAG_CORRECTED = "corrected" …), not as one literal: only the spelling test applies.
AS_CONSTANTS = {"flag codes"}


@pytest.mark.parametrize("name", sorted(set(VOCABULARIES) - AS_CONSTANTS))
def test_each_vocabulary_is_defined_once_by_its_owner(name):
    words, owner = VOCABULARIES[name]
    found = {rel: lines for rel, text in _sources() if (lines := definitions(text, words))}
    copies = {rel: lines for rel, lines in found.items() if rel != owner}
    assert not copies, f"{name} defined outside {owner} (read it from the owner instead): {copies}"
    assert owner in found, f"{name}: the owner {owner} no longer defines it"
    assert len(found[owner]) == 1, f"{name} defined twice inside {owner}: lines {found[owner]}"


# Words no module but the owner spells out, even alone.
SPELLED_ONLY_BY_OWNER = ("severity labels", "review decision codes", "review labels", "report statuses",
                        "flag codes", "flag names")


def spellings(source: str, words: set[str]) -> list[int]:
    """Line numbers of string constants that are exactly one of ``words`` (prose containing one is fine)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in words]


@pytest.mark.parametrize("name", SPELLED_ONLY_BY_OWNER)
def test_the_words_are_read_from_the_owner(name):
    words, owner = VOCABULARIES[name]
    found = {rel: lines for rel, text in _sources() if rel != owner and (lines := spellings(text, words))}
    assert not found, f"{name} spelled outside {owner} (use the owner's constant): {found}"


def test_the_scan_sees_a_copy():
    """The detector itself: a renamed copy is still a copy; one word alone (prose) is not."""
    words = VOCABULARIES["severity labels"][0]
    assert definitions('NAMES = {"error": "错误", "warning": "警告"}\n', words) == [1]
    assert definitions('x = ("errors", "错误")\nsay("没有错误")\n', words) == []
    assert spellings('x = ("errors", "错误")\nsay(f"没有错误 {n}")\n', words) == [1]
