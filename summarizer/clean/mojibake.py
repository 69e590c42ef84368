"""Repair GBK mojibake left by a decode that slipped one byte: `差距?,F將` → `差距。現將`.

What happened to such text: a GBK byte was lost (it shows as `?`), so the decoder paired every
following trail byte with the next lead byte and produced plausible-looking but wrong characters
(`以學??蒲泄歉蔀楹诵?,` for `以學校科研骨干為核心,`), until a trail byte below 0x80 came out as
ASCII (`F`, `W`, `_`) or an invalid pair became `?` again, and the decode was back in step.
Full-width marks in the wrong decode may since have become ASCII (`，` → `,`).

The repair therefore reads the text around every `?` as the GBK bytes it came from: each
character is its GBK bytes, an ASCII mark may also be its full-width form, and each `?` is a
byte of unknown value. A Viterbi search over byte positions, with the character bigram model
(`summarizer.text.charlm`) as the scorer, finds the most likely way to cut those bytes into
characters; unknown bytes are filled with whatever character the model likes best there. The
unchanged text is always one of the paths, and a changed stretch is kept only where the model
finds it far more likely than the original, per character, and reads as ordinary text
(`MIN_GAIN_PER_CHAR`, `MIN_FLUENCY`).

A misaligned stretch can only start at a lost byte and end where a lone byte realigns the
decode, so text without `?` (or `？`, U+FFFD) is returned untouched at the cost of a substring
test, and a legitimate question mark is only ever re-read when another `?` or a lone ASCII
letter follows close behind it; the re-reading then has to pass the thresholds below.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizer.text import charlm
from summarizer.text.charlm import BOUNDARY, DIGIT, LETTER, CharLM, prefill_symbols, symbol
from summarizer.text.spans import matches_by_first, splice

# A changed stretch is kept only if (1) it beats the original by at least MIN_GAIN_PER_CHAR nats
# of log-likelihood per original character it replaces (e^3 ≈ 20 times as likely per
# character), (2) it reads like ordinary text on its own: the mean log-probability of its
# characters and the one after them is at least MIN_FLUENCY, and (3) at least one new Chinese
# character comes from known bytes alone (a stretch of guesses only is invention).
# Measured with leave-one-seed-out models on simulated one-byte slips in seed sentences: true
# repairs gain 4.2–16.5 nats per character at a fluency of -1.2 to -7.0 (seed 002: 4.3–12.7
# and -3.0 to -5.7); clean sentences joined by `?`, `??`, `？？` with Latin letters close behind
# give re-readings that gain up to 9 but read at -6.3 to -10, because the best re-reading is
# made of rare characters (`。緼`, `、贏`). Gain above 3 and fluency above -6.5 keep 619 of 625
# correct repairs and let through 1 of ~7500 such clean texts (a lone `_` one character after
# `？？`).
MIN_GAIN_PER_CHAR = 3.0
MIN_FLUENCY = -6.5
# Price of each guessed byte in nats: the guess is the best of up to 190 candidates, so its
# score is inflated by choosing; log(190) ≈ 5.2 would charge the full search, half of it
# already keeps a single lucky guess from tipping a stretch.
GUESS_COST = 2.5
# A misaligned stretch longer than this (in characters after the lost byte) is not looked for.
MAX_RUN = 80
# Best alternatives kept per byte position (one per previous character).
BEAM = 16

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A lost byte: `?`, `？`, U+FFFD, or `?` followed by what is left of a pinyin gloss that was
# attached to the phantom character the lost byte began (`嚴謹?shù)慕田L`).
_LOST_TAIL = rf"(?:\(?(?:[a-zü]*[{_TONED}][a-zü{_TONED}]*|[a-zü]{{1,6}}[1-5])\))?"
_LOST = re.compile(rf"[?？\ufffd]{_LOST_TAIL}")
_ANCHOR_CHARS = ("?", "？", "\ufffd")
# `_LOST` by its first character: a pattern that begins with a plain character is scanned for
# ten times faster than one that begins with a class (and pages with a `？` are common).
_LOST_BY_ANCHOR = tuple((c, re.compile(re.escape(c) + _LOST_TAIL)) for c in _ANCHOR_CHARS)

_WORDISH = re.compile(r"[A-Za-z0-9_]")

# A byte of unknown value.
UNKNOWN = None

Bytes = tuple  # tuple[int | None, ...]


@dataclass(frozen=True)
class _Token:
    """One character (or a lost-byte mark with its gloss remnant) of the text under repair."""

    text: str
    alts: tuple[Bytes, ...]  # the GBK byte strings it may stand for; empty: cannot be re-read
    score_as: str  # what the model scores when the token is kept as it is


def _gbk2(ch: str) -> Bytes | None:
    """The two GB18030 bytes of `ch` if it has a two-byte code (GBK plus user-defined areas).

    The user-defined areas decode to private-use characters, which the misaligned decode made
    from pairs like `ae a3`; they must count as bytes too.
    """
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return (b[0], b[1]) if len(b) == 2 else None


@lru_cache(maxsize=4096)
def _token(ch: str) -> _Token:
    if ch.isascii():
        code = ord(ch)
        if not 0x21 <= code <= 0x7E:
            return _Token(ch, (), ch)
        alts: list[Bytes] = [(code,)]
        if not ch.isalnum():
            full = _gbk2(chr(0xFF01 + code - 0x21))
            if full:
                alts.append(full)
        return _Token(ch, tuple(alts), ch)
    pair = _gbk2(ch)
    return _Token(ch, (pair,) if pair else (), ch)


def _lost_token(mark: str) -> _Token:
    alts: list[Bytes] = [(UNKNOWN,)]
    if mark[0] in "?？":
        alts.append((0xA3, 0xBF))  # the mark may be a real `？` whose bytes were misread
    return _Token(mark, tuple(alts), mark[0])


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(text):
        m = _LOST.match(text, i) if text[i] in _ANCHOR_CHARS else None
        if m:
            out.append(_lost_token(m.group()))
            i = m.end()
        else:
            out.append(_token(text[i]))
            i += 1
    return out


def _decode_table() -> dict[int, str]:
    """Every valid two-byte GB18030 code (lead << 8 | trail) and its character."""
    return _code_tables()[0]


def _symbol_differs() -> np.ndarray:
    """True for the Basic Multilingual Plane characters from U+3400 up whose model symbol is not
    the character itself (traditional Han, full-width letters and digits, U+FEFF). Characters
    above the plane are their own symbol."""
    return _code_tables()[1]


@lru_cache(maxsize=1)
def _code_tables() -> tuple[dict[int, str], np.ndarray]:
    """`_decode_table` and `_symbol_differs`, built once per user (`summarizer.io.cache`): ~80 ms
    to build in every worker, ~10 ms to load. Built from Python's GB18030 codec (the Python
    version is part of every key), the model's symbols (`charlm`'s code and OpenCC) and this code."""
    from summarizer.io.cache import cached

    return cached("gbk-tables", [Path(__file__), *charlm.symbol_parts(), np.__version__], _build_code_tables)


def _build_code_tables() -> tuple[dict[int, str], np.ndarray]:
    table = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes((lead, trail)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not "\ue000" <= ch <= "\uf8ff":
                table[lead << 8 | trail] = ch
    han = [chr(c) for c in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    prefill_symbols(han)
    differs = np.zeros(0x10000, dtype=bool)
    for c in (*han, "\ufeff", *map(chr, range(0xFF10, 0xFF5B))):
        differs[ord(c)] = symbol(c) != c
    return table, differs


@lru_cache(maxsize=4096)  # the same page comes back, and its regions with it
def _traditional(context: str) -> bool:
    """Whether the text around a region is traditional: at least two characters from U+3400 up
    that the model reads as another symbol (a table lookup instead of a loop per character)."""
    cps = np.frombuffer(context.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero(_symbol_differs()[np.minimum(cps, 0xFFFF)])) >= 2


def _is_chinese(ch: str) -> bool:
    """A Han character or Chinese mark (not Latin, not a digit, full-width or not)."""
    return not ch.isascii() and symbol(ch) not in (LETTER, DIGIT)


def _is_lead(b: int) -> bool:
    return 0x81 <= b <= 0xFE


def _is_trail(b: int) -> bool:
    return 0x40 <= b <= 0xFE and b != 0x7F


_Cand = tuple  # (character, its symbol, bias when the text is simplified, bias when traditional)
# Nudge between candidates that the model cannot tell apart (結 and 结 share the symbol 结):
# the one in the script of the surrounding text wins.
_SCRIPT_BIAS = 1e-3


@lru_cache(maxsize=8)
def _guesses(lm: CharLM) -> tuple[dict[int, list[_Cand]], dict[int, list[_Cand]]]:
    """Candidates for a byte pair with one unknown byte, by the known trail and by the known lead.

    Only characters the model has seen are candidates: an unseen one could never be the likely
    guess anyway, and leaving them out keeps the search small. Those of the default model are
    kept in the per-user cache with it (~45 ms to build in every worker, ~10 ms to load).
    """
    if charlm.is_default(lm):
        from summarizer.io.cache import cached

        return cached("gbk-guesses", [Path(__file__), *charlm.default_parts()], lambda: _build_guesses(lm))
    return _build_guesses(lm)


def _build_guesses(lm: CharLM) -> tuple[dict[int, list[_Cand]], dict[int, list[_Cand]]]:
    table = _decode_table()
    prefill_symbols(list(table.values()))  # one OpenCC call instead of ~9000
    syms = {ch: symbol(ch) for ch in table.values()}
    with_traditional = {s for ch, s in syms.items() if ch != s}
    by_trail: dict[int, list[_Cand]] = {}
    by_lead: dict[int, list[_Cand]] = {}
    for code, ch in table.items():
        s = syms[ch]
        # Full-width Latin letters and digits are all but absent from Chinese reports.
        if not lm.knows(s) or s in (BOUNDARY, LETTER, DIGIT):
            continue
        cand = (ch, s, -_SCRIPT_BIAS if ch != s else 0.0,
                -_SCRIPT_BIAS if ch == s and s in with_traditional else 0.0)
        by_trail.setdefault(code & 0xFF, []).append(cand)
        by_lead.setdefault(code >> 8, []).append(cand)
    return by_trail, by_lead


# The marks a decoder writes for a byte it could not pair with the byte after it (`？` is also what
# a lost byte shows as, so it says nothing about the bytes around it).
_DECODER_MARKS = ("?", "\ufffd")


@lru_cache(maxsize=4096)
def _unpaired(lm: CharLM, lead: int, after: int | None) -> tuple[_Cand, ...]:
    """The candidates with lead byte `lead` whose trail byte a decoder could not have paired with
    the byte `after`: the trail byte came out as `?`, so with `after` it is no standard GBK
    character (`诚?小` is 沙溪小, since 溪's trail byte `aa` and 小's lead byte `d0` make no
    character; 箱's `e4 d0` would have come out as 湫, not as `?`). The user-defined
    areas count as unpaired: decoders differ on them. `after` None: anything could follow."""
    by_lead = _guesses(lm)[1].get(lead, ())
    if after is None:
        return tuple(by_lead)
    table = _decode_table()
    return tuple(c for c in by_lead if (_gbk2(c[0])[1] << 8 | after) not in table)


@dataclass
class _Step:
    """One move of the best path: tokens [start, end) read as `text`."""

    start: int
    end: int
    text: str
    changed: bool
    guesses: int
    logp: float  # model score of `text` given the step before (guess costs not included)
    # The guess is a trail byte a decoder wrote as `?` before a Chinese character, whose lead
    # byte narrowed it to a few (`_unpaired`): a character that is half known, not invented.
    anchored: bool = False


def _search(tokens: list[_Token], before: str, after: str, lm: CharLM, traditional: bool
            ) -> list[_Step]:
    """Best reading of `tokens` as GBK bytes (Viterbi over byte positions, bigram states).

    A state is a byte position: on a token boundary (`(k, -1)`), or after the first byte of
    alternative `a` of token `k` (`(k, a)`). Per state the best path is kept for each last
    symbol, since the next character's score depends on it.
    """
    n = len(tokens)

    def next_byte(k: int) -> int | None:
        """The first byte of token `k` (or of `after`) read in step; None when unknown."""
        tok = tokens[k] if k < n else _token(after) if after else None
        return tok.alts[0][0] if tok is not None and tok.alts else None

    # An ASCII byte ends a misread stretch only as a lone letter wedged into Chinese (`,F將`,
    # `W校`): one that goes on into a Latin word or a number (`led`, `A4`, `____`) is text.
    lone = [not _WORDISH.match(tokens[k + 1].text if k + 1 < n else after[:1]) for k in range(n)]
    table = _decode_table()
    by_trail, by_lead = _guesses(lm)
    # state -> {last symbol: (score, back)}; back = (previous state, previous symbol, step)
    chart: dict[tuple[int, int], dict[str, tuple[float, tuple | None]]] = {
        (0, -1): {symbol(before) if before else BOUNDARY: (0.0, None)}
    }

    def push(state: tuple[int, int], sym: str, score: float, back: tuple) -> None:
        cell = chart.setdefault(state, {})
        old = cell.get(sym)
        if old is None or score > old[0]:
            cell[sym] = (score, back)

    def pairs(state: tuple[int, int], first: int | None, k_next: int, k_from: int) -> None:
        """Extend `state` by a character whose first byte is `first` and whose second byte is
        the first byte of token `k_next`; `first` None means that byte was lost."""
        if k_next >= n:
            return
        for b, alt in enumerate(tokens[k_next].alts):
            second = alt[0]
            anchored = False
            if len(alt) == 1 and second is not UNKNOWN and not lone[k_next]:
                continue
            if second is UNKNOWN:
                if first is UNKNOWN or not _is_lead(first):
                    continue
                cands = by_lead.get(first, ())
                if tokens[k_next].text[0] in _DECODER_MARKS:
                    after_mark = next_byte(k_next + 1)
                    cands = _unpaired(lm, first, after_mark)
                    anchored = (tokens[k_next].text in _DECODER_MARKS and after_mark is not None
                                and _is_lead(after_mark))
            elif not _is_trail(second):
                continue
            elif first is UNKNOWN:
                cands = by_trail.get(second, ())
            else:
                ch = table.get(first << 8 | second)
                cands = ((ch, symbol(ch), 0.0, 0.0),) if ch else ()
            guessed = int(first is UNKNOWN or second is UNKNOWN)
            dest = (k_next + 1, -1) if len(alt) == 1 else (k_next, b)
            cost = GUESS_COST * guessed
            for prev, (score, _) in chart[state].items():
                for ch, s, bias_s, bias_t in cands:
                    lp = lm.logp(prev, s)
                    push(dest, s, score + lp + (bias_t if traditional else bias_s) - cost,
                         (state, prev, (k_from, dest[0], ch, True, guessed, lp, anchored and _is_chinese(ch))))

    for k in range(n + 1):
        # Mid-token states of token k are complete once all of token k-1 is done; token
        # boundaries likewise. Prune, then expand.
        states = [(k, -1)] + ([(k, a) for a in range(len(tokens[k].alts))] if k < n else [])
        for state in states:
            cell = chart.get(state)
            if not cell:
                continue
            if len(cell) > BEAM:
                chart[state] = dict(sorted(cell.items(), key=lambda kv: -kv[1][0])[:BEAM])
            if k == n:
                continue
            tok = tokens[k]
            if state[1] == -1:
                syms = [symbol(c) for c in tok.score_as]
                for prev, (score, _) in chart[state].items():
                    lp, p = 0.0, prev
                    for s in syms:
                        lp += lm.logp(p, s)
                        p = s
                    push((k + 1, -1), syms[-1], score + lp, (state, prev, (k, k + 1, tok.text, False, 0, lp)))
                for alt in tok.alts:
                    if alt == (UNKNOWN,):
                        pairs(state, UNKNOWN, k + 1, k)
            else:
                rest = tok.alts[state[1]][1]
                if rest is UNKNOWN:
                    continue
                if _is_lead(rest):
                    pairs(state, rest, k + 1, k)
                elif 0x40 <= rest < 0x7F and not chr(rest).isalnum():
                    # A trail byte below 0x80 that was an ASCII mark of the true text (`結]`
                    # misread as `醈`): the decode is back in step after it. Letters are not
                    # let out this way: a Latin letter sprouting from a Chinese character is
                    # what misreadings of clean text look like (`??鄉Word` as `。苦lWord`).
                    ch = chr(rest)
                    s = symbol(ch)
                    for prev, (score, _) in chart[state].items():
                        lp = lm.logp(prev, s)
                        push((k + 1, -1), s, score + lp, (state, prev, (k, k + 1, ch, True, 0, lp)))

    end_sym = symbol(after) if after else BOUNDARY
    final = chart.get((n, -1), {})
    best_score, best_back = -math.inf, None
    for prev, (score, _) in final.items():
        lp = lm.logp(prev, end_sym)
        if score + lp > best_score:
            best_score, best_back = score + lp, ((n, -1), prev, (n, n, "", False, 0, lp))
    steps: list[_Step] = []
    back = best_back
    while back is not None:
        state, prev, step = back
        steps.append(_Step(*step))
        back = chart[state][prev][1]
    steps.reverse()
    return steps


def _identity_scores(tokens: list[_Token], before: str, after: str, lm: CharLM) -> list[float]:
    """Model score of each token kept as it is, plus the closing transition at the end."""
    prev = symbol(before) if before else BOUNDARY
    out = []
    for tok in tokens:
        lp = 0.0
        for c in tok.score_as:
            s = symbol(c)
            lp += lm.logp(prev, s)
            prev = s
        out.append(lp)
    out.append(lm.logp(prev, symbol(after) if after else BOUNDARY))
    return out


@dataclass(frozen=True)
class Repair:
    """One repaired stretch: `text[start:end]` becomes `new`; `gain` nats per character."""

    start: int
    end: int
    old: str
    new: str
    guesses: int
    determined: int  # new non-ASCII characters read from known bytes only
    gain: float
    fluency: float  # mean model score of the new characters and the one after them


def find_repairs(text: str, lm: CharLM | None = None) -> list[Repair]:
    """The mojibake stretches of `text` and their repairs, in text order (nothing changed)."""
    if not any(c in text for c in _ANCHOR_CHARS):
        return []
    lm = lm or CharLM.default()
    out: list[Repair] = []
    for start, end in _regions(text):
        out.extend(_repair_region(text, start, end, lm))
    return out


@lru_cache(maxsize=1)
def _realigner() -> re.Pattern[str]:
    """Where a misread stretch can end: another lost byte, a lone ASCII byte that can be a
    trail byte, or a character whose trail byte is an ASCII mark (`醈` = e1 5d, `結]`)."""
    marks = sorted({ch for code, ch in _decode_table().items()
                    if 0x40 <= code & 0xFF < 0x7F and not chr(code & 0xFF).isalnum()})
    return re.compile(r"[?？\ufffd]|[@-~](?![A-Za-z0-9_])|[" + re.escape("".join(marks)) + "]")


def _regions(text: str) -> list[tuple[int, int]]:
    """Stretches from a lost byte to the last place within `MAX_RUN` characters (and the line)
    where a misread stretch could end; a lost byte with no such place after it has no other
    reading and is skipped."""
    regions: list[tuple[int, int]] = []
    realigner = _realigner()
    for m in matches_by_first(text, _LOST_BY_ANCHOR):  # `_LOST.finditer(text)`
        line_end = text.find("\n", m.end())
        limit = min(m.end() + MAX_RUN, len(text) if line_end < 0 else line_end)
        end = None
        for r in realigner.finditer(text, m.end(), limit):
            end = r.end()
        if end is None:
            continue
        if regions and m.start() < regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], end))
        else:
            regions.append((m.start(), end))
    return regions


def _repair_region(text: str, start: int, end: int, lm: CharLM) -> list[Repair]:
    chunk = text[start:end]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    traditional = _traditional(text[max(0, start - 100):end + 100])
    return [replace(r, start=start + r.start, end=start + r.end)
            for r in _chunk_repairs(chunk, before, after, traditional, lm)]


@lru_cache(maxsize=4096)
def _chunk_repairs(chunk: str, before: str, after: str, traditional: bool, lm: CharLM
                   ) -> tuple[Repair, ...]:
    """The repairs of one region, with offsets relative to `chunk`.

    A pure function of its arguments, so it is cached: scraped archives hold the same page (and
    its mojibake) many times over, and the Viterbi search is the costliest step of the cleanup
    where it runs (~2.5 ms per region).
    """
    tokens = _tokens(chunk)
    steps = _search(tokens, before, after, lm, traditional)
    if not any(s.changed for s in steps):
        return ()
    ident = _identity_scores(tokens, before, after, lm)
    offsets = [0]
    for tok in tokens:
        offsets.append(offsets[-1] + len(tok.text))

    repairs = []
    i = 0
    while i < len(steps):
        if not steps[i].changed:
            i += 1
            continue
        j = i
        while j < len(steps) and steps[j].changed:
            j += 1
        seg = steps[i:j]
        k0, k1 = seg[0].start, seg[-1].end
        guesses = sum(s.guesses for s in seg)
        # The step after the stretch is scored too: its first character follows the new text.
        new_lp = sum(s.logp for s in seg) + steps[j].logp - GUESS_COST * guesses
        old_lp = sum(ident[k0:k1 + 1])
        gain = (new_lp - old_lp) / (k1 - k0)
        fluency = (new_lp + GUESS_COST * guesses) / (len(seg) + 1)
        # A stretch made of guesses alone (`???` read as `。總`) is invention, not repair.
        determined = sum(not s.guesses and _is_chinese(s.text) for s in seg)
        # A lost lead byte whose trail byte came out as a lone Latin letter (`？M行` for 進行):
        # the letter is a known byte, the guess fills the other half of one character.
        half_known = sum(s.guesses == 1 and _is_chinese(s.text)
                         and any(c.isascii() and c.isalpha() for c in chunk[offsets[s.start]:offsets[s.end]])
                         for s in seg)
        anchored = sum(s.anchored for s in seg)
        if gain >= MIN_GAIN_PER_CHAR and fluency >= MIN_FLUENCY and (determined or half_known or anchored):
            repairs.append(Repair(offsets[k0], offsets[k1],
                                  chunk[offsets[k0]:offsets[k1]], "".join(s.text for s in seg),
                                  guesses, determined, gain, fluency))
        i = j
    return tuple(repairs)


def repair_mojibake(text: str, lm: CharLM | None = None) -> tuple[str, dict[str, int]]:
    """Repair one-byte-misaligned GBK mojibake; counts stretches and guessed bytes.

    Pure. Returns the text and `{"mojibake_repaired": stretches, "mojibake_guessed": lost bytes
    filled by the most likely character}`. Text without a `?`, `？` or U+FFFD is returned as is.
    """
    return apply_repairs(text, find_repairs(text, lm))


def apply_repairs(text: str, repairs: list[Repair]) -> tuple[str, dict[str, int]]:
    """`text` with `repairs` (from `find_repairs(text)`) made, and their counts."""
    counts = {"mojibake_repaired": len(repairs), "mojibake_guessed": sum(r.guesses for r in repairs)}
    if not repairs:
        return text, counts
    return splice(text, [(r.start, r.end) for r in repairs], [r.new for r in repairs]), counts
