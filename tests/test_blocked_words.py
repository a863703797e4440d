"""A blocked word is found however it is disguised, and a word that only resembles it is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slackapp.practices.blocked_words import blocked_words, find_blocked, plain_letters

BLOCKED = blocked_words("Rockstar\nninja\n  kill   it \n")
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f"]
# One disguise per letter: a look-alike from another script, a fullwidth or bold form, a digit or sign.
DISGUISES = {
    "a": ["а", "α", "ａ", "4", "@", "𝐚", "á"],
    "c": ["с", "ｃ", "𝐜", "ç"],
    "i": ["і", "ı", "ｉ", "1", "!", "|", "í"],
    "j": ["ј", "ｊ", "𝐣"],
    "k": ["κ", "ｋ", "𝐤", "K"],
    "l": ["ｌ", "1", "|", "I", "ł"],
    "n": ["ｎ", "𝐧", "ñ", "N"],
    "o": ["о", "ο", "ｏ", "0", "𝐨", "ö"],
    "r": ["ｒ", "𝐫", "R"],
    "s": ["ѕ", "ｓ", "5", "$", "𝐬"],
    "t": ["т", "ｔ", "7", "𝐭", "T"],
}


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    letters = []
    for letter in word:
        choices = DISGUISES.get(letter, [letter])
        letters.append(draw(st.sampled_from([letter, *choices])))
        letters.append(draw(st.sampled_from(["", "", *INVISIBLE])))
    return "".join(letters)


BEFORE = ["", "A true ", "("]
AFTER = ["", "!", ".", " indeed"]


@given(data=st.data(), word=st.sampled_from(["rockstar", "ninja"]))
def test_a_disguised_blocked_word_is_still_found(data: st.DataObject, word: str) -> None:
    before, after = data.draw(st.sampled_from(BEFORE)), data.draw(st.sampled_from(AFTER))
    note = before + data.draw(disguised(word)) + after
    assert find_blocked(note, BLOCKED) == word


@given(text=st.text(max_size=60))
def test_plain_letters_are_stable(text: str) -> None:
    assert plain_letters(plain_letters(text)) == plain_letters(text)


@pytest.mark.parametrize(
    "note",
    ["Rock steady, always", "ninjas of the kitchen", "a skilled kill-joy? never", "Rocks tar the road"],
)
def test_words_that_only_resemble_a_blocked_one_pass(note: str) -> None:
    assert find_blocked(note, BLOCKED) is None


@pytest.mark.parametrize("note", ["K1LL   iT", "kill\u200b it", "ｋｉｌｌ ｉｔ"])
def test_a_blocked_phrase_is_found_across_its_spaces(note: str) -> None:
    assert find_blocked(note, BLOCKED) == "kill it"
