"""Training and honest evaluation of the section classifier (`summarizer train`).

Two evaluations, both grouped so that no source page or document sits on both sides of a split:

- `holdout_hand`: every hand-labelled source page held out in turn, the model trained on
  everything else (the other pages, the written and the weakly labelled documents); only real
  pages are scored, never the team's written ones. This is the figure that says how the model
  does on a school page it has never seen.
- `grouped_cv`: k folds over the documents (hand and weak; written ones always train), scored
  against each document's labels: how well the model learns the corpus it is given, weak
  labels included.

The keyword-and-heading baseline (`outline.rule_predict`) is scored on the same paragraphs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from summarizer.analyse.classify import SectionClassifier, packaged_training_set, save_model, user_model_path
from summarizer.analyse.labelled import CorpusError, LabelledArticle, WeakCheck, check_weak, read_corpus
from summarizer.analyse.outline import LABELS, article_views, rule_predict

__all__ = ["CorpusError", "Evaluation", "Scores", "TrainingResult", "describe", "fit", "grouped_cv",
           "holdout_hand", "prepare", "run_training", "save_confusion_png", "save_model", "user_model_path"]

WEIGHTS = {"hand": 1.0, "written": 1.0, "weak": 0.25}  # per line, by where its label came from
MODELS = {  # the models `train` compares: keyword arguments of SectionClassifier
    "linear": {"smoothing": 0.0, "headings": False},
    "outline": {"smoothing": 0.5, "headings": True},
}
FINAL = "outline"


@dataclass
class Scores:
    """Per-label precision/recall/F1/support, macro-F1 and the confusion matrix of one model."""

    name: str
    labels: list[str]
    precision: list[float]
    recall: list[float]
    f1: list[float]
    support: list[int]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Evaluation:
    """Out-of-fold predictions of every compared model and the baseline, and their scores."""

    title: str
    groups: list[str]
    y_true: list[str] = field(default_factory=list)
    predictions: dict[str, list[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    scores: dict[str, Scores] = field(default_factory=dict)

    def add(self, article: LabelledArticle, predicted: dict[str, list[str]]) -> None:
        """Score one held-out article's labelled lines."""
        keep = [i for i, label in enumerate(article.labels) if label is not None]
        lines = article.lines
        self.y_true.extend(article.labels[i] for i in keep)
        self.texts.extend(lines[i] for i in keep)
        self.stems.extend([article.stem] * len(keep))
        for name, labels in predicted.items():
            self.predictions.setdefault(name, []).extend(labels[i] for i in keep)

    def finish(self) -> Evaluation:
        self.scores = {name: score(name, self.y_true, pred) for name, pred in self.predictions.items()}
        return self

    @property
    def best(self) -> str:
        return max((k for k in self.scores if k != "rule"), key=lambda k: self.scores[k].macro_f1)


