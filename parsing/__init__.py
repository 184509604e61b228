"""bytes → a ``gipr/1`` report with provenance.

Public surface:

- ``parse_file(path) -> ParsedReport`` and ``parse_bytes(data, name=None) -> ParsedReport``
- ``ParsedReport`` (``.report``: the gipr/1 dict, ``.text``: the display text)
- ``ParseError`` (and ``NotAReportError``): the only exceptions that escape.
- ``schema``: tables, rows, columns, labels and cell paths.
- ``report_format`` (the module ``parsing.model.format``): the format as data, per
  format its tables, absent rows, balance equations and value rules
  (``value_rule``, ``is_money``, ``is_signed``, ``confirmed_cells`` …).
- ``parser_version()``: a fingerprint of this parser's source; the store
  re-reads reports read by another version.
- ``ocr_reporting(callback)``: a context manager; a scan read inside it (OCR,
  ``parsing.readers.ocr``) calls ``callback(pages_done, pages_total)``, which may raise
  ``OcrCancelled`` (a ``ParseError``) to stop it.
- ``find_reports(paths)``, ``REPORT_SUFFIXES``, ``is_report_name(name)``:
  which files of a folder are reports (``parsing.readers.discover``; the CLI's check
  and the app's import both find files with it).
- ``settle_by_previous_year(report, previous)``: a glued stock row the table
  alone left open, settled by the same organ's previous year (the store calls it).

This package never imports textual, rich or the tui package.
"""

from .model.errors import NotAReportError, ParseError
from .model.report import ParsedReport
from .model import schema
from .model import format as report_format
from .model.format import confirmed_cells, format_of, is_money, is_signed, value_rule
from .api import parse_bytes, parse_file, read_source, MAX_BYTES
from .version import parser_version
from .layout.assemble import settle_by_previous_year
from .readers.discover import REPORT_SUFFIXES, find_reports, is_report_name
from .readers.ocr import Cancelled as OcrCancelled, current_reporting as ocr_current_reporting, reporting as ocr_reporting

__all__ = ["schema", "report_format", "confirmed_cells", "format_of", "is_money", "is_signed", "value_rule",
           "ParseError", "NotAReportError", "ParsedReport", "parse_bytes", "parse_file", "read_source", "MAX_BYTES",
           "parser_version", "settle_by_previous_year", "OcrCancelled", "ocr_reporting", "ocr_current_reporting",
           "REPORT_SUFFIXES", "find_reports", "is_report_name"]
