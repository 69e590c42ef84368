"""The one way the package finds its Jinja2 templates (`summarizer/templates/`).

The templates are package data: `jinja2.PackageLoader` reads them from the imported
`summarizer` package, so the same code works from a checkout, an installed wheel or a zip, with
no path arithmetic. A user's own folder (e.g. `compose(..., templates=...)`) replaces them.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

__all__ = ["environment"]


def environment(autoescape: bool, folder: Path | None = None, strict: bool = True) -> jinja2.Environment:
    """A Jinja2 environment over the packaged templates, or over `folder` when given.

    `autoescape` is on for HTML of untrusted text (reports, web pages) and off for plain text
    that the renderers escape themselves (draft skeletons). `strict` makes an undefined
    variable an error instead of a blank."""
    loader: jinja2.BaseLoader = (jinja2.FileSystemLoader(str(folder)) if folder is not None
                                 else jinja2.PackageLoader("summarizer", "templates"))
    return jinja2.Environment(loader=loader, autoescape=autoescape,
                              undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
