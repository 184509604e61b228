"""`gipr-tui export --format csv|json|md|xlsx [-o FILE|DIR] [--db FILE] [--report ID] [--auditor NAME]`.

Writes the audit log. Reads the database without taking the write lock (a
running app does not block an export). A database that does not exist or
cannot be used exits 3 with the reason; an unknown ``--report`` exits 2.
``-o FILE`` is written through a temporary file beside it and ``os.replace``;
``-o DIR`` (an existing folder) writes a new file named by the tool there and
prints its path. Every export records who made it (``--auditor``, else
``$GIPR_AUDITOR``, else the login name), when, with which version, from which
database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .cli import EXIT_DB, EXIT_OK, EXIT_USAGE, error
from .output import clean, write_bytes
from .safe_text import safe_block


def run(args) -> int:
    from store import AuditStore, ReportNotFound, StoreError, UnsafeTarget, resolve_db_path

    db_path = resolve_db_path(args.db)
    if not db_path.exists():
        error(f"export: 审核数据库不存在：{db_path}（请用 --db 指定已有的数据库文件，或先用 gipr-tui 导入报告）")
        return EXIT_DB
    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        error("export: xlsx 是二进制文件，不能输出到终端：请用 -o 指定文件或文件夹")
        return EXIT_USAGE
    try:
        with AuditStore.open(db_path, getattr(args, "auditor", None), read_only=True) as store:
            if not args.output:
                data = store.export_bytes(args.format, report=args.report)
            else:
                target, named_by_tool = _target(store, args)
                written = store.export_to(target, args.format, report=args.report)
                if named_by_tool:
                    print(f"审核记录已导出：{clean(str(written))}", file=sys.stderr)
                return EXIT_OK
    except UnsafeTarget as e:
        error(f"export: {e}")
        return EXIT_USAGE
    except ReportNotFound as e:
        error(f"export: {e}（gipr-tui export --format json 列出全部报告的编号）")
        return EXIT_USAGE
    except StoreError as e:
        error(f"export: {e}")
        return EXIT_DB
    except OSError as e:
        from .os_errors import describe

        reason = describe(OSError(e.errno, e.strerror) if e.errno else e)  # the target, not its temporary file
        error(f"export: 无法写入 {args.output}：{reason}")
        return EXIT_USAGE
    if sys.stdout.isatty() and args.format != "xlsx":  # shown, not saved: nothing in it may act on the terminal
        data = safe_block(data.decode("utf-8").replace("\r\n", "\n")).encode("utf-8")
    write_bytes(data)  # a full device: OutputError, exit 4
    return EXIT_OK


def _target(store, args) -> tuple[Path, bool]:
    """Where ``-o`` writes, and whether the tool chose the file name (``-o DIR``)."""
    from store import default_export_path, resolve_report

    out = Path(os.path.expanduser(args.output))
    if not out.is_dir():
        return out, False
    organ = year = None
    if args.report:
        rid = resolve_report(store, args.report)
        summary = next(s for s in store.list_reports() if s.id == rid)
        organ, year = summary.organ, summary.year
    return default_export_path(args.format, organ=organ, year=year, folder=out), True
