"""Whether a Slack status says the person is away: out of office, on holiday, traveling or sick.

Read from the status emoji or words in the status text, in every language Kindly ships. The caller passes
the profile's `status_emoji`, `status_text` and `status_expiration` as Slack sent them; no Slack call is
made here. "Working remotely" (:house_with_garden:) is not away.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":airplane:",
        ":airplane_departure:",
        ":face_with_thermometer:",
        ":beach_with_umbrella:",
        ":desert_island:",
        ":face_with_head_bandage:",
        ":sneezing_face:",
        ":mask:",
        ":hospital:",
        ":baby_bottle:",
    }
)

# Words that mean out of office, holiday, vacation, leave or sick, lower-case and accent-folded for
# the Latin scripts; Japanese has no word boundaries, so its words match anywhere in the text.
AWAY_WORDS = (
    # en
    "ooo", "out of office", "out of the office", "on holiday", "holidaying", "vacation",
    "vacationing", "on leave", "parental leave", "sick", "sick leave", "off sick", "pto", "annual leave",
    # de
    "urlaub", "im urlaub", "krank", "krankgeschrieben", "abwesend", "elternzeit", "nicht im buro",
    # fr
    "conge", "conges", "en conge", "vacances", "en vacances", "malade", "absent", "absente",
    # es
    "vacaciones", "de vacaciones", "enfermo", "enferma", "de baja", "fuera de la oficina", "ausente",
    # pt
    "ferias", "de ferias", "doente", "fora do escritorio", "licenca",
)  # fmt: skip
AWAY_WORDS_ANYWHERE = (
    # ja; not 休み alone, since 昼休み is a lunch break
    *("休暇", "夏休み", "冬休み", "病欠", "不在", "療養", "育休", "有給"),
    *("🌴", "✈", "🤒", "🏖", "🏝", "🤧", "😷", "🤕"),  # the emoji themselves, typed into the text
)  # fmt: skip

_WORDS = re.compile(r"\b(" + "|".join(re.escape(word) for word in AWAY_WORDS) + r")\b")
NO_EXPIRY = datetime(9999, 12, 31, tzinfo=UTC)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def says_away(*, emoji: object, text: object) -> bool:
    """Whether the status emoji or text means the person is away."""
    if isinstance(emoji, str) and emoji.strip() in AWAY_EMOJI:
        return True
    if not isinstance(text, str) or not text.strip():
        return False
    folded = _folded(text)
    return bool(_WORDS.search(folded)) or any(word in text for word in AWAY_WORDS_ANYWHERE)


def away_until(*, emoji: object, text: object, expiration: object, now: datetime) -> datetime | None:
    """Until when the status says the person is away (NO_EXPIRY when it does not expire), or None."""
    if not says_away(emoji=emoji, text=text):
        return None
    if isinstance(expiration, int | float) and not isinstance(expiration, bool) and expiration > 0:
        ends = datetime.fromtimestamp(expiration, UTC)
        return ends if ends > now else None
    return NO_EXPIRY
