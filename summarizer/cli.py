"""The `summarizer` command line: one thin command per job, calling the modules that do it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

err = Console(stderr=True)

# Plain click rather than typer: typer 0.2x converts every parameter with a pydantic
# TypeAdapter, and importing pydantic for that cost each run ~0.2 s of start-up (a third of
# `summarizer clean`'s, before its workers can start).
PATH = click.Path(path_type=Path)
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _format(help: str = "text 或 json（机器可读）"):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help=help)


@click.group(context_settings=_CONTEXT, no_args_is_help=True)
@click.version_option(package_name="summarizer", message="summarizer %(version)s")
def app() -> None:
    """summarizer：中文工作总结 / 工作计划 / 实施方案的清洗、分析、查重与起草工具。

    Chinese work reports: clean, analyse, check, draft."""


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=False, disable=not err.is_terminal,
    )


@app.command()
@click.argument("inputs", nargs=-1, type=PATH)
@click.option("-o", "--output", required=True, type=PATH, help="输出目录 / output directory")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="并行进程数 / worker processes")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local：本机进程；dask：Dask 分布式集群")
@click.option("--scheduler", default=None, help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
@click.option("--show-removed", is_flag=True,
              help="列出删除的文字（OUTDIR/removed.jsonl）；不给 INPUTS 时只列出 / "
                   "list the removed text; without INPUTS, only list it")
@_format()
def clean(inputs: tuple[Path, ...], output: Path, jobs: int, engine: str, scheduler: str | None,
          show_removed: bool, fmt: str) -> None:
    """批量清洗：每篇文章一个 .txt，外加 OUTDIR/manifest.jsonl 与 removed.jsonl（删除的文字）。
    再次清洗到同一 OUTDIR 时合并清单。Batch cleanup of scraped pages; a second run into the same
    OUTDIR merges into its manifest.

    INPUTS: 输入文件或目录（.txt .docx .html .zip）/ input files or directories."""
    from summarizer.clean.batch import read_removed, run_clean
    from summarizer.clean.executors import EngineUnavailable
    from summarizer.io import count_files

    if output.exists() and not output.is_dir():
        err.print(f"{output}: 输出路径不是目录 / output path is not a directory")
        raise SystemExit(2)
    if not inputs:
        if not show_removed:
            raise click.UsageError("缺少 INPUTS / missing INPUTS (or --show-removed to list OUTDIR/removed.jsonl)")
        if not (output / "manifest.jsonl").is_file():
            sys.stderr.write(f"{output}: 不是清洗输出目录（没有 manifest.jsonl）/ not a cleanup output directory\n")
            raise SystemExit(2)
        _print_removed(read_removed(output), fmt)
        return
    total = count_files(inputs)
    if not total and all(p.exists() for p in inputs):
        sys.stderr.write(f"{'、'.join(map(str, inputs))}: 没有可清洗的文档（.txt .docx .html .zip）/ "
                         "no documents to clean\n")
        raise SystemExit(2)
    try:
        with _progress() as progress:
            task = progress.add_task("清洗 cleaning", total=total or None)
            summary = run_clean(
                inputs, output, jobs=jobs, engine=engine, scheduler=scheduler,
                on_progress=lambda n: progress.advance(task, n), keep_records=False,
            )
    except EngineUnavailable as exc:  # dask missing, or its scheduler silent
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(2) from None
    failed = summary.failed
    for rec in failed:
        sys.stderr.write(rec["error"].replace("\n", " ") + "\n")  # one line per failed input
    if show_removed:
        _print_removed(read_removed(output), fmt)
    if fmt == "json":
        json.dump({
            "inputs": summary.inputs, "skipped": summary.skipped, "kept": summary.kept,
            "articles": summary.articles, "errors": summary.errors, "duplicates": summary.duplicates,
            "removed": summary.removed, "manifest": summary.manifest, "removed_file": summary.removed_file,
        }, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        kept = f"，保留先前输入 {summary.kept} 个" if summary.kept else ""
        click.echo(
            f"输入 {summary.inputs} 个（跳过已完成 {summary.skipped}{kept}），文章 {summary.articles} 篇，"
            f"重复 {summary.duplicates} 篇，失败 {summary.errors} 个，删除文字 {summary.removed} 处；"
            f"清单 {summary.manifest}"
        )
    if failed:
        raise SystemExit(1)


def _print_removed(lines, fmt: str) -> None:
    """The removed pieces, one a line: `source #article reason(score) text` (`text → replacement`
    for a rewritten piece); with `--format json`, the lines of removed.jsonl as they are (JSON
    lines, before the summary)."""
    from summarizer.document import REMOVAL_LABELS

    for rec in lines:
        if fmt == "json":
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            continue
        where = f"#{rec['article']}" if rec.get("article") is not None else "#-"
        score = f" {rec['score']:.2f}" if rec.get("score") is not None else ""
        reason = REMOVAL_LABELS.get(rec.get("reason", ""), rec.get("reason", ""))
        text = str(rec.get("text", "")).replace("\n", " ")
        if rec.get("replacement") is not None:
            text += " → " + str(rec["replacement"]).replace("\n", " ")
        click.echo(f"{rec.get('source', '')}\t{where}\t{reason}{score}\t{text}")


def _read_articles(file: Path):
    """Read and clean one input (raw page or clean article); exit 1 with one line if unreadable."""
    from summarizer.clean.pipeline import clean_text
    from summarizer.io import ReadError, read_text

    try:
        text_input = read_text(file)
    except ReadError as exc:
        sys.stderr.write(str(exc).replace("\n", " ") + "\n")
        raise SystemExit(1) from None
    doc = clean_text(text_input.text, str(file))
    if not doc.articles:
        sys.stderr.write(f"{file}: 没有可提取的正文 / no article text found\n")
        raise SystemExit(1)
    return doc.articles


@app.command()
@click.argument("file", type=PATH)
@_format()
@click.option("--words/--no-words", "with_words", default=True, show_default=True, help="是否分词 / include jieba words")
def segment(file: Path, fmt: str, with_words: bool) -> None:
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
    if fmt == "json":
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for art in out:
        click.echo(f"《{art['title']}》（第{art['article']}篇，{len(art['paragraphs'])}段）")
        for p in art["paragraphs"]:
            indent = "  " * max(0, p["heading_level"] - 1)
            tag = f"[{p['heading_level']}级 {p['marker']}] " if p["heading_level"] else ""
            click.echo(f"{p['index']:>3} {indent}{tag}{p['text']}  ({len(p['sentences'])}句)")
            if with_words and fmt == "text" and p["heading_level"] == 0 and p["index"] == 0:
                click.echo("    词：" + " / ".join(p.get("words", [])[:30]))


@app.command()
@click.argument("file", type=PATH)
@_format("text（表格）或 json（机器可读）")
def slots(file: Path, fmt: str) -> None:
    """占位符与数字：待填空位、数字及其规范值、一致性核对。Placeholders, figures, consistency checks.

    JSON: {"placeholders": […], "figures": […], "checks": […]} for one article,
    offsets into the article text that `segment` shows; a page with several
    articles gives a list of such objects, each with "article" and "title" added."""
    from rich.markup import escape
    from rich.table import Table

    from summarizer.analyse.slots import KIND_ZH, extract_slots

    articles = _read_articles(file)
    reports = [(art, extract_slots(art)) for art in articles]
    if fmt == "json":
        if len(reports) == 1:
            out: object = reports[0][1].to_dict()
        else:
            out = [{"article": art.index, "title": art.title, **rep.to_dict()} for art, rep in reports]
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return

    def shown(value: object) -> str:
        return " → ".join(map(str, value)) if isinstance(value, list) else str(value)

    console = Console()
    for art, rep in reports:
        text = art.text
        console.print(f"[bold]《{escape(art.title)}》[/bold]（第{art.index}篇）")
        tables = [Table("位置", "占位符", "类型", "单位", "上下文", title="占位符 placeholders"),
                  Table("位置", "数字", "类型", "规范值", "单位", title="数字 figures"),
                  Table("", "核对", "应为", "实为", "原文", title="核对 checks")]
        for p in rep.placeholders:
            context = text[max(0, p.start - 8):p.end + 8].replace("\n", " ")
            tables[0].add_row(f"{p.start}–{p.end}", escape(p.text), f"{KIND_ZH[p.kind]} {p.kind}", p.unit or "",
                              escape(context))
        for f in rep.figures:
            tables[1].add_row(f"{f.start}–{f.end}", escape(f.text), f"{KIND_ZH[f.kind]} {f.kind}", str(f.value),
                              f.unit)
        for c in rep.checks:
            tables[2].add_row("[green]✓[/green]" if c.ok else "[red]✗[/red]", KIND_ZH[c.kind],
                              shown(c.expected), shown(c.found), escape(c.text))
        for table in tables:
            console.print(table if table.row_count else f"{table.title}：无 / none")


@app.command()
@click.argument("file", type=PATH)
@_format()
@click.option("--model", type=PATH, default=None,
              help="模型文件（默认：train 训练的用户模型，否则随包发布的模型）/ model file")
def classify(file: Path, fmt: str, model: Path | None) -> None:
    """段落分类：为每段标注章节类型。A section label for every paragraph (line 0 is the title).

    JSON: a list of {index, text, label, score, heading_level} in document order; a page with
    several articles adds "article" (1, 2, …) to each item, indexes restarting per article."""
    from summarizer.analyse.classify import (
        LABELS_ZH,
        ModelLoadError,
        article_views,
        default_classifier,
        load_model,
        user_model_path,
    )

    articles = _read_articles(file)
    if model is None and user_model_path().is_file():
        model = user_model_path()
        sys.stderr.write(f"使用 train 训练的模型 / using the model `train` wrote: {model}\n")
    try:
        clf = load_model(model) if model else default_classifier()
    except (ModelLoadError, OSError) as exc:
        sys.stderr.write(f"{model}: 模型无法读取，请重新训练 / cannot load the model: {exc}\n")
        raise SystemExit(1) from None
    items = []
    for art in articles:
        views = article_views(art)
        for view, (label, score) in zip(views, clf.predict(art)):
            item = {"index": view.index, "text": view.text, "label": label, "score": round(score, 3),
                    "heading_level": view.level}
            if len(articles) > 1:
                item["article"] = art.index
            items.append(item)
    if fmt == "json":
        json.dump(items, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for item in items:
        if item["index"] == 0 and len(articles) > 1:
            click.echo(f"—— 第{item['article']}篇 ——")
        zh = LABELS_ZH[item["label"]]
        click.echo(f"{item['index']:>3} {item['label']:<12} {zh:<8} {item['score']:.2f}  {item['text'][:60]}")


@app.command()
@click.option("--corpus", "corpora", type=PATH, multiple=True,
              help="语料目录（可多次）：任意报告文件夹（弱标注），或含 labels/ 的人工标注语料 / corpus folder")
@click.option("--base/--no-base", default=True, show_default=True,
              help="加入随包发布的人工标注与编写语料 / include the shipped labelled articles")
@click.option("-o", "--output", type=PATH, default=None,
              help="模型输出路径（默认：用户数据目录）/ model path (default: the per-user data folder)")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="按文档分组交叉验证的折数，0 跳过 / grouped CV folds (0: skip)")
@_format()
@click.option("--png", type=PATH, default=None, help="混淆矩阵图片（默认：模型旁）/ confusion matrix PNG")
def train(corpora: tuple[Path, ...], base: bool, output: Path | None, folds: int, fmt: str,
          png: Path | None) -> None:
    """训练段落分类器并如实评估。Train the section classifier on any folder of reports.

    Reports are cleaned and labelled from their outline (weak labels); a folder with labels/
    gives hand labels. Prints the hand-labelled pages held out one at a time, grouped
    cross-validation by document, the keyword baseline beside them, and the precision of the
    weak labels on their hand-checked sample. Never writes into the installed package."""
    from summarizer.analyse import train as tr

    with _progress() as progress:
        task = progress.add_task("读取语料 / reading the corpora", total=None)
        try:
            run = tr.prepare(corpora, base=base, on_error=lambda msg: err.print(msg, highlight=False))
        except tr.CorpusError as exc:
            sys.stderr.write(f"{exc}\n")
            raise SystemExit(1) from None
        step = lambda what: progress.update(task, description=what)  # noqa: E731
        result = tr.run_training(run, folds=folds, progress=step)
    out = output or tr.user_model_path()
    tr.save_model(result.model, out)
    shown = result.holdout if result.holdout.y_true else result.cv
    png = png or out.with_suffix(".confusion.png")
    drawn = bool(shown.y_true) and tr.save_confusion_png(shown.scores[tr.FINAL], shown.title, png)
    if fmt == "json":
        json.dump({**result.summary(), "model": str(out), "confusion_png": str(png) if drawn else None},
                  sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    click.echo(tr.describe(result))
    click.echo(f"\n模型 / model → {out}" + (f"; 混淆矩阵 / confusion matrix → {png}" if shown.y_true else ""))


@app.group("index", context_settings=_CONTEXT, no_args_is_help=True)
def index_app() -> None:
    """查重参考库（SQLite）。The reference index of the duplication check."""


_DB_HELP = "参考库（默认 $SUMMARIZER_DB，否则用户数据目录下的 index.db）/ index database"
_NO_INDEX_HINT = ("先建参考库：summarizer index corpus 或 summarizer index add 文件…；或加 --no-index 只比较报告之间 / "
                  "build it first (index corpus / index add), or pass --no-index to compare the reports only")


def _open_index(db: Path | None, create: bool = True):
    """The reference index at `db` (default: the per-user one). `create=False` (check) never
    makes a new file: a missing or empty index is refused with exit 2, never read as "no copying"."""
    from summarizer.check.index import IndexFileError, IndexMissing, ReferenceIndex, default_db

    path = db or default_db()
    try:
        index = ReferenceIndex(path, create=create)
    except IndexMissing:
        sys.stderr.write(f"{path}: 参考库不存在，无法查重 / the reference index does not exist. {_NO_INDEX_HINT}\n")
        raise SystemExit(2) from None
    except IndexFileError as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(2 if not create else 1) from None
    if not create and len(index) == 0:
        index.close()
        sys.stderr.write(f"{path}: 参考库是空的，无法查重 / the reference index is empty. {_NO_INDEX_HINT}\n")
        raise SystemExit(2)
    return index


def _add_to_index(db: Path | None, docs: list[tuple[str, str, str, str]]) -> tuple[int, int, int, Path]:
    """Add documents with a progress bar; (added, skipped, total, path)."""
    with _open_index(db) as index, _progress() as progress:
        task = progress.add_task("建库 indexing", total=len(docs))
        added, skipped = index.add_many(docs, on_progress=lambda n: progress.advance(task, n))
        return added, skipped, len(index), index.path


@index_app.command("add")
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option("--db", type=PATH, default=None, help=_DB_HELP)
def index_add(files: tuple[Path, ...], db: Path | None) -> None:
    """把参考文档加入查重库（先清洗）。Add reference documents to the index (cleaned first).

    FILES: 参考文档（文件、目录或 zip）/ reference documents."""
    from summarizer.check.inputs import reference_documents

    docs, errors = reference_documents(files)
    for source, error in errors:
        sys.stderr.write(f"{error if source in error else f'{source}: {error}'}\n")
    added, skipped, total, path = _add_to_index(db, docs)
    click.echo(f"新增 {added} 篇，已有跳过 {skipped} 篇，失败 {len(errors)} 个；库中共 {total} 篇 ({path})")
    if errors:
        raise SystemExit(1)


def _bundled_corpus() -> Path:
    """The project's `corpus/` beside the package (a checkout or an editable install), so that
    `index corpus` works from any directory; else `./corpus`."""
    here = Path(__file__).resolve().parent.parent / "corpus"
    return here if (here / "clean").is_dir() else Path("corpus")


@index_app.command("corpus")
@click.option("--corpus", type=PATH, default=None, help="语料目录（用其中 clean/ 的文章；默认随项目的 corpus/）")
@click.option("--db", type=PATH, default=None, help=_DB_HELP)
def index_corpus(corpus: Path | None, db: Path | None) -> None:
    """用随项目发布的语料建立查重库。Build the index from the bundled corpus's clean articles."""
    corpus = corpus or _bundled_corpus()
    files = sorted((corpus / "clean").glob("*.txt"))
    if not files:
        sys.stderr.write(f"{corpus / 'clean'}: 没有文章 / no articles\n")
        raise SystemExit(1)
    docs = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        docs.append((f.stem, str(f), text.split("\n", 1)[0], text))
    added, skipped, total, path = _add_to_index(db, docs)
    click.echo(f"新增 {added} 篇，已有跳过 {skipped} 篇；库中共 {total} 篇 ({path})")


