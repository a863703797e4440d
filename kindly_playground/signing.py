"""Requests to the app exactly as Slack sends them: real HTTP, signed with the signing secret.

The signature is the fake Slack's (fakeslack.signing), stamped with the real time even while the
playground's clock is moved. Slash commands are form-encoded, interactions are a form with one `payload`
field of JSON, events are JSON.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fakeslack.signing import signed_headers

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class SlackReply:
    """The app's HTTP answer to one request."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


class SlackRequestSender:
    """Posts signed slash commands, interactions and events to the app's request URL."""

    def __init__(self, *, events_url: str, signing_secret: str, timeout: float = 30.0) -> None:
        self.events_url = events_url
        self._signing_secret = signing_secret
        self._timeout = timeout

    def post(self, body: bytes, *, content_type: str, headers: Mapping[str, str] | None = None) -> SlackReply:
        request = urllib.request.Request(self.events_url, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", content_type)
        for name, value in {**signed_headers(self._signing_secret, body), **(headers or {})}.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                return SlackReply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return SlackReply(error.code, error.read(), dict(error.headers))

    def post_form(self, fields: Mapping[str, str]) -> SlackReply:
        return self.post(urllib.parse.urlencode(fields).encode("utf-8"), content_type=FORM)

    def post_payload(self, payload: Mapping[str, Any]) -> SlackReply:
        """An interaction: block_actions, view_submission, view_closed, shortcut."""
        return self.post_form({"payload": json.dumps(payload)})

    def post_event(self, envelope: Mapping[str, Any]) -> SlackReply:
        return self.post(json.dumps(envelope).encode("utf-8"), content_type=JSON)
