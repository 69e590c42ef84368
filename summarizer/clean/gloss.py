"""Pinyin glosses after Han characters: `鄉(xiāng)` → `鄉`.

Some sites annotate characters with their reading in parentheses. A gloss is a parenthesised
pinyin syllable (tone marks, or letters with a tone digit) right after a Han character; real
parentheses such as `(一)`, `(2)`, `(试行)`, `(初中生301名,小学生11名)` hold no pinyin and stay.
"""

from __future__ import annotations

import re

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


def remove_glosses(text: str) -> tuple[str, dict[str, int]]:
    """Remove pinyin glosses; counts them (`pinyin_removed`)."""
    if "(" not in text and "（" not in text:
        return text, {"pinyin_removed": 0}
    out, n = _GLOSS.subn("", text)
    return out, {"pinyin_removed": n}
