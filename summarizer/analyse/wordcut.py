"""jieba's dictionary cut (HMM off), word for word the same, in one pass per block.

The section classifier cuts the opening of every paragraph into words; with jieba that was 60% of
its time, spent in `get_DAG` (a dict lookup per prefix, a list per position) and `calc` (a
generator and a `math.log` per edge). This module reads the same dictionary (jieba's `FREQ` and
`total` after the domain lexicon is loaded) and walks the positions once from the end, with the
log-probabilities computed once per word, so the best route comes out as jieba's does: same
floats in the same order of addition, ties going to the longer word as jieba's `max` over
`(score, end)` tuples does. `tests/analyse/test_wordcut.py` checks the output against
`jieba.lcut(..., HMM=False)` on every corpus paragraph and on generated text;
`benchmarks/classify.py` prints both speeds.
"""

from __future__ import annotations

import math
import re

# jieba's own block patterns (jieba/__init__.py, `re_han_default`, `re_skip_default`, `re_eng`).
_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)", re.U)
_SKIP = re.compile(r"(\r\n|\s)", re.U)
_ENG1 = re.compile(r"[a-zA-Z0-9]")


class DictCut:
    """`cut(text)` == `tokenizer.lcut(text, HMM=False)` for the tokenizer it was built from."""

    def __init__(self, tokenizer) -> None:
        tokenizer.check_initialized()
        logtotal = math.log(tokenizer.total)
        freq = tokenizer.FREQ
        # Every prefix of a word is a key of FREQ (0 when it is not a word itself).
        self._prefixes = freq
        self._logp = {w: math.log(f) - logtotal for w, f in freq.items() if f}
        self._unknown = math.log(1) - logtotal

    def _block(self, s: str) -> list[str]:
        n = len(s)
        prefixes, logp, unknown = self._prefixes, self._logp, self._unknown
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            best, best_end = None, i
            j = i + 1
            frag = s[i]
            while frag in prefixes:
                lp = logp.get(frag)
                if lp is not None:
                    cand = lp + score[j]
                    if best is None or cand >= best:
                        best, best_end = cand, j
                if j >= n:
                    break
                j += 1
                frag = s[i:j]
            if best is None:  # no dictionary word starts here: the character alone
                lp = logp.get(s[i], unknown)
                best, best_end = lp + score[i + 1], i + 1
            score[i], end[i] = best, best_end
        out: list[str] = []
        buf = ""
        i = 0
        while i < n:
            j = end[i]
            word = s[i:j]
            if j - i == 1 and _ENG1.match(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            i = j
        if buf:
            out.append(buf)
        return out

    def cut(self, text: str) -> list[str]:
        out: list[str] = []
        for blk in _HAN.split(text):
            if not blk:
                continue
            if _HAN.match(blk):
                out.extend(self._block(blk))
            else:
                for x in _SKIP.split(blk):
                    if _SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out
