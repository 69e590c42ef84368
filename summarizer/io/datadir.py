"""The per-user data folder: where the reference index and the section model `train` writes live.

Never relative to the working directory: a library that depends on where a command was started
splits into several half-filled ones, and a `check` run elsewhere would find none. The folder
follows the XDG base directories, as the cache (`io/cache.py`) does: `$SUMMARIZER_DATA`, else
`$XDG_DATA_HOME/summarizer`, else `~/.local/share/summarizer` (on Windows `%LOCALAPPDATA%`).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """The folder (not created here: reading must not leave empty folders behind)."""
    env = os.environ.get("SUMMARIZER_DATA")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME")
    if not base and os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = os.environ["LOCALAPPDATA"]
    if not base:
        base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "summarizer"


__all__ = ["user_data_dir"]
