"""`gipr-tui export --format csv|json|md [-o FILE] [--db FILE]`: write the audit log.

Reads the database without taking the write lock (a running app does not
block an export). A database that cannot be used exits 3 with the reason; a
missing database exports an empty log. ``-o FILE`` is checked first
(``store.safety``: never the database or its files, a link, a device, a FIFO)
and written through a temporary file beside it.
"""

from __future__ import annotations

import sys

from .cli import EXIT_DB, EXIT_OK, EXIT_USAGE, error
from .output import write_bytes
from .safe_text import safe_block


def run(args) -> int:
    from store import AuditStore, StoreError, UnsafeTarget, check_output_target, resolve_db_path, write_export

    db_path = resolve_db_path(args.db)
    if args.output:
        try:  # before reading anything: a refused target is bad usage
            check_output_target(args.output, db_path)
        except UnsafeTarget as e:
            error(f"export: {e}")
            return EXIT_USAGE
    try:
        with AuditStore.open(db_path, read_only=True) as store:
            text = store.export(args.format)
    except StoreError as e:
        error(f"export: {e}")
        return EXIT_DB
    data = text.encode("utf-8")
    if not args.output:
        if sys.stdout.isatty():  # shown, not saved: nothing in it may act on the terminal
            data = safe_block(text.replace("\r\n", "\n")).encode("utf-8")
        write_bytes(data)
        return EXIT_OK
    try:
        write_export(args.output, data, db_path)
    except UnsafeTarget as e:
        error(f"export: {e}")
        return EXIT_USAGE
    except OSError as e:
        error(f"export: 无法写入 {args.output}：{e.strerror or e}")
        return EXIT_USAGE
    return EXIT_OK
