"""Numbers as Chinese reports write them: Chinese numerals, Arabic digits, and the two mixed.

Reports write `十二个`, `二十三名`, `一百二十人`, `两千元` in running text, `二〇〇九年` for years
(one character per digit, not a positional number), and Arabic `1,200`, `11.36`, `1.2万` next to
them. The slot extractor has to turn all of them into one value to normalise figures and to add
them up in the consistency checks, so the parsing lives here, as pure functions on strings that
return `None` for anything that is not a well-formed number instead of guessing.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)

# Full-width digits are written by some input methods; they count as Arabic digits.
ARABIC_DIGIT = "0-9０-９"
_ARABIC = re.compile(rf"^(?:[{ARABIC_DIGIT}]{{1,3}}(?:,[{ARABIC_DIGIT}]{{3}})+|[{ARABIC_DIGIT}]+)"
                     rf"(?:[.．][{ARABIC_DIGIT}]+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_arabic(text: str) -> int | float | None:
    """Value of an Arabic number: `1247` → 1247, `1,200` → 1200, `11.36` → 11.36, `０.５` → 0.5.

    Commas are accepted only as thousands separators (groups of three), because in Chinese text
    a comma between digits is more often a list separator than part of the number. Integral
    values come back as `int`, so that counts stay counts in JSON.
    """
    if not _ARABIC.match(text):
        return None
    plain = text.translate(_FULLWIDTH).replace(",", "")
    if "." in plain:
        return float(plain)
    return int(plain)


def parse_chinese(text: str) -> int | None:
    """Value of a positional Chinese numeral: `十二` → 12, `二十三` → 23, `一百二十` → 120,
    `两千` → 2000, `一百零五` → 105, `三万五千` → 35000; `None` if it is not well formed.

    Well formed means what a writer would produce: units strictly decreasing within a section
    of ten thousand, one digit before each unit, `零` only as a filler before a lower term, and
    `十` alone or at the start read as 1×10. A trailing digit after `百`/`千`/`万` abbreviates the
    next unit down (`三百二` → 320, `三万五` → 35000), as in speech. Digit strings such as `二〇〇九`
    are not positional numbers and give `None`; see `parse_digit_string`.
    """
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    if text in ("零", "〇"):
        return 0
    return _with_large(text, ("亿", "万"))


def _with_large(text: str, units: tuple[str, ...]) -> int | None:
    """Split at the largest magnitude present (`亿`, then `万`) and combine the parts."""
    if not units:
        return _section(text)
    big, lower = units[0], units[1:]
    if big not in text:
        return _with_large(text, lower)
    high, _, low = text.partition(big)
    multiplier = LARGE_UNITS[big]
    if big in low:
        return None
    high_value = _with_large(high, lower) if high else None
    if not high_value:
        return None
    if not low:
        return high_value * multiplier
    if len(low) == 1 and DIGITS.get(low):
        return high_value * multiplier + DIGITS[low] * multiplier // 10
    low_value = _with_large(low[1:] if low[0] in "零〇" else low, lower)
    if not low_value or low_value >= multiplier:
        return None
    return high_value * multiplier + low_value


def _section(text: str) -> int | None:
    """Value below ten thousand: `三千零二十` → 3020, `十五` → 15, `两百五` → 250."""
    value = 0
    digit: int | None = None
    last_unit = 10_000
    zero = False
    for ch in text:
        if ch in "零〇":
            if digit is not None or zero or not value:
                return None
            zero = True
        elif ch in DIGITS:
            if digit is not None:
                return None
            digit = DIGITS[ch]
        else:
            unit = SMALL_UNITS.get(ch)
            if unit is None or unit >= last_unit:
                return None
            if digit is None:
                if unit != 10 or value or zero:
                    return None
                digit = 1
            value += digit * unit
            digit, last_unit, zero = None, unit, False
    if digit is not None:
        if not zero and last_unit in (100, 1000):
            return value + digit * last_unit // 10
        return value + digit
    if zero:
        return None
    return value or None


def parse_digit_string(text: str) -> str | None:
    """Digits of a Chinese digit string: `二〇〇九` → `'2009'`, `二零一六` → `'2016'`.

    Years are written this way; the result is text because a digit string keeps leading zeros
    and is read digit by digit, not as a quantity.
    """
    if len(text) < 2 or any(ch not in DIGITS or ch == "两" for ch in text):
        return None
    return "".join(str(DIGITS[ch]) for ch in text)


def parse_number(text: str) -> int | float | None:
    """Value of any written number: Arabic (`1,200`, `0.5`), Chinese (`二十三`), or Arabic with a
    Chinese magnitude (`1.2万` → 12000, `5亿` → 500000000).

    The magnitude form is how reports write money and areas (`5万元`, `11.36万平方米`); the value
    is multiplied out so that figures compare in one unit.
    """
    if not text:
        return None
    if text[-1] in LARGE_UNITS and len(text) > 1:
        base = parse_arabic(text[:-1])
        if base is not None:
            return scale(base, LARGE_UNITS[text[-1]])
    arabic = parse_arabic(text)
    if arabic is not None:
        return arabic
    return parse_chinese(text)


def scale(value: int | float, factor: int) -> int | float:
    """`value × factor`, an integral result as an int (`1.2 × 10000` → 12000, not 12000.000000002)."""
    product = value * factor
    if isinstance(product, float):
        rounded = round(product, 6)
        return int(rounded) if rounded.is_integer() else rounded
    return product
