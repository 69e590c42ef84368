"""Where the per-user data lives: trained models and the duplication index.

Never relative to the working directory, so that a command finds the same data wherever it
runs: `$SUMMARIZER_DATA`, else `$XDG_DATA_HOME/summarizer`, else `~/.local/share/summarizer`.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The per-user data folder (not created here: readers must not create what they look for)."""
    env = os.environ.get("SUMMARIZER_DATA")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "summarizer"
