"""Writing to the terminal from the headless commands (extract, check, export).

Two promises: nothing from a file name or a document reaches the terminal as an
escape sequence, and a reader that closes the pipe early (``| head``) never
changes the exit code: the rest of the output is discarded and the command
still finishes with the code its results call for.
"""

from __future__ import annotations

import os
import sys

from .safe_text import safe


def clean(value) -> str:
    """A string from a document or a file name, safe for a terminal: control
    characters and bidi overrides shown as visible marks (``safe_text.safe``)."""
    return safe(value)


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

    return PipeSafeConsole(**kwargs)


def write(text: str) -> None:
    """``sys.stdout.write`` that survives a closed pipe."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        silence_stdout()


def flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
