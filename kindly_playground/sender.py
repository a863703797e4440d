"""Requests to the app exactly as Slack sends them: real HTTP, signed with the signing secret.

The signature is the fake Slack's (fakeslack.to_app), stamped with the real time even while the
playground's clock is moved. Slash commands are form-encoded, interactions are a form with one `payload`
field of JSON, events are JSON.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from fakeslack.to_app import AppReply, post_to_app, signed_headers

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class SlackRequestSender:
    """Posts signed slash commands, interactions and events to the app's request URL."""

    def __init__(self, *, events_url: str, signing_secret: str, timeout: float = 30.0) -> None:
        self.events_url = events_url
        self._signing_secret = signing_secret
        self._timeout = timeout

    def post(self, body: bytes, *, content_type: str, headers: Mapping[str, str] | None = None) -> AppReply:
        signed = {**signed_headers(self._signing_secret, body), **(headers or {})}
        return post_to_app(
            self.events_url, body, content_type=content_type, headers=signed, timeout=self._timeout
        )

    def post_form(self, fields: Mapping[str, str]) -> AppReply:
        return self.post(urllib.parse.urlencode(fields).encode("utf-8"), content_type=FORM)

    def post_payload(self, payload: Mapping[str, Any]) -> AppReply:
        """An interaction: block_actions, view_submission, view_closed, shortcut."""
        return self.post_form({"payload": json.dumps(payload)})

    def post_event(self, envelope: Mapping[str, Any]) -> AppReply:
        return self.post(json.dumps(envelope).encode("utf-8"), content_type=JSON)
