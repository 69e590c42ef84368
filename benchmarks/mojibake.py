"""Mojibake repair on text the model has not seen: how many lost bytes come back as the right text.

A site that lost one byte of a GBK page shows a `？` and reads every following byte pair one byte
off until a byte brings the decode back in step (`性格很內向` → `性格？軆认颍?`). This benchmark
makes such spans in real paragraphs, repairs them with `summarizer.clean.mojibake`, and counts
per span: **right** (the repaired text is the original, through OpenCC t2s), **wrong** (changed,
but not into the original: nearly always the character of the lost byte guessed wrong), **left**
(unchanged: the repair found no reading it trusts). Half the paragraphs go through OpenCC s2t
first, as traditional pages do.

Two held-out sets, each scored with models that never counted it:
- **official**: 400 paragraphs of the odd-numbered documents of `../shared/corpus` (in path
  order); the models count the even-numbered ones;
- **school**: 300 spans in the paragraphs of each seed page's cleaned articles (`corpus/clean`), with
  models that count the other three seed pages (leave one page out) and all official documents.

Models compared on the same spans in the same run: **seeds** (the seed pages only: the model
shipped before 2026-12-04), **seeds + written** (with the team's written school documents) and
**shipped recipe** (seeds + written + official documents, weighted as `corpus/build_charlm.py`
counts them). There is no library that repairs this kind of mojibake to compare with
(ftfy repairs UTF-8 read as Latin-1 and the like). Also printed: spans per second, and how many
pairs of clean paragraphs joined by a question mark with Latin text or a number close
behind each model changes (false repairs).

    python benchmarks/mojibake.py [--official 400] [--school 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from collections import Counter
from pathlib import Path

import opencc

from summarizer.clean.mojibake import repair_mojibake
from summarizer.text.charlm import CharLM, corpus_counts, jieba_dict_path, read_dict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_spec = importlib.util.spec_from_file_location("build_charlm", ROOT / "corpus" / "build_charlm.py")
build_charlm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_charlm)

S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")


def lose_lead_byte(text: str, at: int) -> str:
    """`text` as a site served it after losing the first GBK byte of character `at`."""
    data = text.encode("gbk")
    pos = len(text[:at].encode("gbk"))
    return text[:at] + "？" + data[pos + 1:].decode("gbk", errors="replace").replace("\ufffd", "?")


def paragraphs(texts: list[str]) -> list[str]:
    """Lines of 40–300 characters, nearly all Han (body paragraphs, not headings or tables)."""
    out = []
    for text in texts:
        for line in text.split("\n"):
            line = line.strip()
            if 40 <= len(line) <= 300 and sum("\u4e00" <= c <= "\u9fff" for c in line) >= 0.64 * len(line):
                out.append(line)
    return out


def spans(texts: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """`n` (original, broken) pairs: one lost lead byte at a random Han character of a paragraph,
    at least 5 characters in and 10 before the end; every other one in traditional script. A
    paragraph is used again, at another character, once all have been used."""
    rng = random.Random(seed)
    lines = paragraphs(texts)
    rng.shuffle(lines)
    out: list[tuple[str, str]] = []
    for i in range(10 * n):
        if len(out) >= n or not lines:
            break
        text = lines[i % len(lines)]
        text = S2T.convert(text) if len(out) % 2 == 0 else text
        try:
            text.encode("gbk")
        except UnicodeEncodeError:
            continue
        places = [i for i in range(5, len(text) - 10) if "\u4e00" <= text[i] <= "\u9fff"]
        if places:
            out.append((text, lose_lead_byte(text, rng.choice(places))))
    return out


def noisy_clean(texts: list[str], n: int, seed: int) -> list[str]:
    """Two clean paragraphs joined by a real question mark, with Latin text, a number or blanks a
    few characters later, any of whose bytes could end a misread stretch (as in
    `tests/clean/test_mojibake.py`): no mojibake at all."""
    rng = random.Random(seed)
    lines = paragraphs(texts)
    out = []
    for _ in range(n):
        first, second = rng.choice(lines).rstrip("。"), rng.choice(lines)
        at = rng.randint(0, 6)
        word = rng.choice(["", "Word", "QQ群", "led", "A4", "____", "1.5", "WinRAR"])
        out.append(first + rng.choice(["?", "？", "??", "?!", "？？"]) + second[:at] + word + second[at:])
    return out


def score(cases: list[tuple[str, str]], lm: CharLM) -> Counter:
    tally: Counter = Counter()
    start = time.perf_counter()
    for original, broken in cases:
        fixed, _ = repair_mojibake(broken, lm)
        if T2S.convert(fixed) == T2S.convert(original):
            tally["right"] += 1
        elif fixed == broken:
            tally["left"] += 1
        else:
            tally["wrong"] += 1
    tally["seconds"] = time.perf_counter() - start
    return tally


def false_repairs(lines: list[str], lm: CharLM) -> int:
    return sum(repair_mojibake(line, lm)[0] != line for line in lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--official", type=int, default=400, help="spans from held-out official documents")
    ap.add_argument("--school", type=int, default=300, help="spans per held-out seed page")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    dictionary = read_dict(jieba_dict_path())
    raws = sorted(build_charlm.RAW.glob("*.txt"))
    official = build_charlm.official_paths()
    if not official:
        raise SystemExit(f"no documents in {build_charlm.SHARED}")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in official]
    counted = build_charlm.official_texts(official)
    written = build_charlm.written_texts()

    def models(seed_pages: list[Path], official_part: list[str]) -> dict[str, CharLM]:
        seeds = build_charlm.seed_texts(seed_pages)
        with_written = seeds + written
        return {"seeds": CharLM(*corpus_counts(seeds), dictionary),
                "seeds + written": CharLM(*corpus_counts(with_written), dictionary),
                "shipped recipe": CharLM(*build_charlm.counts(with_written, official_part), dictionary)}

    rows: dict[str, dict[str, Counter]] = {}
    held = texts[1::2]
    cases = spans(held, args.official, args.seed)
    clean_lines = noisy_clean(held, 2000, args.seed)
    for name, lm in models(raws, counted[0::2]).items():
        rows.setdefault(name, {})["official"] = score(cases, lm)
        rows[name]["false"] = Counter(changed=false_repairs(clean_lines, lm), n=len(clean_lines))
    clean_dir = ROOT / "corpus" / "clean"
    for page in raws:
        articles = [p.read_text(encoding="utf-8") for p in sorted(clean_dir.glob(page.stem[:3] + "_*.txt"))]
        cases = spans(articles, args.school, args.seed)
        for name, lm in models([p for p in raws if p != page], counted).items():
            rows[name].setdefault("school", Counter()).update(score(cases, lm))

    print(f"{'model':<16} {'set':<9} {'spans':>6} {'right':>6} {'wrong':>6} {'left':>6} {'spans/s':>8}")
    for name, sets in rows.items():
        for which in ("official", "school"):
            t = sets[which]
            n = t["right"] + t["wrong"] + t["left"]
            print(f"{name:<16} {which:<9} {n:>6} {t['right'] / n:>6.3f} {t['wrong'] / n:>6.3f} "
                  f"{t['left'] / n:>6.3f} {n / t['seconds']:>8.0f}")
        f = sets["false"]
        print(f"{name:<16} {'clean':<9} {f['n']:>6} changed {f['changed']} of {f['n']} joined clean paragraphs")


if __name__ == "__main__":
    main()
