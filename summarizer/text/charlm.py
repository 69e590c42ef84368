"""A character bigram language model of Chinese report text: mojibake repair, draft fluency.

The mojibake repair (`summarizer.clean.mojibake`) has to decide whether `差距?,F將` or
`差距。現將` is the more plausible text, and which character a lost GBK byte stood for. Both are
questions about character sequences, so the model is a smoothed character bigram model over
simplified characters: traditional input is scored through a per-character OpenCC t2s map.

Two sources, combined because each covers the other's blind spot:
- jieba's dictionary (~350k words with frequencies) gives robust in-word character statistics.
  Each word occurrence is a run of in-word bigrams followed by a word end; after a word end the
  next character starts a word (by word-start frequency) or is punctuation. That is a character
  bigram model marginalised from a word unigram model, with no count tables larger than the
  dictionary itself.
- a corpus of report text gives in-domain transitions across words and around punctuation, which
  a dictionary lacks: the seed pages (gloss-stripped, t2s-converted, mojibake neighbourhoods
  dropped), the team's written school documents and the official documents of `../shared/corpus`
  at a lower weight (`corpus/build_charlm.py`, which also says why). Its counts are precomputed
  into `summarizer/data/charlm_corpus.json` because the package does not ship the corpus.

The corpus part is Witten–Bell smoothed and interpolated with the dictionary part, weighted by
how often the history character was seen in the corpus; a small unigram floor keeps every
probability positive.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import numpy as np

BOUNDARY = "\n"
"""The symbol before the first and after the last character of a text or line."""

LETTER = "a"
DIGIT = "0"
_DATA_FILE = "charlm_corpus.json"

# ASCII marks that stand for their full-width forms in Chinese text: scored as the full-width
# form, so that `距,` and `距，` are one event for the model.
_FULL_WIDTH = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}
_WHITESPACE = frozenset(" \t\r\n\u3000\u00a0\u200b\ufeff")

# Pinyin glosses like `(xiāng)` in the raw seed pages, stripped before training.
_GLOSS = re.compile(r"\((?:[a-zü]|[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])+\)")
# A stretch of raw text near mojibake is dropped from the training text rather than learnt.
# Mojibake shows as private-use characters, U+FFFD, or a `?` right before another mark or a
# Latin letter (`?,F將`, `??蒲`, `?shù)`); a question mark ending a question (`呢?我们`) stays.
_MOJIBAKE_NEAR = re.compile(r"[^\n]{0,12}(?:[?？](?=[!-~？])|[\ue000-\uf8ff\ufffd])[^\n]{0,12}")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_SYMBOLS: dict[str, str] = {}


def symbol(ch: str) -> str:
    """The model's symbol for one character: simplified Han, letter and digit classes, marks.

    Classes instead of letters because the model only needs to know that Latin text or a
    number sits there; traditional characters go through OpenCC t2s (cached per character).
    """
    s = _SYMBOLS.get(ch)
    if s is not None:
        return s
    if ch in _WHITESPACE:
        s = BOUNDARY
    elif ch.isascii():
        s = LETTER if ch.isalpha() else DIGIT if ch.isdigit() else _FULL_WIDTH.get(ch, ch)
    elif "\uff10" <= ch <= "\uff19":
        s = DIGIT
    elif "\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a":
        s = LETTER
    elif "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
        out = _t2s().convert(ch)
        s = out if len(out) == 1 else ch
    else:
        s = ch
    _SYMBOLS[ch] = s
    return s


def symbols(text: str) -> list[str]:
    """`symbol` of every character of `text`."""
    return [symbol(ch) for ch in text]


def jieba_dict_path() -> Path:
    """jieba's bundled dictionary (`word freq tag` per line), found without importing jieba."""
    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def training_text(raw: str) -> str:
    """A raw page as training text: glosses stripped, t2s-converted, mojibake dropped."""
    text = _GLOSS.sub("", raw)
    text = _MOJIBAKE_NEAR.sub("\n", text)
    return _t2s().convert(text)


