"""Which wording of the reminder a person reads on a given day (the wordings: messages/reminder.json.j2).

The days run through the wordings in turn, each person from their own place in the list, so that a
workspace does not all read the same line on the same morning. There are REMINDER_WORDINGS of them, a
number prime to 7 (a test holds the template to it): two reminders fewer than that many days apart always
differ, which covers consecutive reminders of every weekly schedule, and a reminder on one weekday meets
every wording in turn. Two reminders in a row can read alike only when the ones between them were skipped
and they fall a multiple of REMINDER_WORDINGS days apart.
"""

from __future__ import annotations

import zlib
from datetime import date

REMINDER_WORDINGS = 13


def reminder_wording(*, team_id: str, user_id: str, day: date) -> int:
    """The number of the wording this person's reminder takes on their local `day`."""
    own_place = zlib.crc32(f"{team_id}:{user_id}".encode())  # stable across processes, unlike hash()
    return (own_place + day.toordinal()) % REMINDER_WORDINGS
