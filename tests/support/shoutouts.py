"""Sending shout-outs and choosing their channel as people do: through modals, over signed requests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.slack_requests import Person
from tests.support.views import fill

ALICE = Person("U0ALICE", "T0001", "alice")  # sends
BOB = Person("U0BOB", "T0001", "bob")  # receives
HANNA = Person("U0HANNA", "T0001", "hanna")  # HR lead (a workspace admin)
CHANNEL = "C0SHOUTS"
HOSTILE = "<!channel> <!here> <@U999> <https://x.example|y> & <#C1>"


def open_shoutout(kindly: Kindly, who: Person = ALICE, text: str = "shoutout") -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command(text, who=who))
    return {**view, "id": "V0SHOUT", "hash": "1.shout"}


def send(
    kindly: Kindly,
    *,
    to: str = BOB.user_id,
    strength: str = "kindness",
    note: str = "You made the new starter feel welcome",
    signed: bool = False,
    who: Person = ALICE,
) -> dict[str, Any]:
    view = open_shoutout(kindly, who)
    answers = {"note": note, "signed": "signed" if signed else "anonymous"}
    submitted = fill(view, answers)
    values = submitted["state"]["values"]
    values["recipient"] = {"choice": {"type": "users_select", "selected_user": to}}
    # Set directly, not from the view's options, so a crafted value can be sent too.
    values["strength"] = {"choice": {"type": "static_select", "selected_option": {"value": strength}}}
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=who).json()
    return reply


def choose_channel(
    kindly: Kindly, *, mode: str = "immediate", blocked: str = "", day: str = "4"
) -> dict[str, Any]:
    hub = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=HANNA))
    hub = {**hub, "id": "V0TEAM", "hash": "1.team"}
    view = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("shoutout_settings_open", view=hub, who=HANNA)
    )
    answers = {"mode": mode, "digest_day": day, "digest_time": "15:00", "blocked_words": blocked}
    submitted = fill(view, answers)
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": CHANNEL}
    }
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=HANNA).json()
    return reply


def posts_to(kindly: Kindly, channel: str) -> list[dict[str, Any]]:
    return [
        c.params for c in kindly.fake.calls("chat.postMessage") if c.params.get("channel") == channel and c.ok
    ]
