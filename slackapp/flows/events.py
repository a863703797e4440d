"""Slack's event redeliveries: Slack sends an event again when it thinks the first was not received, and
Kindly acts on each event id once."""

from __future__ import annotations

from slackapp.services import Services
from slackapp.store.events import claim_event


def first_delivery(services: Services, *, event_id: object) -> bool:
    """True the first time an event id is seen (and for an event without one); False for a redelivery."""
    if not isinstance(event_id, str) or not event_id:
        return True
    with services.sessions.begin() as session:
        return claim_event(session, event_id=event_id, now=services.clock())
