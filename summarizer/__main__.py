"""`python -m summarizer` is the `summarizer` command."""

from summarizer.cli import app

app(prog_name="summarizer")
