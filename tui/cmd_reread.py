"""`gipr-tui reread [--db FILE]`: read again, with this version's parser, every
report in the audit database that an older parser read (docs/CLI.md).

Each report's source bytes were kept at import; corrections, reviews, notes
and statuses stay, and what changed is written to the audit log. One line per
report on standard output, a summary on standard error.

Exit codes: 0 every stale report read again (or none was stale); 2 some
report could not be read again (its source is gone or no longer readable:
its old reading is kept); 3 the audit database cannot be used.
"""

from __future__ import annotations

from .cli import EXIT_DB, EXIT_OK, EXIT_USAGE, error
from .output import clean, write


def run(args) -> int:
    from store import AuditStore, StoreError, resolve_db_path

    db_path = resolve_db_path(args.db)
    if not db_path.exists():
        error(f"reread: 审核数据库 {db_path} 不存在")
        return EXIT_DB
    try:
        store = AuditStore.open(db_path, auditor=args.auditor)
    except StoreError as e:
        error(f"reread: {e}")
        return EXIT_DB
    try:
        if store.read_only:
            error(f"reread: 审核数据库正被另一个 gipr-tui 进程使用（{store.lock_holder.describe() if store.lock_holder else '只读'}），请关闭它后重试")
            return EXIT_DB
        stale = store.stale_reports()
        if not stale:
            write("所有报告都已由当前版本的解析器读取，无需重新读取\n")
            return EXIT_OK
        failed = 0
        for rid in stale:
            result = store.reread(rid)
            failed += result.status in ("no_source", "failed")
            write(f"{rid}\t{clean(result.message)}\n")
        error(f"重新读取 {len(stale) - failed} 份，{failed} 份无法重新读取" if failed
              else f"重新读取 {len(stale)} 份报告")
        return EXIT_USAGE if failed else EXIT_OK
    except StoreError as e:
        error(f"reread: {e}")
        return EXIT_DB
    finally:
        store.close()