def score(name: str, y_true: list[str], y_pred: list[str]) -> Scores:
    """Scores over the labels that occur in `y_true` (a label never present has no recall)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = [label for label in LABELS if label in set(y_true)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    acc = float(np.mean(np.array(y_true) == np.array(y_pred))) if y_true else float("nan")
    return Scores(name, labels, [float(x) for x in p], [float(x) for x in r], [float(x) for x in f],
                  [int(x) for x in s], float(np.mean(f)) if len(f) else float("nan"), acc, cm.tolist())


WEAK_LINES = 40  # labelled lines a weakly labelled document gives at most, spread over it


def fit(articles: list[LabelledArticle], **options) -> SectionClassifier:
    """A classifier fitted on `articles`, each line weighed by where its label came from; a long
    weakly labelled report gives at most `WEAK_LINES` lines, so that no one document outweighs
    the rest (and fitting on the whole official corpus takes seconds, not minutes)."""
    labels = [_thinned(a.labels) if a.origin == "weak" else a.labels for a in articles]
    return SectionClassifier(**options).fit([a.article for a in articles], labels,
                                            [WEIGHTS[a.origin] for a in articles])


def _thinned(labels: list[str | None], most: int = WEAK_LINES) -> list[str | None]:
    """At most `most` labelled lines besides the title, evenly spaced."""
    idx = [i for i, label in enumerate(labels) if label is not None and i > 0]
    if len(idx) <= most:
        return labels
    keep = {idx[int(k * len(idx) / most)] for k in range(most)}
    return [label if i == 0 or i in keep else None for i, label in enumerate(labels)]


def _predict_all(models: dict[str, SectionClassifier], test: list[LabelledArticle]) -> list[dict[str, list[str]]]:
    out = [{"rule": rule_predict(article_views(a.article))} for a in test]
    for name, model in models.items():
        for row, labelled in zip(out, model.predict_many([a.article for a in test])):
            row[name] = [label for label, _ in labelled]
    return out


def holdout_hand(articles: list[LabelledArticle], progress: Callable[[str], None] | None = None,
                 models: dict[str, dict] | None = None) -> Evaluation:
    """Each hand-labelled source page held out in turn; trained on everything else. `models`:
    the models to compare (name → SectionClassifier options), `MODELS` by default."""
    groups = sorted({a.group for a in articles if a.origin == "hand"})
    ev = Evaluation("hand-labelled pages held out one at a time", groups)
    for group in groups:
        if progress:
            progress(group)
        train = [a for a in articles if a.group != group]
        test = [a for a in articles if a.group == group]
        fitted = {name: fit(train, **options) for name, options in (models or MODELS).items()}
        for a, predicted in zip(test, _predict_all(fitted, test)):
            ev.add(a, predicted)
    return ev.finish()


def grouped_cv(articles: list[LabelledArticle], folds: int = 5,
               progress: Callable[[str], None] | None = None) -> Evaluation:
    """`folds`-fold cross-validation grouped by document over the hand and weak articles
    (written ones always train): each document's own labels are the truth."""
    from sklearn.model_selection import GroupKFold

    scored = [a for a in articles if a.origin != "written"]
    written = [a for a in articles if a.origin == "written"]
    groups = sorted({a.group for a in scored})
    ev = Evaluation(f"{folds}-fold cross-validation grouped by document", groups)
    if len(groups) < folds:
        return ev.finish()
    ids = {g: i for i, g in enumerate(groups)}
    splits = GroupKFold(n_splits=folds).split(scored, groups=[ids[a.group] for a in scored])
    for k, (train_idx, test_idx) in enumerate(splits, start=1):
        if progress:
            progress(f"fold {k}/{folds}")
        train = [scored[i] for i in train_idx] + written
        test = [scored[i] for i in test_idx]
        models = {FINAL: fit(train, **MODELS[FINAL])}
        for a, predicted in zip(test, _predict_all(models, test)):
            ev.add(a, predicted)
    return ev.finish()


def report_table(s: Scores) -> str:
    """A plain-text table of one model's scores (the README quotes it)."""
    lines = [f"{'label':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}"]
    for i, label in enumerate(s.labels):
        lines.append(f"{label:<14}{s.precision[i]:>10.2f}{s.recall[i]:>8.2f}{s.f1[i]:>7.2f}{s.support[i]:>9}")
    lines.append(f"{'macro-F1':<14}{'':>10}{'':>8}{s.macro_f1:>7.3f}{sum(s.support):>9}")
    lines.append(f"{'accuracy':<14}{'':>10}{'':>8}{s.accuracy:>7.3f}")
    return "\n".join(lines)


def confusion_table(s: Scores) -> str:
    short = [label[:5] for label in s.labels]
    corner = "true \\ pred"
    lines = [f"{corner:<14}" + "".join(f"{c:>6}" for c in short)]
    for label, row in zip(s.labels, s.confusion):
        lines.append(f"{label:<14}" + "".join(f"{v:>6}" for v in row))
    return "\n".join(lines)


def save_confusion_png(s: Scores, title: str, path: Path) -> bool:
    """The confusion matrix as a PNG (rows: true label, columns: predicted); False, with a note
    on stderr, where matplotlib (the `plots` extra) is not installed: the model matters more."""
    try:
        import matplotlib
    except ImportError:
        sys.stderr.write("未安装 matplotlib，未画混淆矩阵图 / matplotlib is not installed, no confusion PNG: "
                         "pip install 'summarizer[plots]'\n")
        return False

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = np.array(s.confusion)
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(s.labels)), s.labels, rotation=45, ha="right")
    ax.set_yticks(range(len(s.labels)), s.labels)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                        color="white" if cm[i, j] > cm.max() / 2 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{s.name}: macro-F1 {s.macro_f1:.3f}\n({title})", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(path)
    return True


# --- one training run: the corpora, the evaluations, the final model ---------------------------

WEAK_CHECK_FILE = "weak_check.jsonl"


def prepare(corpora: tuple[Path, ...] | list[Path], base: bool = True,
            on_error: Callable[[str], None] | None = None) -> list[LabelledArticle]:
    """The training articles: the shipped hand-labelled and written ones (`base`) and every
    corpus folder's (`labelled.read_corpus`), each article once."""
    articles = list(packaged_training_set()) if base else []
    for folder in corpora:
        articles += read_corpus(Path(folder), on_error)
    seen, unique = set(), []
    for a in articles:
        if (a.origin, a.group, a.stem) not in seen:
            seen.add((a.origin, a.group, a.stem))
            unique.append(a)
    if not any(label is not None for a in unique for label in a.labels[1:]):
        raise CorpusError("没有可训练的语料 / nothing to train on (give --corpus DIR, or keep --base)")
    return unique


