"""The one error type the parser raises (and its subclasses)."""

from __future__ import annotations


class ParseError(Exception):
    """A file could not be read as a report.

    ``str(err)`` is one line for a person: what is wrong and, where it helps,
    what to do. ``kind`` is a stable machine-readable reason:
    ``empty``, ``binary``, ``too_large``, ``undecodable``, ``unsupported``
    (e.g. legacy .doc), ``encrypted``, ``damaged``, ``no_text_layer``,
    ``not_a_report``, ``unreadable``.
    """

    def __init__(self, message: str, *, kind: str = "unreadable", path: str | None = None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.path = path

    def __str__(self) -> str:  # one line, never a traceback
        return " ".join(self.message.split())


class NotAReportError(ParseError):
    """The document is readable but is not an annual report (an interpretation
    page, a blank template, a comparison of two years, …). ``seems`` says what
    it seems to be, in Chinese, e.g. ``年度报告解读``."""

    def __init__(self, message: str, *, seems: str | None = None, path: str | None = None):
        super().__init__(message, kind="not_a_report", path=path)
        self.seems = seems
