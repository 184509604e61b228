"""Test reports built from the hand-checked golden/corpus values, so rule tests
do not depend on the parser: a golden file + its source text → a gipr/1 report
dict with provenance (empty flags; the golden's ``damaged`` cells flagged the
way a careful parser would: ``inferred`` when a value is given, ``missing``
when it is null)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from parsing import schema
from tests.conftest import CORPUS, GOLDEN, SAMPLES

SOURCES = {
    **{p.stem: (p, SAMPLES / f"{p.stem}.txt") for p in GOLDEN.glob("*.json")},
    "pingtan-2023-crawler-glued": (CORPUS / "pingtan-2023-crawler-glued.json", CORPUS / "pingtan-2023-crawler-glued.txt"),
    "jiarongli-2021-web-excerpt-truncated": (
        CORPUS / "jiarongli-2021-web-excerpt-truncated.json",
        CORPUS / "jiarongli-2021-web-excerpt-truncated.txt",
    ),
}
SAMPLE_STEMS = sorted(p.stem for p in GOLDEN.glob("*.json"))


def from_golden(golden: dict, text: str, path: str = "golden") -> dict:
    fmt = golden["meta"].get("format") or schema.FORMAT_2021
    damaged = set(golden.get("damaged") or [])
    tables = copy.deepcopy(golden["tables"])
    provenance = {}
    for p in schema.cell_paths(fmt):
        value = schema.get_cell({"tables": tables}, p)
        flags = []
        if p in damaged:
            flags = [schema.FLAG_INFERRED] if value is not None else [schema.FLAG_MISSING]
        elif value is None:
            flags = [schema.FLAG_MISSING]
        provenance[p] = {"raw": "" if value is None else str(value), "span": None, "flags": flags}
    meta = {"title": None, "organ": None, "year": None, "published": None, "format": fmt}
    meta.update(golden["meta"])
    return {
        "schema": schema.SCHEMA,
        "source": {"path": path, "sha256": "", "format": "text"},
        "meta": meta,
        "tables": tables,
        "provenance": provenance,
        "extra_cells": {},
        "notes": [],
        "sections": [],
        "warnings": [],
    }


def load(stem: str) -> tuple[dict, str]:
    """(report, text) for a sample or corpus stem."""
    gold_path, text_path = SOURCES[stem]
    golden = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    text = Path(text_path).read_text(encoding="utf-8")
    return from_golden(golden, text, str(text_path)), text


def set_cell(report: dict, path: str, value) -> dict:
    """A copy of ``report`` with one cell changed."""
    out = copy.deepcopy(report)
    table, row, col = schema.split_path(path)
    out["tables"][table][row][col] = value
    return out


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


def rules(findings: list[dict], severity: str | None = None) -> set[str]:
    return {f["rule"] for f in findings if severity is None or f["severity"] == severity}