@dataclass
class TrainingResult:
    articles: list[LabelledArticle]
    holdout: Evaluation
    cv: Evaluation
    weak_check: WeakCheck | None
    model: SectionClassifier

    def counts(self) -> dict[str, dict[str, int]]:
        """Articles and labelled lines by origin."""
        out: dict[str, dict[str, int]] = {}
        for a in self.articles:
            row = out.setdefault(a.origin, {"articles": 0, "lines": 0})
            row["articles"] += 1
            row["lines"] += sum(label is not None for label in a.labels)
        return out

    def summary(self) -> dict:
        """The machine-readable account of the run (`train --format json`)."""
        check = self.weak_check
        return {
            "counts": self.counts(),
            "holdout": {"groups": self.holdout.groups, "paragraphs": len(self.holdout.y_true),
                        "scores": {k: v.to_dict() for k, v in self.holdout.scores.items()}},
            "cv": {"groups": len(self.cv.groups), "paragraphs": len(self.cv.y_true),
                   "scores": {k: v.to_dict() for k, v in self.cv.scores.items()}},
            "weak_check": None if check is None else {
                "checked": check.checked, "agreed": check.agreed, "precision": check.precision,
                "by_label": check.by_label, "by_sample": check.by_sample},
        }


def run_training(articles: list[LabelledArticle], folds: int = 5,
                 progress: Callable[[str], None] | None = None) -> TrainingResult:
    """Both evaluations, the weak labels' check, and the final model fitted on everything."""
    say = progress or (lambda _: None)
    holdout = holdout_hand(articles, progress=lambda g: say(f"留出 / holding out {g}"))
    cv = grouped_cv(articles, folds, progress=lambda f: say(f"交叉验证 / cross-validation {f}")) if folds > 1 \
        else Evaluation("(skipped)", []).finish()
    weak = [a for a in articles if a.origin == "weak"]
    say("训练最终模型 / fitting the final model")
    model = fit(articles, **MODELS[FINAL])
    return TrainingResult(articles, holdout, cv, _weak_check(weak), model)


def _weak_check(weak: list[LabelledArticle]) -> WeakCheck | None:
    from importlib import resources

    if not weak:
        return None
    with resources.as_file(resources.files("summarizer") / "data" / WEAK_CHECK_FILE) as path:
        if not path.is_file():
            return None
        found = check_weak(weak, path)
    return found if found.checked else None


def describe(result: TrainingResult) -> str:
    """The run as `train` prints it: what it learned from, then each evaluation's tables."""
    lines = ["训练语料 / training material:"]
    names = {"hand": "人工标注 hand-labelled", "written": "团队编写 written here (never tested on)",
             "weak": "弱标注 weak labels from the outline"}
    for origin, row in result.counts().items():
        lines.append(f"  {names[origin]:<42}{row['articles']:>6} 篇 articles {row['lines']:>7} 段 lines")
    check = result.weak_check
    if check:
        per = ", ".join(f"{label} {a}/{n}" for label, (a, n) in check.by_label.items())
        samples = "; ".join(f"{name} sample {a}/{n} = {a / n:.3f}" for name, (a, n) in check.by_sample.items() if n)
        lines.append(f"弱标注人工核查 / weak labels checked by hand: {check.agreed}/{check.checked} agree, "
                     f"precision {check.precision:.3f} ({samples}; by label: {per})")
    for ev in (result.holdout, result.cv):
        if not ev.y_true:
            continue
        lines.append(f"\n=== {ev.title}: {len(ev.groups)} groups, {len(ev.y_true)} paragraphs ===")
        for name, s in ev.scores.items():
            lines.append(f"\n-- {name}{' (baseline: keywords and headings)' if name == 'rule' else ''} --")
            lines.append(report_table(s))
        lines.append(f"\nconfusion matrix ({FINAL}; rows true, columns predicted):")
        lines.append(confusion_table(ev.scores[FINAL]))
        margin = ev.scores[FINAL].macro_f1 - ev.scores["rule"].macro_f1
        lines.append(f"{FINAL} macro-F1 {ev.scores[FINAL].macro_f1:.3f}; baseline {ev.scores['rule'].macro_f1:.3f} "
                     f"({margin:+.3f})")
    return "\n".join(lines)
