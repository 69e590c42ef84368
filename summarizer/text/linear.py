"""A fitted scikit-learn text pipeline (tf-idf branches + logistic regression) as plain arrays.

Both learned text models of the project, the chrome line scorer of the cleanup and the section
classifier, are a `FeatureUnion` of vectorisers followed by a `LogisticRegression`. Prediction
with scikit-learn itself costs its import (~1 s in every process) and per-call validation that
dominated the cleanup's run time, so the fitted pipeline is compiled once into arrays and scored
with numpy and scipy alone: the same probabilities (`tests/text/test_linear.py` checks them
against scikit-learn's to 1e-9).

A branch of the union is one of:
- `TfidfVectorizer(analyzer="char", ngram_range=(1, n≤3))`: character n-grams, found for every
  text at once as integer keys (21 bits a code point, `gram_keys`) and looked up by binary search;
- `TfidfVectorizer(analyzer=callable)`: tokens the caller made (words, outline context);
- `DictVectorizer`: named flags and numbers;
- `FunctionTransformer(func)`: dense features computed by a module-level `func` of the texts.
Each may sit behind a `FunctionTransformer(picker)` that selects one field of dict rows.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_WHITE = re.compile(r"\s\s+")
_BITS = 21  # code points (+1, so that no gram key is 0) fit in 21 bits; three in an int64


def gram_keys(texts: list[str], longest: int) -> tuple[np.ndarray, np.ndarray]:
    """(keys, owners): an integer per character n-gram (1 ≤ n ≤ `longest` ≤ 3) of every text,
    with the index of the text it comes from, for all texts in one pass. Texts are lower-cased
    and runs of white space folded to one space, as scikit-learn's char analyzer does."""
    texts = [_WHITE.sub(" ", t.lower()) for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64) + 1
    line = np.repeat(np.arange(len(texts)), lengths)
    keys, owners = [cps], [line]
    for k in range(2, longest + 1):
        if len(cps) < k:
            break
        same = line[: len(cps) - k + 1] == line[k - 1:]
        key = cps[: len(cps) - k + 1].copy()
        for j in range(1, k):
            key = key << _BITS | cps[j: len(cps) - k + 1 + j]
        keys.append(key[same])
        owners.append(line[: len(cps) - k + 1][same])
    return np.concatenate(keys), np.concatenate(owners)


def gram_key(gram: str) -> int:
    """The key `gram_keys` gives one gram."""
    key = 0
    for c in gram:
        key = key << _BITS | (ord(c) + 1)
    return key


@dataclass
class Branch:
    """One compiled branch: where its input comes from, how it is vectorised, its weights."""

    kind: str  # chars | tokens | flags | dense
    pick: str | None  # the dict field it reads, or None: the rows themselves
    weights: np.ndarray  # (features, classes) of the decision function, idf folded in
    idf: np.ndarray | None = None
    vocab: dict[str, int] = field(default_factory=dict)  # tokens and flags
    keys: np.ndarray | None = None  # chars: sorted gram keys, and their columns
    cols: np.ndarray | None = None
    longest: int = 0
    func: str = ""  # dense: "module:function"

    def inputs(self, rows: list) -> list:
        return rows if self.pick is None else [r[self.pick] for r in rows]


