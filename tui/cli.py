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
from collections.abc import Sequence

from . import __version__

SUBCOMMANDS = ("extract", "check", "export", "reread", "compare")

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3
EXIT_OUTPUT = 4  # standard output could not be written (disk full, /dev/full, I/O error)
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}

_DESCRIPTION = """\
审核政府信息公开工作年度报告：原文与解析出的三张统计表并排显示，更正解析错误的
单元格，重新运行勾稽校验，保留审核记录。

命令：
  gipr-tui [PATH ...]            打开审核界面（先导入 PATH 中的报告）
  gipr-tui extract PATH          解析一份报告并打印其表格（--json 输出 gipr/1 JSON）
  gipr-tui check PATH ...        不打开界面，批量校验报告；有错误时退出码为 1
  gipr-tui export --format FMT   导出审核记录（csv、json、md 或 xlsx）
  gipr-tui reread                解析器更新后，重新读取数据库中以前导入的报告（更正保留）
  gipr-tui compare A B           两份报告并排对比（文件，或 --db 中的报告编号）

各命令的选项：gipr-tui COMMAND --help
"""

_EPILOG = """\
审核数据库：--db FILE，否则为环境变量 GIPR_DB，否则为
  {default}
退出码：0 完成且没有错误级问题；1 完成，至少有一个错误级问题（check）；
  2 用法有误，或文件不是可读的报告；3 审核数据库无法使用（被占用、损坏或不可写）；
  4 无法写出结果（磁盘已满、/dev/full）。
"""


def _default_db() -> str:
    from store.paths import default_db_path

    return str(default_db_path())


def _parser(**kwargs) -> argparse.ArgumentParser:
    """An ArgumentParser that speaks Chinese (usage, section titles, errors)."""
    from .argparse_zh import ChineseHelpFormatter, install

    install()
    return _Parser(formatter_class=ChineseHelpFormatter, **kwargs)


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message, file=None):
        """argparse swallows a failed write of the help or version text (and
        then exits 0); here it is an output error like any other. Messages to
        standard error (usage errors) keep argparse's way: nowhere to report."""
        if not message:
            return
        file = file or sys.stderr
        if file is sys.stderr:
            return super()._print_message(message, file)
        file.write(message)


def _integer(text: str) -> int:
    return int(text)


_integer.__name__ = "整数"  # argparse names the type in its error: 无效的值 'x'（应为 整数）


def _app_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui",
        description=_DESCRIPTION,
        epilog=_EPILOG.format(default=_default_db()),
    )
    p.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="打开前先导入审核数据库的报告文件或文件夹（重复导入未改动的文件不会有变化）；不给出时打开数据库中已有的报告",
    )
    p.add_argument("--db", metavar="FILE", help="审核数据库文件（默认：$GIPR_DB，否则为下面的个人文件）")
    p.add_argument("--auditor", metavar="NAME", help="审核记录中的审核人姓名（默认：登录用户名）")
    p.add_argument("--require-reason", action="store_true",
                   help="更正或还原数值、确认和豁免问题时必须填写理由（本次运行有效；也可在界面的命令面板中设置并保存）")
    p.add_argument("--version", action="version", version=f"gipr-tui {__version__}", help="显示版本号并退出")
    return p


def _extract_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui extract",
        description="解析一份报告（文本、HTML、PDF 或 Word）并打印其三张统计表。不读写审核数据库。"
        "无论校验结果如何都以 0 退出；文件无法作为报告读取时以 2 退出。",
    )
    p.add_argument("path", metavar="PATH", help="报告文件")
    p.add_argument("--json", action="store_true", help="输出 gipr/1 JSON（含来源位置和校验结果），而不是表格")
    return p


