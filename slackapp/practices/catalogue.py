"""The ten practices of a kind moment, and how a person's arrival leads to one.

Each practice is two or three short inputs. This module is the one place for what both the modals and
the code read: keys, names, each input's stable journal heading and limits, and the arrival choices.
What a person reads in the modal (introductions, questions, placeholders) lives in
templates/practices/<key>.json.j2, worded WORDINGS ways so that the same practice reads fresh next time.
docs/practices.md says which component of self-compassion each practice trains, and its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORDINGS = 3  # how many ways each practice template words its introduction and its questions


@dataclass(frozen=True)
class Prompt:
    key: str
    heading: str  # the answer's heading in the journal: the same whichever wording asked the question
    max_length: int = 1500
    optional: bool = False


@dataclass(frozen=True)
class Practice:
    key: str
    name: str
    prompts: tuple[Prompt, ...]
    revisits_entry: bool = False
    # Headings of answers kept under keys this practice no longer asks, so older entries still read well.
    retired_headings: dict[str, str] = field(default_factory=dict)

    def heading(self, answer_key: str) -> str:
        for prompt in self.prompts:
            if prompt.key == answer_key:
                return prompt.heading
        return self.retired_headings.get(answer_key, answer_key.replace("_", " ").capitalize())


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
                Prompt("mindfulness", "What this moment feels like"),
                Prompt("common_humanity", "Part of being human", optional=True),
                Prompt("kindness", "Kind words for yourself"),
            ),
        ),
        Practice(
            "friends_words",
            "A friend's words",
            (
                Prompt("critic", "What your inner critic said"),
                Prompt("words", "What a friend would say"),
            ),
            retired_headings={"situation": "What you were going through"},
        ),
        Practice(
            "kind_coach",
            "A kind coach",
            (
                Prompt("what_happened", "What happened"),
                Prompt("kindness", "Kindness instead of attack"),
                Prompt("coach", "A coach's encouragement"),
            ),
        ),
        Practice(
            "flaws_and_all",
            "Flaws and all",
            (
                Prompt("loved_one", "Someone you love, flaws and all"),
                Prompt("flaw", "A flaw of your own", optional=True),
                Prompt("acceptance", "The same acceptance, for you"),
            ),
        ),
        Practice(
            "comfort",
            "Comfort",
            (
                Prompt("need", "What would comfort you"),
                Prompt("small_step", "Rest, or help, you could take", optional=True),
            ),
        ),
        Practice(
            "provide",
            "Meeting your needs",
            (
                Prompt("need", "What you need"),
                Prompt("give", "How you can give it to yourself"),
            ),
        ),
        Practice(
            "courage",
            "Courage",
            (
                Prompt("what_matters", "What needs protecting"),
                Prompt("words", "Words you could use", optional=True),
                Prompt("step", "A brave, kind step"),
            ),
        ),
        Practice(
            "compassionate_image",
            "Compassionate image",
            (
                Prompt("image", "Your compassionate image"),
                Prompt("words", "What it wanted you to know"),
            ),
        ),
        Practice(
            "character_note",
            "Character note",
            (
                Prompt("strength", "A strength of character"),
                Prompt("moment", "When it showed up"),
            ),
        ),
        Practice(
            "kintsugi",
            "Kintsugi",
            (
                Prompt("lesson", "Looking back"),
                Prompt("gold", "The gold, if any", optional=True),
            ),
            revisits_entry=True,
        ),
    )
}

# The arrival choices, in the order the arrival modal offers them (Slack shows at most 10 radio buttons).
ARRIVAL_CHOICES: tuple[Arrival, ...] = (
    Arrival("struggling", "This is a hard moment", "self_compassion_break"),
    Arrival("fell_short", "I made a mistake or fell short", "kind_coach"),
    Arrival("self_critical", "I'm being hard on myself", "friends_words"),
    Arrival("flaws", "I keep noticing my flaws", "flaws_and_all"),
    Arrival("depleted", "Tired or stretched thin; I could use rest or help", "comfort"),
    Arrival("needing", "I need something I'm not getting", "provide"),
    Arrival("facing_something", "I need to say no or speak up", "courage"),
    Arrival("unsettled", "Unsettled, I'd like some calm", "compassionate_image"),
    Arrival("steady", "Steady, I'd like to notice something good", "character_note"),
    Arrival("revisiting", "I'd like to revisit an old difficulty", "kintsugi"),
)

# How a person says they are arriving -> the practice that meets them there.
ARRIVALS: dict[str, str] = {arrival.key: arrival.practice for arrival in ARRIVAL_CHOICES}


def practice_for_arrival(arrival: str) -> Practice | None:
    key = ARRIVALS.get(arrival)
    return PRACTICES[key] if key else None


def shown_wording(wording: object) -> int:
    """Which of a practice's wordings to show for an index that may come from a forged view: an int in
    range, anything else clamped (a bool or text counts as the first wording)."""
    if not isinstance(wording, int) or isinstance(wording, bool):
        return 0
    return min(max(wording, 0), WORDINGS - 1)


def next_wording(last_shown: int | None) -> int:
    """The wording after the one a person last saw for a practice, so consecutive uses read differently."""
    return 0 if last_shown is None else (shown_wording(last_shown) + 1) % WORDINGS
