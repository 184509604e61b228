"""Writing to the terminal from the headless commands (extract, check, export).

Three promises: nothing from a file name or a document reaches the terminal as an
escape sequence; a reader that closes the pipe early (``| head``) never
changes the exit code: the rest of the output is discarded and the command
still finishes with the code its results call for; and output that cannot be
written at all (``> /dev/full``, a full disk, an I/O error) raises
``OutputError``, which the CLI turns into one line on standard error and exit
code 4, never a traceback and never a code that could be read as a result.
"""

from __future__ import annotations

import os
import sys

from .safe_text import safe


def clean(value) -> str:
    """A string from a document or a file name, safe for a terminal: control
    characters and bidi overrides shown as visible marks (``safe_text.safe``)."""
    return safe(value)


class OutputError(Exception):
    """Standard output could not be written (not a closed pipe: that is silenced)."""

    def __init__(self, err: OSError):
        super().__init__(err.strerror or str(err))
        self.errno = err.errno


def silence_stdout() -> None:
    """The reader went away: send the rest of standard output to /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout already closed or not a real file
        pass


def console(**kwargs):
    """A rich Console that, when the pipe closes, goes quiet instead of exiting 1.
    (rich is imported here, not at module level: `check --json` never needs it.)"""
    from rich.console import Console

    class PipeSafeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            silence_stdout()

    if "file" not in kwargs and not kwargs.get("stderr"):
        kwargs["file"] = _GuardedStdout()
    return PipeSafeConsole(**kwargs)


class _GuardedStdout:
    """``sys.stdout`` for rich: a closed pipe passes through (rich silences it),
    any other write failure becomes ``OutputError``."""

    def __getattr__(self, name):
        return getattr(sys.stdout, name)

    def write(self, text: str) -> int:
        try:
            return sys.stdout.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(e) from None

    def flush(self) -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(e) from None


def write(text: str) -> None:
    """``sys.stdout.write`` that survives a closed pipe; OutputError on any other failure."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        silence_stdout()
    except OSError as e:
        raise OutputError(e) from None


def write_bytes(data: bytes) -> None:
    """Bytes to standard output (the export), as ``write``."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as e:
        raise OutputError(e) from None


def flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as e:
        raise OutputError(e) from None