def _bands(bands: str) -> tuple[tuple[float, str], ...]:
    from summarizer.check.result import DEFAULT_BANDS

    try:
        low, high = (float(x) for x in bands.split(","))
        if not 0 < low < high < 1:
            raise ValueError(bands)
    except ValueError:
        sys.stderr.write(f"--bands {bands}: 应为两个 0 到 1 之间的递增小数 / two increasing fractions, e.g. 0.15,0.40\n")
        raise SystemExit(2) from None
    return ((low, DEFAULT_BANDS[0][1]), (high, DEFAULT_BANDS[1][1]), (1.01, DEFAULT_BANDS[2][1]))


def _names(sources: list[dict], n: int = 3) -> str:
    return "、".join(s["source"] for s in sources[:n])


def _echo_run(run) -> None:
    """The text output of a check: one line per report, then the clusters with their passages."""
    if run.index_documents == 0:
        click.echo("（未使用参考库，只比较了报告之间 / no reference index: reports compared with each other only）")
    for r in run.reports:
        if r.error:
            click.echo(f"✗ {r.file}: {r.error}")
            continue
        parts = [f"{r.duplicate_ratio:6.1%}  {r.band}  {r.file}  {len(r.matches)} 处匹配",
                 f"参考库 {r.index_ratio:.1%}" + (f"（{_names(r.sources('reference'))}）" if r.index_ratio else ""),
                 f"报告间 {r.batch_ratio:.1%}" + (f"（{_names(r.sources('submission'))}）" if r.batch_ratio else "")]
        if r.common:
            parts.append(f"常用语 {len(r.common)} 处（不计入）")
        click.echo("；".join(parts))
    for group in run.clusters:
        click.echo("互相抄袭 / copying each other: " + "、".join(group))
        for link in run.cluster_links(group):
            passage = " ".join(max(link.passages, key=len).split())  # one line of the terminal
            click.echo(f"  {link.a} ↔ {link.b}：{len(link.passages)} 段，如「{passage[:40]}{'…' if len(passage) > 40 else ''}」")


