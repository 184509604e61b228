"""`gipr-tui export --format csv|json|md [-o FILE] [--db FILE]`: write the audit log.

Reads the database without taking the write lock (a running app does not
block an export). A database that cannot be used exits 3 with the reason; a
missing database exports an empty log. ``-o FILE`` is written atomically.
"""

from __future__ import annotations

import sys

from .cli import EXIT_DB, EXIT_OK, EXIT_USAGE, error


def run(args) -> int:
    from store import AuditStore, StoreError, resolve_db_path
    from store.storage import atomic_write_bytes

    db_path = resolve_db_path(args.db)
    try:
        with AuditStore.open(db_path, read_only=True) as store:
            text = store.export(args.format)
    except StoreError as e:
        error(f"export: {e}")
        return EXIT_DB
    data = text.encode("utf-8")
    if not args.output:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        atomic_write_bytes(args.output, data)
    except OSError as e:
        error(f"export: 无法写入 {args.output}：{e.strerror or e}")
        return EXIT_USAGE
    return EXIT_OK
