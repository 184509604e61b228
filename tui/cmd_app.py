"""`gipr-tui [PATH ...]`: open the audit app."""

from __future__ import annotations

from .cli import EXIT_OK


def run(args) -> int:
    from store.paths import resolve_db_path

    from .app import GiprApp

    app = GiprApp(db_path=resolve_db_path(args.db), paths=list(args.paths), auditor=args.auditor)
    app.run()
    return app.return_code or EXIT_OK
