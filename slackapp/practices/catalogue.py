"""The seven practices of a kind moment, and how a person's arrival leads to one.

Each practice is two or three short inputs. Their copy lives in templates/practices/<key>.json.j2;
this module holds only what the code needs: keys, which inputs exist, and their limits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    key: str
    max_length: int = 1500
    optional: bool = False


@dataclass(frozen=True)
class Practice:
    key: str
    name: str
    prompts: tuple[Prompt, ...]
    revisits_entry: bool = False


PRACTICES: dict[str, Practice] = {
    practice.key: practice
    for practice in (
        Practice(
            "self_compassion_break",
            "Self-compassion break",
            (Prompt("mindfulness"), Prompt("common_humanity", optional=True), Prompt("kindness")),
        ),
        Practice("friends_words", "A friend's words", (Prompt("situation"), Prompt("words"))),
        Practice("comfort", "Comfort", (Prompt("need"), Prompt("small_step", optional=True))),
        Practice("courage", "Courage", (Prompt("what_matters"), Prompt("step"))),
        Practice("compassionate_image", "Compassionate image", (Prompt("image"), Prompt("words"))),
        Practice("character_note", "Character note", (Prompt("strength"), Prompt("moment"))),
        Practice(
            "kintsugi", "Kintsugi", (Prompt("lesson"), Prompt("gold", optional=True)), revisits_entry=True
        ),
    )
}

# How a person says they are arriving -> the practice that meets them there.
ARRIVALS: dict[str, str] = {
    "struggling": "self_compassion_break",
    "self_critical": "friends_words",
    "depleted": "comfort",
    "facing_something": "courage",
    "unsettled": "compassionate_image",
    "steady": "character_note",
    "revisiting": "kintsugi",
}


def practice_for_arrival(arrival: str) -> Practice | None:
    key = ARRIVALS.get(arrival)
    return PRACTICES[key] if key else None
