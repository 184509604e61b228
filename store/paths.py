"""Where the audit database lives: ``--db`` > ``$GIPR_DB`` > a per-user file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_FILENAME = "audit.json"
ENV_VAR = "GIPR_DB"


def default_db_path() -> Path:
    """The documented per-user database file (before ``GIPR_DB`` and ``--db``)."""
    return Path(platformdirs.user_data_dir("gipr-tui", appauthor=False)) / DB_FILENAME


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_db_path()
