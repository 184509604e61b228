"""report → findings: the auditor's rule book, as pure functions.

This package never imports textual, rich or the tui package.
"""
