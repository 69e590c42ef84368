"""Writing a draft in the format its file name asks for (`.docx`, `.md`, `.txt`), atomically."""

from __future__ import annotations

import os
from pathlib import Path

from summarizer.compose.docx_render import write_docx
from summarizer.compose.draft import Draft
from summarizer.compose.text_render import render_markdown, render_text
from summarizer.io.writers import atomic_write

_WRITERS = {".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}


def write_draft(draft: Draft, path: str | os.PathLike[str]) -> None:
    """Write the draft in the format its suffix names (`.docx`, `.md`, `.txt`), atomically."""
    p = Path(path)
    kind = _WRITERS.get(p.suffix.lower())
    if kind is None:
        raise ValueError(
            f"不支持的输出格式：{p}（只支持 .docx、.md、.txt） / "
            f"unsupported output format: {p} (use .docx, .md or .txt)"
        )
    if kind == "docx":
        write_docx(draft, p)
    elif kind == "md":
        atomic_write(p, render_markdown(draft))
    else:
        atomic_write(p, render_text(draft))

