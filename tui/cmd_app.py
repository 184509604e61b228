"""`gipr-tui [PATH ...]`: open the audit database, then the audit app.

The database is opened before Textual starts: if it cannot be used the user
gets one line on stderr and exit code 3, not a broken screen. On a first run
with an empty database the bundled sample reports are imported, so a new user
sees real reports at once. PATHs are imported inside the app (a worker), where
a file that cannot be read becomes a notification, not a crash.
"""

from __future__ import annotations

import sys

from .cli import EXIT_DB, EXIT_OK, EXIT_USAGE, error


def open_store(db: str | None, auditor: str | None):
    """The AuditStore, or None after printing why it cannot be used."""
    from store import AuditStore, StoreError, resolve_db_path

    try:
        return AuditStore.open(resolve_db_path(db), auditor=auditor)
    except StoreError as e:
        error(str(e))
        return None


def run(args) -> int:
    store = open_store(args.db, args.auditor)
    if store is None:
        return EXIT_DB
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # A script or a pipe: the app would wait for keys that never come.
        store.close()
        error("审核界面需要在终端中运行；在脚本或管道中请用 gipr-tui extract / check / export")
        return EXIT_USAGE
    from parsing import ParseError
    from store import StoreError

    from .app import GiprApp

    with store:
        try:
            if not args.paths and not store.list_reports() and not store.read_only:
                store.import_samples()
        except StoreError as e:
            error(str(e))
            return EXIT_DB
        except ParseError as e:  # a bundled sample the parser refuses: say so, open the app anyway
            error(f"示例报告无法导入：{e}")
        app = GiprApp(store, import_paths=list(args.paths), require_reason=bool(getattr(args, "require_reason", False)))
        app.run()
    return app.return_code or EXIT_OK
