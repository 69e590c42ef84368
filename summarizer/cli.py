"""The `summarizer` command line: one thin command per job, calling the modules that do it."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

app = typer.Typer(
    help="summarizer：中文工作总结 / 工作计划 / 实施方案的清洗、分析、查重与起草工具。",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class Format(str, Enum):
    text = "text"
    json = "json"


@app.callback()
def main() -> None:
    """summarizer — Chinese work reports: clean, analyse, check, draft."""


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=False, disable=not err.is_terminal,
    )


def _count_inputs(paths: list[Path]) -> int | None:
    exts = {".txt", ".docx", ".html", ".htm", ".zip"}
    total = 0
    for p in paths:
        if p.is_dir():
            total += sum(1 for f in p.rglob("*") if f.is_file() and f.suffix.lower() in exts)
        else:
            total += 1
    return total or None


@app.command()
def clean(
    inputs: list[Path] = typer.Argument(..., help="输入文件或目录（.txt .docx .html .zip）/ input files or directories"),
    output: Path = typer.Option(..., "-o", "--output", help="输出目录 / output directory"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="并行进程数 / worker processes"),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local：本机进程；dask：Dask 分布式集群"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786"),
    fmt: Format = typer.Option(Format.text, "--format", help="text 或 json（机器可读）"),
) -> None:
    """批量清洗：每篇文章一个 .txt，外加 OUTDIR/manifest.jsonl。Batch cleanup of scraped pages."""
    from summarizer.clean.engines import run_clean

    if output.exists() and not output.is_dir():
        err.print(f"{output}: 输出路径不是目录 / output path is not a directory")
        raise typer.Exit(2)
    with _progress() as progress:
        task = progress.add_task("清洗 cleaning", total=_count_inputs(inputs))
        summary = run_clean(
            inputs, output, jobs=jobs, engine=engine.value, scheduler=scheduler,
            on_progress=lambda n: progress.advance(task, n),
        )
    failed = [r for r in summary.records if r["status"] == "error"]
    for rec in failed:
        sys.stderr.write(rec["error"].replace("\n", " ") + "\n")  # one line per failed input
    if fmt is Format.json:
        json.dump({
            "inputs": summary.inputs, "skipped": summary.skipped, "articles": summary.articles,
            "errors": summary.errors, "duplicates": summary.duplicates, "manifest": summary.manifest,
        }, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        typer.echo(
            f"输入 {summary.inputs} 个（跳过已完成 {summary.skipped}），文章 {summary.articles} 篇，"
            f"重复 {summary.duplicates} 篇，失败 {summary.errors} 个；清单 {summary.manifest}"
        )
    if failed:
        raise typer.Exit(1)


def _read_articles(file: Path):
    """Read and clean one input (raw page or clean article); exit 1 with one line if unreadable."""
    from summarizer.clean.pipeline import clean_text
    from summarizer.io import ReadError, read_text

    try:
        text_input = read_text(file)
    except ReadError as exc:
        sys.stderr.write(str(exc).replace("\n", " ") + "\n")
        raise typer.Exit(1) from None
    doc = clean_text(text_input.text, str(file))
    if not doc.articles:
        sys.stderr.write(f"{file}: 没有可提取的正文 / no article text found\n")
        raise typer.Exit(1)
    return doc.articles


@app.command()
def segment(
    file: Path = typer.Argument(..., help="一个文件（原始网页或清洗后的文章）/ one file, raw or clean"),
    fmt: Format = typer.Option(Format.text, "--format", help="text 或 json（机器可读）"),
    with_words: bool = typer.Option(True, "--words/--no-words", help="是否分词 / include jieba words"),
) -> None:
    """分段：段落（标题层级与编号）、大纲、句子、词。Paragraphs, outline, sentences, words."""
    from summarizer.analyse.segment import segment_article

    articles = _read_articles(file)
    out = []
    for art in articles:
        outline = segment_article(art, with_words=with_words)
        out.append({
            "article": art.index, "title": art.title, "text": art.text,
            "outline": [node.to_dict() for node in outline],
            "paragraphs": [{
                "index": i, "text": p.text, "start": p.start, "end": p.end,
                "heading_level": p.heading_level, "marker": p.marker,
                "sentences": [{"start": s.start, "end": s.end, "text": s.text} for s in p.sentences],
                **({"words": [w.text for w in p.spans if w.kind == "word"]} if with_words else {}),
            } for i, p in enumerate(art.paragraphs)],
        })
    if fmt is Format.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for art in out:
        typer.echo(f"《{art['title']}》（第{art['article']}篇，{len(art['paragraphs'])}段）")
        for p in art["paragraphs"]:
            indent = "  " * max(0, p["heading_level"] - 1)
            tag = f"[{p['heading_level']}级 {p['marker']}] " if p["heading_level"] else ""
            typer.echo(f"{p['index']:>3} {indent}{tag}{p['text']}  ({len(p['sentences'])}句)")
            if with_words and fmt is Format.text and p["heading_level"] == 0 and p["index"] == 0:
                typer.echo("    词：" + " / ".join(p.get("words", [])[:30]))
