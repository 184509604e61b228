"""The command line of gipr-tui (docs/CLI.md is the contract).

Exit codes: 0 done, no error finding; 1 done with at least one error finding
(``check``); 2 bad usage or unreadable input; 3 the audit database cannot be used.

Each subcommand lives in its own module (``cmd_extract``, ``cmd_check``,
``cmd_export``) and is imported only when used, so ``--version`` and the
headless commands start without loading Textual.
"""

from __future__ import annotations

import argparse
import errno
import sys
from typing import Sequence

from . import __version__

SUBCOMMANDS = ("extract", "check", "export")

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3
EXIT_OUTPUT = 4  # standard output could not be written (disk full, /dev/full, I/O error)
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}

_DESCRIPTION = """\
Audit Chinese government information disclosure annual reports
(政府信息公开工作年度报告): see each report's source text beside its extracted
tables, correct misparsed cells, re-run the balance checks, keep an audit log.

commands:
  gipr-tui [PATH ...]            open the audit app (imports PATHs first)
  gipr-tui extract PATH          parse one report and print its tables (--json for gipr/1)
  gipr-tui check PATH ...        check many reports without the app; exit 1 if any has an error
  gipr-tui export --format FMT   write the audit log (csv, json or md)

Run `gipr-tui COMMAND --help` for a command's options.
"""

_EPILOG = """\
audit database: --db FILE, else the environment variable GIPR_DB, else
  {default}
exit codes: 0 done, no error finding; 1 done, at least one error finding (check);
  2 bad usage or a file that is not a readable report; 3 the audit database
  cannot be used (locked, corrupt or unwritable); 4 the output could not be
  written (disk full, /dev/full).
"""


def _default_db() -> str:
    from store.paths import default_db_path

    return str(default_db_path())


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gipr-tui",
        description=_DESCRIPTION,
        epilog=_EPILOG.format(default=_default_db()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="report files or folders of them to import into the audit database before opening "
        "(re-importing an unchanged file changes nothing); with none, opens what the database holds",
    )
    p.add_argument("--db", metavar="FILE", help="the audit database file (default: $GIPR_DB, else the per-user file below)")
    p.add_argument("--auditor", metavar="NAME", help="your name in the audit log (default: your login name)")
    p.add_argument("--version", action="version", version=f"gipr-tui {__version__}")
    return p


def _extract_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gipr-tui extract",
        description="Parse one report (text, HTML, PDF or Word) and print its three tables. "
        "Touches no database. Exits 0 whatever the checks find, 2 if the file cannot be read as a report.",
    )
    p.add_argument("path", metavar="PATH", help="the report file")
    p.add_argument("--json", action="store_true", help="print the gipr/1 JSON (with provenance and findings) instead of tables")
    return p


def _check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gipr-tui check",
        description="Parse and check many reports without the app (folders are walked recursively): "
        "a findings table per report and a summary. Exits 1 if any report has an error finding, "
        "2 if a file could not be read as a report.",
    )
    p.add_argument("paths", metavar="PATH", nargs="+", help="report files or folders")
    p.add_argument("--json", action="store_true", help="print one JSON object per report, one per line")
    p.add_argument(
        "--db",
        metavar="FILE",
        help="also import the reports into this audit database and apply the cross-report rules "
        "(the same organ's previous year)",
    )
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: automatic)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="give up on a file that takes longer than this to parse and check (one line, "
                   "the others go on; default 60, 0 for no limit)")
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gipr-tui export",
        description="Write the audit log: for every report its findings with their review status, "
        "every correction (cell, before, after, auditor, time, reason) and every note.",
    )
    p.add_argument("--db", metavar="FILE", help="the audit database (default: $GIPR_DB, else the per-user file)")
    p.add_argument(
        "--format", required=True, choices=("csv", "json", "md"), help="csv (UTF-8 with BOM, opens in Excel), json, or md"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    return p


PARSERS = {"extract": _extract_parser, "check": _check_parser, "export": _export_parser}


def error(msg: str) -> None:
    """One line on standard error, never a traceback, never an escape sequence
    (file names can hold control characters)."""
    from .output import clean

    print(f"gipr-tui: {clean(' '.join(str(msg).split()))}", file=sys.stderr)


def _empty_db_option(args) -> bool:
    """`--db ""` is a mistake in every command (not "the default", not "this folder")."""
    if getattr(args, "db", None) == "":
        error("--db 需要一个文件路径（不能为空）")
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            cmd = args_list[0]
            args = PARSERS[cmd]().parse_args(args_list[1:])
            if _empty_db_option(args):
                return EXIT_USAGE
            if cmd == "extract":
                from .cmd_extract import run
            elif cmd == "check":
                from .cmd_check import run
            else:
                from .cmd_export import run
            return _finish(run(args))
        args = _app_parser().parse_args(args_list)
        if _empty_db_option(args):
            return EXIT_USAGE
        from .cmd_app import run

        return run(args)
    except SystemExit as e:  # argparse: --help, --version, bad usage
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else EXIT_USAGE)
        if argv is None:
            raise
        return code
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        # A write outside the pipe-safe helpers (tui.output): the run was cut
        # short, so its result is unknown: never report success. 141 = 128 + SIGPIPE.
        from .output import silence_stdout

        silence_stdout()
        return 141
    except Exception as e:
        from .output import OutputError, silence_stdout

        # Output that cannot be written (the helpers' OutputError, or a write
        # outside them): one line and its own exit code.
        if not (isinstance(e, OutputError) or (isinstance(e, OSError) and e.errno in _OUTPUT_ERRNOS)):
            raise
        silence_stdout()  # what is still buffered goes nowhere, not into a second traceback at exit
        error(f"无法写出结果（标准输出）：{e.strerror if isinstance(e, OSError) else e}")
        return EXIT_OUTPUT


def _finish(code: int) -> int:
    """Flush standard output inside main, so a closed pipe is handled here and
    the exit code stays the one the results call for."""
    from .output import flush

    flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
