"""A workspace's own strengths never take the key of a built-in one, nor of each other."""

from __future__ import annotations

from slackapp.practices.strengths import CATALOGUE, find_strength, workspace_strengths


def test_custom_strengths_cannot_collide_with_built_in_ones_or_each_other() -> None:
    extra = "\n".join(
        [
            "Kindness!",  # a built-in, with punctuation
            "Kіndness",  # a built-in, with a Cyrillic i
            "COURAGE",
            "Calm under pressure",
            "calm under pressure?",  # the same key as the one before
            "x" * 45 + "a",
            "x" * 45 + "b",  # the same first 40 letters
            "思いやり",  # not Latin: kept, under a key of its own
        ]
    )
    strengths = workspace_strengths(extra)
    keys = [strength.key for strength in strengths]
    assert len(keys) == len(set(keys))
    custom = [strength.name for strength in strengths[len(CATALOGUE) :]]
    assert custom == ["Calm under pressure", "x" * 45 + "a", "思いやり"]
    assert find_strength("kindness", extra) == CATALOGUE[0]
    assert all(key.startswith("custom:") for key in keys[len(CATALOGUE) :])