@app.command()
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option("--db", type=PATH, default=None, help=_DB_HELP)
@click.option("--report", type=PATH, default=None, help="HTML 报告 / self-contained HTML report")
@click.option("--xlsx", type=PATH, default=None, help="Excel 表 / summary and matches for Excel")
@_format()
@click.option("--min-match", type=int, default=13, show_default=True, help="最短匹配字数 / shortest match, characters")
@click.option("--bands", default="0.15,0.40", show_default=True,
              help="等级界限 / band limits: 原创为主 < a ≤ 部分套用 < b ≤ 大量套用")
@click.option("--common-df", type=click.IntRange(min=0), default=10, show_default=True,
              help="常用语：出现在至少这么多篇参考文档中的短段落不计入重复率（0 关闭）/ "
                   "a short passage in at least this many indexed documents is a common phrase, not copying (0: off)")
@click.option("--no-index", is_flag=True, help="只比较报告之间 / only compare the reports with each other")
def check(files: tuple[Path, ...], db: Path | None, report: Path | None, xlsx: Path | None, fmt: str,
          min_match: int, bands: str, common_df: int, no_index: bool) -> None:
    """查重：每份报告中与参考库或其他报告相同的段落及重复率。Duplication check of submitted reports.

    退出码 / exit: 0 全部查完；1 有输入读不了（其余照查）；2 拒绝（参考库不存在或为空、参数错误）。

    FILES: 待查报告（文件或目录）/ submitted reports."""
    from summarizer.check.checker import check as run_check

    band_table = _bands(bands)
    index = None if no_index else _open_index(db, create=False)
    from summarizer.check.inputs import submissions_of

    try:
        submissions = submissions_of(files)
        with _progress() as progress:
            task = progress.add_task("查重 checking", total=len(submissions))
            run = run_check(submissions, index, min_match=min_match, bands=band_table, common_df=common_df,
                            on_progress=lambda n: progress.advance(task, n))
    finally:
        if index is not None:
            index.close()
    from summarizer.check import report as out

    if report:
        out.write_html(run, report)
    if xlsx:
        out.write_xlsx(run, xlsx)
    if fmt == "json":
        json.dump(out.to_json(run), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _echo_run(run)
    failed = [r for r in run.reports if r.error]
    for r in failed:
        sys.stderr.write(f"{r.error}\n")
    if failed:
        raise SystemExit(1)


@app.command()
@click.argument("data", required=False, type=PATH)
@click.option("-o", "--output", type=PATH, default=None, help="输出 .docx、.md 或 .txt / output file")
@click.option("--seed", type=int, default=None, help="措辞选择的随机种子（默认由学校和时段决定）")
@click.option("--template-data", type=PATH, default=None,
              help="写出空白数据模板 .xlsx（每列有批注）/ write the empty workbook")
def draft(data: Path | None, output: Path | None, seed: int | None, template_data: Path | None) -> None:
    """起草：由活动数据生成工作总结、计划或方案初稿。Compose a draft from activity data.

    DATA: 活动数据（.xlsx、.yaml、.json）/ activity data."""
    from summarizer.io.data_readers import DataError, load_data_with_warnings
    from summarizer.io.data_template import write_template

    if template_data:
        write_template(template_data)
        click.echo(f"数据模板已写出 / template written: {template_data}")
        if data is None:
            return
    if data is None or output is None:
        sys.stderr.write("用法 / usage: summarizer draft DATA -o OUT.docx（或 --template-data 模板.xlsx）\n")
        raise SystemExit(2)
    if output.suffix.lower() not in (".docx", ".md", ".txt"):
        sys.stderr.write(f"{output}: 只能输出 .docx、.md 或 .txt / output must be .docx, .md or .txt\n")
        raise SystemExit(2)
    try:
        activity, warnings = load_data_with_warnings(data)
    except DataError as exc:
        sys.stderr.write(exc.details() + "\n")
        raise SystemExit(1) from None
    for warning in warnings:  # possible slips: said, and the draft is still written
        sys.stderr.write(f"请核对 / warning：{warning}\n")
    from summarizer.compose.composer import compose, duplicate_ratio
    from summarizer.compose.write import write_draft

    result = compose(activity, seed=seed)
    write_draft(result, output)
    ratio, source = duplicate_ratio(result)
    todos = sum(b.kind == "todo" for b in result.blocks)
    click.echo(f"已生成 {output}：{len(result.blocks)} 段，{len(result.text)} 字；"
               f"与语料重复率 {ratio:.1%}" + (f"（最多来自 {source}）" if source else "")
               + (f"；{todos} 处【待补充】" if todos else ""))


def _listen_problem(host: str, port: int) -> str | None:
    """Why `serve` could not listen on host:port (a bilingual message), or None: a socket is
    bound there and closed again before anything is printed, as uvicorn would bind it."""
    import errno
    import os
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":  # as uvicorn: a port left in TIME_WAIT by a stopped server is free
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", None)):
            return (f"端口 {port} 已被占用 / port {port} is already in use: "
                    f"换一个端口，如 --port {port + 1} / choose another, e.g. --port {port + 1}")
        return f"无法在 {host}:{port} 上监听 / cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


@app.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只在本机）/ address to listen on")
@click.option("--port", type=int, default=8000, show_default=True, help="端口 / port")
@click.option("--data-dir", type=PATH, default=Path("summarizer_web"), show_default=True,
              help="数据目录：网页任务的文件放在这里 / where the web jobs' files go")
@click.option("--max-upload-mb", type=int, default=20, show_default=True, help="单次上传上限（MB）/ upload size limit")
@click.option("--db", type=PATH, default=None,
              help="参考库（默认与命令行共用：$SUMMARIZER_DB 或用户数据目录下的 index.db）/ reference index")
def serve(host: str, port: int, data_dir: Path, max_upload_mb: int, db: Path | None) -> None:
    """启动本地网页版（起草、查重、参考库、清洗）。Start the local web app."""
    import uvicorn

    from summarizer.check.index import default_db
    from summarizer.web.app import create_app

    problem = _listen_problem(host, port)
    if problem:
        err.print(problem, highlight=False, soft_wrap=True)
        raise SystemExit(1)
    db = db or default_db()
    click.echo(f"工作总结助手：http://{host}:{port}/ （数据目录 {data_dir.resolve()}；参考库 {db}；按 Ctrl+C 停止）")
    uvicorn.run(create_app(data_dir, max_upload_mb=max_upload_mb, db=db), host=host, port=port,
                log_level="warning")
