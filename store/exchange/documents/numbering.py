"""List numbers as Word and OpenDocument show them, for lists whose numbers are not in the text."""

from __future__ import annotations

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def counter_text(value: int, style: str) -> str:
    """``value`` in a list's number style: Word's names (decimal, lowerLetter, upperRoman, ...) or
    OpenDocument's (1, a, A, i, I); a style not spelled out here counts in digits, as most do."""
    if style in ("lowerLetter", "a"):
        return _letters(value)
    if style in ("upperLetter", "A"):
        return _letters(value).upper()
    if style in ("lowerRoman", "i"):
        return _roman(value)
    if style in ("upperRoman", "I"):
        return _roman(value).upper()
    if style in ("none", ""):
        return ""
    if style == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _letters(value: int) -> str:
    """a … z, then aa … zz as Word and LibreOffice count on."""
    value = max(value, 1)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    digits = []
    for size, digit in _ROMAN:
        count, value = divmod(value, size)
        digits.append(digit * count)
    return "".join(digits)
