"""A workspace's blocked words, found however they are disguised. No Slack, no SQL.

Notes and blocked words are both brought to plain letters before matching: Unicode compatibility forms
folded (NFKC: fullwidth and mathematical letters, ligatures), accents and invisible characters
(zero-width spaces and joiners, soft hyphens, variation selectors) removed, letters from other scripts
that look Latin turned Latin (Unicode's confusables, via confusable_homoglyphs) and case folded. Then
each letter of a blocked word also matches its usual stand-ins (0 for o, 1 l | ! for i, 3 e, 4 @ a,
5 $ s, 7 t), so "r0ck$tar" is "rockstar" while the "!" closing "Rockstar!" stays punctuation.
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib.resources import files

# The letter-digit swaps: each letter, and the characters that stand in for it.
STAND_INS = {"o": "o0", "i": "il1|!", "e": "e3", "a": "a4@", "s": "s5$", "t": "t7"}
_CANONICAL = {stand_in: letter for letter, chars in STAND_INS.items() for stand_in in chars}
# Look-alikes Unicode's list leaves out: letters with a stroke (no accent to strip), and small capitals.
STROKED_AND_SMALL = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "κ": "k", "т": "t", "в": "b"}
INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc"})  # format, combining marks, control


def _latin_lookalikes() -> dict[str, str]:
    """Each non-ASCII character that Unicode lists as confusable with one ASCII letter or digit."""
    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    latin = dict(STROKED_AND_SMALL)
    for character, homoglyphs in data.items():
        if len(character) != 1 or character.isascii():
            continue
        ascii_twin = next((h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()), None)
        if ascii_twin is not None and ascii_twin.isalnum():
            latin[character] = ascii_twin
    return latin


# Built once at import (about 50 ms), not on the first shout-out someone sends.
LATIN_LOOKALIKES = _latin_lookalikes()


def plain_letters(text: str) -> str:
    """The text in plain lower-case Latin where it only looks foreign, without invisible characters."""
    latin = LATIN_LOOKALIKES
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    visible = (c for c in decomposed if unicodedata.category(c) not in INVISIBLE_CATEGORIES or c in "\n\t")
    return unicodedata.normalize("NFKC", "".join(latin.get(c, c) for c in visible)).casefold()


def _pattern(word: str) -> re.Pattern[str] | None:
    """A blocked word as a whole-word pattern in which every letter may be written with a stand-in."""
    parts = []
    for character in plain_letters(word):
        if character.isspace():
            parts.append(r"\s+")
            continue
        letter = _CANONICAL.get(character, character)
        parts.append(f"[{re.escape(STAND_INS.get(letter, letter))}]")
    if not parts:
        return None
    return re.compile(rf"(?<![^\W_]){''.join(parts)}(?![^\W_])")


def blocked_words(configured: str) -> list[str]:
    """The words an HR lead listed (one per line), as they wrote them, lower case."""
    return [word for word in (" ".join(line.split()).lower() for line in configured.splitlines()) if word]


def find_blocked(note: str, blocked: list[str]) -> str | None:
    """The first blocked word the note contains as a whole word, disguised or not."""
    text = plain_letters(note)
    for word in blocked:
        pattern = _pattern(word)
        if pattern is not None and pattern.search(text):
            return word
    return None
