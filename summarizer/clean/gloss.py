"""Pinyin glosses after Han characters: `鄉(xiāng)` → `鄉`.

Some sites annotate characters with their reading in parentheses. A gloss is a parenthesised
pinyin syllable (tone marks, or letters with a tone digit) right after a Han character; real
parentheses such as `(一)`, `(2)`, `(试行)`, `(初中生301名,小学生11名)` hold no pinyin and stay.
"""

from __future__ import annotations

import re

from summarizer.text.spans import cut_spans, matches_by_first

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A syllable with a tone mark (any position) or ending in a tone digit 1-5; plain ASCII words
# without either (e.g. `(PDF)`, `(led)`) are not glosses.
_SYLLABLE = rf"(?:[a-z{_TONED}]*[{_TONED}][a-z{_TONED}]*|[a-zü]{{1,6}}[1-5])"
# After a Han character, or after a Latin letter that mojibake left where a Han character stood
# (`?,F(xiàn)將`): the gloss was attached to the character position, not to what decoded there.
# The parenthesis comes first and the character before it is checked by a lookbehind: the regex
# engine then jumps from parenthesis to parenthesis instead of trying a lookbehind at every
# character (same matches, several times faster on long pages).
_GLOSS = re.compile(rf"[(（](?<=[\u3400-\u9fffA-Za-z][(（]){_SYLLABLE}[)）]")
# `_GLOSS` split by its first character: a pattern that begins with a plain character rather
# than a class is scanned for ten times faster by the regex engine.
_GLOSS_BY_OPENING = (
    ("(", re.compile(rf"\((?<=[\u3400-\u9fffA-Za-z]\(){_SYLLABLE}[)）]")),
    ("（", re.compile(rf"（(?<=[\u3400-\u9fffA-Za-z]（){_SYLLABLE}[)）]")),
)


def remove_glosses(text: str) -> tuple[str, dict[str, int]]:
    """Remove pinyin glosses; counts them (`pinyin_removed`).

    The glosses are those `_GLOSS` finds, looked for by one pattern per kind of opening
    parenthesis. A gloss holds no other parenthesis, so no two overlap, and the matches of the
    two patterns together are those of `_GLOSS`. On a page with both kinds, the rarer kind is
    looked for first: when it holds no gloss, the other pattern's replacement does the job.
    """
    kinds = sorted(((text.count(opening), pattern) for opening, pattern in _GLOSS_BY_OPENING
                    if opening in text), key=lambda kind: kind[0])
    if not kinds:
        return text, {"pinyin_removed": 0}
    if len(kinds) == 2 and kinds[0][1].search(text):
        text, cut = cut_spans(text, [m.span() for m in matches_by_first(text, _GLOSS_BY_OPENING)])
        return text, {"pinyin_removed": len(cut)}
    out, n = kinds[-1][1].subn("", text)
    return out, {"pinyin_removed": n}


def cut_glosses(text: str) -> tuple[str, dict[str, int], list[str]]:
    """`remove_glosses`, with the glosses cut, in text order (for `Document.removed`). The same
    choice of patterns; on a page with one kind of gloss (the usual case) the pieces come from
    `findall` and the text from `sub`, two scans in C, four times cheaper than building a match
    object for each of a page's thousand glosses and cutting them out in Python."""
    kinds = sorted(((text.count(opening), pattern) for opening, pattern in _GLOSS_BY_OPENING
                    if opening in text), key=lambda kind: kind[0])
    if not kinds:
        return text, {"pinyin_removed": 0}, []
    if len(kinds) == 2 and kinds[0][1].search(text):
        text, cut = cut_spans(text, [m.span() for m in matches_by_first(text, _GLOSS_BY_OPENING)])
        return text, {"pinyin_removed": len(cut)}, cut
    pattern = kinds[-1][1]
    cut = pattern.findall(text)
    return (pattern.sub("", text) if cut else text), {"pinyin_removed": len(cut)}, cut
