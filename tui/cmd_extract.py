"""`gipr-tui extract PATH [--json]`: parse one report, print it. Touches no database."""

from __future__ import annotations

from .cli import EXIT_OK, EXIT_USAGE, error
from .output import write
from .safe_text import dumps


def run(args) -> int:
    from parsing import ParseError, parse_file
    from parsing import ocr_reporting as reporting

    from .ocr_progress import terminal_progress

    try:
        with reporting(terminal_progress(args.path)):  # a scan: pages recognised, on a terminal
            parsed = parse_file(args.path)
    except ParseError as e:
        error(f"{args.path}: {e}")
        return EXIT_USAGE
    report = dict(parsed.report)
    from checks import run_checks

    report["findings"] = run_checks(parsed.report, parsed.text)
    if args.json:
        write(dumps(report, indent=1) + "\n")
        return EXIT_OK
    from .render import print_extracted_report

    print_extracted_report(report)
    return EXIT_OK
