"""Training and grouped cross-validation of the section classifier (`summarizer train`).

The folds are source pages: a compilation page holds several articles, some of them copies of
each other, so splitting by article would test on text the model was trained on. Every model is
scored on the same out-of-fold paragraphs as the keyword-and-heading baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from summarizer.analyse.classify import (
    CORPUS_FILE,
    LABELS,
    LabelledArticle,
    SectionClassifier,
    article_views,
    rule_predict,
)


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
class CrossValidation:
    """Out-of-fold predictions of every compared model, and their scores."""

    groups: list[str]
    y_true: list[str]
    predictions: dict[str, list[str]]
    scores: dict[str, Scores] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)

    @property
    def best(self) -> str:
        learned = [k for k in self.scores if k != "rule"]
        return max(learned, key=lambda k: self.scores[k].macro_f1)


MODELS = {"linear": 0.0, "outline": None}  # smoothing; None = the default SMOOTHING


def score(name: str, y_true: list[str], y_pred: list[str]) -> Scores:
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = [label for label in LABELS if label in set(y_true)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    acc = float(np.mean(np.array(y_true) == np.array(y_pred)))
    return Scores(name, labels, [float(x) for x in p], [float(x) for x in r], [float(x) for x in f],
                  [int(x) for x in s], float(np.mean(f)), acc, cm.tolist())


def cross_validate(corpus: list[LabelledArticle]) -> CrossValidation:
    """Leave-one-source-page-out predictions of each model in `MODELS` and of the baseline."""
    from summarizer.analyse.classify import SMOOTHING

    groups = sorted({a.group for a in corpus})
    cv = CrossValidation(groups, [], {name: [] for name in [*MODELS, "rule"]})
    for group in groups:
        train = [a for a in corpus if a.group != group]
        test = [a for a in corpus if a.group == group]
        for name, smoothing in MODELS.items():
            model = SectionClassifier(smoothing=SMOOTHING if smoothing is None else smoothing)
            model.fit([a.article for a in train], [a.labels for a in train])
            for a in test:
                cv.predictions[name].extend(label for label, _ in model.predict(a.article))
        for a in test:
            cv.y_true.extend(a.labels)
            cv.predictions["rule"].extend(rule_predict(article_views(a.article)))
            cv.texts.extend([a.article.title, *(p.text for p in a.article.paragraphs)])
            cv.stems.extend([a.stem] * len(a.labels))
    cv.scores = {name: score(name, cv.y_true, pred) for name, pred in cv.predictions.items()}
    return cv


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


def save_confusion_png(s: Scores, path: Path) -> None:
    """The confusion matrix as a PNG (rows: true label, columns: predicted)."""
    import matplotlib

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
    ax.set_title(f"{s.name}: macro-F1 {s.macro_f1:.3f} (grouped by source page)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(path)


def corpus_rows(corpus: list[LabelledArticle]) -> str:
    """The labelled articles as JSONL (`CORPUS_FILE`), shipped so the model can be retrained
    wherever the package is installed."""
    return "".join(json.dumps({"stem": a.stem, "group": a.group,
                               "lines": [a.article.title, *(p.text for p in a.article.paragraphs)],
                               "labels": a.labels}, ensure_ascii=False) + "\n" for a in corpus)


def fit_final(corpus: list[LabelledArticle], smoothing: float) -> SectionClassifier:
    return SectionClassifier(smoothing=smoothing).fit([a.article for a in corpus], [a.labels for a in corpus])


__all__ = ["CORPUS_FILE", "CrossValidation", "Scores", "cross_validate", "fit_final", "report_table",
           "confusion_table", "save_confusion_png", "corpus_rows", "score"]