class CompiledLinear:
    """`predict_proba(rows)` of a fitted tf-idf + logistic-regression pipeline, without
    scikit-learn. `classes` are the model's classes in its order."""

    def __init__(self, classes: list, intercept: np.ndarray, branches: list[Branch]) -> None:
        self.classes = classes
        self.intercept = intercept
        self.branches = branches

    @classmethod
    def from_pipeline(cls, pipeline) -> CompiledLinear:
        """Compile `Pipeline([(…, FeatureUnion([...])), (…, LogisticRegression)])`."""
        union, lr = pipeline.steps[0][1], pipeline.steps[-1][1]
        coef = lr.coef_.T  # (features, 1 or classes)
        branches, offset = [], 0
        for _, step in union.transformer_list:
            pick, vec = _unwrap(step)
            width = _width(vec, coef.shape[0] - offset)
            branches.append(_compile_branch(vec, pick, coef[offset:offset + width]))
            offset += width
        if offset != coef.shape[0]:
            raise ValueError(f"compiled {offset} features of {coef.shape[0]}")
        return cls(lr.classes_.tolist(), lr.intercept_.copy(), branches)

    def decision(self, rows: list) -> np.ndarray:
        """The decision function: (rows, 1 or classes).

        Every sum runs over one row's features in a fixed order (`np.bincount` adds in the order
        of its input), so a row's score does not depend, to the last bit, on the rows scored
        with it: the chrome scores are cached per line and must not depend on the page order."""
        n = len(rows)
        z = np.tile(self.intercept, (n, 1)).astype(float)
        for b in self.branches:
            data = b.inputs(rows)
            if b.kind == "dense":
                x = np.asarray(_resolve(b.func)(data), dtype=float).reshape(n, -1)
                z += (x[:, :, None] * b.weights[None]).sum(axis=1)
                continue
            if b.kind == "flags":
                cols, values, indptr = _flag_values(data, b.vocab)
                z += _row_sums(values[:, None] * b.weights[cols], indptr, n)
                continue
            cols, tf, indptr = (self._gram_counts(b, data) if b.kind == "chars"
                                else _token_counts(data, b.vocab))
            t = 1.0 + np.log(tf)  # sublinear tf
            ti = t * b.idf[cols]
            norms = np.sqrt(_row_sums((ti * ti)[:, None], indptr, n)[:, 0])
            z += _row_sums(t[:, None] * b.weights[cols], indptr, n) / np.where(norms > 0, norms, 1.0)[:, None]
        return z

    def predict_proba(self, rows: list) -> np.ndarray:
        """Probabilities (rows, classes), as `LogisticRegression.predict_proba` gives them."""
        z = self.decision(rows)
        if z.shape[1] == 1:  # binary: one decision for the second class
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p, p])
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    @staticmethod
    def _gram_counts(b: Branch, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known n-grams of every text, counted, in CSR order (columns, counts, row pointers)."""
        key, owner = gram_keys(texts, b.longest)
        pos = np.searchsorted(b.keys, key).clip(max=len(b.keys) - 1)
        known = b.keys[pos] == key
        pair = np.sort(owner[known] * (1 << 32) + b.cols[pos[known]])
        starts = np.flatnonzero(np.diff(pair, prepend=-1))  # where a run of one (row, gram) begins
        tf = np.diff(starts, append=len(pair))
        rows, cols = pair[starts] >> 32, pair[starts] & ((1 << 32) - 1)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
        return cols, tf.astype(float), indptr

    def to_dict(self) -> dict[str, Any]:
        """Everything prediction needs, as JSON-able lists (the chrome model ships as JSON)."""
        return {"classes": self.classes, "intercept": self.intercept.tolist(), "branches": [{
            "kind": b.kind, "pick": b.pick, "weights": b.weights.tolist(),
            "idf": None if b.idf is None else b.idf.tolist(), "vocab": b.vocab,
            "keys": None if b.keys is None else b.keys.tolist(),
            "cols": None if b.cols is None else b.cols.tolist(), "longest": b.longest, "func": b.func,
        } for b in self.branches]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompiledLinear:
        branches = [Branch(
            kind=d["kind"], pick=d["pick"], weights=np.array(d["weights"], dtype=float).reshape(-1, len(
                data["intercept"])),
            idf=None if d["idf"] is None else np.array(d["idf"], dtype=float), vocab=d["vocab"],
            keys=None if d["keys"] is None else np.array(d["keys"], dtype=np.int64),
            cols=None if d["cols"] is None else np.array(d["cols"], dtype=np.int64),
            longest=d["longest"], func=d["func"]) for d in data["branches"]]
        return cls(data["classes"], np.array(data["intercept"], dtype=float), branches)


def _unwrap(step) -> tuple[str | None, Any]:
    """(the field a branch picks, its vectoriser) of a union member."""
    from sklearn.pipeline import Pipeline

    if isinstance(step, Pipeline):
        pick = getattr(step.steps[0][1].func, "key", None) if len(step.steps) > 1 else None
        return pick, step.steps[-1][1]
    return None, step


def _width(vec, left: int) -> int:
    if hasattr(vec, "vocabulary_"):
        return len(vec.vocabulary_)
    return left if not hasattr(vec, "n_features_out") else vec.n_features_out  # a dense function


def _compile_branch(vec, pick: str | None, coef: np.ndarray) -> Branch:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import FunctionTransformer

    if isinstance(vec, DictVectorizer):
        return Branch("flags", pick, coef.copy(), vocab={k: int(v) for k, v in vec.vocabulary_.items()})
    if isinstance(vec, FunctionTransformer):
        return Branch("dense", pick, coef.copy(), func=f"{vec.func.__module__}:{vec.func.__qualname__}")
    if not isinstance(vec, TfidfVectorizer) or not vec.sublinear_tf or vec.norm != "l2" or not vec.use_idf:
        raise ValueError(f"cannot compile {vec!r}: a sublinear, l2-normalised tf-idf is expected")
    weights = coef * vec.idf_[:, None]
    vocab = {k: int(v) for k, v in vec.vocabulary_.items()}
    if vec.analyzer == "char":
        if not vec.lowercase or vec.ngram_range[1] > 3 or vec.strip_accents:
            raise ValueError(f"cannot compile {vec!r}: lower-cased character 1–3-grams are expected")
        keys = np.array([gram_key(g) for g in vocab], dtype=np.int64)
        order = np.argsort(keys)
        cols = np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))[order]
        return Branch("chars", pick, weights, idf=vec.idf_.copy(), keys=keys[order], cols=cols,
                      longest=vec.ngram_range[1])
    if not callable(vec.analyzer):
        raise ValueError(f"cannot compile {vec!r}: a char analyzer or a callable one is expected")
    return Branch("tokens", pick, weights, idf=vec.idf_.copy(), vocab=vocab)


def _row_sums(values: np.ndarray, indptr: np.ndarray, n: int) -> np.ndarray:
    """(n, k) sums of the (entries, k) `values` of each row, rows laid out by `indptr`."""
    rows = np.repeat(np.arange(n), np.diff(indptr))
    if values.shape[1] == 1:
        return np.bincount(rows, weights=values[:, 0], minlength=n)[:, None]
    return np.column_stack([np.bincount(rows, weights=values[:, j], minlength=n) for j in range(values.shape[1])])


def _resolve(name: str):
    module, _, attr = name.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _token_counts(docs: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Known tokens of every document, counted, in CSR order (columns, counts, row pointers)."""
    indptr, indices, counted = [0], [], []
    for tokens in docs:
        counts = Counter(j for j in map(vocab.get, tokens) if j is not None)
        indices.extend(counts)
        counted.extend(counts.values())
        indptr.append(len(indices))
    return np.array(indices, dtype=np.int64), np.array(counted, dtype=float), np.array(indptr)


def _flag_values(dicts: list[dict], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr, indices, values = [0], [], []
    for d in dicts:
        for name, value in d.items():
            j = vocab.get(name)
            if j is not None:
                indices.append(j)
                values.append(value)
        indptr.append(len(indices))
    return np.array(indices, dtype=np.int64), np.array(values, dtype=float), np.array(indptr)


class Picker:
    """Selects one field of dict rows (a class, so that fitted pipelines pickle and the compiler
    can read which field a branch takes)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, rows: list[dict]) -> list:
        return [r[self.key] for r in rows]


def identity(tokens: list[str]) -> list[str]:
    """The analyzer of a token branch: the caller made the tokens."""
    return tokens
