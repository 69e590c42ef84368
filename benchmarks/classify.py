"""Benchmark of the section classifier: model load time and paragraphs per second.

In one run (each timing the best of three), on the same paragraphs (the labelled corpus articles, repeated to ≥ 10,000
paragraphs, the repeats made distinct so no cache helps):
- load: a fresh process importing the package and loading the shipped model, beside a fresh
  process that only imports scikit-learn (the floor of any scikit-learn model's load);
- `SectionClassifier.predict_many` (features, jieba words, vectorisers, smoothing);
- the reference libraries alone: jieba over the whole paragraphs, and a bare scikit-learn
  character tf-idf + logistic regression predicting the same paragraphs.

    python benchmarks/classify.py [--paragraphs 10000]

Floors of the classifier issue: load < 0.5 s, ≥ 5,000 paragraphs/s after load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"


def fresh_process(code: str) -> float:
    """Seconds a fresh interpreter takes to run `code` (the best of three)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def best_of(fn, runs: int = 3) -> float:
    """The fastest of `runs` timings of `fn()` (the machine is shared; the minimum is the
    least disturbed run), applied alike to this project and to the references."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=10000)
    args = ap.parse_args()

    from summarizer.analyse.classify import default_classifier
    from summarizer.analyse.labelled import load_hand
    from summarizer.analyse.segment import tokenizer
    from summarizer.document import Article

    corpus = load_hand(CORPUS)
    articles: list[Article] = []
    copy = 0
    while sum(len(a.paragraphs) + 1 for a in articles) < args.paragraphs:
        for item in corpus:
            art = item.article
            # A distinct copy: a number in every paragraph defeats any cache keyed on text.
            lines = [f"{p.text}（{copy}）" for p in art.paragraphs]
            articles.append(Article.from_lines(art.title, lines))
        copy += 1
    n = sum(len(a.paragraphs) + 1 for a in articles)
    texts = [t for a in articles for t in (a.title, *(p.text for p in a.paragraphs))]
    labels = [lab for _ in range(copy) for item in corpus for lab in item.labels]

    load = fresh_process("from summarizer.analyse.classify import default_classifier; default_classifier()")
    first = fresh_process("from summarizer.analyse.classify import default_classifier; "
                          "from summarizer.document import Article; default_classifier().predict_many("
                          "[Article.from_lines('学校帮扶工作总结', ['一、领导重视', '我校成立了领导小组。'])])")
    bare_import = fresh_process("import sklearn.linear_model, sklearn.feature_extraction.text")
    python_only = fresh_process("pass")

    from summarizer.analyse import classify, outline

    model = default_classifier()
    model.predict_many(articles[:5])

    def cold() -> None:
        # Repeated runs over the same paragraphs would hit the caches of heading words and rule
        # labels; each timed run starts without them, as new documents would.
        outline.rule_label.cache_clear()
        outline.heading_section.cache_clear()
        classify._heading_words.cache_clear()
        model.predict_many(articles)

    ours = best_of(cold)

    tok = tokenizer()
    tok.lcut("预热")
    jieba_time = best_of(lambda: [tok.lcut(t) for t in texts])
    # The classifier's word features: the opening of each paragraph, cut without the HMM, by
    # jieba itself and by the one-pass re-implementation the classifier uses (same words).
    from summarizer.analyse.wordcut import DictCut

    t0 = time.perf_counter()
    dict_cut = DictCut(tok)
    dict_cut_build = time.perf_counter() - t0
    openings = [t[: classify.OPENING_CHARS] for t in texts]
    jieba_open = best_of(lambda: [tok.lcut(t, HMM=False) for t in openings])
    ours_open = best_of(lambda: [dict_cut.cut(t) for t in openings])
    assert [dict_cut.cut(t) for t in openings] == [tok.lcut(t, HMM=False) for t in openings]

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    plain = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                          LogisticRegression(max_iter=2000))
    plain.fit(texts[: len(labels) // copy], labels[: len(labels) // copy])
    plain_time = best_of(lambda: plain.predict(texts))

    print(f"paragraphs: {n} ({len(articles)} articles)")
    print(f"{'run':<58}{'seconds':>9}{'para/s':>10}")
    print(f"{'load: import + shipped model, fresh process':<58}{load:9.2f}")
    print(f"{'load + first article (jieba dictionary too), fresh process':<58}{first:9.2f}")
    print(f"{'  reference: import scikit-learn only, fresh process':<58}{bare_import:9.2f}")
    print(f"{'  reference: python start-up only':<58}{python_only:9.2f}")
    print(f"{'SectionClassifier.predict_many':<58}{ours:9.2f}{n / ours:10.0f}")
    print(f"{'  reference: jieba over whole paragraphs':<58}{jieba_time:9.2f}{n / jieba_time:10.0f}")
    print(f"{'  reference: sklearn char tf-idf + LR predict':<58}{plain_time:9.2f}{n / plain_time:10.0f}")
    built = f"openings cut, wordcut.DictCut (build once: {dict_cut_build:.2f} s)"
    print(f"{built:<58}"
          f"{ours_open:9.2f}{n / ours_open:10.0f}")
    print(f"{'  reference: jieba.lcut(HMM=False), same openings':<58}{jieba_open:9.2f}{n / jieba_open:10.0f}")
    print()
    print(f"load {load:.2f} s  floor < 0.5 s  {'ok' if load < 0.5 else 'ABOVE'}")
    print(f"speed {n / ours:.0f} paragraphs/s  floor ≥ 5000  {'ok' if n / ours >= 5000 else 'BELOW'}")


if __name__ == "__main__":
    main()
