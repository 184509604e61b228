"""Bytes of one kind (HTML, Word, PDF, scans, text) → a Document (display text plus structured tables)."""
