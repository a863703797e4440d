"""The seven practices of a kind moment, and how a person's arrival leads to one.

Each practice is two or three short inputs. This module is the one place for what both the modals and
the code read: keys, names, each input's question and limits, and the arrival choices. The rest of the
copy (introductions, placeholders) lives in templates/practices/<key>.json.j2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    key: str
    question: str  # the input's label, and the heading of the answer in the journal
    max_length: int = 1500
    optional: bool = False


@dataclass(frozen=True)
class Practice:
    key: str
    name: str
    prompts: tuple[Prompt, ...]
    revisits_entry: bool = False


@dataclass(frozen=True)
class Arrival:
    """How a person can say they are arriving (`words`), and the practice that meets them there."""

    key: str
    words: str
    practice: str


PRACTICES: dict[str, Practice] = {
    practice.key: practice
    for practice in (
        Practice(
            "self_compassion_break",
            "Self-compassion break",
            (
                Prompt("mindfulness", "This is a moment of difficulty. What is happening?"),
                Prompt("common_humanity", "Others feel this too. Who might understand?", optional=True),
                Prompt("kindness", "What kind words do you need to hear right now?"),
            ),
        ),
        Practice(
            "friends_words",
            "A friend's words",
            (
                Prompt("situation", "What are you going through?"),
                Prompt("words", "What would you say to a friend in this situation? Say it to yourself."),
            ),
        ),
        Practice(
            "comfort",
            "Comfort",
            (
                Prompt("need", "What do you need right now: rest, help, a pause?"),
                Prompt("small_step", "One small way to give yourself that today", optional=True),
            ),
        ),
        Practice(
            "courage",
            "Courage",
            (
                Prompt("what_matters", "What boundary, request or pursuit would protect or provide for you?"),
                Prompt("step", "What is one brave, kind step you could take?"),
            ),
        ),
        Practice(
            "compassionate_image",
            "Compassionate image",
            (
                Prompt("image", "Who or what did you picture?"),
                Prompt("words", "What did they want you to know?"),
            ),
        ),
        Practice(
            "character_note",
            "Character note",
            (
                Prompt("strength", "Which strength of yours showed up this week?"),
                Prompt("moment", "When did it show up?"),
            ),
        ),
        Practice(
            "kintsugi",
            "Kintsugi",
            (
                Prompt("lesson", "Looking back, what did it teach you?"),
                Prompt("gold", "Where is the gold: what is stronger in you now?", optional=True),
            ),
            revisits_entry=True,
        ),
        # Placeholders for the team prompts' new themes: the content helper's catalogue replaces them.
        Practice(
            "kind_coach",
            "A kind coach",
            (
                Prompt("what_happened", "What happened?"),
                Prompt("next_time", "What would a kind coach say would help next time?"),
            ),
        ),
        Practice(
            "flaws_and_all",
            "Flaws and all",
            (
                Prompt("someone", "Think of someone you love, flaws included. How do you see them?"),
                Prompt("yourself", "What would it be like to see yourself that way?"),
            ),
        ),
        Practice(
            "provide",
            "What you need",
            (
                Prompt("need", "What do you need?"),
                Prompt("give", "How could you give it to yourself?"),
            ),
        ),
    )
}

# The arrival choices, in the order the arrival modal offers them.
ARRIVAL_CHOICES: tuple[Arrival, ...] = (
    Arrival("struggling", "This is a hard moment", "self_compassion_break"),
    Arrival("self_critical", "I'm being hard on myself", "friends_words"),
    Arrival("depleted", "Tired, stretched thin", "comfort"),
    Arrival("facing_something", "Something needs my courage", "courage"),
    Arrival("unsettled", "Unsettled, I'd like some calm", "compassionate_image"),
    Arrival("steady", "Steady, I'd like to notice something good", "character_note"),
    Arrival("revisiting", "I'd like to revisit an old difficulty", "kintsugi"),
)

# How a person says they are arriving -> the practice that meets them there.
ARRIVALS: dict[str, str] = {arrival.key: arrival.practice for arrival in ARRIVAL_CHOICES}


def practice_for_arrival(arrival: str) -> Practice | None:
    key = ARRIVALS.get(arrival)
    return PRACTICES[key] if key else None
