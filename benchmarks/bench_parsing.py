"""Parsing speed: each sample through ``parse_bytes`` (target ≤ 5 ms median),
the table assembler alone, and 1 MB inputs (target well under a second),
including crawler text that is one huge line.

Label-match and line-shape caches are cleared before every run, so a repeat measures a first
parse, not a cache hit."""

from __future__ import annotations

from pathlib import Path

from parsing import ParseError, parse_bytes
from parsing.api import read_document
from parsing.layout.assemble import assemble
from parsing.layout.labels import match_active_label, match_request_label
from parsing.layout.tokens import clear_line_cache

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_reports").glob("*.txt"))
GLUED = ROOT / "tests" / "fixtures" / "corpus" / "pingtan-2023-crawler-glued.txt"


def _cold() -> None:
    match_request_label.cache_clear()
    match_active_label.cache_clear()
    clear_line_cache()


def _parse_runner(data: bytes):
    def go():
        _cold()
        try:
            parse_bytes(data)
        except ParseError:
            pass

    return go


def _register_sample(path: Path) -> None:
    @benchmark(f"parsing.sample.{path.stem}", floor="python", ratio=1.5, repeat=30, unit="ms", target=5.0, note="parse_bytes, median")
    def bench():
        return _parse_runner(path.read_bytes())


for _path in SAMPLES + [GLUED]:
    _register_sample(_path)


@benchmark("parsing.warm.luding", floor="python", ratio=1.5, repeat=30, unit="ms", target=5.0,
           note="parse_bytes with label and line caches kept (as in check workers after the first reports)")
def warm_luding():
    data = (ROOT / "sample_reports" / "2024-luding-county.txt").read_bytes()
    parse_bytes(data)
    return lambda: parse_bytes(data)


@benchmark("parsing.assemble_only.luding", repeat=30, unit="ms", note="assemble() on a decoded document")
def assemble_only():
    doc = read_document((ROOT / "sample_reports" / "2024-luding-county.txt").read_bytes())

    def go():
        _cold()
        assemble(doc, "2021")

    return go


def _megabyte(text: str) -> bytes:
    raw = text.encode("utf-8")
    return (raw * (1_000_000 // len(raw) + 1))[:1_000_000].decode("utf-8", "ignore").encode("utf-8")


@benchmark("parsing.one_megabyte_lines", floor="python", ratio=100, repeat=5, unit="ms", target=1000.0, note="1 MB of repeated report text")
def one_megabyte_lines():
    return _parse_runner(_megabyte((ROOT / "sample_reports" / "2024-luding-county.txt").read_text(encoding="utf-8")))


@benchmark("parsing.one_megabyte_single_line", floor="python", ratio=100, repeat=5, unit="ms", target=1000.0, note="1 MB crawler text on one line")
def one_megabyte_single_line():
    return _parse_runner(_megabyte(GLUED.read_text(encoding="utf-8").replace("\n", "")))