def _check_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui check",
        description="不打开界面，批量解析和校验报告（逐级查找文件夹）：每份报告一张问题表，最后汇总。"
        "有报告存在错误级问题时以 1 退出；有文件无法作为报告读取时以 2 退出。",
    )
    p.add_argument("paths", metavar="PATH", nargs="+", help="报告文件或文件夹")
    p.add_argument("--json", action="store_true", help="每份报告输出一行 JSON 对象")
    p.add_argument(
        "--db",
        metavar="FILE",
        help="同时把报告导入该审核数据库，并运行跨报告规则（同一机关的上一年度）",
    )
    p.add_argument("--jobs", "-j", type=_integer, default=None, metavar="N", help="并行进程数（默认：自动）")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="单个文件解析和校验超过这么多秒即跳过（一行说明，其余文件继续；默认 60，0 为不限）")
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui export",
        description="导出审核记录：每份报告的问题及其审核状态、每一次更正（单元格、更正前后、审核人、时间、理由）和每一条备注。"
        "每次导出都记录导出人、时间、gipr-tui 版本和数据库。",
    )
    p.add_argument("--db", metavar="FILE", help="审核数据库（默认：$GIPR_DB，否则为个人文件）；文件不存在时以 3 退出")
    p.add_argument(
        "--format", required=True, choices=("csv", "json", "md", "xlsx"),
        help="csv（UTF-8 带 BOM，中文表头，可直接用 Excel 打开）、json、md 或 xlsx（Excel 工作簿：概要一张表，"
        "每类记录一张表；输出到终端时须用 -o）",
    )
    p.add_argument("-o", "--output", metavar="FILE",
                   help="写入文件 FILE，而不是标准输出；若为已有文件夹，则在其中新建按日期命名的文件并显示其路径")
    p.add_argument("--report", metavar="ID", help="只导出这一份报告（报告编号，或其开头几位）")
    p.add_argument("--auditor", metavar="NAME", help="导出记录中的导出人（默认：$GIPR_AUDITOR，否则为登录用户名）")
    return p


def _reread_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui reread",
        description="解析器更新后，按导入时保存的原文件重新读取审核数据库中由旧版解析器读取的报告。"
        "更正、复核、备注和审核状态都保留；变化写入审核记录。有报告无法重新读取时以 2 退出。",
    )
    p.add_argument("--db", metavar="FILE", help="审核数据库（默认：$GIPR_DB，否则为个人文件）")
    p.add_argument("--auditor", metavar="NAME", help="审核记录中的审核人姓名（默认：登录用户名）")
    return p


def _compare_parser() -> argparse.ArgumentParser:
    p = _parser(
        prog="gipr-tui compare",
        description="两份报告并排对比：每个单元格及其差值（大幅变化标出）、结转衔接、规范性文件存量链、"
        "各部分文字重复率和跨年度问题。A、B 为报告文件，或审核数据库中的报告编号；以较早年度为基准。"
        "跨年度规则发现错误时以 1 退出；报告无法读取时以 2 退出；数据库无法使用时以 3 退出。",
    )
    p.add_argument("a", metavar="A", help="报告文件，或 --db 中的报告编号（或其唯一前缀）")
    p.add_argument("b", metavar="B", help="另一份报告")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="输出 JSON（gipr-compare/1）")
    fmt.add_argument("--md", action="store_true", help="输出 Markdown")
    fmt.add_argument("--csv", action="store_true", help="输出 CSV（UTF-8 带 BOM），每个单元格、列、部分、问题一行")
    p.add_argument("--db", metavar="FILE", help="存放报告编号的审核数据库（默认：$GIPR_DB，否则为个人文件）")
    p.add_argument("--same-organ", action="store_true",
                   help="即使机关名称不同也视为同一机关（运用跨年度规则）")
    return p


PARSERS = {"extract": _extract_parser, "check": _check_parser, "export": _export_parser, "reread": _reread_parser, "compare": _compare_parser}


def error(msg: str) -> None:
    """One line on standard error, never a traceback, never an escape sequence
    (file names can hold control characters)."""
    from .os_errors import localise
    from .output import clean

    print(f"gipr-tui: {clean(localise(' '.join(str(msg).split())))}", file=sys.stderr)


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
            elif cmd == "reread":
                from .cmd_reread import run
            elif cmd == "compare":
                from .cmd_compare import run
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
        if code == 0:  # the help or version text must have reached its reader before "success"
            try:
                _finish(0)
            except Exception as err:
                return _output_failed(err)
        if argv is None:
            raise
        return code
    except KeyboardInterrupt:
        error("已中断")
        return 130
    except BrokenPipeError:
        # A write outside the pipe-safe helpers (tui.output): the run was cut
        # short, so its result is unknown: never report success. 141 = 128 + SIGPIPE.
        from .output import silence_stdout

        silence_stdout()
        return 141
    except Exception as e:
        return _output_failed(e)


def _output_failed(e: Exception) -> int:
    """Output that cannot be written (the helpers' OutputError, or a write
    outside them): one line and its own exit code. Anything else is re-raised."""
    from .output import OutputError, silence_stdout

    if not (isinstance(e, OutputError) or (isinstance(e, OSError) and e.errno in _OUTPUT_ERRNOS)):
        raise e
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
