"""Labelled articles for the section classifier, from three kinds of source.

- `hand`: articles whose every line a person labelled (`corpus/clean/<stem>.txt` with
  `corpus/labels/<stem>.jsonl`, or the same layout in a user's corpus folder);
- `written`: school-genre documents the team wrote for labels and topics the seeds lack
  (`corpus/written/*.tsv`, one `label<TAB>text` line per paragraph, the title first); they train
  but are never scored as test data;
- `weak`: any folder of reports, raw pages included, cleaned and labelled from their outline
  (`outline.weak_labels`); paragraphs the outline says nothing sure about stay unlabelled.

Only reading happens here; what is learned and scored is in `classify` and `train`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.analyse.outline import LABELS, weak_labels
from summarizer.document import Article


@dataclass
class LabelledArticle:
    """An article with a label (or None: unlabelled) for its title line and every paragraph."""

    stem: str
    group: str  # the source page or document: copies never sit on both sides of a split
    article: Article
    labels: list[str | None]
    origin: str = "hand"  # hand | written | weak

    @property
    def lines(self) -> list[str]:
        return [self.article.title, *(p.text for p in self.article.paragraphs)]


class CorpusError(ValueError):
    """A corpus folder that cannot be trained on; the message names the folder or file."""


def load_hand(corpus: Path) -> list[LabelledArticle]:
    """`clean/<stem>.txt` with `labels/<stem>.jsonl` under `corpus`: every hand-labelled article.
    The group is the source page (the stem's first two `_` fields, `003_aa8f…`)."""
    out = []
    for path in sorted((corpus / "labels").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        article_file = corpus / "clean" / f"{path.stem}.txt"
        try:
            lines = article_file.read_text(encoding="utf-8").split("\n")[:-1]
        except OSError as exc:
            raise CorpusError(f"{article_file}: 无法读取 / cannot read: {exc.strerror}") from None
        if [r["text"] for r in rows] != lines:
            raise CorpusError(f"{path}: 标注与 clean/{path.stem}.txt 不一致 / labels do not match the article")
        _check_labels(path, [r["label"] for r in rows])
        art = Article.from_lines(lines[0], lines[1:])
        group = "_".join(path.stem.split("_")[:2])
        out.append(LabelledArticle(path.stem, group, art, [r["label"] for r in rows], "hand"))
    return out


def load_written(folder: Path) -> list[LabelledArticle]:
    """The team's written documents: `*.tsv` under `folder`, one `label<TAB>text` per line."""
    out = []
    for path in sorted(folder.glob("*.tsv")):
        labels, lines = [], []
        for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not row.strip():
                continue
            label, sep, text = row.partition("\t")
            if not sep or not text.strip():
                raise CorpusError(f"{path}:{number}: 应为“标签<TAB>文本” / expected label<TAB>text")
            labels.append(label.strip())
            lines.append(text.strip())
        _check_labels(path, labels)
        if lines:
            art = Article.from_lines(lines[0], lines[1:])
            out.append(LabelledArticle(path.stem, f"written/{path.stem}", art, labels, "written"))
    return out


def _check_labels(path: Path, labels: list[str]) -> None:
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise CorpusError(f"{path}: 未知标签 / unknown labels: {', '.join(unknown)}")


def read_corpus(folder: Path, on_error: Callable[[str], None] | None = None) -> list[LabelledArticle]:
    """Everything a corpus folder offers for training.

    A folder with `labels/` is a labelled corpus: its hand-labelled articles (`clean/` +
    `labels/`) and its written documents (`written/*.tsv`). Any other folder is an archive of
    reports, weakly labelled (`iter_weak`). Raises `CorpusError` when the folder is missing or
    gives nothing to train on."""
    if not folder.is_dir():
        raise CorpusError(f"{folder}: 语料目录不存在或不是目录 / corpus folder missing or not a directory")
    if (folder / "labels").is_dir():
        found = load_hand(folder)
        found += load_written(folder / "written") if (folder / "written").is_dir() else []
    else:
        found = list(iter_weak(folder, on_error))
    if not any(label is not None for a in found for label in a.labels[1:]):
        raise CorpusError(f"{folder}: 没有可训练的报告（无可读文件或无可识别的章节）/ "
                          "no reports to train on (no readable file, or no section the outline names)")
    return found


def iter_weak(folder: Path, on_error: Callable[[str], None] | None = None) -> Iterator[LabelledArticle]:
    """Every article of every readable report under `folder`, cleaned and weakly labelled.

    Raw pages, any encoding, docx and html are read and cleaned as `summarizer clean` does; an
    input that cannot be read or holds no text goes to `on_error` (its one-line message) and the
    rest go on. The group is the input, so the articles of one page stay together."""
    from summarizer.clean.pipeline import clean_input
    from summarizer.io import iter_inputs

    for raw in iter_inputs(folder):
        done = clean_input(raw)
        if isinstance(done, str):
            if on_error:
                on_error(done)
            continue
        _, doc = done
        rel = _relative(doc.source, folder)
        for art in doc.articles:
            yield LabelledArticle(f"{rel}#{art.index}", rel, art, weak_labels(art), "weak")


def _relative(source: str, folder: Path) -> str:
    try:
        return Path(source).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return source


def text_key(text: str) -> str:
    """A short fingerprint of a paragraph, so that a checked weak label can name its paragraph
    without the repository holding the corpus text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass
class WeakCheck:
    """How well the weak labels agree with a person's reading of a sample of them."""

    checked: int
    agreed: int
    missing: int  # sample rows whose paragraph is not in the corpus given (another corpus)
    by_label: dict[str, tuple[int, int]]  # weak label -> (agreed, checked)
    by_sample: dict[str, tuple[int, int]] = field(default_factory=dict)  # sample -> (agreed, checked)

    @property
    def precision(self) -> float:
        return self.agreed / self.checked if self.checked else float("nan")


def check_weak(weak: list[LabelledArticle], sample_file: Path) -> WeakCheck:
    """Precision of the weak labels on the hand-checked sample (`corpus/weak_check.jsonl`: one
    row per checked paragraph: `group`, `index` within its article, `key` = `text_key(text)`,
    `gold` = the label a person gave it, `sample` = which draw it came from). Each row is matched
    to today's weak labels by group and key, so a change to the weak labeller is measured again,
    not taken on trust. The `tuned` sample is the one the labeller was corrected against; the
    `fresh` one was drawn afterwards, at random, and is the honest figure."""
    by_key = {(a.group, text_key(line)): label for a in weak for line, label in zip(a.lines, a.labels)}
    checked = agreed = missing = 0
    by_label: dict[str, list[int]] = {}
    by_sample: dict[str, list[int]] = {}
    for row in (json.loads(line) for line in sample_file.read_text(encoding="utf-8").splitlines() if line.strip()):
        key = (row["group"], row["key"])
        if key not in by_key:
            missing += 1
            continue
        weak_label = by_key[key]
        if weak_label is None:  # the weak labeller no longer labels it: not a claim to check
            continue
        checked += 1
        ok = row["gold"] == weak_label
        agreed += ok
        for tally in (by_label.setdefault(weak_label, [0, 0]), by_sample.setdefault(row.get("sample", ""), [0, 0])):
            tally[0] += ok
            tally[1] += 1
    return WeakCheck(checked, agreed, missing, {k: (v[0], v[1]) for k, v in sorted(by_label.items())},
                     {k: (v[0], v[1]) for k, v in sorted(by_sample.items())})


def packaged_rows(articles: list[LabelledArticle]) -> str:
    """Hand and written articles as JSONL, shipped beside the model so that it can be retrained
    wherever the package is installed (weak corpora are not ours to ship)."""
    return "".join(json.dumps({"stem": a.stem, "group": a.group, "origin": a.origin, "lines": a.lines,
                               "labels": a.labels}, ensure_ascii=False) + "\n"
                   for a in articles if a.origin in ("hand", "written"))


def read_packaged_rows(raw: str) -> list[LabelledArticle]:
    out = []
    for line in raw.splitlines():
        row = json.loads(line)
        art = Article.from_lines(row["lines"][0], row["lines"][1:])
        out.append(LabelledArticle(row["stem"], row["group"], art, row["labels"], row.get("origin", "hand")))
    return out