def corpus_counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Unigram and bigram counts of symbols, each text bounded by `BOUNDARY` on both sides."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for text in texts:
        seq = [BOUNDARY]
        for ch in text:
            s = symbol(ch)
            if s == BOUNDARY and seq[-1] == BOUNDARY:
                continue
            seq.append(s)
        if seq[-1] != BOUNDARY:
            seq.append(BOUNDARY)
        uni.update(seq[1:])
        bi.update(a + b for a, b in zip(seq, seq[1:]))
    return uni, bi


class CharLM:
    """Smoothed character bigram model; `logp(prev, ch)` works on `symbol`s, natural logs.

    Build with `CharLM.default()` (once per process) or `CharLM(corpus_uni, corpus_bi, words)`.
    """

    # How strongly the corpus estimate is trusted over the dictionary one, as a pseudo-count:
    # a history seen this often in the corpus gets half its weight from the corpus.
    CORPUS_TRUST = 8.0
    # Share of probability that always goes to the unigram distribution (unseen pairs).
    FLOOR = 0.02
    # Unigram mass set aside for symbols seen in neither source.
    UNSEEN = 1e-3
    UNSEEN_TYPES = 30000

    def __init__(self, corpus_uni: Counter[str], corpus_bi: Counter[str],
                 words: Iterable[tuple[str, float]] | tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """`words`: (word, frequency) pairs, or the arrays `_dict_arrays` reads them into."""
        self._c_bi = dict(corpus_bi)
        # Per history: its count as a history and how many distinct symbols followed it.
        hist: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for pair, n in corpus_bi.items():
            hist[pair[0]] += n
            types[pair[0]] += 1
        self._c_hist = dict(hist)
        self._c_types = dict(types)

        d_uni, d_bi, d_start, d_end = (_counts_from_codepoints(*words) if isinstance(words, tuple)
                                       else _dictionary_counts(words))
        self._d_uni = d_uni
        self._d_bi = d_bi
        self._d_end = d_end
        total_start = sum(d_start.values()) or 1.0
        self._d_start = {s: n / total_start for s, n in d_start.items()}

        # After a word end comes either a word start or something the dictionary has no word
        # for (punctuation, Latin, digits, line ends): how often, and which, from the corpus.
        total_c = sum(corpus_uni.values()) or 1
        other = {s: n for s, n in corpus_uni.items() if s not in d_uni}
        total_other = sum(other.values()) or 1
        share = min(0.5, max(0.05, total_other / total_c))
        self._after_word = {s: (1 - share) * p for s, p in self._d_start.items()}
        for s, n in other.items():
            self._after_word[s] = self._after_word.get(s, 0.0) + share * n / total_other

        total_d = sum(d_uni.values()) or 1.0
        uni: dict[str, float] = {}
        for s, n in corpus_uni.items():
            uni[s] = 0.5 * n / total_c
        for s, n in d_uni.items():
            uni[s] = uni.get(s, 0.0) + 0.5 * n / total_d
        self._uni = {s: (1 - self.UNSEEN) * p for s, p in uni.items()}
        self._unseen = self.UNSEEN / self.UNSEEN_TYPES
        self._cache: dict[str, float] = {}
        self._weights: dict[str, tuple[float, float, float, float]] = {}

    @classmethod
    def default(cls) -> CharLM:
        """The model from the packaged corpus counts and jieba's dictionary, built once."""
        return _default()

    @classmethod
    def from_texts(cls, texts: Iterable[str], dict_path: Path | None = None) -> CharLM:
        """A model from training texts (already clean, any script) and a jieba-format dictionary."""
        uni, bi = corpus_counts(texts)
        return cls(uni, bi, read_dict(dict_path or jieba_dict_path()))

    def knows(self, s: str) -> bool:
        """Whether the symbol was seen in training (a guess is only drawn from known symbols)."""
        return s in self._uni

    def unigram(self, s: str) -> float:
        return self._uni.get(s, self._unseen)

    def logp(self, prev: str, cur: str) -> float:
        """log P(cur | prev) for two symbols."""
        key = prev + cur
        v = self._cache.get(key)
        if v is None:
            v = math.log(self._prob(prev, cur))
            if len(self._cache) < 300_000:  # bounded: ~40 MB at most
                self._cache[key] = v
        return v

    def _prob(self, prev: str, cur: str) -> float:
        # The interpolation written out is linear in four lookups, with weights that depend
        # on `prev` only:
        #   (1 - FLOOR) * (lam * P_wb_corpus + (1 - lam) * P_dict) + FLOOR * P_uni
        # = A * c(prev cur) + B * P_uni(cur) + C * d(prev cur) + D * after_word(cur)
        w = self._weights.get(prev)
        if w is None:
            w = self._weights[prev] = self._prev_weights(prev)
        a, b, c, d = w
        key = prev + cur
        p = b * self._uni.get(cur, self._unseen) + d * self._after_word.get(cur, 0.0)
        if a:
            p += a * self._c_bi.get(key, 0)
        if c:
            p += c * self._d_bi.get(key, 0.0)
        return p

    def _prev_weights(self, prev: str) -> tuple[float, float, float, float]:
        keep = 1 - self.FLOOR
        n = self._c_hist.get(prev, 0)
        lam = n / (n + self.CORPUS_TRUST)
        if n:
            t = self._c_types[prev]
            a, b = keep * lam / (n + t), self.FLOOR + keep * lam * t / (n + t)
        else:
            a, b = 0.0, self.FLOOR
        u = self._d_uni.get(prev, 0.0)
        if u:
            c, d = keep * (1 - lam) / u, keep * (1 - lam) * self._d_end.get(prev, 0.0) / u
        else:
            c, d = 0.0, keep * (1 - lam)
        return a, b, c, d

    def scores(self, text: str, prev: str = BOUNDARY) -> list[float]:
        """log P of each character of `text` given the one before (`prev` before the first)."""
        out = []
        for ch in text:
            s = symbol(ch)
            out.append(self.logp(prev, s))
            prev = s
        return out

    def logprob(self, text: str) -> float:
        """Total log probability of `text`, line boundaries included at both ends."""
        seq = symbols(text)
        return sum(self.scores(text)) + self.logp(seq[-1] if seq else BOUNDARY, BOUNDARY)


class _PairCounts:
    """Dictionary bigram counts, looked up on demand: `get(prev + cur, default)` like a dict.

    Kept as two sorted numpy arrays (key `cp(prev) << 21 | cp(cur)`, total) because building a
    Python dict of the ~650k pairs cost 0.35 s in every process, while the repair looks up at
    most a few thousand distinct pairs (and `CharLM.logp` caches each one).
    """

    def __init__(self, keys: np.ndarray, totals: np.ndarray) -> None:
        self._keys = keys
        self._totals = totals
        self._n = len(keys)

    def __len__(self) -> int:
        return self._n

    def get(self, pair: str, default: float = 0.0) -> float:
        if len(pair) != 2 or not self._n:
            return default
        key = ord(pair[0]) << 21 | ord(pair[1])
        i = int(self._keys.searchsorted(key))
        if i < self._n and int(self._keys[i]) == key:
            return float(self._totals[i])
        return default


def _dictionary_counts(words: Iterable[tuple[str, float]]
                       ) -> tuple[dict[str, float], _PairCounts, dict[str, float], dict[str, float]]:
    """Frequency-weighted symbol, in-word bigram, word-start and word-end counts of a dictionary.

    Vectorised because a per-character Python loop over 350k words alone would eat the whole
    build budget.
    """
    # A word is a run of in-word symbols; one with a blank in it would bridge two lines.
    words = [(w, f) for w, f in words if w and not (" " in w or "\n" in w or "\t" in w)]
    if not words:
        return {}, _PairCounts(np.zeros(0, dtype=np.int64), np.zeros(0)), {}, {}
    # Words separated by NUL: a pair with a NUL on either side crosses a word boundary.
    joined = "\x00".join(w for w, _ in words) + "\x00"
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.array([len(w) for w, _ in words], dtype=np.int64)
    freqs = np.array([f for _, f in words], dtype=np.float64)
    return _counts_from_codepoints(cps, lengths, freqs)


def _symbol_table(cps: np.ndarray) -> np.ndarray:
    """A code point -> symbol code point lookup array covering `cps` (NUL maps to itself)."""
    present = np.zeros(int(cps.max()) + 1, dtype=bool)
    present[cps] = True
    present[0] = False
    lut = np.arange(len(present), dtype=np.int64)
    chars = [chr(c) for c in np.flatnonzero(present).tolist()]
    prefill_symbols(chars)
    lut[[ord(c) for c in chars]] = [ord(symbol(c)) for c in chars]
    return lut


def prefill_symbols(chars: list[str]) -> None:
    """Fill the `symbol` cache for many Han characters with one OpenCC call instead of one per
    character (12k calls for jieba's dictionary). Each character stands on a line of its own,
    and no OpenCC phrase spans a line break, so every character converts as it would alone;
    should the line count ever not match, `symbol` converts them one by one as before."""
    han = [c for c in chars if c not in _SYMBOLS and ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")]
    if not han:
        return
    out = _t2s().convert("\n".join(han)).split("\n")
    if len(out) != len(han):
        return
    for ch, conv in zip(han, out):
        _SYMBOLS[ch] = conv if len(conv) == 1 else ch


def _counts_from_codepoints(cps: np.ndarray, lengths: np.ndarray, freqs: np.ndarray
                            ) -> tuple[dict[str, float], _PairCounts, dict[str, float], dict[str, float]]:
    """The counts of `_dictionary_counts` from the words' code points, each word followed by a
    NUL, their lengths and their frequencies."""
    cps = _symbol_table(cps)[cps]
    weight = np.repeat(freqs, lengths + 1)
    is_char = cps != 0
    starts = np.r_[0, np.cumsum(lengths + 1)[:-1]]
    ends = starts + lengths - 1
    pair_ok = is_char[:-1] & is_char[1:]
    pair_keys = (cps[:-1] << 21 | cps[1:])[pair_ok]
    pair_w = weight[:-1][pair_ok]

    def tally(keys: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uniq, inv = np.unique(keys, return_inverse=True)
        return uniq, np.bincount(inv, weights=w, minlength=len(uniq))

    def chars_dict(keys: np.ndarray, w: np.ndarray) -> dict[str, float]:
        # Code points index a table directly: no sort. Each total adds its weights in input
        # order, as `tally` does, so the sums are the same to the last bit.
        tot = np.bincount(keys, weights=w)
        seen = np.flatnonzero(np.bincount(keys, minlength=len(tot)))
        return {chr(k): float(t) for k, t in zip(seen.tolist(), tot[seen].tolist())}

    d_uni = chars_dict(cps[is_char], weight[is_char])
    d_start = chars_dict(cps[starts], freqs)
    d_end = chars_dict(cps[ends], freqs)
    return d_uni, _PairCounts(*tally(pair_keys, pair_w)), d_start, d_end


# The non-ASCII characters `str.split` and `str.splitlines` break on.
_NON_ASCII_SPACES = re.compile("[" + "".join(chr(c) for c in range(0x80, 0x3001) if chr(c).isspace()) + "]")


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices `starts[i] .. starts[i] + lengths[i] - 1` of every range, concatenated."""
    before = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)


def _dict_arrays(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The arguments of `_counts_from_codepoints` straight from a jieba dictionary's bytes, or
    None when the file is not in the plain form this reads (then `read_dict` parses it).

    Plain form: `word freq[ tag]` lines, single spaces, ASCII digits for the frequency, no other
    white space. On such a file this is exactly what `read_dict` + `_dictionary_counts` see,
    in ~0.1 s instead of ~1 s (a fixed cost of every process that repairs mojibake).
    """
    data = path.read_bytes()
    text = data.decode("utf-8")  # undecodable bytes fail here as they do in `read_dict`
    if not data or _NON_ASCII_SPACES.search(text):
        return None
    if not data.endswith(b"\n"):
        data += b"\n"
    a = np.frombuffer(data, dtype=np.uint8)
    if np.any((a < 32) & (a != 10)) or np.any(a == 0x7F):
        return None
    nl = np.flatnonzero(a == 10)
    line_start = np.r_[0, nl[:-1] + 1]
    sp = np.flatnonzero(a == 32)
    # One or two single spaces per line, none at either end: `line.split()` gives 2 or 3 parts.
    per_line = np.diff(np.r_[0, np.searchsorted(sp, nl)])
    if not np.all((per_line == 1) | (per_line == 2)):
        return None
    first_idx = np.r_[0, np.cumsum(per_line)[:-1]]
    first = sp[first_idx]
    field_end = np.where(per_line == 2, sp[np.minimum(first_idx + 1, len(sp) - 1)], nl)
    width = field_end - first - 1
    # The frequency: ASCII digits, at most 15 (below 2**53, so exact as int64 and as float64).
    if np.any(first == line_start) or np.any(width < 1) or np.any(width > 15) or np.any(a[nl - 1] == 32):
        return None
    at = _ranges(first + 1, width)
    digits = a[at].astype(np.int64) - 48
    if np.any((digits < 0) | (digits > 9)):
        return None
    terms = digits * 10 ** (np.repeat(field_end, width) - at - 1)
    freqs = np.add.reduceat(terms, np.r_[0, np.cumsum(width)[:-1]]).astype(np.float64)
    # The words, each followed by a NUL in place of the space after it.
    word_bytes = a.copy()
    word_bytes[first] = 0
    joined = word_bytes[_ranges(line_start, first - line_start + 1)].tobytes().decode("utf-8")
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.diff(np.r_[-1, np.flatnonzero(cps == 0)]) - 1
    return cps, lengths, freqs


def read_dict(path: Path) -> list[tuple[str, float]]:
    """(word, frequency) pairs of a jieba-format dictionary (`word freq [tag]` per line)."""
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        parts = line.split()
        if len(parts) >= 2:
            try:
                out.append((parts[0], float(parts[1])))
            except ValueError:
                continue
    return out


def load_corpus_counts() -> tuple[Counter[str], Counter[str]]:
    """The precomputed corpus counts shipped in `summarizer/data/`."""
    raw = resources.files("summarizer").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    data = json.loads(raw)
    return Counter(data["unigrams"]), Counter(data["bigrams"])


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: CharLM | None = None


def _default() -> CharLM:
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                from summarizer.io.cache import cached

                _DEFAULT = cached("charlm", default_parts(), lambda: _build_default(jieba_dict_path()))
    return _DEFAULT


def is_default(lm: CharLM) -> bool:
    """Whether `lm` is the model `CharLM.default()` returned (for tables built from it)."""
    return lm is _DEFAULT


def symbol_parts() -> list[str | Path]:
    """What `symbol` depends on, for the keys of the per-user cache: this module's code and
    OpenCC (by its version attribute: `importlib.metadata` costs ~20 ms to import in a worker)."""
    import opencc

    return [Path(__file__), f"opencc {getattr(opencc, '__version__', opencc.__file__)}"]


def default_parts() -> list[str | Path]:
    """What the default model is built from: the symbols, the corpus counts, jieba's dictionary
    and numpy (the pickled arrays)."""
    return [*symbol_parts(), Path(str(resources.files("summarizer").joinpath("data", _DATA_FILE))),
            jieba_dict_path(), np.__version__]


def _build_default(path: Path) -> CharLM:
    uni, bi = load_corpus_counts()
    arrays = _dict_arrays(path)
    return CharLM(uni, bi, read_dict(path) if arrays is None else arrays)
